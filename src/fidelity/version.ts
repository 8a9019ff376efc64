/**
 * vLLM computed Qwen3-VL's `<t seconds>` timestamps from the requested fps instead of the video's own rate
 * when do_sample_frames was on, until PR #27104 (merged 2025-10-17, after v0.11.0 was cut); the first
 * release after the merge is v0.11.1. Frame count and size are unaffected, the timestamps the model reads
 * are not. Pure.
 */
export const FIRST_TIMESTAMP_FIX = [0, 11, 1] as const;

/** Major, minor, patch of a vLLM version string ("0.11.0", "0.11.1rc2", "0.12.0+cu129"), or null. */
export function parseVersion(v: string): [number, number, number] | null {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(v.trim());
  if (!m) return null;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

/** A warning when the server's vLLM predates the timestamp fix; null when it has it or is unknown. */
export function timestampWarning(version: string | null): string | null {
  if (version === null) return null;
  const v = parseVersion(version);
  if (!v) return null;
  const fix = FIRST_TIMESTAMP_FIX;
  for (let i = 0; i < 3; i++) {
    if ((v[i] ?? 0) > (fix[i] ?? 0)) return null;
    if ((v[i] ?? 0) < (fix[i] ?? 0))
      return `vLLM ${version} predates the Qwen3-VL timestamp fix (vllm PR #27104, first released in ${fix.join('.')}): with per-request frame sampling the model reads wrong <t seconds> markers, so its answers may differ from the recipe's. Upgrade vLLM to ${fix.join('.')} or later.`;
  }
  return null;
}
