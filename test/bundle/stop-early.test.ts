import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { syntheticRows, toCsv } from '../../scripts/synthetic.js';
import { runAsActionsRunner } from '../helpers/actions-runner.js';
import { tempDir, useTmp } from '../helpers/tmp.js';
import type { Summary } from '../../src/core/summary.js';

// stop-early end to end: the committed bundle, run as the runner runs it, against the simulator over HTTP.
const ENTRY = 'dist/index.js';
const tmp = useTmp();
const sims: Simulator[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close({ force: true })));
});

const N = 1000;
const summaryOf = (dir: string): Summary =>
  JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;
/** The baseline's simulated checkpoint and a broken next checkpoint of it (the simulator's pair model). */
const BASE = { accuracy: 0.4, seed: 0 };
const BROKEN = { agreement: 0.5, accuracyDelta: -0.25 };

async function sim(o: Parameters<typeof startSimulator>[0]): Promise<Simulator> {
  const s = await startSimulator(o);
  sims.push(s);
  return s;
}

/** A 1,000-video dataset and a baseline with per-video predictions, made once by a full run of the base checkpoint. */
let shared: { dir: string; cleanup: () => Promise<void> } | undefined;
let made: Promise<{ dataset: string; baseline: string; key: Map<string, number> }> | undefined;
afterAll(async () => shared?.cleanup());
async function baselineFor(): Promise<{
  dataset: string;
  baseline: string;
  key: Map<string, number>;
}> {
  shared ??= await tempDir();
  return (made ??= makeBaseline(shared.dir));
}

async function makeBaseline(
  dir: string,
): Promise<{ dataset: string; baseline: string; key: Map<string, number> }> {
  const rows = syntheticRows(N, 5);
  const dataset = join(dir, 'videophy2.csv');
  writeFileSync(dataset, toCsv(rows));
  const key = new Map(rows.map((r) => [r.video_url ?? '', Number(r.pc)]));
  const base = await sim({ answerKey: key, ...BASE });
  const baseline = join(dir, 'baseline.json');
  const run = await runAsActionsRunner(ENTRY, {
    'base-url': base.baseUrl,
    dataset,
    'output-dir': join(dir, 'base'),
    'write-baseline': baseline,
    concurrency: '32',
  });
  expect(run.code, run.stdout + run.stderr).toBe(0);
  return { dataset, baseline, key };
}

/** The broken next checkpoint, answering after a latency drawn in `latencyMs`. */
const brokenSim = (key: Map<string, number>, latencyMs: { min: number; max: number }) =>
  sim({ answerKey: key, ...BASE, pair: BROKEN, latencyMs });

