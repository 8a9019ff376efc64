/**
 * The probe video (assets/probe.mp4, made by scripts/make-probe-video.sh) and the four requests of the
 * fidelity guard: two fps values x two pixel budgets, sent with max_tokens 1. If the server samples and
 * resizes as server-frames.ts says, their `usage.prompt_tokens` differ by exactly the expected visual and
 * timestamp tokens (the text part of the prompt is the same in all four). A server whose transformers caps
 * pixels per frame (cap_pixels_per_frame) answers the small-budget pair differently (at fps 16 it does not
 * shrink at all), so the same four requests tell the two behaviours apart.
 */
import { serverFrames, videoPromptTokens, type ServerOptions } from './server-frames.js';
import { RECIPE_VISION, type FrameResult, type VideoMeta, type VisionRequest } from './types.js';
import { DEFAULT_SHORTEST_EDGE } from './plan.js';

/**
 * What the script writes: 3 s at 16 fps (48 frames), 448 wide, 256 high. More than 32 frames on purpose: a
 * server without `--media-io-kwargs '{"video":{"num_frames":-1}}'` decodes 32 frames of a longer video, so
 * on this one it either fails or answers both fps with the same tokens; on a 32-frame video it would look
 * faithful.
 */
export const PROBE_META: VideoMeta = { numFrames: 48, sourceFps: 16, width: 448, height: 256 };
export const PROBE_DURATION_S = 3;
/** Path inside the package. */
export const PROBE_ASSET = 'assets/probe.mp4';

/**
 * A budget that binds on the probe at both fps values (1,536 tokens of 32 x 32 pixels): 160x288 at fps 16 and
 * 224x384 at fps 8, so the four requests are at least 100 prompt tokens apart.
 */
export const PROBE_SMALL_LONGEST_EDGE = 1536 * 32 * 32;

export interface ProbeRequest {
  label: string;
  request: VisionRequest;
  expected: FrameResult;
  /** Prompt tokens the video part should take (see videoPromptTokens for what is exact). */
  videoTokens: number;
}

/** The four guard requests, in a fixed order: fps 16 / 8 x longest_edge 2 x total_pixels / 1,572,864. */
export function probeRequests(
  totalPixels = RECIPE_VISION.totalPixels,
  server: ServerOptions = {},
): ProbeRequest[] {
  const out: ProbeRequest[] = [];
  for (const fps of [16, 8]) {
    for (const longest of [2 * totalPixels, PROBE_SMALL_LONGEST_EDGE]) {
      const request: VisionRequest = {
        fps,
        size: { shortest_edge: Math.min(DEFAULT_SHORTEST_EDGE, longest), longest_edge: longest },
      };
      const expected = serverFrames(PROBE_META, request, server);
      out.push({
        label: `fps ${fps}, longest_edge ${longest}`,
        request,
        expected,
        videoTokens: videoPromptTokens(expected),
      });
    }
  }
  return out;
}
