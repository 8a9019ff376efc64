/**
 * The fidelity guard, before the first scored video: each endpoint gets the four probe requests of
 * src/vision/probe.ts (the probe video inline as a data: URL, which every vLLM accepts without flags; the
 * run's own prompt and sampling; max_tokens 1), and judge.ts reads their prompt-token counts. An endpoint
 * that ignores the requested fps or pixel limits stops the run as a configuration error naming the flag,
 * before any GPU time goes to scoring; one that reports no usage gets a warning.
 */
import { readFileSync } from 'node:fs';
import { mergeBody } from '../core/request.js';
import type { FidelityRecord } from '../core/summary.js';
import { bundledPath } from '../io/bundled.js';
import type { Logger } from '../log.js';
import type { ChatOutcome } from '../vllm/client.js';
import { PROBE_ASSET, probeRequests } from '../vision/probe.js';
import type { VisionRequest } from '../vision/index.js';
import { judgeProbes, NUM_FRAMES_FLAG } from './judge.js';

export interface FidelityEndpoint {
  name: string;
  client: { chat(body: Record<string, unknown>, signal?: AbortSignal): Promise<ChatOutcome> };
}

export class FidelityError extends Error {
  override name = 'FidelityError';
}

let probeDataUrl: string | undefined;
/** The probe video as a data: URL (read once from the package). */
function probeUrl(): string {
  probeDataUrl ??= `data:video/mp4;base64,${readFileSync(bundledPath(PROBE_ASSET)).toString('base64')}`;
  return probeDataUrl;
}

/**
 * The run's request for the probe video, with the probe's fps and limits set last (over extra-body, so an
 * extra-body fps cannot make the four probes alike) and one token to generate.
 */
function probeBody(
  body: (videoUrl: string) => Record<string, unknown>,
  vision: VisionRequest,
): Record<string, unknown> {
  const base = body(probeUrl());
  delete base.max_completion_tokens;
  return mergeBody(base, {
    max_tokens: 1,
    mm_processor_kwargs: { fps: vision.fps, do_sample_frames: true, size: vision.size },
  });
}

/** Probe every endpoint; throws FidelityError when one ignores what the gate asks. */
export async function checkFidelity(
  endpoints: readonly FidelityEndpoint[],
  body: (videoUrl: string) => Record<string, unknown>,
  totalPixels: number,
  log: Logger,
  signal?: AbortSignal,
): Promise<FidelityRecord[]> {
  const probes = probeRequests(totalPixels);
  const records: FidelityRecord[] = [];
  for (const e of endpoints) {
    const answers: ChatOutcome[] = [];
    // One at a time: four tiny requests; concurrency would only blur which one failed.
    for (const p of probes) answers.push(await e.client.chat(probeBody(body, p.request), signal));
    if (signal?.aborted) throw new Error('cancelled during the fidelity check');
    const failed = answers.findIndex((a) => !a.ok);
    if (failed >= 0) {
      const a = answers[failed] as Extract<ChatOutcome, { ok: false }>;
      throw new FidelityError(
        `fidelity check: ${e.name} could not answer the probe request (${probes[failed]?.label}, the probe video as a data: URL): ${a.error.message}. A vLLM started without ${NUM_FRAMES_FLAG} cannot sample frames per request on a video longer than 32 frames; add the flag. (fidelity-check: false skips this check.)`,
      );
    }
    const tokens = answers.map((a) => (a.ok ? (a.usage?.prompt_tokens ?? null) : null));
    const findings = judgeProbes(probes, { promptTokens: tokens });
    const level = findings.some((f) => f.level === 'error')
      ? 'error'
      : findings.some((f) => f.level === 'warning')
        ? 'warning'
        : 'ok';
    records.push({
      endpoint: e.name,
      level,
      findings: findings.map((f) => f.message),
      prompt_tokens: tokens,
      expected_video_tokens: probes.map((p) => p.videoTokens),
    });
    for (const f of findings) {
      if (f.level === 'ok') log.info(`Fidelity check (${e.name}): ${f.message}`);
      if (f.level === 'warning') log.warning(`Fidelity check (${e.name}): ${f.message}`);
    }
    const errors = findings.filter((f) => f.level === 'error');
    if (errors.length > 0) {
      throw new FidelityError(
        `fidelity check: ${e.name} would not show the model the recipe's frames, so no verdict is possible: ${errors.map((f) => f.message).join(' Also: ')} (fidelity-check: false skips this check.)`,
      );
    }
  }
  return records;
}
