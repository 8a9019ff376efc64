/** Pearson's r, as np.corrcoef computes it, on plain arrays and from running sums. */

/**
 * Pearson's r from the sums a bootstrap keeps: n, sum x, sum y, sum x^2, sum y^2, sum xy. Scores are small
 * integers (1-5), so for any test-set size every sum is an exact integer in a double and the usual
 * cancellation of the one-pass formula cannot happen. Null when a side is constant (np.corrcoef gives NaN).
 * Clipped to [-1, 1] as np.corrcoef does.
 */
export function pearsonFromSums(
  n: number,
  sx: number,
  sy: number,
  sxx: number,
  syy: number,
  sxy: number,
): number | null {
  if (n < 2) return null;
  const vx = n * sxx - sx * sx;
  const vy = n * syy - sy * sy;
  if (!(vx > 0) || !(vy > 0)) return null;
  const r = (n * sxy - sx * sy) / Math.sqrt(vx * vy);
  return Math.max(-1, Math.min(1, r));
}

export function checkLengths(what: string, x: ArrayLike<number>, y: ArrayLike<number>): void {
  if (x.length !== y.length) {
    throw new Error(`${what}: x and y must have the same length, got ${x.length} and ${y.length}`);
  }
}

/**
 * Pearson's r by the two-pass formula (centred sums), for any real data. Null when fewer than 2 values or
 * either side is constant.
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  checkLengths('pearson', x, y);
  const n = x.length;
  if (n < 2) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] as number;
    my += y[i] as number;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (!(sxx > 0) || !(syy > 0)) return null;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}
