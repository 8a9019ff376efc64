import { describe, expect, it } from 'vitest';
import { hfSmartResize } from '../../src/vision/hf-video-processor.js';
import { pyFormat1, pyRound } from '../../src/vision/pymath.js';
import { recipeFrames, recipeFrameSize, smartNframes } from '../../src/vision/recipe-frames.js';
import {
  serverFrames,
  serverFramesDefaultLoader,
  timestampTokens,
  videoPromptTokens,
} from '../../src/vision/server-frames.js';
import { visionRequest } from '../../src/vision/plan.js';
import { RECIPE_VISION, type FrameResult, type VideoMeta } from '../../src/vision/types.js';
import { grid } from './grid.js';
import { oracle, type OracleFrames } from './oracle.js';

const cells = grid();
const TP = RECIPE_VISION.totalPixels;
const DEFAULT_REQ = visionRequest(null).request;
const SHAPES = (r: FrameResult | OracleFrames) => ({
  nframes: r.nframes,
  height: r.height,
  width: r.width,
  gridT: r.gridT,
  visualTokens: r.visualTokens,
});

// One Python run for everything the grid needs: the recipe, the server under the default request, under a
// total_pixels budget (the old request), and under each per-video plan.
const plans = cells.map((c) => visionRequest(c.meta));
const oldReq = { fps: 16, size: { shortest_edge: 131072, longest_edge: TP } };
const cappedPlans = cells.map((c) =>
  visionRequest(c.meta, RECIPE_VISION, { capPixelsPerFrame: true }),
);
const pyCapped = oracle({
  server: [
    ...cells.map((c) => ({ meta: c.meta, request: DEFAULT_REQ, cap: true })),
    ...cells.map((c, i) => ({ meta: c.meta, request: cappedPlans[i]!.request, cap: true })),
  ],
}).server;
const py = oracle({
  recipe: cells.map((c) => ({ meta: c.meta, ...RECIPE_VISION })),
  server: [
    ...cells.map((c) => ({ meta: c.meta, request: DEFAULT_REQ })),
    ...cells.map((c) => ({ meta: c.meta, request: oldReq })),
    ...cells.map((c, i) => ({ meta: c.meta, request: plans[i]!.request })),
  ],
});
const n = cells.length;
const pyRecipe = py.recipe;
const pyDefault = py.server.slice(0, n);
const pyOld = py.server.slice(n, 2 * n);
const pyPlanned = py.server.slice(2 * n, 3 * n);

describe('Python float semantics', () => {
  it('rounds halves to even like Python (720 / 32 = 22.5 -> 704, not 736)', () => {
    expect(pyRound(22.5)).toBe(22);
    expect(pyRound(23.5)).toBe(24);
    expect(pyRound(-1.5)).toBe(-2);
    expect(hfSmartResize(2, 720, 1280, 4096, 1e12)).toEqual({ height: 704, width: 1280 });
  });
  it("formats one decimal like Python's f-string at exact ties", () => {
    expect(pyFormat1(0.25)).toBe('0.2');
    expect(pyFormat1(0.75)).toBe('0.8');
    expect(pyFormat1(9.96)).toBe('10.0');
    expect(pyFormat1(2.55)).toBe('2.5');
    expect(pyFormat1(1.25)).toBe('1.2');
  });
});

