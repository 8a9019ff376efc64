/** The standard normal distribution, to double precision where the decisions need it. */

const LOG_SQRT_2PI = 0.9189385332046727;

/** Lower tail Phi(-t) for t >= 3: phi(t) times Mills' ratio as a continued fraction, evaluated backwards. */
function lowerTail(t: number): number {
  let f = t;
  for (let k = 300; k >= 1; k--) f = t + k / f;
  return Math.exp(-0.5 * t * t - LOG_SQRT_2PI) / f;
}

/**
 * Phi(x). On [-3, 3] Marsaglia's Taylor series (J. Stat. Softw. 11(4), 2004), absolute error near 1e-16;
 * beyond, the continued fraction, so the lower tail keeps its relative precision (normalQuantile refines on
 * it) and the upper tail is 1 minus it.
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < -3) return x < -38 ? 0 : lowerTail(-x);
  if (x > 3) return x > 38 ? 1 : 1 - lowerTail(x);
  let sum = x;
  let term = x;
  let previous = 0;
  const q = x * x;
  for (let i = 3; sum !== previous; i += 2) {
    previous = sum;
    term *= q / i;
    sum += term;
  }
  return 0.5 + sum * Math.exp(-0.5 * q - LOG_SQRT_2PI);
}

/**
 * Phi^-1(p) by Acklam's rational approximation (relative error below 1.2e-9), refined by one Halley step
 * on normalCdf. Used for z_{1-alpha/2} in sample-size estimates. Above 1/2 it works on 1 - p by symmetry, as
 * scipy's ndtri does, where the lower tail is computed with relative precision.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`normalQuantile expects 0 < p < 1, got ${p}`);
  if (p > 0.5) return -normalQuantile(1 - p);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
      (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}
