import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAsActionsRunner, type RunnerResult } from '../helpers/actions-runner.js';
import { eventually, fakeVllmEnv } from '../helpers/processes.js';
import { readResults, readSummary } from '../helpers/results.js';
import {
  BASELINE,
  CURVE,
  processesMentioning,
  readSweep,
  SAMPLE,
  simulatedCheckpoints,
  sweepReference,
  sweepRows,
} from '../helpers/sweep.js';
import { tempDir, useTmp } from '../helpers/tmp.js';

// Checkpoint sweeps through the bundles, as the runner runs them: dist/index.js serves each simulated
// checkpoint with the fake `vllm` (first on PATH), scores it, stops it, and picks the best.
const tmp = useTmp();
const runnerEnv = (knobs: Record<string, string> = {}): Record<string, string> => ({
  PATH: fakeVllmEnv().PATH ?? '',
  ...knobs,
});

const sweepInputs = (root: string, out: string, more: Record<string, string> = {}) => ({
  checkpoints: join(root, 'ckpts', 'step_*'),
  dataset: SAMPLE,
  baseline: BASELINE,
  'output-dir': out,
  'server-timeout': '30',
  ...more,
});

let shared: { dir: string; cleanup: () => Promise<void> };
let clean: RunnerResult;
let cleanOut: string;

beforeAll(async () => {
  shared = await tempDir();
  simulatedCheckpoints(shared.dir);
  cleanOut = join(shared.dir, 'out');
  clean = await runAsActionsRunner('dist/index.js', sweepInputs(shared.dir, cleanOut), {
    env: runnerEnv(),
  });
}, 120_000);
afterAll(() => shared.cleanup());

