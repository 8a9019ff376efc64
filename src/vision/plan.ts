/**
 * What the gate should send so a vLLM server shows the model the recipe's frames.
 *
 * The recipe spends its budget per frame (each of n frames may take about 2 * total_pixels / n pixels);
 * the server's `size.longest_edge` bounds all frames together. So:
 * - without the video's metadata, `longest_edge = 2 * total_pixels` reproduces the recipe when two things
 *   hold: the recipe's per-frame cap is 2 * total_pixels / n, i.e. 18..92 sampled frames (about 1.1 s to
 *   5.8 s at fps 16; shorter clips hit the recipe's 768-token frame cap, so the server gives more, longer
 *   ones its 134-token frame floor, so the server gives less); and transformers samples the same even count,
 *   i.e. int(duration * 16) is even (sources >= 16 fps) or the frame count is even (slower sources).
 *   docs/fidelity.md has the grid: 368/480 cells exact, but only 164/480 with generator-style 4k + 1 counts;
 * - with the metadata, we solve for fps (frame count) and longest_edge (shrink) or shortest_edge (growth) so
 *   the server's result equals the recipe's exactly, and report the residual when it cannot (fewer than 4
 *   frames: transformers never samples fewer than min(4, N)).
 */
import { HF_MAX_FRAMES, HF_MIN_FRAMES, hfSmartResize } from './hf-video-processor.js';
import { pyRound } from './pymath.js';
import { recipeFrames } from './recipe-frames.js';
import { effectiveMaxPixels, serverFrames, type ServerOptions } from './server-frames.js';
import {
  FACTOR,
  RECIPE_VISION,
  TEMPORAL_PATCH_SIZE,
  type FrameResult,
  type RecipeVision,
  type VideoMeta,
  type VisionRequest,
} from './types.js';

/** Cosmos Reason 2's online client default for `size.shortest_edge` (128 * 1024). */
export const DEFAULT_SHORTEST_EDGE = 128 * 1024;

export interface VisionPlan {
  request: VisionRequest;
  /** What the server should produce for this request; null when the video is unknown (URL transport). */
  expected: FrameResult | null;
  /** What the recipe produces; null when the video is unknown. */
  recipe: FrameResult | null;
  /** expected equals recipe in frame count, height and width. */
  exact: boolean;
  /** expected minus recipe, when not exact. */
  residual: { nframes: number; height: number; width: number; visualTokens: number } | null;
}

/** The per-request fps that makes transformers sample exactly `target` frames of this video, if any. */
export function fpsForFrames(meta: VideoMeta, target: number, preferred: number): number | null {
  const count = (fps: number): number =>
    Math.min(
      Math.min(
        Math.max(Math.trunc((meta.numFrames / meta.sourceFps) * fps), HF_MIN_FRAMES),
        HF_MAX_FRAMES,
      ),
      meta.numFrames,
    );
  if (count(preferred) === target) return preferred;
  // Aim at the middle of [target, target + 1) so float error in total / fps * f cannot cross an integer;
  // a short decimal keeps the request readable, the unrounded value is the fallback.
  const mid = ((target + 0.5) * meta.sourceFps) / meta.numFrames;
  for (const f of [Number(mid.toFixed(4)), Number(mid.toPrecision(12)), mid]) {
    if (f > 0 && count(f) === target) return f;
  }
  return null;
}

/** Integers in [lo, hi) closest to the middle first, then outward, at most `limit` of them. */
function candidatesIn(lo: number, hi: number, limit = 64): number[] {
  const a = Math.ceil(lo);
  const b = Math.ceil(hi) - 1;
  if (b < a) return [];
  const mid = Math.floor((a + b) / 2);
  const out: number[] = [];
  for (let d = 0; out.length < limit && (mid - d >= a || mid + d <= b); d++) {
    if (mid - d >= a) out.push(mid - d);
    if (d > 0 && mid + d <= b) out.push(mid + d);
  }
  return out;
}

type Size = { height: number; width: number };

/**
 * `size` values for which the server's resize of t frames returns exactly `target`, or null.
 * The shrink branch of transformers' smart_resize gives floor(h / beta / 32) * 32 with beta = sqrt(t h w / M)
 * (M = max_pixels): that equals H exactly for M in [t w H^2 / h, t w (H + 32)^2 / h); intersecting the two
 * edges' intervals gives candidate budgets, each checked by running the port itself. Uncapped, M is
 * longest_edge; with cap_pixels_per_frame, M = (longest_edge // t) * t, so longest_edge = M rounded down to a
 * multiple of t (and shortest_edge low enough that its 1.05 floor does not bind). The growth branch (frames
 * below the recipe's 131,072-pixel floor) is the mirror image with ceil and shortest_edge, uncapped only.
 */
