/**
 * Python's float rounding, which the ported upstream code relies on. Python's `round(x)` rounds halves to the
 * even neighbour (round(22.5) == 22), JavaScript's Math.round rounds them up (23): for a 720-pixel edge and
 * factor 32 that is 704 vs 736, so every port below goes through these helpers instead of Math.round.
 */

/** Python 3 `round(x)` for a float (ties to even); exact because x - floor(x) is exact below 2**52. */
export function pyRound(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** numpy's `np.round` / torch's `round` on float arrays: also ties to even. */
export const npRound = pyRound;

/** qwen-vl-utils `round_by_factor`: round(number / factor) * factor. */
export function roundByFactor(n: number, factor: number): number {
  return pyRound(n / factor) * factor;
}

/** qwen-vl-utils `ceil_by_factor`: math.ceil(number / factor) * factor. */
export function ceilByFactor(n: number, factor: number): number {
  return Math.ceil(n / factor) * factor;
}

/** qwen-vl-utils `floor_by_factor`: math.floor(number / factor) * factor. */
export function floorByFactor(n: number, factor: number): number {
  return Math.floor(n / factor) * factor;
}

/**
 * `np.linspace(start, stop, num)` as numpy computes it (i * step + start, the last element set to stop), so the
 * rounded frame indices match numpy's bit for bit. torch.linspace (the recipe's readers) works in float32 by
 * default; the two can pick a different source frame at an exact .5 tie, which changes which pixels are seen
 * but never how many (documented in docs/fidelity.md).
 */
export function linspace(start: number, stop: number, num: number): number[] {
  if (num <= 0) return [];
  if (num === 1) return [start];
  const div = num - 1;
  const step = (stop - start) / div;
  const out: number[] = [];
  for (let i = 0; i < num; i++)
    out.push(step === 0 ? (i / div) * (stop - start) + start : i * step + start);
  out[num - 1] = stop;
  return out;
}

/**
 * Python's `f"{x:.1f}"`. Both Python and toFixed round the exact binary value (2.55 is 2.5499.. -> "2.5"), so
 * they differ only at true ties, values exactly halfway at one decimal: those are odd multiples of 0.25
 * (x * 4 is an odd integer, exact since 4 is a power of two). There JavaScript picks the larger neighbour
 * (0.25 -> "0.3") and Python the even one ("0.2").
 */
export function pyFormat1(x: number): string {
  const quarters = x * 4;
  if (Number.isInteger(quarters) && quarters % 2 !== 0) {
    return (pyRound(x * 10) / 10).toFixed(1);
  }
  return x.toFixed(1);
}
