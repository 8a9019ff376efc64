/**
 * What the simulated server "shows the model" for a request, as prompt tokens: the video's frames are
 * chosen by the same ports of vLLM + transformers' Qwen3-VL processor the gate plans with (src/vision), so
 * `usage.prompt_tokens` moves with the requested fps and pixel limits as a faithful server's does. A
 * misconfigured server (`videoFrames: N`, a vLLM started without
 * `--media-io-kwargs '{"video":{"num_frames":-1}}'` and too old to read it per request) takes N frames spread
 * over the video whatever fps is asked; `ignoreRequestSize` one that keeps its own size limits.
 */
import { CHECKPOINT_VIDEO_SIZE } from '../vision/hf-video-processor.js';
import { serverFrames, serverFramesDefaultLoader, videoPromptTokens } from '../vision/index.js';
import type { FrameResult, VideoMeta, VisionRequest } from '../vision/index.js';
import { readMp4Info } from '../vision/mp4-info.js';
import { hashUniforms } from './behaviour.js';

export interface SimulatedVision {
  /** 'request': frames follow the request's fps; a number: that many frames whatever is asked. */
  videoFrames: 'request' | number;
  /** Keep the processor's own size limits, ignoring mm_processor_kwargs.size. */
  ignoreRequestSize: boolean;
}

/** transformers' Qwen3-VL video processor defaults when a request names no fps or size. */
const PROCESSOR_DEFAULT: VisionRequest = {
  fps: 2,
  size: {
    shortest_edge: CHECKPOINT_VIDEO_SIZE.shortestEdge,
    longest_edge: CHECKPOINT_VIDEO_SIZE.longestEdge,
  },
};

/** VideoPhy-2's videos: 3-6 s at 16-30 fps, 480x832 (either way) or 320x512 (videophy2.md). */
const SIZES: [number, number][] = [
  [480, 832],
  [832, 480],
  [320, 512],
  [512, 320],
];
const RATES = [16, 24, 30];

/** A stand-in video for a URL the simulator cannot read: drawn from the URL, so the same on every run. */
export function syntheticVideoMeta(seed: number, url: string): VideoMeta {
  const [uDur = 0, uFps = 0, uSize = 0] = hashUniforms(seed, url, 'video');
  const sourceFps = RATES[Math.floor(uFps * RATES.length)] ?? 24;
  const [height, width] = SIZES[Math.floor(uSize * SIZES.length)] ?? [480, 832];
  return { numFrames: Math.round((3 + 3 * uDur) * sourceFps), sourceFps, width, height };
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const num = (v: unknown, fallback: number): number =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback;

/** The request's mm_processor_kwargs as the processor reads them (absent keys take its defaults). */
export function requestedVision(
  body: Record<string, unknown>,
  sim: SimulatedVision,
): VisionRequest {
  const mm = isObj(body.mm_processor_kwargs) ? body.mm_processor_kwargs : {};
  const size = isObj(mm.size) && !sim.ignoreRequestSize ? mm.size : {};
  return {
    fps: num(mm.fps, PROCESSOR_DEFAULT.fps),
    size: {
      shortest_edge: num(size.shortest_edge, PROCESSOR_DEFAULT.size.shortest_edge),
      longest_edge: num(size.longest_edge, PROCESSOR_DEFAULT.size.longest_edge),
    },
  };
}

const DATA_MP4 = /^data:video\/mp4;base64,/;

/**
 * The video behind a URL: an inline MP4 (data:video/mp4;base64, as the gate's fidelity probe sends) is read
 * from its moov box; anything else gets a stand-in drawn from the URL (the simulator downloads nothing).
 */
export async function videoMetaFor(seed: number, url: string): Promise<VideoMeta> {
  const inline = DATA_MP4.exec(url);
  if (inline) {
    const bytes = Buffer.from(url.slice(inline[0].length), 'base64');
    try {
      return await readMp4Info({
        name: 'data: URL',
        byteLength: bytes.byteLength,
        slice: (start, end) => Promise.resolve(new Uint8Array(bytes.subarray(start, end)).buffer),
      });
    } catch {
      // Not a readable MP4: vLLM would fail to decode it too, but the simulator answers like for any URL.
    }
  }
  return syntheticVideoMeta(seed, url);
}

/** The frames this server shows for one video and request. */
export function simulatedFrames(
  meta: VideoMeta,
  req: VisionRequest,
  sim: SimulatedVision,
): FrameResult {
  if (sim.videoFrames === 'request') return serverFrames(meta, req);
  const fixed = serverFramesDefaultLoader(meta, req, false, sim.videoFrames);
  return fixed.ok ? fixed.frames : serverFrames(meta, req);
}

/** Prompt tokens the video part of a request costs on this server. */
export function videoTokens(
  meta: VideoMeta,
  body: Record<string, unknown>,
  sim: SimulatedVision,
): number {
  return videoPromptTokens(simulatedFrames(meta, requestedVision(body, sim), sim));
}
