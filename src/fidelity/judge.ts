/**
 * Does a server show the model the frames the gate asks for? Four probe requests on a tiny video
 * (src/vision/probe.ts: fps 16 / 8 x a large / a binding pixel limit) and their `usage.prompt_tokens`. The
 * text of the four prompts is the same, so differences between their token counts are differences in the
 * video part, which the ported processor predicts:
 * - same fps, other pixel limit: same frames and timestamps, other frame size. The difference is exact
 *   (visual tokens only), so it checks the resize math to the token.
 * - same pixel limit, other fps: other frame count. The difference includes the `<t seconds>` markers,
 *   whose token count is approximate (server-frames.ts), so it is checked within a tolerance.
 * A difference of zero means the server ignored what was asked: a configuration error, named with the flag
 * that fixes it, before any GPU time goes to scoring. A difference that moves but by another amount is a
 * warning with the numbers (the port may be off for this server; no GPU has confirmed it). Pure.
 */
import type { ProbeRequest } from '../vision/probe.js';

export type FidelityLevel = 'ok' | 'warning' | 'error';

export interface FidelityFinding {
  level: FidelityLevel;
  message: string;
}

/** What one endpoint answered to the probes, in probeRequests() order. */
export interface ProbeAnswers {
  /** usage.prompt_tokens per probe; null where the server reported no usage. */
  promptTokens: (number | null)[];
}

export const NUM_FRAMES_FLAG = `--media-io-kwargs '{"video":{"num_frames":-1}}'`;

/** Marker tokens per temporal group are about 6 (server-frames.ts); allow 2 per group of difference. */
const MARKER_TOLERANCE_PER_GROUP = 2;

function find(probes: readonly ProbeRequest[], fps: number, large: boolean): number {
  const limits = probes.map((p) => p.request.size.longest_edge);
  const target = large ? Math.max(...limits) : Math.min(...limits);
  return probes.findIndex((p) => p.request.fps === fps && p.request.size.longest_edge === target);
}

/** The probes as the server answered them, judged. */
export function judgeProbes(
  probes: readonly ProbeRequest[],
  answers: ProbeAnswers,
): FidelityFinding[] {
  const t = answers.promptTokens;
  if (t.length !== probes.length || t.some((x) => x === null)) {
    return [
      {
        level: 'warning',
        message:
          'the server reports no usage.prompt_tokens, so whether it samples frames at the requested fps and pixel limits cannot be checked',
      },
    ];
  }
  const tokens = t as number[];
  const fpsValues = [...new Set(probes.map((p) => p.request.fps))].sort((a, b) => b - a);
  const [hiFps = 16, loFps = 8] = fpsValues;
  const a = find(probes, hiFps, true); // fps high, large limit
  const b = find(probes, hiFps, false); // fps high, small limit
  const c = find(probes, loFps, true); // fps low, large limit
  const d = find(probes, loFps, false);
  const at = (i: number): number => tokens[i] ?? NaN;
  const exp = (i: number): number => probes[i]?.videoTokens ?? NaN;
  const findings: FidelityFinding[] = [];

  // Frames: fps high vs low at the large limit.
  const framesSeen = at(a) - at(c);
  const framesExpected = exp(a) - exp(c);
  const groups = Math.abs((probes[a]?.expected.gridT ?? 0) - (probes[c]?.expected.gridT ?? 0));
  if (framesSeen === 0) {
    findings.push({
      level: 'error',
      message: `the server ignores the requested fps: fps ${hiFps} and fps ${loFps} cost the same ${at(a)} prompt tokens, so it samples a fixed number of frames (vLLM's default is 32) and the recipe's fps is not what the model sees. Start vLLM with ${NUM_FRAMES_FLAG} (the action passes it when it starts the server from checkpoint).`,
    });
  } else if (Math.abs(framesSeen - framesExpected) > MARKER_TOLERANCE_PER_GROUP * groups) {
    findings.push({
      level: 'warning',
      message: `fps ${hiFps} vs ${loFps} changed the prompt by ${framesSeen} tokens where the ported processor predicts ${framesExpected} (within ${MARKER_TOLERANCE_PER_GROUP * groups} for the timestamp markers): the server samples frames, but not exactly as src/vision/server-frames.ts says`,
    });
  }

  // Pixels: large vs small limit at the same fps (exact: same frames, same timestamps).
  // With fps ignored the low-fps pair shows other frames than predicted: only the first pair says anything.
  const pairs: [number, number][] =
    framesSeen === 0
      ? [[a, b]]
      : [
          [a, b],
          [c, d],
        ];
  const pixelsSeen = pairs.map(([x, y]) => at(x) - at(y));
  const pixelsExpected = pairs.map(([x, y]) => exp(x) - exp(y));
  if (pixelsSeen.every((x) => x === 0)) {
    findings.push({
      level: 'error',
      message: `the server ignores mm_processor_kwargs.size: longest_edge ${probes[a]?.request.size.longest_edge} and ${probes[b]?.request.size.longest_edge} cost the same prompt tokens, so its own pixel limits decide the frame size (or its transformers caps pixels per frame, cap_pixels_per_frame, where these limits do not bind on a small frame). Remove a fixed size from the server's --mm-processor-kwargs, or serve with the transformers release cosmos-reason2-utils pins (>= 4.57, < 5, which caps frames x height x width), so the per-request limits apply.`,
    });
  } else if (pixelsSeen.some((x, i) => x !== pixelsExpected[i])) {
    findings.push({
      level: 'warning',
      message: `the pixel limits changed the prompt by ${pixelsSeen.join(' and ')} tokens where the ported processor predicts exactly ${pixelsExpected.join(' and ')}: the server resizes, but not exactly as src/vision/server-frames.ts says`,
    });
  }
  if (findings.length === 0) {
    findings.push({
      level: 'ok',
      message: `the server samples frames at the requested fps and resizes within the requested limits (prompt tokens ${tokens.join(', ')}: differences as predicted, pixel differences exact)`,
    });
  }
  return findings;
}
