/**
 * Group-sequential boundaries by alpha spending (Lan & DeMets, Biometrika 70(3), 1983): the groundwork of
 * `stop-early`. A one-sided test statistic Z_k is looked at after information fractions
 * t_1 < ... < t_K = 1 (videos scored / videos planned); under the null the Z_k are Brownian motion in
 * disguise, corr(Z_i, Z_j) = sqrt(t_i / t_j). Boundary c_k is set so that the chance of first crossing at
 * look k is what the spending function allots to it: P(Z_1 < c_1, ..., Z_{k-1} < c_{k-1}, Z_k >= c_k) =
 * alpha(t_k) - alpha(t_{k-1}). So the false-alarm rate over all looks is alpha, whatever the number and
 * timing of the looks, and looks need not be planned ahead (a resumed run or a shard looks when it can).
 *
 * The probabilities are computed by the Armitage-McPherson-Rowe recursion: the density of the paths that
 * have not crossed is carried from look to look on a grid and integrated by the trapezoid rule. Pure.
 */
import { normalCdf, normalQuantile } from '../stats/normal.js';

/** Cumulative alpha spent by information fraction t in [0, 1]. */
export type SpendingFunction = (t: number, alpha: number) => number;

/**
 * O'Brien-Fleming-type spending, alpha(t) = 2 - 2 Phi(z_{1-alpha/2} / sqrt(t)): almost nothing is spent
 * early, so an early stop needs an overwhelming effect and the last look is nearly the fixed-size test.
 */
export const obrienFlemingSpending: SpendingFunction = (t, alpha) =>
  t <= 0 ? 0 : t >= 1 ? alpha : 2 - 2 * normalCdf(normalQuantile(1 - alpha / 2) / Math.sqrt(t));

/** Pocock-type spending, alpha(t) = alpha ln(1 + (e - 1) t): spends evenly, early stops come easier. */
export const pocockSpending: SpendingFunction = (t, alpha) =>
  t <= 0 ? 0 : t >= 1 ? alpha : alpha * Math.log(1 + (Math.E - 1) * t);

/**
 * Hwang-Shih-DeCani spending, alpha(t) = alpha (1 - e^(-gamma t)) / (1 - e^(-gamma)) (Hwang, Shih & De Cani,
 * Statistics in Medicine 9, 1990): one parameter between the two above. gamma = -4 (gsDesign's default) spends
 * like O'Brien-Fleming at the end, so the last look is nearly the fixed-size test, but spends enough early
 * for an overwhelming effect to stop at the first look; gamma = 1 is close to Pocock.
 */
export function hwangShihDeCaniSpending(gamma: number): SpendingFunction {
  if (!Number.isFinite(gamma) || gamma === 0)
    throw new Error(`Hwang-Shih-DeCani spending needs a finite gamma other than 0, got ${gamma}`);
  return (t, alpha) =>
    t <= 0 ? 0 : t >= 1 ? alpha : (alpha * (1 - Math.exp(-gamma * t))) / (1 - Math.exp(-gamma));
}

/** The grid's lower end in Z: the mass of non-crossing paths below it is negligible (Phi(-9) ~ 1e-19). */
const LOWER = -9;
/** Grid intervals per look. */
const STEPS = 1200;

const phi = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

interface Grid {
  z: Float64Array;
  /** Density of Z_k at z for the paths that have not crossed, times the trapezoid weight. */
  weighted: Float64Array;
}

function checkFractions(fractions: readonly number[]): void {
  fractions.forEach((t, i) => {
    if (!(t > 0 && t <= 1) || (i > 0 && !(t > (fractions[i - 1] as number))))
      throw new Error(
        `information fractions must increase within (0, 1], got ${JSON.stringify(fractions)}`,
      );
  });
}

/** A trapezoid grid on [LOWER, c] holding density(z) * weight. */
function gridFor(c: number, density: (z: number) => number): Grid {
  const h = (c - LOWER) / STEPS;
  const z = new Float64Array(STEPS + 1);
  const weighted = new Float64Array(STEPS + 1);
  for (let j = 0; j <= STEPS; j++) {
    z[j] = LOWER + j * h;
    const w = j === 0 || j === STEPS ? h / 2 : h;
    weighted[j] = density(z[j] as number) * w;
  }
  return { z, weighted };
}

/**
 * The upper boundaries c_1..c_K for one-sided level `alpha` at the given information fractions (the last
 * is normally 1). A look that is allotted no alpha (spent nothing new) gets +Infinity: it cannot stop.
 */
export function spendingBoundaries(
  fractions: readonly number[],
  alpha: number,
  spend: SpendingFunction = obrienFlemingSpending,
): number[] {
  if (!(alpha > 0 && alpha < 0.5)) throw new Error(`alpha must be in (0, 0.5), got ${alpha}`);
  checkFractions(fractions);
  const bounds: number[] = [];
  let grid: Grid | undefined;
  let spent = 0;
  let tPrev = 0;
  for (const t of fractions) {
    const target = spend(t, alpha) - spent;
    let c: number;
    if (grid === undefined) {
      c = target > 0 ? -normalQuantile(target) : Infinity;
    } else {
      const g = grid;
      const a = Math.sqrt(tPrev);
      const b = Math.sqrt(t);
      const sd = Math.sqrt(t - tPrev);
      // First-crossing chance at this look for a boundary c: the non-crossed paths times P(Z_k >= c | u).
      const crossing = (x: number): number => {
        let p = 0;
        for (let j = 0; j < g.z.length; j++)
          p += (g.weighted[j] as number) * normalCdf(((g.z[j] as number) * a - x * b) / sd);
        return p;
      };
      if (!(target > 0)) c = Infinity;
      else {
        let lo = -2;
        let hi = 12;
        for (let i = 0; i < 60; i++) {
          const mid = (lo + hi) / 2;
          if (crossing(mid) > target) lo = mid;
          else hi = mid;
        }
        c = (lo + hi) / 2;
      }
    }
    bounds.push(c);
    spent += Math.max(0, target);
    // Carry the density of the paths that stay below c to this look (a finite top for the grid when c is
    // infinite: nothing stopped, and no path is above 12).
    const top = Number.isFinite(c) ? c : 12;
    if (grid === undefined) grid = gridFor(top, phi);
    else {
      const g = grid;
      const a = Math.sqrt(tPrev);
      const b = Math.sqrt(t);
      const sd = Math.sqrt(t - tPrev);
      grid = gridFor(top, (z) => {
        let f = 0;
        for (let j = 0; j < g.z.length; j++)
          f += (g.weighted[j] as number) * phi((z * b - (g.z[j] as number) * a) / sd);
        return (f * b) / sd;
      });
    }
    tPrev = t;
  }
  return bounds;
}