export function sizeForTarget(
  t: number,
  meta: VideoMeta,
  target: Size,
  capPixelsPerFrame = false,
): VisionRequest['size'] | null {
  const { height: h, width: w } = meta;
  const hBar = pyRound(h / FACTOR) * FACTOR;
  const wBar = pyRound(w / FACTOR) * FACTOR;
  const tBar = pyRound(t / TEMPORAL_PATCH_SIZE) * TEMPORAL_PATCH_SIZE;
  const rounded = tBar * hBar * wBar;
  const small = Math.min(DEFAULT_SHORTEST_EDGE, rounded);
  /** The request that gives budget M (uncapped: M itself; capped: M floored to a multiple of t). */
  const sizeFor = (m: number): VisionRequest['size'] => {
    if (!capPixelsPerFrame) return { shortest_edge: Math.min(small, m), longest_edge: m };
    const perFrame = Math.floor(m / t);
    return {
      shortest_edge: Math.min(small, Math.floor(perFrame / 1.05)),
      longest_edge: perFrame * t,
    };
  };
  const check = (size: VisionRequest['size']): boolean => {
    const max = effectiveMaxPixels(t, { fps: 0, size }, capPixelsPerFrame);
    const got = hfSmartResize(t, h, w, size.shortest_edge, max);
    return got.height === target.height && got.width === target.width;
  };
  // No resize: any budget >= the rounded volume.
  if (target.height === hBar && target.width === wBar) {
    const size = sizeFor(capPixelsPerFrame ? Math.ceil(rounded / t) * t : rounded);
    if (check(size)) return size;
  }
  const vol = t * h * w;
  // Shrink: a budget below the rounded volume.
  const lo = Math.max((vol * target.height ** 2) / h ** 2, (vol * target.width ** 2) / w ** 2);
  const hi = Math.min(
    (vol * (target.height + FACTOR) ** 2) / h ** 2,
    (vol * (target.width + FACTOR) ** 2) / w ** 2,
    rounded,
  );
  for (const m of candidatesIn(lo - 2, hi + 2)) {
    const size = sizeFor(m);
    if (size.longest_edge < rounded && check(size)) return size;
  }
  if (capPixelsPerFrame) return null;
  // Grow: shortest_edge above the rounded volume, longest_edge at least that.
  const gLo = Math.max(
    (vol * (target.height - FACTOR) ** 2) / h ** 2,
    (vol * (target.width - FACTOR) ** 2) / w ** 2,
    rounded,
  );
  const gHi = Math.min((vol * target.height ** 2) / h ** 2, (vol * target.width ** 2) / w ** 2);
  for (const sEdge of candidatesIn(gLo - 2, gHi + 3)) {
    const size = { shortest_edge: sEdge, longest_edge: Math.max(sEdge, rounded) };
    if (sEdge > rounded && check(size)) return size;
  }
  return null;
}

/** Same frame count and frame size (then the visual tokens are equal too). */
export function sameFrames(a: FrameResult, b: FrameResult): boolean {
  return a.nframes === b.nframes && a.height === b.height && a.width === b.width;
}

function residualOf(a: FrameResult, b: FrameResult): VisionPlan['residual'] {
  return {
    nframes: a.nframes - b.nframes,
    height: a.height - b.height,
    width: a.width - b.width,
    visualTokens: a.visualTokens - b.visualTokens,
  };
}

/** Closest request when no exact one exists: scan longest_edge for the smallest visual-token residual. */
function closest(
  meta: VideoMeta,
  fps: number,
  recipe: FrameResult,
  opts: ServerOptions,
): VisionRequest {
  let best: VisionRequest = {
    fps,
    size: {
      shortest_edge: DEFAULT_SHORTEST_EDGE,
      longest_edge: 2 * recipe.nframes * recipe.height * recipe.width,
    },
  };
  let bestErr = Infinity;
  const base = recipe.nframes * recipe.height * recipe.width;
  for (let k = 0; k <= 400; k++) {
    const l = Math.round(base * (0.5 + k / 200));
    const req: VisionRequest = {
      fps,
      size: { shortest_edge: Math.min(DEFAULT_SHORTEST_EDGE, l), longest_edge: l },
    };
    const got = serverFrames(meta, req, opts);
    const err =
      Math.abs(got.visualTokens - recipe.visualTokens) * 1e6 +
      Math.abs(got.height - recipe.height) +
      Math.abs(got.width - recipe.width);
    if (err < bestErr) {
      bestErr = err;
      best = req;
    }
  }
  return best;
}

/**
 * The mm_processor_kwargs values (fps, size) to send for one video, and what the server should then show.
 * `meta == null` (the video is only a URL to the server): fps as the recipe, longest_edge = 2 * total_pixels.
 * `server.capPixelsPerFrame`: plan for a transformers that resizes with cap_pixels_per_frame=True (see
 * ServerOptions); the default plans for today's uncapped behaviour. The fidelity guard's probe tells them apart.
 */
export function visionRequest(
  meta: VideoMeta | null,
  vision: RecipeVision = RECIPE_VISION,
  server: Pick<ServerOptions, 'capPixelsPerFrame'> = {},
): VisionPlan {
  if (meta === null) {
    return {
      request: {
        fps: vision.fps,
        size: {
          shortest_edge: Math.min(DEFAULT_SHORTEST_EDGE, 2 * vision.totalPixels),
          longest_edge: 2 * vision.totalPixels,
        },
      },
      expected: null,
      recipe: null,
      exact: false,
      residual: null,
    };
  }
  const recipe = recipeFrames(meta, vision);
  const fps = fpsForFrames(meta, recipe.nframes, vision.fps) ?? vision.fps;
  // Prefer the round default budget when it is already exact for this video (most are): stable, readable
  // requests; solve for a per-video budget only when it is not.
  const plain: VisionRequest = { fps, size: visionRequest(null, vision).request.size };
  const cap = server.capPixelsPerFrame ?? false;
  const size = sameFrames(serverFrames(meta, plain, server), recipe)
    ? plain.size
    : sizeForTarget(recipe.nframes, meta, recipe, cap);
  const request: VisionRequest = size ? { fps, size } : closest(meta, fps, recipe, server);
  const expected = serverFrames(meta, request, server);
  const exact = sameFrames(expected, recipe);
  return {
    request,
    expected,
    recipe,
    exact,
    residual: exact ? null : residualOf(expected, recipe),
  };
}