describe('TS ports equal the independent Python port on the grid', () => {
  it(`recipe (qwen-vl-utils 0.0.14 + processor pass), ${n} cells`, () => {
    const mismatches = cells.filter((c, i) => {
      const ts = recipeFrames(c.meta);
      const p = pyRecipe[i]!;
      return (
        JSON.stringify(SHAPES(ts)) !== JSON.stringify(SHAPES(p)) ||
        JSON.stringify(ts.timestamps.map(pyFormat1)) !== JSON.stringify(p.labels)
      );
    });
    expect(mismatches.map((c) => c.label)).toEqual([]);
  });
  it('server (transformers sample_frames + smart_resize) under three kinds of request', () => {
    const bad: string[] = [];
    cells.forEach((c, i) => {
      const pairs: [FrameResult, OracleFrames][] = [
        [serverFrames(c.meta, DEFAULT_REQ), pyDefault[i]!],
        [serverFrames(c.meta, oldReq), pyOld[i]!],
        [serverFrames(c.meta, plans[i]!.request), pyPlanned[i]!],
      ];
      for (const [ts, p] of pairs) {
        if (JSON.stringify(SHAPES(ts)) !== JSON.stringify(SHAPES(p))) bad.push(c.label);
        if (JSON.stringify(ts.timestamps.map(pyFormat1)) !== JSON.stringify(p.labels))
          bad.push(`${c.label} ts`);
      }
    });
    expect(bad).toEqual([]);
  });
  it("the recipe's second (processor) resize never binds on the grid", () => {
    const bound = cells.filter((c, i) => {
      const before = recipeFrameSize(c.meta);
      return before.height !== pyRecipe[i]!.height || before.width !== pyRecipe[i]!.width;
    });
    expect(bound).toEqual([]);
    expect(
      pyRecipe.every(
        (p) => p.beforeProcessor!.height === p.height && p.beforeProcessor!.width === p.width,
      ),
    ).toBe(true);
  });
});

describe('visionRequest(meta): the server reproduces the recipe exactly', () => {
  it('every grid cell is exact when the Python server port runs the planned request', () => {
    const residual = cells
      .map((c, i) => ({ c, p: pyPlanned[i]!, r: pyRecipe[i]! }))
      .filter(({ p, r }) => p.nframes !== r.nframes || p.height !== r.height || p.width !== r.width)
      .map(({ c }) => c.label);
    // No cell needs a residual: frame counts are matched by fps, frame sizes by longest_edge.
    expect(residual).toEqual([]);
    expect(plans.every((p) => p.exact && p.residual === null)).toBe(true);
  });
  it('timestamps the model reads are the same as in the recipe (vLLM with the #27104 fix)', () => {
    const differ = cells.filter(
      (c, i) => JSON.stringify(pyPlanned[i]!.labels) !== JSON.stringify(pyRecipe[i]!.labels),
    );
    expect(differ.map((c) => c.label)).toEqual([]);
  });
  it('changes fps only where transformers would sample another count (93 frames at 16 fps: 93 vs 92)', () => {
    const fpsChanged = cells.filter((_, i) => plans[i]!.request.fps !== 16).map((c) => c.label);
    expect(fpsChanged).toEqual(
      cells.filter((c) => c.label.startsWith('5.8s@16 ')).map((c) => c.label),
    );
    expect(new Set(plans.map((p) => p.request.fps))).toEqual(new Set([16, 15.914]));
    // int(93 / 16 * 15.914) = 92, the recipe's floor-to-even of 93.
    expect(plans.find((p) => p.request.fps !== 16)!.expected!.nframes).toBe(92);
  });
  it('keeps the round 2 x total_pixels budget wherever that is exact once fps is set (368 + the 8 fps-adjusted cells)', () => {
    expect(plans.filter((p) => p.request.size.longest_edge === 2 * TP).length).toBe(376);
  });
});

describe('visionRequest(null): 2 x total_pixels for an unknown video', () => {
  it('sends fps 16 and longest_edge 2 x total_pixels', () => {
    expect(DEFAULT_REQ).toEqual({
      fps: 16,
      size: { shortest_edge: 131072, longest_edge: 12845056 },
    });
  });
  it('is exact on 368 of 480 cells; the rest differ by the table in docs/fidelity.md', () => {
    const inexact = cells
      .map((c, i) => ({ c, d: pyDefault[i]!, r: pyRecipe[i]! }))
      .filter(
        ({ d, r }) => d.nframes !== r.nframes || d.height !== r.height || d.width !== r.width,
      );
    expect(n - inexact.length).toBe(368);
    const residuals = inexact.map(({ d, r }) => d.visualTokens - r.visualTokens);
    expect(Math.min(...residuals)).toBe(-4320);
    expect(Math.max(...residuals)).toBe(3152);
  });
  it('the old request (longest_edge = total_pixels) gives about half the tokens', () => {
    const ratios = cells.map((_, i) => pyOld[i]!.visualTokens / pyRecipe[i]!.visualTokens);
    const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
    expect(mean).toBeGreaterThan(0.4);
    expect(mean).toBeLessThan(0.6);
  });
});

