/**
 * transformers' Qwen3-VL video processor, the part that decides frame count and frame size.
 * Ported from huggingface/transformers src/transformers/models/qwen3_vl/video_processing_qwen3_vl.py
 * (`smart_resize`, `Qwen3VLVideoProcessor.sample_frames`, `_preprocess`), v4.57 line, the range
 * cosmos-reason2-utils pins (transformers>=4.57,<5). Main at 04e7e5e6 computes the same with the default
 * `cap_pixels_per_frame=None` (treated as False); see docs/fidelity.md for that option.
 */
import { FACTOR, TEMPORAL_PATCH_SIZE } from './types.js';
import { linspace, npRound, pyRound } from './pymath.js';

/** Qwen3VLVideoProcessor class defaults (min_frames, max_frames). */
export const HF_MIN_FRAMES = 4;
export const HF_MAX_FRAMES = 768;

/**
 * `size` in Qwen3-VL checkpoints' video_preprocessor_config.json ({shortest_edge 4096, longest_edge 25165824});
 * assumed for Cosmos Reason 2 (fine-tuned from Qwen3-VL), not read from its hub files here. It only matters for
 * the recipe's second resize pass, which it never binds on VideoPhy-2 sizes (the tests check that).
 */
export const CHECKPOINT_VIDEO_SIZE = { shortestEdge: 4096, longestEdge: 25165824 };

/**
 * `smart_resize(num_frames, height, width, temporal_factor, factor, min_pixels, max_pixels)`: keeps
 * frames x height x width within [min_pixels, max_pixels]. Note the budget test uses t_bar (frames rounded to a
 * multiple of 2, ties to even) while beta uses the raw frame count, as upstream does.
 */
export function hfSmartResize(
  numFrames: number,
  height: number,
  width: number,
  minPixels: number,
  maxPixels: number,
  factor = FACTOR,
  temporalFactor = TEMPORAL_PATCH_SIZE,
): { height: number; width: number } {
  if (numFrames < temporalFactor) {
    throw new Error(`smart_resize: ${numFrames} frames, expected at least ${temporalFactor}`);
  }
  if (height < factor || width < factor) {
    throw new Error(`smart_resize: ${width}x${height} is smaller than the ${factor}-pixel factor`);
  }
  if (Math.max(height, width) / Math.min(height, width) > 200) {
    throw new Error(`smart_resize: aspect ratio of ${width}x${height} exceeds 200`);
  }
  let hBar = pyRound(height / factor) * factor;
  let wBar = pyRound(width / factor) * factor;
  const tBar = pyRound(numFrames / temporalFactor) * temporalFactor;
  if (tBar * hBar * wBar > maxPixels) {
    const beta = Math.sqrt((numFrames * height * width) / maxPixels);
    hBar = Math.max(factor, Math.floor(height / beta / factor) * factor);
    wBar = Math.max(factor, Math.floor(width / beta / factor) * factor);
  } else if (tBar * hBar * wBar < minPixels) {
    const beta = Math.sqrt(minPixels / (numFrames * height * width));
    hBar = Math.ceil((height * beta) / factor) * factor;
    wBar = Math.ceil((width * beta) / factor) * factor;
  }
  return { height: hBar, width: wBar };
}

/**
 * `Qwen3VLVideoProcessor.sample_frames(metadata, fps=...)`: int(total / video_fps * fps) frames (truncated, not
 * rounded to an even count), clamped to [min_frames, max_frames] and to the video's length, spread by
 * np.linspace(0, total - 1, n).round().
 */
export function hfSampleFrames(
  totalFrames: number,
  videoFps: number,
  fps: number,
  minFrames = HF_MIN_FRAMES,
  maxFrames = HF_MAX_FRAMES,
): number[] {
  let n = Math.trunc((totalFrames / videoFps) * fps);
  n = Math.min(Math.min(Math.max(n, minFrames), maxFrames), totalFrames);
  return linspace(0, totalFrames - 1, n).map(npRound);
}
