/**
 * Shared shapes of src/vision: what we know about a video, what frames the model sees, and what the gate sends.
 * All of src/vision is pure (no I/O) except mp4-info.ts.
 */

/** What a decoder reports about a video: the recipe's readers and vLLM's loader both start from these. */
export interface VideoMeta {
  /** Number of frames in the video track (decoded frame count). */
  numFrames: number;
  /** Average frame rate: numFrames / duration, as torchcodec's exact mode and OpenCV report it. */
  sourceFps: number;
  width: number;
  height: number;
}

/** The frames the model sees for one video. */
export interface FrameResult {
  /** Frames handed to the vision encoder (before padding to the temporal patch). */
  nframes: number;
  height: number;
  width: number;
  /** Temporal groups = ceil(nframes / 2): one timestamp and one block of tokens each. */
  gridT: number;
  /** gridT * (height / 32) * (width / 32): the <|video_pad|> tokens in the prompt. */
  visualTokens: number;
  /** Seconds shown to the model before each temporal group (`<t.t seconds>`), one per group. */
  timestamps: number[];
}

/** The `mm_processor_kwargs` values the gate sends to a vLLM server (together with do_sample_frames: true). */
export interface VisionRequest {
  fps: number;
  size: { shortest_edge: number; longest_edge: number };
}

/** The recipe's vision settings (inference_videophy2.py): fps 16, total_pixels 8192 * 28 * 28. */
export interface RecipeVision {
  fps: number;
  totalPixels: number;
}

export const RECIPE_VISION: RecipeVision = { fps: 16, totalPixels: 8192 * 28 * 28 };

/** Qwen3-VL's vision geometry (Cosmos Reason 2's preprocessor configs): patch 16, spatial merge 2, temporal 2. */
export const PATCH_SIZE = 16;
export const MERGE_SIZE = 2;
export const TEMPORAL_PATCH_SIZE = 2;
/** Pixels per token edge: patch * merge = 32, so one visual token covers 32 x 32 pixels of one frame pair. */
export const FACTOR = PATCH_SIZE * MERGE_SIZE;

/** Visual tokens for `nframes` frames of height x width: ceil(n / 2) groups of (h/32)(w/32) merged patches. */
export function visualTokensOf(nframes: number, height: number, width: number): number {
  const gridT = Math.ceil(nframes / TEMPORAL_PATCH_SIZE);
  return gridT * (height / FACTOR) * (width / FACTOR);
}

/**
 * Qwen3-VL's per-group timestamps (transformers processing_qwen3_vl.py `_calculate_timestamps`, and vLLM's copy
 * in qwen3_vl.py): pad the index list to a multiple of 2 by repeating the last index, take idx / fps, and
 * average the first and last frame of each pair.
 */
export function groupTimestamps(indices: number[], fps: number): number[] {
  const idx = [...indices];
  const last = idx[idx.length - 1];
  while (idx.length % TEMPORAL_PATCH_SIZE !== 0 && last !== undefined) idx.push(last);
  const secs = idx.map((i) => i / fps);
  const out: number[] = [];
  for (let i = 0; i < secs.length; i += TEMPORAL_PATCH_SIZE) {
    out.push(((secs[i] ?? 0) + (secs[i + TEMPORAL_PATCH_SIZE - 1] ?? 0)) / 2);
  }
  return out;
}

/** The frames `indices` of a video resized to `size`: counts, tokens and timestamps as Qwen3-VL builds them. */
export function frameResult(
  indices: number[],
  size: { height: number; width: number },
  timestampFps: number,
): FrameResult {
  const nframes = indices.length;
  return {
    nframes,
    height: size.height,
    width: size.width,
    gridT: Math.ceil(nframes / TEMPORAL_PATCH_SIZE),
    visualTokens: visualTokensOf(nframes, size.height, size.width),
    timestamps: groupTimestamps(indices, timestampFps),
  };
}
