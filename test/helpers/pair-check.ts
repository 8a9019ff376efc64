import { python } from './python.js';

export interface MeanSe {
  mean: number;
  se: number;
}

/**
 * numpy's reading of `k` equal samples of (truth g, base answer b, candidate answer c), concatenated: the
 * mean and standard error over samples of the agreement, the accuracy change and the Pearson change. The
 * independent check of a pair model (simulator/pair.ts) as the simulator and the power bench draw from it.
 */
export function measurePairs(
  k: number,
  g: number[],
  b: number[],
  c: number[],
): { agree: MeanSe; acc: MeanSe; r: MeanSe } {
  const per = python<{ agree: number[]; acc: number[]; r: number[] }>(
    `
import json, sys
import numpy as np
d = json.load(sys.stdin)
k = d["k"]
g, b, c = (np.array(d[x]).reshape(k, -1) for x in ("g", "b", "c"))
print(json.dumps({
  "agree": [float(np.mean(b[i] == c[i])) for i in range(k)],
  "acc": [float(np.mean(c[i] == g[i]) - np.mean(b[i] == g[i])) for i in range(k)],
  "r": [float(np.corrcoef(g[i], c[i])[0, 1] - np.corrcoef(g[i], b[i])[0, 1]) for i in range(k)],
}))
`,
    { k, g, b, c },
  );
  const stat = (xs: number[]): MeanSe => {
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
    return { mean, se: sd / Math.sqrt(xs.length) };
  };
  return { agree: stat(per.agree), acc: stat(per.acc), r: stat(per.r) };
}
