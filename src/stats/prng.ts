/**
 * A seeded pseudo-random generator for the bootstrap and the power simulation: xoshiro128** (Blackman and
 * Vigna), seeded through splitmix32. Only 32-bit integer operations (Math.imul, shifts), so the same seed
 * gives the same stream on every machine and Node version: a verdict must not change between reruns.
 */
export interface Rng {
  /** Next unsigned 32-bit integer. */
  u32(): number;
  /** Uniform in [0, 1) with 32 bits of resolution. */
  uniform(): number;
  /** Uniform integer in [0, n): multiply-shift, bias below n / 2^32 (under 1e-6 for any n here). */
  below(n: number): number;
  /**
   * Fill `out` with uniform integers in [0, n), the same values as out.length calls of below(n): the
   * bootstrap's hot loop, with the generator state in local variables (about 3x faster than per-call).
   */
  fillBelow(out: Uint32Array, n: number): void;
  /** Standard normal (Box-Muller; the second value of each pair is kept for the next call). */
  normal(): number;
}

const TWO_32 = 4294967296;

/** splitmix32: spreads a small seed (0, 1, 2 ...) over the whole state so nearby seeds give unrelated streams. */
function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  // Fold seeds beyond 32 bits in rather than silently truncating them to the same stream.
  const mix = splitmix32((seed >>> 0) ^ Math.floor(seed / TWO_32));
  let s0 = mix();
  let s1 = mix();
  let s2 = mix();
  let s3 = mix();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1; // the all-zero state is a fixed point of xoshiro
  let spare: number | null = null;

  const u32 = (): number => {
    const r = Math.imul(s1, 5);
    const x = Math.imul((r << 7) | (r >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    return x;
  };
  const uniform = (): number => u32() / TWO_32;
  const checkBound = (n: number): void => {
    if (!Number.isInteger(n) || n < 1 || n > 0x7fffffff) {
      throw new Error(`below(n) needs an integer n in [1, 2^31), got ${n}`);
    }
  };
  const fillBelow = (out: Uint32Array, n: number): void => {
    checkBound(n);
    let a = s0;
    let b = s1;
    let c = s2;
    let d = s3;
    // n / 2^32 is exact and x * n < 2^53, so x * scale is exactly x * n / 2^32: the same value as below(n).
    const scale = n / TWO_32;
    for (let i = 0; i < out.length; i++) {
      const r = Math.imul(b, 5);
      const x = Math.imul((r << 7) | (r >>> 25), 9) >>> 0;
      const t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = (d << 11) | (d >>> 21);
      out[i] = (x * scale) | 0;
    }
    s0 = a;
    s1 = b;
    s2 = c;
    s3 = d;
  };
  return {
    u32,
    uniform,
    below: (n) => {
      checkBound(n);
      return Math.floor((u32() * n) / TWO_32);
    },
    fillBelow,
    normal: () => {
      if (spare !== null) {
        const z = spare;
        spare = null;
        return z;
      }
      // (k + 0.5) / 2^32 is never 0, so the logarithm is finite.
      const u = (u32() + 0.5) / TWO_32;
      const v = u32() / TWO_32;
      const radius = Math.sqrt(-2 * Math.log(u));
      spare = radius * Math.sin(2 * Math.PI * v);
      return radius * Math.cos(2 * Math.PI * v);
    },
  };
}
