/**
 * The frames the recipe's model sees: NVIDIA's inference_videophy2.py samples them client-side with
 * qwen-vl-utils 0.0.14 `fetch_video` (fps 16, total_pixels 6,422,528, image_patch_size 16), then hands the
 * frames to offline vLLM with do_sample_frames False, where transformers' processor resizes once more with the
 * checkpoint's size (a no-op at these budgets).
 *
 * Ported from QwenLM/Qwen3-VL qwen-vl-utils/src/qwen_vl_utils/vision_process.py at 0dcc180d ("update cookbook",
 * the commit that set version 0.0.14): `smart_nframes`, `smart_resize`, the budget lines of `fetch_video`.
 */
import { CHECKPOINT_VIDEO_SIZE, hfSmartResize } from './hf-video-processor.js';
import { ceilByFactor, floorByFactor, linspace, npRound, roundByFactor } from './pymath.js';
import {
  FACTOR,
  RECIPE_VISION,
  frameResult,
  type FrameResult,
  type RecipeVision,
  type VideoMeta,
} from './types.js';

// qwen-vl-utils 0.0.14 module constants.
export const FRAME_FACTOR = 2;
export const FPS_MIN_FRAMES = 4;
export const FPS_MAX_FRAMES = 768;
export const VIDEO_MIN_TOKEN_NUM = 128;
export const VIDEO_MAX_TOKEN_NUM = 768;
const MAX_RATIO = 200;

/** Per-frame pixel floor: 128 tokens of 32 x 32 = 131,072. */
export const VIDEO_FRAME_MIN_PIXELS = VIDEO_MIN_TOKEN_NUM * FACTOR * FACTOR;
/** Per-frame pixel cap: 768 tokens of 32 x 32 = 786,432. */
export const VIDEO_FRAME_MAX_PIXELS = VIDEO_MAX_TOKEN_NUM * FACTOR * FACTOR;

/**
 * `smart_nframes` with `fps` given: total / video_fps * fps, clamped to [4, min(768, total) floored to even] and
 * to total, then floored to a multiple of 2.
 */
export function smartNframes(totalFrames: number, videoFps: number, fps: number): number {
  const minFrames = ceilByFactor(FPS_MIN_FRAMES, FRAME_FACTOR);
  const maxFrames = floorByFactor(Math.min(FPS_MAX_FRAMES, totalFrames), FRAME_FACTOR);
  let n = (totalFrames / videoFps) * fps;
  n = Math.min(Math.min(Math.max(n, minFrames), maxFrames), totalFrames);
  n = floorByFactor(n, FRAME_FACTOR);
  if (!(FRAME_FACTOR <= n && n <= totalFrames)) {
    throw new Error(
      `smart_nframes: ${n} frames from ${totalFrames} at ${videoFps} fps, expected 2..${totalFrames}`,
    );
  }
  return n;
}

/** qwen-vl-utils `smart_resize(height, width, factor, min_pixels, max_pixels)` for one frame. */
export function smartResizeFrame(
  height: number,
  width: number,
  factor: number,
  minPixels: number,
  maxPixels: number,
): { height: number; width: number } {
  if (maxPixels < minPixels)
    throw new Error(`smart_resize: max_pixels ${maxPixels} < min_pixels ${minPixels}`);
  if (Math.max(height, width) / Math.min(height, width) > MAX_RATIO) {
    throw new Error(`smart_resize: aspect ratio of ${width}x${height} exceeds ${MAX_RATIO}`);
  }
  let hBar = Math.max(factor, roundByFactor(height, factor));
  let wBar = Math.max(factor, roundByFactor(width, factor));
  if (hBar * wBar > maxPixels) {
    const beta = Math.sqrt((height * width) / maxPixels);
    hBar = floorByFactor(height / beta, factor);
    wBar = floorByFactor(width / beta, factor);
  } else if (hBar * wBar < minPixels) {
    const beta = Math.sqrt(minPixels / (height * width));
    hBar = ceilByFactor(height * beta, factor);
    wBar = ceilByFactor(width * beta, factor);
  }
  return { height: hBar, width: wBar };
}

/**
 * `fetch_video`'s per-frame cap: max(min(VIDEO_FRAME_MAX_PIXELS, total_pixels / nframes * 2),
 * int(VIDEO_FRAME_MIN_PIXELS * 1.05)). Between 18 and 92 frames this is total_pixels * 2 / nframes, so the
 * whole clip gets about 2 x total_pixels; outside that range the per-frame cap or floor wins.
 */
export function framePixelCap(nframes: number, totalPixels: number): number {
  return Math.max(
    Math.min(VIDEO_FRAME_MAX_PIXELS, (totalPixels / nframes) * FRAME_FACTOR),
    Math.trunc(VIDEO_FRAME_MIN_PIXELS * 1.05),
  );
}

/**
 * The recipe's frames for one video. Frame indices follow the torchcodec reader (the default backend when
 * torchcodec is installed, which cosmos-reason2-utils' inference extras do): linspace(0, total - 1, n).round()
 * with total and fps from the decoder's metadata; timestamps use the source fps.
 */
export function recipeFrames(
  meta: VideoMeta,
  vision: RecipeVision = RECIPE_VISION,
  checkpointSize: { shortestEdge: number; longestEdge: number } = CHECKPOINT_VIDEO_SIZE,
): FrameResult {
  const nframes = smartNframes(meta.numFrames, meta.sourceFps, vision.fps);
  const indices = linspace(0, meta.numFrames - 1, nframes).map(npRound);
  const frame = smartResizeFrame(
    meta.height,
    meta.width,
    FACTOR,
    VIDEO_FRAME_MIN_PIXELS,
    framePixelCap(nframes, vision.totalPixels),
  );
  // Offline vLLM runs transformers' processor on the already-sized frames (do_resize stays on).
  const size = hfSmartResize(
    nframes,
    frame.height,
    frame.width,
    checkpointSize.shortestEdge,
    checkpointSize.longestEdge,
  );
  return frameResult(indices, size, meta.sourceFps);
}

/** The recipe's frame size before the processor's second pass (for tests that check that pass is a no-op). */
export function recipeFrameSize(
  meta: VideoMeta,
  vision: RecipeVision = RECIPE_VISION,
): { height: number; width: number } {
  const nframes = smartNframes(meta.numFrames, meta.sourceFps, vision.fps);
  return smartResizeFrame(
    meta.height,
    meta.width,
    FACTOR,
    VIDEO_FRAME_MIN_PIXELS,
    framePixelCap(nframes, vision.totalPixels),
  );
}
