/** The test grid: VideoPhy-2's range of durations, frame rates and sizes (and a bit beyond). */
import type { VideoMeta } from '../../src/vision/types.js';

export const DURATIONS = [1, 1.5, 2, 3, 4, 5, 5.8, 6, 8, 10];
export const SOURCE_FPS = [8, 12, 16, 24, 25, 30];
export const SIZES: [number, number][] = [
  [480, 832],
  [832, 480],
  [720, 1280],
  [1280, 720],
  [1080, 1920],
  [1920, 1080],
  [320, 512],
  [512, 320],
];

export interface Cell {
  label: string;
  meta: VideoMeta;
}

/** Constant-frame-rate videos: round(duration * fps) frames at exactly fps. */
export function grid(): Cell[] {
  const out: Cell[] = [];
  for (const d of DURATIONS) {
    for (const fps of SOURCE_FPS) {
      for (const [height, width] of SIZES) {
        const numFrames = Math.round(d * fps);
        out.push({
          label: `${d}s@${fps} ${width}x${height}`,
          meta: { numFrames, sourceFps: fps, width, height },
        });
      }
    }
  }
  return out;
}

/**
 * The same grid with one more frame per video: generators write 4k + 1 frames (Wan 2.1: 81 at 16 fps,
 * CogVideoX: 49 at 8 fps, HunyuanVideo: 129 at 24 fps), which makes transformers' frame count odd where the
 * recipe floors to even.
 */
export function gridPlusOne(): Cell[] {
  return grid().map((c) => ({
    label: `${c.label} +1`,
    meta: { ...c.meta, numFrames: c.meta.numFrames + 1 },
  }));
}
