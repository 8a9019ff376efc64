import { describe, expect, it } from 'vitest';
import { useSimulators } from '../helpers/simulators.js';
import { parseScore } from '../../src/core/parse-score.js';
import { normalizeVideoUrl } from '../../src/core/video-url.js';
import {
  decideAnswer,
  replyText,
  simulatorOptions,
  type Simulator,
} from '../../src/simulator/index.js';
import { chatBody, content, pool, post, syntheticUrls, YOYO } from '../helpers/chat.js';

const start = useSimulators();

const tally = (counts: Record<number, number>, k: number) => (counts[k] = (counts[k] ?? 0) + 1);

async function answers(sim: Simulator, urls: string[]): Promise<(number | undefined)[]> {
  return pool(
    urls,
    32,
    async (u) => parseScore(content(await post(sim, chatBody(u)))) ?? undefined,
  );
}

describe('answers', () => {
  const urls = syntheticUrls(40);

  it('are a deterministic function of (seed, URL): two servers agree, another seed differs', async () => {
    const [a, b, c] = await Promise.all([
      start({ seed: 7 }),
      start({ seed: 7 }),
      start({ seed: 8 }),
    ]);
    const first = await answers(a, urls);
    expect(first.every((s) => s !== undefined)).toBe(true);
    expect(await answers(b, urls)).toEqual(first);
    expect(await answers(a, urls)).toEqual(first); // asking again: same answer, like temperature 0
    const other = await answers(c, urls);
    expect(other.filter((s, i) => s !== first[i]).length).toBeGreaterThan(5);
  });

  it('match the ground truth at the configured accuracy (2,000 URLs over HTTP)', async () => {
    const n = 2000;
    const many = syntheticUrls(n, 'https://videos.example.com/acc');
    const truth = new Map(many.map((u, i) => [u, (i % 5) + 1]));
    const accuracy = 0.4;
    const sim = await start({ answerKey: truth, accuracy, seed: 3 });
    const got = await pool(
      many,
      64,
      async (u) => parseScore(content(await post(sim, chatBody(u)))) ?? undefined,
    );
    const hits = got.filter((s, i) => s === truth.get(many[i] ?? '')).length;
    const se = Math.sqrt((accuracy * (1 - accuracy)) / n);
    expect(Math.abs(hits / n - accuracy)).toBeLessThan(4 * se);
  });

  it('wrong answers never equal the truth and lean towards its neighbours', () => {
    const truth = new Map(syntheticUrls(4000).map((u) => [u, 3]));
    const opts = simulatorOptions({ answerKey: truth, accuracy: 0, distribution: [1, 1, 1, 1, 1] });
    const counts: Record<number, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
    for (const u of truth.keys()) tally(counts, decideAnswer(opts, u));
    expect(counts[3]).toBe(0);
    // Neighbours (2, 4) have double weight: 1/3 each; 1 and 5 get 1/6 each.
    expect((counts[2] ?? 0) / 4000).toBeCloseTo(1 / 3, 1);
    expect((counts[1] ?? 0) / 4000).toBeCloseTo(1 / 6, 1);
  });

  it('follow the distribution for videos without ground truth', () => {
    const distribution: [number, number, number, number, number] = [0.1, 0.2, 0.3, 0.3, 0.1];
    const opts = simulatorOptions({ distribution, seed: 11 });
    const n = 10_000;
    const counts: Record<number, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
    for (const u of syntheticUrls(n)) tally(counts, decideAnswer(opts, u));
    distribution.forEach((p, i) => {
      const se = Math.sqrt((p * (1 - p)) / n);
      expect(Math.abs((counts[i + 1] ?? 0) / n - p)).toBeLessThan(4 * se);
    });
  });

  it('look up the answer key by normalised URL, so raw dataset URLs match what the client sends', () => {
    const raw = 'https://videos.example.com/A child’s kite.mp4';
    const opts = simulatorOptions({ answerKey: new Map([[raw, 5]]), accuracy: 1 });
    expect(decideAnswer(opts, normalizeVideoUrl(raw))).toBe(5);
    expect(decideAnswer(opts, raw)).toBe(5);
  });

  it('are mostly a bare digit, with a deterministic minority of "4." and "4\\n"', () => {
    const styles = new Map<string, number>();
    for (const u of syntheticUrls(2000)) {
      const t = replyText(4, u);
      styles.set(t, (styles.get(t) ?? 0) + 1);
      expect(replyText(4, u)).toBe(t);
    }
    expect([...styles.keys()].sort()).toEqual(['4', '4\n', '4.']);
    expect(styles.get('4') ?? 0).toBeGreaterThan(1400);
  });

  it('an answer key hit is served over HTTP for the real VideoPhy-2 URL', async () => {
    const sim = await start({ answerKey: new Map([[YOYO, 2]]), accuracy: 1 });
    expect(parseScore(content(await post(sim, chatBody(YOYO))))).toBe(2);
  });
});