describe('a server whose transformers resizes with cap_pixels_per_frame=True (transformers main, opt-in)', () => {
  const capped = (c: (typeof cells)[number], req: typeof DEFAULT_REQ) =>
    serverFrames(c.meta, req, { capPixelsPerFrame: true });
  it('TS equals Python under the default request and the capped plans', () => {
    const bad = cells.filter((c, i) => {
      const a = SHAPES(capped(c, DEFAULT_REQ));
      const b = SHAPES(capped(c, cappedPlans[i]!.request));
      return (
        JSON.stringify(a) !== JSON.stringify(SHAPES(pyCapped[i]!)) ||
        JSON.stringify(b) !== JSON.stringify(SHAPES(pyCapped[n + i]!))
      );
    });
    expect(bad.map((c) => c.label)).toEqual([]);
  });
  it('the capped plan is exact on every cell (checked by the Python port)', () => {
    const residual = cells.filter((_, i) => {
      const p = pyCapped[n + i]!;
      const r = pyRecipe[i]!;
      return p.nframes !== r.nframes || p.height !== r.height || p.width !== r.width;
    });
    expect(residual.map((c) => c.label)).toEqual([]);
  });
  it('2 x total_pixels is exact on 468 of 480 cells there, residual -432..+126 tokens', () => {
    const res = cells.map((_, i) => pyCapped[i]!.visualTokens - pyRecipe[i]!.visualTokens);
    const exact = cells.filter((_, i) => {
      const d = pyCapped[i]!;
      const r = pyRecipe[i]!;
      return d.nframes === r.nframes && d.height === r.height && d.width === r.width;
    }).length;
    expect(exact).toBe(468);
    expect([Math.min(...res), Math.max(...res)]).toEqual([-432, 126]);
  });
  it('an uncapped plan sent to a capped server misses 4 cells (3 s at 12 fps, 720p/1080p: -432 tokens)', () => {
    const wrong = cells.filter((c, i) => {
      const got = capped(c, plans[i]!.request);
      const r = pyRecipe[i]!;
      return got.nframes !== r.nframes || got.height !== r.height || got.width !== r.width;
    });
    expect(wrong.map((c) => c.label)).toEqual([
      '3s@12 1280x720',
      '3s@12 720x1280',
      '3s@12 1920x1080',
      '3s@12 1080x1920',
    ]);
  });
});

describe("videophy2.md's worked example (5 s, 24 fps, 480x832)", () => {
  const meta: VideoMeta = { numFrames: 120, sourceFps: 24, width: 832, height: 480 };
  it('recipe: 80 frames of 288x512, 5,760 visual tokens', () => {
    expect(SHAPES(recipeFrames(meta))).toEqual({
      nframes: 80,
      height: 288,
      width: 512,
      gridT: 40,
      visualTokens: 5760,
    });
  });
  it('server with longest_edge = total_pixels: 192x352 (2,640 tokens); with 2 x total_pixels: 288x512 again', () => {
    expect(SHAPES(serverFrames(meta, oldReq))).toEqual({
      nframes: 80,
      height: 192,
      width: 352,
      gridT: 40,
      visualTokens: 2640,
    });
    expect(SHAPES(serverFrames(meta, DEFAULT_REQ))).toEqual(SHAPES(recipeFrames(meta)));
  });
});

describe('frame counts', () => {
  it('recipe floors to an even count, transformers truncates to any count', () => {
    // 1.5 s at 30 fps: 45 frames, 45 / 30 * 16 = 24 -> both 24. 2 s at 12 fps: 24 frames, fps 16 asks for 32.
    expect(smartNframes(45, 30, 16)).toBe(24);
    expect(smartNframes(24, 12, 16)).toBe(24);
    expect(
      serverFrames({ numFrames: 24, sourceFps: 12, width: 512, height: 320 }, DEFAULT_REQ).nframes,
    ).toBe(24);
    // An odd source count below fps 16: the recipe drops one frame, the server keeps them all (and pads).
    expect(smartNframes(15, 12, 16)).toBe(14);
    const s = serverFrames({ numFrames: 15, sourceFps: 12, width: 512, height: 320 }, DEFAULT_REQ);
    expect([s.nframes, s.gridT]).toEqual([15, 8]);
  });
});

