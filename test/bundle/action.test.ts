import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { syntheticRows, toCsv } from '../../scripts/synthetic.js';
import { runAsActionsRunner } from '../helpers/actions-runner.js';
import { deadPort } from '../helpers/free-port.js';
import { useTmp } from '../helpers/tmp.js';

// These tests run the committed bundle, as the runner does: `node dist/index.js` (node24), inputs in INPUT_*.
const ENTRY = 'dist/index.js';
const tmp = useTmp();
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close({ force: true });
  sim = undefined;
});

function fixture(dir: string, n = 150): { dataset: string; key: Map<string, number> } {
  const rows = syntheticRows(n, 11);
  const dataset = join(dir, 'videophy2.csv');
  writeFileSync(dataset, toCsv(rows));
  return { dataset, key: new Map(rows.map((r) => [r.video_url ?? '', Number(r.pc)])) };
}

describe('dist/index.js run as the Actions runner runs it', () => {
  it('no baseline, then pass: outputs, files and job summary as documented', async () => {
    const dir = tmp();
    const { dataset, key } = fixture(dir);
    sim = await startSimulator({ answerKey: key, accuracy: 0.4 });
    const baseline = join(dir, 'baseline.json');
    const common = { 'base-url': sim.baseUrl, dataset, baseline, 'server-timeout': '10' };

    const first = await runAsActionsRunner(ENTRY, {
      ...common,
      'output-dir': join(dir, 'r1'),
      'write-baseline': baseline,
    });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.outputs.verdict).toBe('no-baseline');
    // On a pull request (the fixture's event) a missing baseline is a warning: the check passes without it.
    expect(first.stdout).toMatch(/::warning::No baseline at/);

    const second = await runAsActionsRunner(ENTRY, { ...common, 'output-dir': join(dir, 'r2') });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    const o = second.outputs;
    expect(o.verdict).toBe('pass');
    expect(Object.keys(o).sort()).toEqual(
      [
        'accuracy',
        'accuracy-delta',
        'baseline-accuracy',
        'baseline-pearson',
        'num-errors',
        'num-samples',
        'num-unparsed',
        'pearson',
        'pearson-delta',
        'results-path',
        'summary-path',
        'verdict',
      ].sort(),
    );
    const summary = JSON.parse(readFileSync(o['summary-path'] ?? '', 'utf8')) as Record<
      string,
      number
    >;
    expect(Number(o.accuracy)).toBe(summary.accuracy);
    expect(Number(o.pearson)).toBe(summary.pearson_correlation);
    expect(o['num-samples']).toBe('150');
    expect(o['num-errors']).toBe('0');
    expect(Number(o['baseline-accuracy'])).toBe(summary.accuracy);
    expect(o['accuracy-delta']).toBe('0');
    expect(
      readFileSync(o['results-path'] ?? '', 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(150);
    expect(second.stepSummary).toMatch(/VideoPhy-2 gate: pass/);
    expect(second.stepSummary).toMatch(
      /\| Metric \| Baseline \| Candidate \| Delta \| 95% interval \| p \| Verdict \|/,
    );
  });

  it('a regression fails the step with an error annotation naming the metric; fail-on-regression false only warns', async () => {
    const dir = tmp();
    const { dataset, key } = fixture(dir, 300);
    const baseline = join(dir, 'baseline.json');
    sim = await startSimulator({ answerKey: key, accuracy: 0.6 });
    await runAsActionsRunner(ENTRY, {
      'base-url': sim.baseUrl,
      dataset,
      'write-baseline': baseline,
      'output-dir': join(dir, 'a'),
    });
    await sim.close();
    sim = await startSimulator({ answerKey: key, accuracy: 0.2, seed: 5 });
    const bad = await runAsActionsRunner(ENTRY, {
      'base-url': sim.baseUrl,
      dataset,
      baseline,
      'output-dir': join(dir, 'b'),
    });
    expect(bad.code).toBe(1);
    expect(bad.outputs.verdict).toBe('regression');
    expect(Number(bad.outputs['accuracy-delta'])).toBeLessThan(-0.02);
    expect(bad.stdout).toMatch(/::error::VideoPhy-2 regression: accuracy dropped/);
    const lenient = await runAsActionsRunner(ENTRY, {
      'base-url': sim.baseUrl,
      dataset,
      baseline,
      'output-dir': join(dir, 'c'),
      'fail-on-regression': 'false',
    });
    expect(lenient.code).toBe(0);
    expect(lenient.outputs.verdict).toBe('regression');
    expect(lenient.stdout).toMatch(
      /::warning::VideoPhy-2 regression: .*fail-on-regression is false/,
    );
  });

  it('an unreachable server is an infrastructure error, never a pass', async () => {
    const dir = tmp();
    const { dataset } = fixture(dir, 10);
    const r = await runAsActionsRunner(ENTRY, {
      'base-url': `http://127.0.0.1:${await deadPort()}/v1`,
      dataset,
      'server-timeout': '1',
      'output-dir': dir,
    });
    expect(r.code).toBe(1);
    expect(r.outputs.verdict).toBe('error');
    expect(r.stdout).toMatch(
      /::error::videophy-gate could not produce a result \(an error, not a model verdict\): server at .* did not become ready within server-timeout 1 s/,
    );
  });

  it('a server that dies mid-run: finished videos are on disk, summary is partial, verdict error', async () => {
    const dir = tmp();
    const { dataset, key } = fixture(dir, 400);
    sim = await startSimulator({ answerKey: key, latencyMs: 10 });
    const s = sim;
    const killer = setInterval(() => {
      // 60 videos answered, after the 4 fidelity probes every run starts with.
      if (s.stats.completed >= 64) {
        clearInterval(killer);
        void s.close({ force: true });
      }
    }, 5);
    const r = await runAsActionsRunner(ENTRY, {
      'base-url': s.baseUrl,
      dataset,
      'output-dir': dir,
      'max-retries': '1',
    });
    clearInterval(killer);
    expect(r.code).toBe(1);
    expect(r.outputs.verdict).toBe('error');
    expect(r.stdout).toMatch(
      /::error::Infrastructure error, not a model regression: the server stopped answering mid-run/,
    );
    const rows = readFileSync(join(dir, 'results.jsonl'), 'utf8').trim().split('\n');
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as {
      complete: boolean;
      num_videos: number;
    };
    expect(summary.complete).toBe(false);
    expect(summary.num_videos).toBe(rows.length);
    expect(rows.length).toBeGreaterThanOrEqual(60);
    expect(rows.length).toBeLessThan(400);
  });

  it('SIGTERM mid-run (a cancelled job) keeps finished results and ends as a partial error', async () => {
    const dir = tmp();
    const { dataset, key } = fixture(dir, 400);
    sim = await startSimulator({ answerKey: key, latencyMs: 20 });
    const r = await runAsActionsRunner(
      ENTRY,
      { 'base-url': sim.baseUrl, dataset, 'output-dir': dir, concurrency: '4' },
      {
        killAfter: (out) =>
          /\d+\/400 videos \((?:[2-9]\d)\.\d%\)/.test(out) ? 'SIGTERM' : undefined,
      },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/SIGTERM received/);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as {
      complete: boolean;
      verdict: string;
      num_videos: number;
    };
    expect(summary).toMatchObject({ complete: false, verdict: 'error' });
    expect(readFileSync(join(dir, 'results.jsonl'), 'utf8').trim().split('\n')).toHaveLength(
      summary.num_videos,
    );
  });

  it('the api key is masked: it reaches the server but no log line except the runner mask command', async () => {
    const dir = tmp();
    const { dataset, key } = fixture(dir, 20);
    const secret = 'sk-very-secret-key-42';
    sim = await startSimulator({ answerKey: key, apiKey: secret });
    const ok = await runAsActionsRunner(ENTRY, {
      'base-url': sim.baseUrl,
      dataset,
      'output-dir': dir,
      'api-key': secret,
    });
    expect(ok.code, ok.stdout).toBe(0);
    const wrong = await runAsActionsRunner(ENTRY, {
      'base-url': sim.baseUrl,
      dataset,
      'output-dir': dir,
      'api-key': `${secret}-wrong`,
      'server-timeout': '1',
    });
    expect(wrong.outputs.verdict).toBe('error');
    for (const r of [ok, wrong]) {
      const lines = (r.stdout + r.stderr).split('\n').filter((l) => l.includes(secret));
      expect(lines.every((l) => l.startsWith('::add-mask::'))).toBe(true);
    }
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).not.toContain(secret);
  });

  it('a bad input is refused before any work, naming the input', async () => {
    const r = await runAsActionsRunner(ENTRY, {
      'base-url': 'http://127.0.0.1:1/v1',
      'extra-body': '{oops',
    });
    expect(r.code).toBe(1);
    expect(r.outputs.verdict).toBe('error');
    expect(r.stdout).toMatch(/::error::.*'extra-body' must be a JSON object, got "\{oops"/);
  });
});

