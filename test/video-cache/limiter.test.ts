import { describe, expect, it } from 'vitest';
import { createLimiter } from '../../src/video-cache/limiter.js';

describe('createLimiter', () => {
  it('runs at most max tasks at once, in call order, and passes results and errors through', async () => {
    const limit = createLimiter(2);
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    const gates: (() => void)[] = [];
    const task = (k: number) => () => {
      started.push(k);
      active++;
      peak = Math.max(peak, active);
      return new Promise<number>((resolve) => gates.push(() => (active--, resolve(k))));
    };
    const all = Promise.all([0, 1, 2, 3, 4].map((k) => limit(task(k))));
    // Caught at once: the rejection arrives while the test still waits for the others.
    const failing = limit(() => {
      throw new Error('boom');
    }).catch((e: Error) => e.message);
    // Let queued tasks start; release them one at a time.
    for (let k = 0; k < 5; k++) {
      await new Promise((r) => setImmediate(r));
      gates.shift()?.();
    }
    expect(await all).toEqual([0, 1, 2, 3, 4]);
    expect(await failing).toBe('boom');
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
  });

  it('checks its option', () => {
    expect(() => createLimiter(0)).toThrow(
      'limiter: concurrency must be a whole number >= 1, got 0',
    );
  });
});