describe('stop-early, bundled, over HTTP', { timeout: 120_000 }, () => {
  it('a broken checkpoint stops at an early look: regression, in-flight requests cancelled, GPU time saved, no baseline written; a rerun decides from the kept rows without a request', async () => {
    const dir = tmp();
    const { dataset, baseline, key } = await baselineFor();
    const broken = await brokenSim(key, { min: 250, max: 400 });
    const inputs = {
      'base-url': broken.baseUrl,
      dataset,
      baseline,
      'stop-early': 'true',
      concurrency: '16',
      'output-dir': join(dir, 'cand'),
      'write-baseline': join(dir, 'never.json'),
      // Its probe requests would count at the server too; the accounting below is of scored videos.
      'fidelity-check': 'false',
    };
    const run = await runAsActionsRunner(ENTRY, inputs);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.outputs.verdict).toBe('regression');
    const summary = summaryOf(join(dir, 'cand'));
    const seq = summary.significance?.sequential;
    if (!seq) throw new Error('no sequential record');
    expect(seq).toMatchObject({ looks: 20, planned: N, stopped: true });
    expect(seq.look).toBeLessThanOrEqual(3);
    expect(seq.videos).toBe(seq.look * 50);
    // Every video of the look's prefix was scored; what was in flight was cancelled, not waited for.
    const lines = readFileSync(join(dir, 'cand', 'results.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(seq.videos);
    expect(lines.length).toBeLessThan(seq.videos + 16);
    const cancelled = Number(
      /stop-early: stopped after \d+ of 1,000 videos at look \d+ of 20: regression; (\d+) requests? in flight cancelled/.exec(
        run.stdout,
      )?.[1],
    );
    expect(cancelled).toBeGreaterThan(0);
    // Every request the server received was recorded or cancelled (a cancelled one may not have left the
    // client yet); the server saw cancelled ones go away, not finish (a reply already on its way when the
    // run stopped is dropped by the client instead).
    expect(broken.stats.chatRequests).toBeGreaterThan(lines.length);
    expect(broken.stats.chatRequests).toBeLessThanOrEqual(lines.length + cancelled);
    expect(broken.stats.aborted).toBeGreaterThan(0);
    expect(broken.stats.aborted).toBeLessThanOrEqual(broken.stats.chatRequests - lines.length);
    expect(seq.saved?.videos).toBe(N - lines.length);
    expect(seq.saved?.seconds).toBeGreaterThan(0);
    expect(run.stepSummary).toMatch(
      /Stopped early \(stop-early\): decided at look \d+ of 20, on the first \d+ of 1,000 videos/,
    );
    expect(run.stepSummary).toMatch(/of GPU time saved \([\d,]+ videos not scored/);
    expect(summary.reasons[0]).toMatch(/^stopped early after \d+ of 1000 videos at look \d+ of 20/);
    // A run that stopped early is no baseline: its predictions cover a fraction of the set.
    expect(existsSync(join(dir, 'never.json'))).toBe(false);
    expect(run.stdout).toMatch(/::warning::Not writing a baseline: this run stopped early/);

    // The rerun replays the kept rows through the same looks: decided, nothing sent.
    const before = broken.stats.chatRequests;
    const again = await runAsActionsRunner(ENTRY, inputs);
    expect(again.code, again.stdout + again.stderr).toBe(1);
    expect(broken.stats.chatRequests).toBe(before);
    expect(again.stdout).toMatch(
      /stop-early: the \d+ kept results already decide it: stopped after/,
    );
    const resumed = summaryOf(join(dir, 'cand'));
    expect(resumed.significance?.sequential?.look).toBe(seq.look);
    expect(resumed.checks).toEqual(summary.checks);
  });

  it('killed before its first look, resumed: it stops at the look an uninterrupted run stops at, on the same videos', async () => {
    const dir = tmp();
    const { dataset, baseline, key } = await baselineFor();
    const broken = await brokenSim(key, { min: 20, max: 60 });
    const common = {
      'base-url': broken.baseUrl,
      dataset,
      baseline,
      'stop-early': 'true',
      concurrency: '8',
    };
    const whole = await runAsActionsRunner(ENTRY, { ...common, 'output-dir': join(dir, 'whole') });
    expect(whole.outputs.verdict).toBe('regression');
    const results = join(dir, 'cut', 'results.jsonl');
    const lineCount = (): number =>
      existsSync(results) ? readFileSync(results, 'utf8').split('\n').filter(Boolean).length : 0;
    const killed = await runAsActionsRunner(
      ENTRY,
      { ...common, 'output-dir': join(dir, 'cut') },
      { killWhen: () => lineCount() >= 20 },
    );
    expect(killed.code).not.toBe(0);
    expect(lineCount()).toBeLessThan(50);
    const resumed = await runAsActionsRunner(ENTRY, { ...common, 'output-dir': join(dir, 'cut') });
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(1);
    const a = summaryOf(join(dir, 'whole'));
    const b = summaryOf(join(dir, 'cut'));
    expect(b.resumed).toBeGreaterThanOrEqual(20);
    expect(b.significance?.sequential?.look).toBe(a.significance?.sequential?.look);
    expect(b.checks).toEqual(a.checks);
  });

  it('refuses stop-early with decision threshold, naming both inputs and the remedy', async () => {
    const dir = tmp();
    const run = await runAsActionsRunner(ENTRY, {
      'base-url': 'http://127.0.0.1:9/v1',
      dataset: join(dir, 'none.csv'),
      'stop-early': 'true',
      decision: 'threshold',
    });
    expect(run.code).toBe(1);
    expect(run.outputs.verdict).toBe('error');
    expect(run.stdout).toMatch(
      /'stop-early' needs the paired tests .* set decision to auto or significance \(got threshold\), or stop-early: false/,
    );
  });
});
