/**
 * Process faults: the job cancelled (SIGTERM, SIGINT) or the runner killed (SIGKILL) mid-run, an output
 * directory that cannot be written, a disk that fills up. The action is run as the Actions runner runs it
 * (node dist/index.js); the server is the simulator behind the fault proxy, which counts every request.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeVideoUrl } from '../../src/core/video-url.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { runAsActionsRunner } from '../helpers/actions-runner.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { gateWith, writeDataset } from '../helpers/gate.js';
import { useTmp } from '../helpers/tmp.js';
import { expectAccounted, noUnhandledRejections } from '../helpers/accounting.js';

const ENTRY = 'dist/index.js';
const tmp = useTmp();
noUnhandledRejections();

let sim: Simulator | undefined;
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await sim?.close({ force: true });
  proxy = undefined;
  sim = undefined;
});

/** A dataset, the simulator (latency so a run lasts long enough to be interrupted) and a counting proxy. */
async function setup(n: number, latencyMs = 10) {
  const dir = tmp();
  const { path, key } = writeDataset(dir, n, 13);
  sim = await startSimulator({ answerKey: key, latencyMs });
  proxy = await startFaultProxy({ upstream: sim.url });
  const urls = [...key.keys()].map((u) => normalizeVideoUrl(u));
  return { dir, dataset: path, urls, proxy };
}

const files = (out: string) => ({
  resultsPath: join(out, 'results.jsonl'),
  summaryPath: join(out, 'summary.json'),
});

describe('the job cancelled mid-run, then rerun in the same output directory', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal}: partial summary, exit 1, results flushed; the rerun requests only the rest`, async () => {
      const N = 300;
      const { dir, dataset, urls, proxy: p } = await setup(N);
      const out = join(dir, 'out');
      const inputs = {
        'base-url': p.baseUrl,
        dataset,
        'output-dir': out,
        concurrency: '4',
      };
      const first = await runAsActionsRunner(ENTRY, inputs, {
        killAfter: (o) => (/\d+\/300 videos \((?:[3-9]\d)\.\d%\)/.test(o) ? signal : undefined),
      });
      expect(first.code).toBe(1);
      expect(first.outputs.verdict).toBe('error');
      expect(first.stdout).toContain(`::warning::${signal} received`);
      expect(first.stdout).toMatch(
        /::error::Infrastructure error, not a model regression: .*cancelled/,
      );
      const { rows, summary } = expectAccounted(files(out), urls);
      expect(summary).toMatchObject({ complete: false, verdict: 'error' });
      expect(rows.length).toBeGreaterThanOrEqual(90);
      expect(rows.length).toBeLessThan(N);

      const sentBefore = p.chatUrls.length;
      const second = await runAsActionsRunner(ENTRY, inputs);
      expect(second.code, second.stdout + second.stderr).toBe(0);
      const again = p.chatUrls.slice(sentBefore);
      const done = new Set(rows.map((r) => normalizeVideoUrl(r.video_url)));
      expect(
        again.filter((u) => done.has(u)),
        'videos already scored were requested again',
      ).toEqual([]);
      expect(again).toHaveLength(N - rows.length);
      const final = expectAccounted(files(out), urls);
      expect(final.summary).toMatchObject({ complete: true, num_videos: N, resumed: rows.length });
    });
  }

  it('SIGKILL (the runner killed): finished lines survive, a torn line is dropped, the rerun resumes', async () => {
    const N = 300;
    const { dir, dataset, urls, proxy: p } = await setup(N);
    const out = join(dir, 'out');
    const inputs = {
      'base-url': p.baseUrl,
      dataset,
      'output-dir': out,
      concurrency: '4',
    };
    const results = join(out, 'results.jsonl');
    const killed = await runAsActionsRunner(ENTRY, inputs, {
      killWhen: () => existsSync(results) && readFileSync(results, 'utf8').split('\n').length > 60,
    });
    expect(killed.code).toBeNull();
    // Simulate the worst moment: half a line written when the process died.
    const text = readFileSync(results, 'utf8');
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    const kept = complete.split('\n').filter((l) => l !== '').length;
    expect(kept).toBeGreaterThanOrEqual(60);
    writeFileSync(results, `${complete}{"video_url":"https://torn`);
    const sentBefore = p.chatUrls.length;
    const rerun = await runAsActionsRunner(ENTRY, inputs);
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(/dropped a torn last line/);
    expect(p.chatUrls.length - sentBefore).toBe(N - kept);
    expect(expectAccounted(files(out), urls).summary).toMatchObject({
      complete: true,
      resumed: kept,
    });
  });

  it('SIGTERM while waiting for a server that never comes up: a prompt error, no verdict', async () => {
    const dir = tmp();
    const { path } = writeDataset(dir, 10);
    sim = await startSimulator({ readyAfterMs: 600_000 });
    const started = performance.now();
    const r = await runAsActionsRunner(
      ENTRY,
      { 'base-url': sim.baseUrl, dataset: path, 'server-timeout': '300', 'output-dir': dir },
      { killAfter: (o) => (/Waiting for the server/.test(o) ? 'SIGTERM' : undefined) },
    );
    expect(r.code).toBe(1);
    expect(r.outputs.verdict).toBe('error');
    expect(r.stdout).toMatch(/::error::.*(cancelled|SIGTERM)/);
    // Generous: the wait polls once a second; what matters is not sitting out server-timeout (300 s).
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});

