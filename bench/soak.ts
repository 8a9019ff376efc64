/**
 * npx tsx bench/soak.ts [--videos 20000] [--concurrency 256] [--fault-rate 0.05] [--seed 1] [--no-small]
 *
 * The soak run of the fault-injection suite (issue 7): the bundled CLI scores N synthetic videos against the
 * simulator in its own process, through the fault proxy (in this process), with about `fault-rate` of the
 * requests faulted: half by the simulator's own flags (--server-error-rate, --unparseable-rate,
 * --reasoning-only-rate, --length-rate), half by the proxy (resets, hangs past request-timeout, 502/503/504,
 * 429 with Retry-After, truncated JSON, no choices). Checked: every video in results.jsonl exactly once, the
 * summary counting the same, no unhandled rejection in the gate process (a preloaded hook records any), and
 * the gate's peak RSS (getrusage, bench/measure.py), also at a tenth of the size to show memory stays flat.
 * Prints a markdown table; exits 1 when an invariant fails.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { syntheticRows, toCsv } from '../scripts/synthetic.js';
import { normalizeVideoUrl } from '../src/core/video-url.js';
import { plans, SOAK_PROXY_FAULTS, startFaultProxy } from '../test/helpers/fault-proxy.js';
import { startSimProcess } from './lib.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const raw = i >= 0 ? process.argv[i + 1] : undefined;
  if (raw === undefined) return fallback;
  const x = Number(raw);
  if (!Number.isFinite(x) || x < 0)
    throw new Error(`--${name} must be a non-negative number, got ${raw}`);
  return x;
}

const N = Math.round(flag('videos', 20_000));
const CONCURRENCY = Math.round(flag('concurrency', 256));
const RATE = flag('fault-rate', 0.05);
const SEED = Math.round(flag('seed', 1));
const SMALL = !process.argv.includes('--no-small');
if (RATE > 1) throw new Error('--fault-rate must be at most 1');

const dir = resolve('.bench', 'soak');
mkdirSync(dir, { recursive: true });

/** Preloaded into the gate: any unhandled rejection is written down (and fails the run). */
const hook = join(dir, 'unhandled-hook.mjs');
const hookLog = join(dir, 'unhandled.log');
writeFileSync(
  hook,
  `import { appendFileSync } from 'node:fs';
process.on('unhandledRejection', (reason) => {
  appendFileSync(${JSON.stringify(hookLog)}, String(reason && reason.stack ? reason.stack : reason) + '\\n---\\n');
  process.exitCode = 70;
});
`,
);

interface Measured {
  code: number;
  wall_s: number;
  cpu_s: number;
  max_rss_mb: number;
  stdout_tail: string;
  stderr_tail: string;
}

/** bench/measure.py around the CLI, spawned asynchronously: the proxy lives in this process. */
function measure(args: string[]): Promise<Measured> {
  return new Promise((done, fail) => {
    const child = spawn('python3', ['bench/measure.py', process.execPath, ...args]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      if (code !== 0) return fail(new Error(`measure.py exited ${code}: ${err}`));
      done(JSON.parse(out) as Measured);
    });
  });
}

interface SoakResult {
  videos: number;
  measured: Measured;
  verdict: string;
  complete: boolean;
  lines: number;
  unique: number;
  missing: number;
  unexpected: number;
  numVideos: number;
  errors: number;
  errorsByKind: Record<string, number>;
  unparsed: number;
  proxyFaults: Record<string, number>;
  proxyRequests: number;
  unhandled: number;
  problems: string[];
}

