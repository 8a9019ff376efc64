/**
 * Exact McNemar test: a binomial test on the discordant pairs. Of the b + c videos where exactly one run is
 * right, the candidate wins c and loses b; under "no difference" each is a fair coin, X ~ Binomial(b + c, 1/2).
 *
 * - two-sided: p = min(1, 2 * P(X <= min(b, c))), scipy's binomtest(min(b, c), b + c, 0.5).pvalue (the
 *   distribution is symmetric, so doubling one tail is exact). Reported.
 * - one-sided, the ones the decision uses (src/verdict/significance.ts): pWorse = P(X <= c), evidence
 *   that the candidate is worse (binomtest(c, b + c, 0.5, alternative='less')); pBetter = P(X >= c) =
 *   P(X <= b), evidence that it is better (alternative='greater').
 */
export interface McNemarResult {
  b: number;
  c: number;
  pValue: number;
  pWorse: number;
  pBetter: number;
}

function checkCount(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new Error(`mcnemarExact: ${name} must be a non-negative integer count, got ${v}`);
  }
}

/** P(X <= m) for X ~ Binomial(n, 1/2), to relative precision also far in the tail. */
export function halfBinomialCdf(m: number, n: number): number {
  if (m >= n) return 1;
  if (m < 0) return 0;
  // Above the middle, by symmetry from the upper tail, which is then the small one.
  if (2 * m >= n) return 1 - halfBinomialCdf(n - m - 1, n);
  // 2^-n underflows past n = 1074, so work in logs: log P(X = m) = log C(n, m) - n log 2, then sum the
  // tail downwards as ratios to P(X = m). Below the mode each ratio j / (n - j + 1) is under 1, so the
  // terms shrink and the sum of ratios stays between 1 and n: no overflow, no cancellation.
  let logChoose = 0;
  for (let i = 1; i <= m; i++) logChoose += Math.log((n - m + i) / i);
  const logPmf = logChoose - n * Math.LN2;
  let ratioSum = 1;
  let term = 1;
  for (let j = m; j >= 1; j--) {
    term *= j / (n - j + 1);
    ratioSum += term;
    if (term < ratioSum * 1e-17) break;
  }
  return Math.exp(logPmf + Math.log(ratioSum));
}

export function mcnemarExact(b: number, c: number): McNemarResult {
  checkCount('b', b);
  checkCount('c', c);
  const n = b + c;
  const m = Math.min(b, c);
  // Balanced (or within one of it): the lower tail holds half the mass or more, p is 1.
  const pValue = 2 * m + 1 >= n ? 1 : Math.min(1, 2 * halfBinomialCdf(m, n));
  return { b, c, pValue, pWorse: halfBinomialCdf(c, n), pBetter: halfBinomialCdf(b, n) };
}