describe('an output directory that cannot be written fails before any request reaches the server', () => {
  it('output-dir under a regular file (in-process): refused, no request of any kind sent', async () => {
    const { dir, dataset, proxy: p } = await setup(20, 0);
    writeFileSync(join(dir, 'a-file'), 'not a directory');
    const out = join(dir, 'a-file', 'results');
    await expect(
      gateWith({
        'base-url': p.baseUrl,
        dataset,
        'output-dir': out,
      }),
    ).rejects.toThrow(new RegExp(`cannot write results file ${out}/.*ENOTDIR`));
    expect(p.requests).toBe(0);
  });

  it('output-dir that is a regular file (dist): exit 1, names the path, no request sent', async () => {
    const { dir, dataset, proxy: p } = await setup(20, 0);
    const out = join(dir, 'taken');
    writeFileSync(out, 'a file where the directory should be');
    const r = await runAsActionsRunner(ENTRY, {
      'base-url': p.baseUrl,
      dataset,
      'output-dir': out,
    });
    expect(r.code).toBe(1);
    expect(r.outputs.verdict).toBe('error');
    expect(r.stdout).toMatch(new RegExp(`::error::.*cannot write results file ${out}/`));
    expect(p.requests).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('a file where the directory should be');
  });

  // Fixed (found by this suite): runGate returns finishRun(...) un-awaited inside try/finally; a rejection from finishRun (here the write-baseline write) is unhandled while the finally awaits, so node crashes: no verdict output, no annotation, only a stack trace.
  it('write-baseline that cannot be written: the action still ends as verdict error with an annotation', async () => {
    const { dir, dataset, proxy: p } = await setup(20, 0);
    writeFileSync(join(dir, 'a-file'), 'x');
    const r = await runAsActionsRunner(ENTRY, {
      'base-url': p.baseUrl,
      dataset,
      'output-dir': join(dir, 'out'),
      'write-baseline': join(dir, 'a-file', 'baseline.json'),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/node:internal|at writeJsonFile/);
    expect(r.outputs.verdict).toBe('error');
    expect(r.stdout).toMatch(/::error::.*a-file\/baseline\.json/);
  });

  // Fixed (found by this suite): an unwritable write-baseline path is only found after every video was scored (GPU time spent); the error should come first and name the input.
  it('write-baseline under a regular file: refused before any request, naming write-baseline', async () => {
    const { dir, dataset, proxy: p } = await setup(20, 0);
    writeFileSync(join(dir, 'a-file'), 'x');
    const r = await runAsActionsRunner(ENTRY, {
      'base-url': p.baseUrl,
      dataset,
      'output-dir': join(dir, 'out'),
      'write-baseline': join(dir, 'a-file', 'baseline.json'),
    });
    expect(p.chatRequests).toBe(0);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::.*write-baseline/);
  });
});

const hasPrlimit = spawnSync('prlimit', ['--version']).status === 0;

/**
 * An entry that runs dist/index.js under a file-size limit (RLIMIT_FSIZE): a write past `bytes` fails with
 * EFBIG, as a full disk fails with ENOSPC. Node ignores SIGXFSZ, so the write error reaches the code.
 */
function limitedEntry(dir: string, bytes: number): string {
  const entry = join(dir, 'limited-entry.mjs');
  writeFileSync(
    entry,
    `import { spawnSync } from 'node:child_process';
const r = spawnSync('prlimit', ['--fsize=${bytes}', process.execPath, ${JSON.stringify(ENTRY)}], { stdio: 'inherit' });
process.exit(r.status ?? 1);
`,
  );
  return entry;
}

describe.skipIf(!hasPrlimit)('the disk fills up (a file-size limit on the action)', () => {
  // Fixed (found by this suite): a failed results.jsonl write inside the scoring loop is an unhandled rejection: the action dies with a stack trace, no summary.json, no verdict output, no annotation.
  it('mid-run: stops as an error naming results.jsonl; outputs and summary written; no crash', async () => {
    const { dir, dataset, proxy: p } = await setup(400, 2);
    const out = join(dir, 'out');
    // run.json (the item list) fits; results.jsonl fills up after about a hundred videos.
    const r = await runAsActionsRunner(limitedEntry(dir, 100_000), {
      'base-url': p.baseUrl,
      dataset,
      'output-dir': out,
    });
    expect(r.stderr).not.toMatch(/Unhandled|node:internal|at writeSync/);
    expect(r.code).toBe(1);
    expect(r.outputs.verdict).toBe('error');
    expect(r.stdout).toMatch(/::error::.*results\.jsonl.*(EFBIG|ENOSPC|file too large|no space)/i);
    expect(existsSync(join(out, 'summary.json'))).toBe(true);
  });

  // Fixed (found by this suite): when the disk is full before scoring (run.json cannot be written), the error says only "EFBIG: file too large, write", not which file.
  it('before scoring: an error naming the file that could not be written', async () => {
    const { dir, dataset, proxy: p } = await setup(400, 0);
    const r = await runAsActionsRunner(limitedEntry(dir, 20_000), {
      'base-url': p.baseUrl,
      dataset,
      'output-dir': join(dir, 'out'),
    });
    expect(r.code).toBe(1);
    expect(r.outputs.verdict).toBe('error');
    expect(p.chatRequests).toBe(0);
    expect(r.stdout).toMatch(/::error::.*run\.json/);
  });
});
