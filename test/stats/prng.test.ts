import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile } from '../../src/stats/normal.js';
import { createRng } from '../../src/stats/prng.js';
import { python } from '../helpers/python.js';

// xoshiro128** seeded by splitmix32, written from the published reference code, in plain Python integers.
const XOSHIRO = `
import json, sys
M = 0xFFFFFFFF
def splitmix32(seed):
    s = seed & M
    while True:
        s = (s + 0x9E3779B9) & M
        z = s
        z = ((z ^ (z >> 16)) * 0x85EBCA6B) & M
        z = ((z ^ (z >> 13)) * 0xC2B2AE35) & M
        yield (z ^ (z >> 16)) & M
rotl = lambda x, k: ((x << k) | (x >> (32 - k))) & M
out = []
for seed in json.load(sys.stdin):
    g = splitmix32((seed & M) ^ (seed // 2**32))
    s = [next(g) for _ in range(4)]
    vals = []
    for _ in range(8):
        vals.append((rotl((s[1] * 5) & M, 7) * 9) & M)
        t = (s[1] << 9) & M
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t
        s[3] = rotl(s[3], 11)
    out.append(vals)
print(json.dumps(out))
`;

describe('createRng', () => {
  it('is xoshiro128** seeded by splitmix32, bit for bit (checked against a Python transcription)', () => {
    const seeds = [0, 1, 2, 42, 20250417, 2 ** 32 + 5, 2 ** 40 + 123];
    const ref = python<number[][]>(XOSHIRO, seeds);
    seeds.forEach((seed, i) => {
      const rng = createRng(seed);
      expect(Array.from({ length: 8 }, () => rng.u32())).toEqual(ref[i]);
    });
  });

  it('fillBelow gives the same numbers as repeated below(n)', () => {
    const a = createRng(7);
    const b = createRng(7);
    const out = new Uint32Array(5000);
    a.fillBelow(out, 3397);
    const one = Array.from({ length: 5000 }, () => b.below(3397));
    expect(Array.from(out)).toEqual(one);
    expect(Math.max(...out)).toBeLessThan(3397);
    // and the streams continue in step
    expect(a.u32()).toBe(b.u32());
  });

  it('draws roughly uniform indices and standard normals', () => {
    const rng = createRng(3);
    const counts = new Array<number>(10).fill(0);
    let s = 0;
    let ss = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      counts[rng.below(10)]!++;
      const z = rng.normal();
      s += z;
      ss += z * z;
    }
    for (const c of counts) expect(Math.abs(c - n / 10)).toBeLessThan(5 * Math.sqrt(n / 10));
    expect(Math.abs(s / n)).toBeLessThan(0.02);
    expect(Math.abs(ss / n - 1)).toBeLessThan(0.03);
  });

  it('refuses seeds and bounds it cannot honour', () => {
    expect(() => createRng(1.5)).toThrow(/seed must be an integer, got 1.5/);
    expect(() => createRng(1).below(0)).toThrow(/integer n in \[1, 2\^31\), got 0/);
  });
});

describe('normalCdf / normalQuantile', () => {
  it('match scipy.stats.norm', () => {
    const xs = [
      -30, -12, -7.5, -5, -3.01, -3, -2.99, -1.96, -1, -0.3, 0, 0.25, 1, 1.6448536269514722, 2.5,
      3.2, 6,
    ];
    const ps = [1e-10, 1e-4, 0.001, 0.01, 0.025, 0.05, 0.3, 0.5, 0.8, 0.95, 0.975, 0.999, 1 - 1e-9];
    const ref = python<{ cdf: number[]; ppf: number[] }>(
      `
import json, sys
from scipy.stats import norm
d = json.load(sys.stdin)
print(json.dumps({"cdf": [float(norm.cdf(x)) for x in d["xs"]], "ppf": [float(norm.ppf(p)) for p in d["ps"]]}))
`,
      { xs, ps },
    );
    // relative precision in the lower tail (the quantile refines on it), absolute elsewhere
    xs.forEach((x, i) => {
      const want = ref.cdf[i]!;
      const err = Math.abs(normalCdf(x) - want);
      expect(x < 0 ? err / want : err, `x=${x}`).toBeLessThan(1e-12);
    });
    ps.forEach((p, i) =>
      expect(Math.abs(normalQuantile(p) - ref.ppf[i]!)).toBeLessThan(
        1e-9 * Math.max(1, Math.abs(ref.ppf[i]!)),
      ),
    );
    expect(() => normalQuantile(1)).toThrow(/0 < p < 1, got 1/);
  });
});
