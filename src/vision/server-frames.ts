/**
 * The frames a vLLM server with Qwen3-VL's transformers processor shows the model for one request.
 *
 * Sources (see docs/fidelity.md for commits): vllm/multimodal/video.py (OpenCV loader: which frames it
 * decodes and the metadata it attaches), vllm/model_executor/models/qwen3_vl.py (`_call_hf_processor`: a
 * request's do_sample_frames wins over the loader's; `_get_video_second_idx`: timestamps; the prompt
 * replacement), and transformers' Qwen3-VL video processor (hf-video-processor.ts).
 */
import { hfSampleFrames, hfSmartResize } from './hf-video-processor.js';
import { linspace, pyFormat1 } from './pymath.js';
import { frameResult, type FrameResult, type VideoMeta, type VisionRequest } from './types.js';

/** vLLM's VideoMediaIO default when the server has no --media-io-kwargs '{"video":{"num_frames":...}}'. */
export const VLLM_DEFAULT_NUM_FRAMES = 32;

export interface ServerOptions {
  /**
   * vLLM before PR #27104 computed Qwen3-VL timestamps as source_index / requested_fps instead of
   * source_index / source_fps when do_sample_frames was on. Frame count and size are unaffected; the
   * `<t seconds>` text (and its digit count) is.
   */
  timestampsBeforeFix27104?: boolean;
  /**
   * transformers' `cap_pixels_per_frame=True` (present on main at 04e7e5e6, absent in v4.57; its docstring says
   * it becomes the default in v5.22): the budget becomes per frame, max(min(768 * 32^2, longest_edge // n),
   * int(shortest_edge * 1.05)) times n frames, mirroring qwen-vl-utils. Off by default, as upstream today.
   */
  capPixelsPerFrame?: boolean;
}

/** The max_pixels transformers' resize hands smart_resize for `n` frames (see ServerOptions.capPixelsPerFrame). */
export function effectiveMaxPixels(
  n: number,
  req: VisionRequest,
  capPixelsPerFrame = false,
): number {
  if (!capPixelsPerFrame) return req.size.longest_edge;
  const perFrame = Math.max(
    Math.min(768 * 32 * 32, Math.floor(req.size.longest_edge / n)),
    Math.trunc(req.size.shortest_edge * 1.05),
  );
  return perFrame * n;
}

function framesFor(
  meta: VideoMeta,
  indices: number[],
  req: VisionRequest,
  timestampFps: number,
  capPixelsPerFrame = false,
): FrameResult {
  const nframes = indices.length;
  const maxPixels = effectiveMaxPixels(nframes, req, capPixelsPerFrame);
  const size = hfSmartResize(nframes, meta.height, meta.width, req.size.shortest_edge, maxPixels);
  return frameResult(indices, size, timestampFps);
}

/**
 * A server started with --media-io-kwargs '{"video":{"num_frames":-1}}': the loader decodes every frame, the
 * request's do_sample_frames: true makes transformers sample int(total / source_fps * fps) of them, and
 * `size` bounds frames x height x width.
 */
export function serverFrames(
  meta: VideoMeta,
  req: VisionRequest,
  opts: ServerOptions = {},
): FrameResult {
  const indices = hfSampleFrames(meta.numFrames, meta.sourceFps, req.fps);
  const timestampFps = opts.timestampsBeforeFix27104 ? req.fps : meta.sourceFps;
  return framesFor(meta, indices, req, timestampFps, opts.capPixelsPerFrame ?? false);
}

export type DefaultLoaderResult = { ok: true; frames: FrameResult } | { ok: false; reason: string };

/**
 * A server without the num_frames flag: its loader decodes 32 frames spread by
 * np.linspace(0, total - 1, 32, dtype=int) (truncated indices) and marks the video pre-sampled, unless the
 * video has at most 32 frames (then it decodes all, as with -1).
 * - Request without do_sample_frames (or false): those 32 frames are used as they are; fps is ignored.
 * - Request with do_sample_frames: true (what the gate sends): vLLM passes it on, transformers samples
 *   indices over the original frame count from a 32-frame array. Read from source, not run: we expect an
 *   IndexError (a failed request), not a silent 32-frame answer.
 */
export function serverFramesDefaultLoader(
  meta: VideoMeta,
  req: VisionRequest,
  requestDoSampleFrames: boolean,
  numFrames = VLLM_DEFAULT_NUM_FRAMES,
): DefaultLoaderResult {
  if (meta.numFrames <= numFrames) return { ok: true, frames: serverFrames(meta, req) };
  if (requestDoSampleFrames) {
    return {
      ok: false,
      reason:
        `the loader decoded ${numFrames} of ${meta.numFrames} frames but do_sample_frames asks transformers to ` +
        `pick indices up to ${meta.numFrames - 1} from them`,
    };
  }
  const indices = linspace(0, meta.numFrames - 1, numFrames).map(Math.trunc);
  return { ok: true, frames: framesFor(meta, indices, req, meta.sourceFps) };
}

/**
 * Tokens one `<t.t seconds>` marker takes. Approximate: Qwen's tokenizer splits numbers into single digits
 * and keeps "<", ".", " seconds" and ">" as one token each, so the marker costs 5 + (digits before the point);
 * this was not checked against the tokenizer files here.
 */
export function timestampTokens(seconds: number): number {
  const text = pyFormat1(seconds);
  const intDigits = text.split('.')[0]?.replace('-', '').length ?? 1;
  return 5 + intDigits;
}

/**
 * Prompt tokens a video adds, as vLLM's Qwen3-VL prompt replacement builds them: per temporal group,
 * `<t.t seconds>` + <|vision_start|> + (h/32)(w/32) x <|video_pad|> + <|vision_end|>. The chat template's single
 * <|vision_start|><|video_pad|><|vision_end|> is replaced wholesale. Exact: the group count, the pad tokens and
 * the two special tokens per group. Approximate: the marker tokens (timestampTokens), about 6 per group.
 */
export function videoPromptTokens(result: FrameResult): number {
  const marker = result.timestamps.reduce((sum, t) => sum + timestampTokens(t), 0);
  return result.visualTokens + 2 * result.gridT + marker;
}
