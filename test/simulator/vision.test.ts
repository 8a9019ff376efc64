import { describe, expect, it } from 'vitest';
import { useSimulators } from '../helpers/simulators.js';
import { syntheticVideoMeta } from '../../src/simulator/vision.js';
import { serverFrames, videoPromptTokens } from '../../src/vision/index.js';
import { chatBody, post, YOYO } from '../helpers/chat.js';

const start = useSimulators();

const usage = async (sim: Parameters<typeof post>[0], mm: Record<string, unknown>) => {
  const a = await post(sim, chatBody(YOYO, { mm_processor_kwargs: mm, max_tokens: 1 }));
  expect(a.status).toBe(200);
  return (a.json as { usage: { prompt_tokens: number } }).usage.prompt_tokens;
};

const at = (fps: number, longest: number) => ({
  fps,
  do_sample_frames: true,
  size: { shortest_edge: 131072, longest_edge: longest },
});

describe('the simulator shows the model what the ported processor would (prompt tokens over HTTP)', () => {
  it('a faithful server: tokens follow fps and the pixel limit, by the ported math', async () => {
    const sim = await start();
    const big = await usage(sim, at(16, 2 * 6422528));
    const fewer = await usage(sim, at(8, 2 * 6422528));
    const smaller = await usage(sim, at(16, 1_000_000));
    // (Fewer frames may each be larger within the same limit: the count moves, not always down.)
    expect(fewer).not.toBe(big);
    expect(smaller).toBeLessThan(big);
    // The video part is exactly what the port says for this URL's stand-in video; the text part is fixed.
    const meta = syntheticVideoMeta(0, YOYO);
    const video = (fps: number, l: number) =>
      videoPromptTokens(
        serverFrames(meta, { fps, size: { shortest_edge: 131072, longest_edge: l } }),
      );
    expect(big - fewer).toBe(video(16, 2 * 6422528) - video(8, 2 * 6422528));
    expect(big - smaller).toBe(video(16, 2 * 6422528) - video(16, 1_000_000));
  });

  it('a server without the num_frames flag: the same 32 frames whatever fps is asked', async () => {
    const sim = await start({ videoFrames: 32 });
    expect(await usage(sim, at(16, 2 * 6422528))).toBe(await usage(sim, at(4, 2 * 6422528)));
    // The pixel limit still applies to those frames.
    expect(await usage(sim, at(16, 500_000))).toBeLessThan(await usage(sim, at(16, 2 * 6422528)));
  });

  it('a server that keeps its own size limits: the pixel limit asked for changes nothing', async () => {
    const sim = await start({ ignoreRequestSize: true });
    expect(await usage(sim, at(16, 500_000))).toBe(await usage(sim, at(16, 2 * 6422528)));
    expect(await usage(sim, at(4, 2 * 6422528))).toBeLessThan(
      await usage(sim, at(16, 2 * 6422528)),
    );
  });

  it('stand-in videos look like VideoPhy-2 (3-6 s, 16-30 fps) and cost thousands of tokens', () => {
    for (let i = 0; i < 200; i++) {
      const m = syntheticVideoMeta(0, `https://v.test/${i}.mp4`);
      const s = m.numFrames / m.sourceFps;
      expect(s).toBeGreaterThanOrEqual(3 - 1e-9);
      expect(s).toBeLessThanOrEqual(6 + 1e-9);
      const t = videoPromptTokens(serverFrames(m, at(16, 2 * 6422528)));
      expect(t).toBeGreaterThan(3000);
      expect(t).toBeLessThan(16384 - 2048);
    }
  });
});
