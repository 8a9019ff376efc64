import type { PairedVideo } from '../../src/stats/pairing.js';
import { createRng } from '../../src/stats/prng.js';

/**
 * Paired videos for the sequential tests: a baseline judge right `base` of the time, a candidate that
 * keeps the baseline's answer with probability `agreement` and is otherwise right with probability
 * `changedRight`; `unparsed` of the candidate's replies do not parse.
 */
export function pairedSample(o: {
  n: number;
  seed: number;
  base?: number;
  agreement?: number;
  changedRight?: number;
  unparsed?: number;
}): PairedVideo[] {
  const rng = createRng(o.seed);
  const wrong = (gt: number): number => 1 + ((gt + Math.floor(rng.uniform() * 4)) % 5);
  return Array.from({ length: o.n }, (_, i) => {
    const gt = 1 + Math.floor(rng.uniform() * 5);
    const pb = rng.uniform() < (o.base ?? 0.4) ? gt : wrong(gt);
    let pc: number | null =
      rng.uniform() < (o.agreement ?? 0.75)
        ? pb
        : rng.uniform() < (o.changedRight ?? 0.4)
          ? gt
          : wrong(gt);
    if (rng.uniform() < (o.unparsed ?? 0)) pc = null;
    return {
      video_url: `https://v.test/${i}.mp4`,
      gt,
      pred_c: pc,
      pred_b: pb,
      error_c: false,
      error_b: false,
      parsed_c: pc !== null,
      parsed_b: true,
      correct_c: pc === gt,
      correct_b: pb === gt,
    };
  });
}