describe('dist/index.js with the default dataset from a Hub (HF_ENDPOINT)', () => {
  it('downloads videophysics/videophy2_test once, records the resolved revision, then serves it from the runner cache', async () => {
    const { startFakeHub } = await import('../helpers/fake-hub.js');
    const dir = tmp();
    const rows = syntheticRows(40, 5);
    const sha = 'abc123'.padEnd(40, '0');
    const hub = await startFakeHub({
      id: 'videophysics/videophy2_test',
      sha,
      files: { 'videophy2_test.csv': toCsv(rows), 'README.md': '# card' },
    });
    sim = await startSimulator({
      answerKey: new Map(rows.map((r) => [r.video_url ?? '', Number(r.pc)])),
    });
    try {
      const env = {
        HF_ENDPOINT: hub.url,
        RUNNER_TOOL_CACHE: join(dir, 'toolcache'),
        HF_TOKEN: 'hf_secret_token_1',
      };
      const run = () =>
        runAsActionsRunner(ENTRY, { 'base-url': sim!.baseUrl, 'output-dir': dir }, { env });
      const first = await run();
      expect(first.code, first.stdout + first.stderr).toBe(0);
      const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as {
        num_videos: number;
        settings: Record<string, unknown>;
      };
      expect(summary.num_videos).toBe(40);
      expect(summary.settings).toMatchObject({
        dataset: 'videophysics/videophy2_test',
        dataset_revision: 'main',
        dataset_resolved_revision: sha,
      });
      expect(hub.count('/resolve/')).toBe(1);
      expect(hub.authorizations.every((a) => a === 'Bearer hf_secret_token_1')).toBe(true);
      const second = await run();
      expect(second.code).toBe(0);
      expect(hub.count('/resolve/')).toBe(1);
      for (const r of [first, second]) {
        const leaks = (r.stdout + r.stderr)
          .split('\n')
          .filter((l) => l.includes('hf_secret_token_1'));
        expect(leaks.every((l) => l.startsWith('::add-mask::'))).toBe(true);
      }
    } finally {
      await hub.close();
    }
  });
});
