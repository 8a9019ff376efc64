import { describe, expect, it } from 'vitest';
import { retryDelayMs, sleep } from '../../src/core/backoff.js';

describe('backoff of the video cache and the server wait (after openai-node)', () => {
  it('honours retry-after-ms, then retry-after (seconds or date) within 0-60 s, else capped backoff with jitter', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryDelayMs(0, { 'retry-after-ms': '250' }, now, 0.5)).toBe(250);
    expect(retryDelayMs(0, { 'retry-after': '2' }, now, 0.5)).toBe(2000);
    expect(retryDelayMs(0, { 'retry-after': new Date(now + 3000).toUTCString() }, now, 0.5)).toBe(
      3000,
    );
    expect(retryDelayMs(0, { 'retry-after': '120' }, now, 0)).toBe(500); // out of range: backoff
    expect(retryDelayMs(0, {}, now, 0)).toBe(500);
    expect(retryDelayMs(2, {}, now, 0)).toBe(2000);
    expect(retryDelayMs(10, {}, now, 0)).toBe(8000);
    expect(retryDelayMs(10, {}, now, 0.999)).toBeCloseTo(8000 * (1 - 0.999 * 0.25), 6);
  });

  it('sleep ends early, with false, when its signal aborts', async () => {
    const ac = new AbortController();
    const t0 = performance.now();
    setTimeout(() => ac.abort(), 50);
    expect(await sleep(5_000, ac.signal)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(await sleep(1)).toBe(true);
  });
});