describe('checkpoints: a sweep through dist/index.js', () => {
  it("serves, scores and stops four checkpoints in step order; the numbers and the set are numpy/scipy's", async () => {
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    const sweep = readSweep(cleanOut);
    expect(sweep.rows.map((r) => r.name)).toEqual(['step_20', 'step_40', 'step_60', 'step_80']);
    expect(sweep.rows.every((r) => r.status === 'ok')).toBe(true);
    const ref = sweepReference(sweepRows(cleanOut, sweep));
    sweep.rows.forEach((r, i) => {
      expect(r.accuracy).toBeCloseTo(ref.accuracy[i] as number, 12);
      expect(r.pearson).toBeCloseTo(ref.pearson[i] as number, 12);
      expect(r.accuracy_interval?.[0]).toBeCloseTo(ref.wilson[i]?.[0] as number, 9);
      expect(r.pearson_interval?.[1]).toBeCloseTo(ref.fisher[i]?.[1] as number, 9);
      if (i !== ref.best) expect(r.versus_best?.mcnemar_p).toBeCloseTo(ref.p[i] as number, 10);
      // Each checkpoint's own run is a whole gate run, against the baseline.
      expect(readSummary(join(cleanOut, r.dir, 'summary.json')).settings.model).toBe(r.path);
    });
    const best = sweep.rows[ref.best];
    expect(best?.name).toBe('step_40');
    expect(sweep.indistinguishable).toEqual(ref.set.map((i) => sweep.rows[i]?.name));
    // The outputs: the best checkpoint, and its verdict against the baseline decides the job.
    expect(clean.outputs['best-checkpoint']).toBe(best?.path);
    // The job's verdict is the best's, with pass and improvement at alpha / 4 for the pick (best-verdict.ts).
    expect(sweep.verdict).toBe(sweep.best_decision?.verdict ?? best?.verdict);
    expect(clean.outputs.verdict).toBe(sweep.verdict);
    expect(clean.outputs.accuracy).toBe(String(best?.accuracy));
    expect(clean.outputs['summary-path']).toBe(join(cleanOut, 'step_40', 'summary.json'));
    // The job summary: the best's report with the sweep table and chart.
    expect(clean.stepSummary).toMatch(
      /\*\*Checkpoint sweep\*\*: 4 checkpoints\. Best by accuracy: \*\*step\\_40\*\*/,
    );
    expect(clean.stepSummary).toMatch(
      /^\| ★ best \| step\\_40 \| 40 \| 0\.\d{4} \(0\.\d{3}\s…\s0\.\d{3}\) \|/m,
    );
    expect(clean.stepSummary).toMatch(/```mermaid\nxychart-beta\n.*\n {4}x-axis \["20", "40 ★", /);
    // Every server was stopped.
    expect(
      await eventually(() => processesMentioning(join(shared.dir, 'ckpts')).length === 0),
    ).toBe(true);
  });

  it('a checkpoint that fails to start is an error row; the sweep goes on and the best decides', async () => {
    const out = tmp();
    const r = await runAsActionsRunner('dist/index.js', sweepInputs(shared.dir, out), {
      env: runnerEnv({ FAKE_VLLM_CRASH_CHECKPOINT: 'step_60' }),
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/step_60: no result \(.*exited.*\); the sweep goes on/);
    const sweep = readSweep(out);
    expect(sweep.rows.map((x) => x.status)).toEqual(['ok', 'ok', 'error', 'ok']);
    expect(sweep.rows[2]?.error).toMatch(/exited/);
    expect(sweep.best).toBe('step_40');
    expect(sweep.comparisons).toBe(2);
    expect(r.stepSummary).toMatch(/^\| ⚠️ error \| step\\_60 \| 60 \|/m);
    expect(r.stepSummary).toMatch(/4 checkpoints, 1 without a result/);
  });

  it('every checkpoint failing is an error, never a verdict', async () => {
    const out = tmp();
    const r = await runAsActionsRunner('dist/index.js', sweepInputs(shared.dir, out), {
      env: runnerEnv({ FAKE_VLLM_CRASH: '1' }),
    });
    expect(r.code).toBe(1);
    expect(r.outputs.verdict).toBe('error');
    expect(r.stdout).toMatch(
      /::error::videophy-gate could not produce a result .*no checkpoint produced a result: step_20: /,
    );
    expect(readSweep(out)).toMatchObject({ verdict: 'error', best: null });
  });

  it("killed mid-sweep, then rerun: finished checkpoints are reused, the half-done one resumes, the numbers are a clean sweep's", async () => {
    const out = tmp();
    const inputs = sweepInputs(shared.dir, out, { concurrency: '4' });
    const slow = runnerEnv({ FAKE_VLLM_SIM_ARGS: '--latency-ms 20-40' });
    const killed = await runAsActionsRunner('dist/index.js', inputs, {
      env: slow,
      killWhen: () => readResults(join(out, 'step_40', 'results.jsonl')).length >= 100,
    });
    expect(killed.code).toBeNull();
    // The post step stops the server the killed main step left running (it is still there).
    expect(processesMentioning(join(shared.dir, 'ckpts')).length).toBeGreaterThan(0);
    const post = spawnSync(process.execPath, ['dist/post/index.js'], {
      env: { PATH: slow.PATH ?? '', RUNNER_TEMP: killed.dir },
      encoding: 'utf8',
    });
    expect(post.status, post.stdout + post.stderr).toBe(0);
    expect(
      await eventually(() => processesMentioning(join(shared.dir, 'ckpts')).length === 0),
    ).toBe(true);
    const partial = readResults(join(out, 'step_40', 'results.jsonl')).length;
    expect(partial).toBeLessThan(300);

    const rerun = await runAsActionsRunner('dist/index.js', inputs, { env: runnerEnv() });
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(/step_20: finished earlier with the same settings, reused/);
    expect(rerun.stdout).not.toMatch(/step_20: serving/);
    expect(rerun.stdout).toMatch(/step_40: serving/);
    expect(rerun.stdout).toMatch(new RegExp(`Scoring ${300 - partial} videos`));
    const rows = readResults(join(out, 'step_40', 'results.jsonl'));
    expect(new Set(rows.map((x) => x.video_url)).size).toBe(300);
    const sweep = readSweep(out);
    expect(sweep.rows.map((x) => x.reused)).toEqual([true, false, false, false]);
    const strip = (s: typeof sweep) =>
      s.rows.map((x) => [
        x.name,
        x.accuracy,
        x.pearson,
        x.indistinguishable,
        x.versus_best?.mcnemar_p,
      ]);
    expect(strip(sweep)).toEqual(strip(readSweep(cleanOut)));
  });

  it('SIGTERM mid-sweep (a cancelled job): the server is stopped, no further checkpoint starts, the job is an error', async () => {
    const out = tmp();
    const r = await runAsActionsRunner(
      'dist/index.js',
      sweepInputs(shared.dir, out, { concurrency: '4' }),
      {
        env: runnerEnv({ FAKE_VLLM_SIM_ARGS: '--latency-ms 20-40' }),
        killAfter: (stdout) =>
          /Scoring 300 videos with \S+step_40/.test(stdout) ? 'SIGTERM' : undefined,
      },
    );
    expect(r.code).toBe(1);
    expect(r.outputs.verdict).toBe('error');
    expect(r.stdout).not.toMatch(/step_60: serving/);
    const sweep = readSweep(out);
    expect(sweep.verdict).toBe('error');
    expect(sweep.reasons[0]).toMatch(/the sweep was cancelled: rerun it to resume/);
    expect(sweep.rows.slice(2).map((x) => x.error)).toEqual([
      'cancelled before it started',
      'cancelled before it started',
    ]);
    expect(
      await eventually(() => processesMentioning(join(shared.dir, 'ckpts')).length === 0),
    ).toBe(true);
  });

  it('sweep-gpus: one server per CUDA_VISIBLE_DEVICES group, checkpoints side by side', async () => {
    const out = tmp();
    const r = await runAsActionsRunner(
      'dist/index.js',
      sweepInputs(shared.dir, out, { 'sweep-gpus': '0,1\n2,3', concurrency: '4' }),
      { env: runnerEnv({ FAKE_VLLM_SIM_ARGS: '--latency-ms 10-20' }) },
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /4 checkpoints .*, 2 side by side \(CUDA_VISIBLE_DEVICES 0,1 \| 2,3\)/,
    );
    const gpus = CURVE.map((c) => {
      const log = readFileSync(join(out, `step_${c.step}`, 'vllm-server.log'), 'utf8');
      return /CUDA_VISIBLE_DEVICES=(\S*)/.exec(log)?.[1];
    });
    expect(new Set(gpus)).toEqual(new Set(['0,1', '2,3']));
    // The first two ran at the same time, each on its own group.
    const span = (name: string) => {
      const s = readSummary(join(out, name, 'summary.json'));
      return [Date.parse(s.started_at), Date.parse(s.finished_at)] as const;
    };
    const [a, b] = [span('step_20'), span('step_40')];
    expect(a[0] < b[1] && b[0] < a[1]).toBe(true);
    expect(r.stdout).toMatch(/^\[step_40\] Scoring 300 videos/m);
    // Side by side or not, the same numbers.
    const strip = (s: ReturnType<typeof readSweep>) =>
      s.rows.map((x) => [x.name, x.accuracy, x.pearson]);
    expect(strip(readSweep(out))).toEqual(strip(readSweep(cleanOut)));
    expect(existsSync(join(out, 'sweep.json'))).toBe(true);
  });
});

describe('videophy-gate sweep, merge and demo --sweep (dist/cli/index.js)', () => {
  const cli = (args: string[], knobs: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['dist/cli/index.js', ...args], {
      encoding: 'utf8',
      env: { ...runnerEnv(knobs), HOME: '/tmp', NO_COLOR: '1' },
      timeout: 120_000,
    });
  const flags = ['--dataset', SAMPLE, '--baseline', BASELINE, '--server-timeout', '30'];
  const ckpt = (step: number) => join(shared.dir, 'ckpts', `step_${step}`);

  it('sweep CHECKPOINT...: the same sweep as the action, a table in the terminal, report.md beside sweep.json', () => {
    const out = tmp();
    const r = cli(['sweep', ...CURVE.map((c) => ckpt(c.step)), ...flags, '--output-dir', out]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^checkpoint sweep \(best by accuracy: \* best, ~ indistinguishable from it, ! no result\)$/m,
    );
    expect(r.stdout).toMatch(/^\* step_40 +accuracy 0\.\d{4} \[0\.\d{3}, 0\.\d{3}\] +Pearson/m);
    expect(r.stdout).toMatch(/^sweep +.*sweep\.json$/m);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(
      /\*\*Checkpoint sweep\*\*: 4 checkpoints/,
    );
    const strip = (s: ReturnType<typeof readSweep>) =>
      s.rows.map((x) => [x.name, x.accuracy, x.pearson, x.indistinguishable]);
    expect(strip(readSweep(out))).toEqual(strip(readSweep(cleanOut)));
  });

  it('merge: a matrix of one-checkpoint sweeps becomes one sweep report with the same pick and set', () => {
    const jobs = CURVE.map((c) => {
      const out = tmp();
      const r = cli(['sweep', ckpt(c.step), ...flags, '--output-dir', out]);
      expect(r.status, r.stdout + r.stderr).toBe(0);
      return out;
    });
    const merged = tmp();
    const r = cli(['merge', ...jobs, '--baseline', BASELINE, '--output-dir', merged]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /Merged 4 sweep directories: 4 checkpoints \(step_20, step_40, step_60, step_80\)/,
    );
    const got = readSweep(merged);
    const want = readSweep(cleanOut);
    expect(got.best).toBe(want.best);
    expect(got.indistinguishable).toEqual(want.indistinguishable);
    expect(got.rows.map((x) => x.versus_best?.mcnemar_p)).toEqual(
      want.rows.map((x) => x.versus_best?.mcnemar_p),
    );
    // The merged sweep points at each job's results, relative to itself.
    expect(existsSync(join(merged, got.rows[1]?.dir ?? '', 'results.jsonl'))).toBe(true);
    expect(readFileSync(join(merged, 'report.md'), 'utf8')).toMatch(
      /Best by accuracy: \*\*step\\_40\*\*/,
    );
  });

  it('merge refuses a checkpoint scored by two jobs', () => {
    const a = tmp();
    const b = tmp();
    for (const out of [a, b])
      expect(cli(['sweep', ckpt(20), ...flags, '--output-dir', out]).status).toBe(0);
    const r = cli(['merge', a, b, '--output-dir', tmp()]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /checkpoint step_20 has results in both .* give each checkpoint to one job/,
    );
  });

  it("demo --sweep: the simulator's five checkpoints rise and decline; best accuracy at step 40, best Pearson later", () => {
    const out = tmp();
    const r = cli(['demo', '--sweep', '--output-dir', out]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const sweep = readSweep(out);
    expect(sweep.rows.map((x) => x.step)).toEqual([20, 40, 60, 80, 100]);
    expect(sweep.best).toBe('step_40');
    const pearsons = sweep.rows.map((x) => x.pearson as number);
    expect(pearsons.indexOf(Math.max(...pearsons))).toBeGreaterThan(1);
    // The best of five, decided at alpha / 5: on the demo's 300 videos its Pearson gain cannot rule out a
    // drop of 0.06 at 99%, so the job's verdict is inconclusive where a lone checkpoint's would be a pass.
    expect(sweep.best_decision).toMatchObject({ picked_from: 5, alpha: 0.01 });
    expect(sweep.verdict).toBe(sweep.best_decision?.verdict);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(
      /the verdict above is its own against the baseline, with pass and improvement decided at alpha 0\.01 because it is the best of 5/,
    );
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`verdict: ${sweep.verdict} (exit 0)`);
    // mode comment on that artifact, without the baseline (a workflow_run job): the job's decision from
    // sweep.json, not the lone checkpoint's verdict in step_40/summary.json.
    const own = readSummary(join(out, 'step_40', 'summary.json')).verdict;
    expect(own).not.toBe(sweep.verdict);
    const comment = cli(['comment', out]);
    expect(comment.status, comment.stdout + comment.stderr).toBe(0);
    expect(comment.stdout.trimEnd().split('\n').at(-1)).toBe(`verdict: ${sweep.verdict} (exit 0)`);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(
      /the best of 5 checkpoints, picked on these videos: pass and improvement decided at alpha 0\.05 \/ 5 = 0\.01/,
    );
  });

  it("comment DIR on a sweep: the best's report with the sweep table; a best outside the directory is refused", () => {
    const r = cli(['comment', cleanOut, '--baseline', BASELINE]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(readFileSync(join(cleanOut, 'report.md'), 'utf8')).toMatch(
      /\*\*Checkpoint sweep\*\*: 4 checkpoints\. Best by accuracy: \*\*step\\_40\*\*/,
    );
    // A fork's artifact whose sweep.json points the best at another run's files on the runner.
    const evil = tmp();
    const sweep = readSweep(cleanOut);
    for (const row of sweep.rows) row.dir = join('..', '..', cleanOut, row.dir);
    writeFileSync(join(evil, 'sweep.json'), JSON.stringify(sweep));
    const refused = cli(['comment', evil]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/puts its best checkpoint outside the results directory/);
  });

  it('bad input: an empty glob names the input and the remedy; checkpoints with checkpoint or stop-early is refused', () => {
    const empty = cli([
      'sweep',
      join(shared.dir, 'nothing', 'step_*'),
      ...flags,
      '--output-dir',
      tmp(),
    ]);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toMatch(/--checkpoints: the pattern .* matches nothing/);
    const both = cli(['sweep', ckpt(20), '--checkpoint', ckpt(40), ...flags]);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/--checkpoints cannot be combined with --checkpoint/);
    // stop-early would rank a checkpoint stopped at a look on part of the set: refused before any server.
    const early = cli(['sweep', ckpt(20), ckpt(40), '--stop-early', 'true', ...flags]);
    expect(early.status).toBe(2);
    expect(early.stderr).toMatch(
      /--checkpoints cannot be combined with --stop-early \(a sweep ranks its checkpoints .* Set --stop-early false/,
    );
  });
});