async function soak(videos: number, label: string): Promise<SoakResult> {
  const rows = syntheticRows(videos, 42 + SEED);
  const dataset = join(dir, `videophy2-soak-${label}.csv`);
  writeFileSync(dataset, toCsv(rows));
  const out = join(dir, `out-${label}`);
  rmSync(out, { recursive: true, force: true });
  rmSync(hookLog, { force: true });
  const sim = await startSimProcess([
    '--answer-key',
    dataset,
    '--seed',
    String(SEED),
    '--latency-ms',
    '0-5',
    '--server-error-rate',
    String(RATE * 0.3),
    '--unparseable-rate',
    String(RATE * 0.1),
    '--reasoning-only-rate',
    String(RATE * 0.05),
    '--length-rate',
    String(RATE * 0.05),
  ]);
  const proxy = await startFaultProxy({
    upstream: sim.baseUrl.replace(/\/v1$/, ''),
    plan: plans.rate(RATE / 2, SOAK_PROXY_FAULTS, SEED),
    retryAfterS: 1,
  });
  try {
    const measured = await measure([
      '--import',
      hook,
      'dist/cli/index.js',
      'eval',
      '--base-url',
      proxy.baseUrl,
      '--dataset',
      dataset,
      '--output-dir',
      out,
      '--concurrency',
      String(CONCURRENCY),
      '--request-timeout',
      '5',
      '--max-retries',
      '3',
    ]);
    const problems: string[] = [];
    const resultsPath = join(out, 'results.jsonl');
    const summaryPath = join(out, 'summary.json');
    if (!existsSync(summaryPath)) problems.push('no summary.json');
    const summary = existsSync(summaryPath)
      ? (JSON.parse(readFileSync(summaryPath, 'utf8')) as Record<string, unknown>)
      : {};
    const lines = existsSync(resultsPath)
      ? readFileSync(resultsPath, 'utf8')
          .split('\n')
          .filter((l) => l.trim() !== '')
      : [];
    const wanted = new Set(rows.map((r) => normalizeVideoUrl(r.video_url ?? '')));
    const seen = new Set<string>();
    let unexpected = 0;
    for (const line of lines) {
      const url = normalizeVideoUrl((JSON.parse(line) as { video_url: string }).video_url);
      if (!wanted.has(url)) unexpected++;
      seen.add(url);
    }
    const missing = [...wanted].filter((u) => !seen.has(u)).length;
    const unhandled = existsSync(hookLog)
      ? readFileSync(hookLog, 'utf8')
          .split('\n---\n')
          .filter((s) => s.trim() !== '').length
      : 0;
    if (lines.length !== seen.size) problems.push(`${lines.length - seen.size} videos twice`);
    if (missing > 0) problems.push(`${missing} videos missing`);
    if (unexpected > 0) problems.push(`${unexpected} videos not in the dataset`);
    if (summary.num_videos !== lines.length)
      problems.push(`summary.num_videos ${String(summary.num_videos)} != ${lines.length} lines`);
    if (unhandled > 0) problems.push(`${unhandled} unhandled rejections`);
    if (measured.code !== 0) problems.push(`gate exited ${measured.code}: ${measured.stderr_tail}`);
    return {
      videos,
      measured,
      verdict: String(summary.verdict),
      complete: summary.complete === true,
      lines: lines.length,
      unique: seen.size,
      missing,
      unexpected,
      numVideos: Number(summary.num_videos),
      errors: Number(summary.num_errors),
      errorsByKind: (summary.errors_by_kind ?? {}) as Record<string, number>,
      unparsed: Number(summary.num_unparsed),
      proxyFaults: Object.fromEntries(
        Object.entries(proxy.counts).filter(([k, v]) => k !== 'forwarded' && v > 0),
      ),
      proxyRequests: proxy.chatRequests,
      unhandled,
      problems,
    };
  } finally {
    await proxy.close();
    sim.child.kill('SIGTERM');
  }
}

const results: SoakResult[] = [];
if (SMALL) results.push(await soak(Math.max(100, Math.round(N / 10)), 'small'));
results.push(await soak(N, 'full'));

const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
console.log(
  `\nSoak: ${CONCURRENCY} concurrent requests, fault rate ${RATE} (half simulator, half proxy), Node ${process.version}, ${cpus().length} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB\n`,
);
console.log(
  '| videos | wall s | videos/s | gate peak RSS MB | chat requests | proxy faults | verdict | errors (by kind) | unparsed | in results.jsonl | twice | missing | unhandled rejections |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  const faults = Object.values(r.proxyFaults).reduce((a, b) => a + b, 0);
  const kinds = Object.entries(r.errorsByKind)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  console.log(
    `| ${r.videos} | ${r.measured.wall_s.toFixed(1)} | ${(r.videos / r.measured.wall_s).toFixed(0)} | ${r.measured.max_rss_mb.toFixed(0)} | ${r.proxyRequests} | ${faults} | ${r.verdict}${r.complete ? '' : ' (partial)'} | ${r.errors}${kinds ? ` (${kinds})` : ''} | ${r.unparsed} | ${r.unique} | ${r.lines - r.unique} | ${r.missing} | ${r.unhandled} |`,
  );
}
const last = results[results.length - 1];
if (last) {
  console.log(
    `\nProxy faults (full run): ${Object.entries(last.proxyFaults)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
}
const failed = results.flatMap((r) => r.problems.map((p) => `${r.videos} videos: ${p}`));
if (failed.length > 0) {
  console.error(`\nSOAK FAILED:\n- ${failed.join('\n- ')}`);
  process.exitCode = 1;
} else {
  console.log('\nEvery video accounted for exactly once; no unhandled rejection.');
}