describe('a video where exactness is impossible', () => {
  it('3 frames: the recipe keeps 2, transformers at least min(4, N) = 3; the closest request is reported with its residual', () => {
    const meta: VideoMeta = { numFrames: 3, sourceFps: 24, width: 832, height: 480 };
    const plan = visionRequest(meta);
    expect(plan.exact).toBe(false);
    expect(plan.recipe && SHAPES(plan.recipe)).toEqual({
      nframes: 2,
      height: 480,
      width: 832,
      gridT: 1,
      visualTokens: 390,
    });
    // Smallest visual-token residual the budget can reach with 3 frames (2 groups): 2 x 12 x 21 = 504.
    expect(plan.residual).toEqual({ nframes: 1, height: -96, width: -160, visualTokens: 114 });
    expect(SHAPES(serverFrames(meta, plan.request))).toEqual(SHAPES(plan.expected!));
  });
});

describe('a server without --media-io-kwargs num_frames -1', () => {
  const meta: VideoMeta = { numFrames: 120, sourceFps: 24, width: 832, height: 480 };
  it('with do_sample_frames: true (what the gate sends) the request is expected to fail', () => {
    const r = serverFramesDefaultLoader(meta, DEFAULT_REQ, true);
    expect(r.ok).toBe(false);
  });
  it('without it, 32 frames uniformly whatever the fps', () => {
    const a = serverFramesDefaultLoader(meta, DEFAULT_REQ, false);
    const b = serverFramesDefaultLoader(meta, { ...DEFAULT_REQ, fps: 2 }, false);
    expect(a.ok && b.ok && a.frames.nframes === 32 && b.frames.nframes === 32).toBe(true);
  });
  it('a video of at most 32 frames is decoded whole, so fps sampling still happens', () => {
    const short: VideoMeta = { numFrames: 24, sourceFps: 24, width: 832, height: 480 };
    const r = serverFramesDefaultLoader(short, DEFAULT_REQ, true);
    expect(r.ok && r.frames.nframes).toBe(16);
  });
});

describe('vLLM before PR #27104', () => {
  it('divides source indices by the requested fps: same frames, other timestamps (24 fps source: x1.5)', () => {
    const meta: VideoMeta = { numFrames: 120, sourceFps: 24, width: 832, height: 480 };
    const fixed = serverFrames(meta, DEFAULT_REQ);
    const before = serverFrames(meta, DEFAULT_REQ, { timestampsBeforeFix27104: true });
    expect(SHAPES(before)).toEqual(SHAPES(fixed));
    expect(before.timestamps.at(-1)! / fixed.timestamps.at(-1)!).toBeCloseTo(1.5, 12);
    // Over the planned grid: every source not at 16 fps, plus the 8 cells planned at fps 15.914.
    const differ = cells.filter((c, i) => {
      const a = serverFrames(c.meta, plans[i]!.request, { timestampsBeforeFix27104: true });
      return JSON.stringify(a.timestamps.map(pyFormat1)) !== JSON.stringify(pyRecipe[i]!.labels);
    });
    expect(differ.length).toBe(408);
    // 16 fps sources are unaffected.
    const m16: VideoMeta = { ...meta, sourceFps: 16, numFrames: 80 };
    expect(serverFrames(m16, DEFAULT_REQ, { timestampsBeforeFix27104: true }).timestamps).toEqual(
      serverFrames(m16, DEFAULT_REQ).timestamps,
    );
  });
});

describe('videoPromptTokens', () => {
  it('adds two special tokens and a timestamp marker per temporal group', () => {
    const meta: VideoMeta = { numFrames: 120, sourceFps: 24, width: 832, height: 480 };
    const r = recipeFrames(meta);
    // 40 groups, timestamps 0.0 .. 4.9 s: one digit before the point, 6 marker tokens each.
    expect(timestampTokens(4.9)).toBe(6);
    expect(timestampTokens(10.04)).toBe(7);
    expect(videoPromptTokens(r)).toBe(5760 + 40 * 2 + 40 * 6);
  });
});
