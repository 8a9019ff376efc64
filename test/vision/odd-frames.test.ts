import { describe, expect, it } from 'vitest';
import { visionRequest } from '../../src/vision/plan.js';
import { recipeFrames } from '../../src/vision/recipe-frames.js';
import { serverFrames } from '../../src/vision/server-frames.js';
import { RECIPE_VISION, type VideoMeta } from '../../src/vision/types.js';
import { gridPlusOne } from './grid.js';
import { oracle, type OracleFrames } from './oracle.js';

const cells = gridPlusOne();
const n = cells.length;
const DEFAULT_REQ = visionRequest(null).request;
const plans = cells.map((c) => visionRequest(c.meta));
const capped = cells.map((c) => visionRequest(c.meta, RECIPE_VISION, { capPixelsPerFrame: true }));
const py = oracle({
  recipe: cells.map((c) => ({ meta: c.meta, ...RECIPE_VISION })),
  server: [
    ...cells.map((c, i) => ({ meta: c.meta, request: plans[i]!.request })),
    ...cells.map((c, i) => ({ meta: c.meta, request: capped[i]!.request, cap: true })),
    ...cells.map((c) => ({ meta: c.meta, request: DEFAULT_REQ })),
  ],
});
const same = (a: OracleFrames, b: OracleFrames) =>
  a.nframes === b.nframes && a.height === b.height && a.width === b.width;

describe('videos with 4k + 1 style frame counts (the grid plus one frame)', () => {
  it('the per-video plan is exact on all 480 cells, uncapped and capped (Python port)', () => {
    const bad = cells.filter(
      (_, i) => !same(py.server[i]!, py.recipe[i]!) || !same(py.server[n + i]!, py.recipe[i]!),
    );
    expect(bad.map((c) => c.label)).toEqual([]);
    expect(
      cells.every((c, i) => recipeFrames(c.meta).visualTokens === py.recipe[i]!.visualTokens),
    ).toBe(true);
  });
  it('needs another fps on 256 cells, so transformers samples the recipe’s even count', () => {
    expect(plans.filter((p) => p.request.fps !== 16).length).toBe(256);
  });
  it('2 x total_pixels without metadata is exact on only 164 of 480, residual -4,734..+3,980 tokens', () => {
    const d = py.server.slice(2 * n);
    expect(cells.filter((_, i) => same(d[i]!, py.recipe[i]!)).length).toBe(164);
    const res = cells.map((_, i) => d[i]!.visualTokens - py.recipe[i]!.visualTokens);
    expect([Math.min(...res), Math.max(...res)]).toEqual([-4734, 3980]);
  });
});

describe('generator-typical clips', () => {
  const cases: [string, VideoMeta, number][] = [
    [
      'Wan 2.1, 81 frames at 16 fps, 832x480',
      { numFrames: 81, sourceFps: 16, width: 832, height: 480 },
      15.9012,
    ],
    [
      'CogVideoX, 49 frames at 8 fps, 720x480',
      { numFrames: 49, sourceFps: 8, width: 720, height: 480 },
      7.9184,
    ],
    [
      'HunyuanVideo, 129 frames at 24 fps, 1280x720',
      { numFrames: 129, sourceFps: 24, width: 1280, height: 720 },
      16,
    ],
  ];
  for (const [label, meta, fps] of cases) {
    it(`${label}: planned fps ${fps}, exact`, () => {
      const plan = visionRequest(meta);
      expect(plan.request.fps).toBe(fps);
      expect(plan.exact).toBe(true);
    });
  }
  it('Wan at the default: 81 frames (41 groups, the last padded) instead of 80, +144 visual tokens', () => {
    const meta = cases[0]![1];
    const d = serverFrames(meta, DEFAULT_REQ);
    const r = recipeFrames(meta);
    expect([d.nframes, d.gridT, r.nframes, r.gridT]).toEqual([81, 41, 80, 40]);
    expect(d.visualTokens - r.visualTokens).toBe(144);
  });
});
