import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportRecipe } from '../../src/io/recipe-export.js';
import { gateWith, writeDataset, reportOf } from '../helpers/gate.js';
import { readResults } from '../helpers/results.js';
import { useSimulators } from '../helpers/simulators.js';
import { useTmp } from '../helpers/tmp.js';

const start = useSimulators();
const tmp = useTmp();

/** One gate run against a simulator of the given kind; returns the run and its rows. */
async function run(simOpts: Parameters<typeof start>[0], extra: Record<string, string> = {}) {
  const dir = tmp();
  const { path, key } = writeDataset(dir, 40);
  const sim = await start({ answerKey: key, record: true, ...simOpts });
  const out = join(dir, 'out');
  const { outcome } = await gateWith({
    'base-url': sim.baseUrl,
    dataset: path,
    'output-dir': out,
    ...extra,
  });
  return { dir, out, sim, outcome, rows: readResults(join(out, 'results.jsonl')) };
}

describe('replies through a reasoning parser, over HTTP', () => {
  it('bare answers that --reasoning-parser qwen3 moved into reasoning: all parsed as the recipe would, and counted', async () => {
    const plain = await run({});
    const split = await run({ reasoningParser: true });
    // The server sent content: null for every reply...
    expect(split.rows.every((r) => r.reasoning_split === true)).toBe(true);
    // ...and the numbers are those of a server without the parser, video for video.
    expect(split.rows.map((r) => r.pred_score)).toEqual(plain.rows.map((r) => r.pred_score));
    expect(split.outcome.summary.accuracy).toBe(plain.outcome.summary.accuracy);
    expect(split.outcome.summary.num_unparsed).toBe(0);
    expect(split.outcome.summary).toMatchObject({
      num_reasoning_split: 40,
      replies: { reasoning_split: 40 },
    });
    expect(reportOf(split.outcome)).toMatch(/40 split by a reasoning parser/);
  });

  it('<think>...</think> replies, with or without the parser: the same scores', async () => {
    const plain = await run({});
    const thinking = await run({ thinking: true });
    const both = await run({ thinking: true, reasoningParser: true });
    expect(thinking.rows.map((r) => r.pred_score)).toEqual(plain.rows.map((r) => r.pred_score));
    expect(both.rows.map((r) => r.pred_score)).toEqual(plain.rows.map((r) => r.pred_score));
    expect(thinking.rows.every((r) => r.output_text?.includes('</think>'))).toBe(true);
    expect(both.rows.every((r) => r.reasoning_split && r.output_text?.includes('</think>'))).toBe(
      true,
    );
  });

  it('prompt tokens are recorded per row and as a distribution', async () => {
    const { rows, outcome } = await run({});
    expect(rows.every((r) => (r.usage?.prompt_tokens ?? 0) > 1000)).toBe(true);
    const t = outcome.summary.replies.prompt_tokens;
    const sorted = rows.map((r) => r.usage?.prompt_tokens ?? 0).sort((a, b) => a - b);
    expect(t).toMatchObject({ count: 40, min: sorted[0], max: sorted[39], median: sorted[19] });
    expect(reportOf(outcome)).toMatch(/prompt tokens \| median/);
  });
});

describe('the recipe prompt and layout, over HTTP', () => {
  it('a prompt file without system_prompt sends the recipe fallback', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'p.yaml'), 'user_prompt: "Rate the physics from 1 to 5."\n');
    const { sim } = await run({}, { 'prompt-file': join(dir, 'p.yaml') });
    const scored = (sim.recorded as { max_tokens: number; messages: unknown[] }[]).filter(
      (b) => b.max_tokens !== 1,
    );
    expect(scored[0]?.messages[0]).toEqual({
      role: 'system',
      content: 'You are a helpful assistant.',
    });
  });

  it("export-recipe's directory is a paired baseline: the same checkpoint again passes video by video", async () => {
    const first = await run({});
    const recipeDir = join(first.dir, 'recipe');
    exportRecipe(first.out, recipeDir);
    expect(readFileSync(join(recipeDir, '1.json'), 'utf8')).toMatch(/^\{\n {2}"video_url": /);
    const sim = await start({
      answerKey: new Map(first.rows.map((r) => [r.video_url, r.ground_truth])),
    });
    const again = await gateWith({
      'base-url': sim.baseUrl,
      dataset: join(first.dir, 'videophy2.csv'),
      'output-dir': join(first.dir, 'again'),
      baseline: recipeDir,
    });
    expect(again.outcome.summary.decision).toBe('significance');
    expect(again.outcome.summary.baseline).toMatchObject({ kind: 'recipe-results' });
    expect(again.outcome.summary.accuracy).toBe(first.outcome.summary.accuracy);
    expect(['pass', 'inconclusive']).toContain(again.outcome.summary.verdict);
  });
});
