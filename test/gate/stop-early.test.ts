import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gateWith, writeDataset } from '../helpers/gate.js';
import { useSimulators } from '../helpers/simulators.js';
import { useTmp } from '../helpers/tmp.js';

// stop-early through the gate's own pipeline (in-process, real sockets to the simulator): shards, the merge,
// and the inputs it refuses. The bundle's run over HTTP is test/bundle/stop-early.test.ts.
const start = useSimulators();
const tmp = useTmp();
const BASE = { accuracy: 0.4, seed: 0 };

async function withBaseline(n: number) {
  const dir = tmp();
  const { path: dataset, key } = writeDataset(dir, n, 3);
  const base = await start({ answerKey: key, ...BASE });
  const baseline = join(dir, 'baseline.json');
  const made = await gateWith({
    'base-url': base.baseUrl,
    dataset,
    'output-dir': join(dir, 'base'),
    'write-baseline': baseline,
    concurrency: '32',
    'fidelity-check': 'false',
  });
  expect(made.outcome.summary.verdict).toBe('no-baseline');
  return { dir, dataset, key, baseline };
}

describe('stop-early in the gate', () => {
  it('shards stop only for a regression, at alpha x 0.1 / n; the merge reports the shard that stopped', async () => {
    const { dir, dataset, key, baseline } = await withBaseline(1200);
    const broken = await start({
      answerKey: key,
      ...BASE,
      pair: { agreement: 0.5, accuracyDelta: -0.25 },
    });
    const common = {
      'base-url': broken.baseUrl,
      dataset,
      baseline,
      'stop-early': 'true',
      'fidelity-check': 'false',
    };
    const shards = [];
    for (const i of [1, 2]) {
      const r = await gateWith({ ...common, shard: `${i}/2`, 'output-dir': join(dir, `s${i}`) });
      expect(r.log.lines.join('\n')).toMatch(
        /stop-early on shard \d\/2: this shard stops only for a regression, its tests at alpha 0.05 x 0.1 \/ 2/,
      );
      const seq = r.outcome.summary.significance?.sequential;
      expect(r.outcome.summary.verdict).toBe('regression');
      expect(seq?.stopped).toBe(true);
      expect(r.outcome.summary.reasons[0]).toMatch(
        /^shard \d\/2 stopped early after \d+ of 600 videos at look \d+ of 12 \(stop-early: regression only, each metric at alpha 0.0025 \/ 2\)/,
      );
      expect(r.outcome.rows.length).toBeLessThan(600);
      shards.push(join(dir, `s${i}`));
    }
    const merged = await gateWith({
      mode: 'merge',
      'results-dirs': shards.join('\n'),
      baseline,
      'output-dir': join(dir, 'merged'),
    });
    expect(merged.outcome.summary.verdict).toBe('regression');
    expect(merged.outcome.summary.reasons[0]).toMatch(/^shard 1\/2 stopped early after/);
    expect(merged.log.lines.join('\n')).toMatch(
      /stop-early: shard 1\/2 stopped early with a regression/,
    );
  });

  it('shards that did not stop: the merge decides on every video, at the alpha the shards left (0.045)', async () => {
    const { dir, dataset, key, baseline } = await withBaseline(400);
    // The baseline's own checkpoint again: no shard can show a regression.
    const same = await start({ answerKey: key, ...BASE });
    const common = {
      'base-url': same.baseUrl,
      dataset,
      baseline,
      'stop-early': 'true',
      'fidelity-check': 'false',
    };
    const dirs = [];
    for (const i of [1, 2]) {
      const r = await gateWith({ ...common, shard: `${i}/2`, 'output-dir': join(dir, `s${i}`) });
      expect(r.outcome.summary.significance?.sequential).toBeUndefined();
      expect(r.outcome.rows).toHaveLength(200);
      dirs.push(join(dir, `s${i}`));
    }
    const merged = await gateWith({
      mode: 'merge',
      'results-dirs': dirs.join('\n'),
      baseline,
      'output-dir': join(dir, 'm'),
    });
    expect(merged.outcome.summary.verdict).toBe('pass');
    expect(merged.outcome.summary.significance?.alpha).toBeCloseTo(0.045, 12);
    expect(merged.log.lines.join('\n')).toMatch(
      /the shards' early looks spent alpha 0.05 x 0.1; the merged tests run at alpha 0.045/,
    );
  });

  it('with limit and two endpoints: the looks are planned on the subset, both servers see their requests cancelled', async () => {
    const { dir, dataset, key, baseline } = await withBaseline(1200);
    const pair = { agreement: 0.5, accuracyDelta: -0.25 };
    const a = await start({ answerKey: key, ...BASE, pair, latencyMs: { min: 300, max: 500 } });
    const b = await start({ answerKey: key, ...BASE, pair, latencyMs: { min: 300, max: 500 } });
    const r = await gateWith({
      'base-url': `${a.baseUrl}\n${b.baseUrl}`,
      dataset,
      baseline,
      limit: '600',
      concurrency: '8',
      'stop-early': 'true',
      'fidelity-check': 'false',
      'output-dir': join(dir, 'x'),
    });
    const seq = r.outcome.summary.significance?.sequential;
    expect(r.outcome.summary.verdict).toBe('regression');
    expect(seq).toMatchObject({ looks: 12, planned: 600, stopped: true });
    expect(a.stats.completed).toBeGreaterThan(0);
    expect(b.stats.completed).toBeGreaterThan(0);
    expect(a.stats.aborted + b.stats.aborted).toBeGreaterThan(0);
    expect(r.outcome.rows.length).toBeLessThan(600);
  });

  it('a baseline without per-video predictions is refused before scoring, naming it and the remedy', async () => {
    const { dir, dataset, key } = await withBaseline(60);
    const sim = await start({ answerKey: key, ...BASE });
    const aggregate = join(dir, 'aggregate.json');
    (await import('node:fs')).writeFileSync(
      aggregate,
      JSON.stringify({ accuracy: 0.4, pearson_correlation: 0.4, num_samples: 60 }),
    );
    await expect(
      gateWith({
        'base-url': sim.baseUrl,
        dataset,
        baseline: aggregate,
        'stop-early': 'true',
        'output-dir': join(dir, 'x'),
      }),
    ).rejects.toThrow(
      /'stop-early' needs the paired tests .*aggregate.json is a recipe-summary without per-video predictions: make the baseline with write-baseline or update-baseline, or set stop-early: false/,
    );
    expect(sim.stats.chatRequests).toBe(0);
  });

  it('no baseline: a warning, and every video is scored', async () => {
    const dir = tmp();
    const { path: dataset, key } = writeDataset(dir, 60, 4);
    const sim = await start({ answerKey: key, ...BASE });
    const r = await gateWith({
      'base-url': sim.baseUrl,
      dataset,
      'stop-early': 'true',
      'output-dir': join(dir, 'x'),
      'fidelity-check': 'false',
    });
    expect(r.outcome.summary.verdict).toBe('no-baseline');
    expect(r.outcome.rows).toHaveLength(60);
    expect(r.log.lines.join('\n')).toMatch(
      /stop-early: there is no baseline to compare with, so every video is scored/,
    );
  });
});
