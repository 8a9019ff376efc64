/**
 * npm run bench. Two questions, one run, figures printed as markdown tables:
 *  1. overhead: the gate's own cost against the simulator at zero service time (3,397 synthetic rows):
 *     wall time, videos/s, client CPU per video, peak RSS; and a naive loop (concurrency 1) for the ratio.
 *  2. saturation: the simulator with a capacity model (B requests served at once, a service time per
 *     video, the rest queued, like vLLM): makespan / ideal, where ideal = total service work / (B x endpoints),
 *     for 1 and 4 endpoints, with one endpoint 3x slower, and the naive loop.
 *  3. client: the product's VllmClient (the `openai` package) next to a raw undici `request` loop
 *     (bench/raw-undici-client.ts), each alone in a child process on the same requests: CPU per video and
 *     peak RSS, as a ratio measured in the same run.
 *  4. sweep: a checkpoint sweep's makespan against the capacity model's ideal (bench/sweep.ts), on the first
 *     BENCH_SWEEP_ROWS videos (default 600).
 * Set BENCH_ROWS to change the size (default 3,397); BENCH_ONLY=client or sweep runs that part alone.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { defaultSimulatorOptions, decideLatencyMs } from '../src/simulator/index.js';
import { syntheticRows, toCsv } from '../scripts/synthetic.js';
import { measureClient, measureEval, startSimProcess, type SimProcess } from './lib.js';
import { sweepTable } from './sweep.js';

const N = Number(process.env.BENCH_ROWS ?? 3397);
const dir = '.bench';
mkdirSync(dir, { recursive: true });
const rows = syntheticRows(N, 42);
const dataset = join(dir, 'videophy2-synthetic.csv');
writeFileSync(dataset, toCsv(rows));
const common = { dataset };
const sims: SimProcess[] = [];
const sim = async (args: string[]): Promise<SimProcess> => {
  const s = await startSimProcess(['--answer-key', dataset, ...args]);
  sims.push(s);
  return s;
};

function overheadTable(baseUrl: string): string[] {
  const lines = [
    '| concurrency | wall s | videos/s | client CPU ms/video | peak RSS MB |',
    '| --- | --- | --- | --- | --- |',
  ];
  const wall: Record<number, number> = {};
  for (const c of [16, 64, 1]) {
    const m = measureEval(
      { ...common, 'base-url': baseUrl, concurrency: String(c) },
      join(dir, `overhead-c${c}`),
    );
    wall[c] = m.wall_s;
    const label = c === 16 ? '16 (default)' : c === 1 ? '1 (naive loop)' : String(c);
    lines.push(
      `| ${label} | ${m.wall_s.toFixed(2)} | ${(N / m.wall_s).toFixed(0)} | ${((1000 * m.cpu_s) / N).toFixed(3)} | ${m.max_rss_mb.toFixed(0)} |`,
    );
  }
  lines.push(
    '',
    `default concurrency vs naive loop at zero service time: ${((wall[1] ?? 0) / (wall[16] ?? 1)).toFixed(1)}x`,
  );
  return lines;
}

/** Both clients on the same requests, each in its own process (a shared heap would blur peak RSS). */
function clientTable(baseUrl: string): string[] {
  const urlsFile = join(dir, 'client-urls.json');
  writeFileSync(urlsFile, JSON.stringify(rows.map((r) => r.video_url ?? '')));
  const lines = [
    '| client | concurrency | wall s | client CPU ms/video | peak RSS MB |',
    '| --- | --- | --- | --- | --- |',
  ];
  const ratios: string[] = [];
  for (const c of [16, 256]) {
    const m = {
      raw: measureClient('raw', baseUrl, urlsFile, c),
      openai: measureClient('openai', baseUrl, urlsFile, c),
    };
    for (const [label, x] of [
      ['raw undici request loop (reference)', m.raw],
      ['VllmClient (openai)', m.openai],
    ] as const) {
      lines.push(
        `| ${label} | ${c} | ${x.wall_s.toFixed(2)} | ${((1000 * x.cpu_s) / N).toFixed(3)} | ${x.max_rss_mb.toFixed(0)} |`,
      );
    }
    ratios.push(
      `concurrency ${c}: openai / raw CPU ${(m.openai.cpu_s / m.raw.cpu_s).toFixed(2)}x, peak RSS ${(m.openai.max_rss_mb / m.raw.max_rss_mb).toFixed(2)}x`,
    );
  }
  lines.push('', ...ratios, 'targets for VllmClient: CPU <= 1 ms/video, peak RSS <= 350 MB');
  return lines;
}

// Capacity model: B = 8 slots per endpoint, service 50-150 ms per video (deterministic per URL). Service
// times are long enough that five processes on a 2-core machine measure dispatch, not CPU contention.
const B = 8;
const SERVICE = { min: 50, max: 150 };
const serviceOf = (url: string): number =>
  decideLatencyMs({ ...defaultSimulatorOptions, latencyMs: SERVICE }, url, 0);
const work = rows.reduce((sum, r) => sum + serviceOf(r.video_url ?? ''), 0);
const NAIVE_ROWS = Math.min(300, N);
const capacityArgs = (slow = 1) => [
  '--capacity',
  String(B),
  '--latency-ms',
  `${SERVICE.min * slow}-${SERVICE.max * slow}`,
];

async function saturationTable(): Promise<string[]> {
  const lines = [
    '| setup | makespan s | ideal s | makespan / ideal |',
    '| --- | --- | --- | --- |',
  ];
  const run = (label: string, urls: string[], ideal: number, concurrency = '16'): number => {
    const m = measureEval(
      { ...common, 'base-url': urls.join(','), concurrency },
      join(dir, `sat-${label.replace(/\W+/g, '-')}`),
    );
    const makespan = Number(m.summary.scoring_s);
    lines.push(
      `| ${label} | ${makespan.toFixed(2)} | ${(ideal / 1000).toFixed(2)} | ${((1000 * makespan) / ideal).toFixed(3)} |`,
    );
    return makespan;
  };
  // Fresh simulators for every setup: a simulator draws a retried URL's service time anew, so one that has
  // seen the videos before would no longer match the work the ideal is computed from.
  const fresh = async (slowness: number[]): Promise<string[]> => {
    const started = await Promise.all(slowness.map((k) => sim(capacityArgs(k))));
    return started.map((x) => x.baseUrl);
  };
  const done = (): void => {
    for (const x of sims.splice(0)) x.child.kill('SIGTERM');
  };
  const t1 = run('1 endpoint, default concurrency', await fresh([1]), work / B);
  done();
  const t4 = run('4 endpoints, default concurrency', await fresh([1, 1, 1, 1]), work / (4 * B));
  done();
  // Fluid ideal for unequal servers: work / sum of their rates (one at a third of the speed).
  run('4 endpoints, one 3x slower', await fresh([3, 1, 1, 1]), work / (B * (3 + 1 / 3)));
  done();
  // The naive loop on a full set would take an hour: compare both clients on the same first rows instead.
  const small = join(dir, 'videophy2-synthetic-small.csv');
  writeFileSync(small, toCsv(rows.slice(0, NAIVE_ROWS)));
  const smallWork = rows
    .slice(0, NAIVE_ROWS)
    .reduce((sum, r) => sum + serviceOf(r.video_url ?? ''), 0);
  const runSmall = async (label: string, concurrency: string): Promise<number> => {
    const m = measureEval(
      { ...common, dataset: small, 'base-url': (await fresh([1]))[0] ?? '', concurrency },
      join(dir, `sat-small-c${concurrency}`),
    );
    done();
    const makespan = Number(m.summary.scoring_s);
    lines.push(
      `| ${label} | ${makespan.toFixed(2)} | ${(smallWork / B / 1000).toFixed(2)} | ${((1000 * makespan * B) / smallWork).toFixed(3)} |`,
    );
    return makespan;
  };
  const dflt = await runSmall(`1 endpoint, ${NAIVE_ROWS} videos, default concurrency`, '16');
  const naive = await runSmall(`1 endpoint, ${NAIVE_ROWS} videos, naive loop (concurrency 1)`, '1');
  lines.push(
    '',
    `speed-up 1 -> 4 endpoints: ${(t1 / t4).toFixed(2)}x (target >= 3.8x); default client vs naive loop: ${(naive / dflt).toFixed(1)}x faster`,
  );
  return lines;
}

/** Resume: kill a run at half way (SIGTERM, as a cancelled job), rerun in the same output directory. */
async function resumeLine(): Promise<string> {
  const s = await sim(capacityArgs());
  const out = join(dir, 'resume');
  rmSync(out, { recursive: true, force: true });
  const args = [
    'dist/cli/index.js',
    'eval',
    '--base-url',
    s.baseUrl,
    '--dataset',
    dataset,
    '--output-dir',
    out,
  ];
  const first = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve) => {
    let text = '';
    first.stdout.on('data', (d: Buffer) => {
      text += d.toString();
      if (/\(50\.\d%\)/.test(text)) first.kill('SIGTERM');
    });
    first.on('close', () => resolve());
  });
  const second = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const m = /resuming: (\d+) of (\d+) videos already scored, (\d+) to do/.exec(second.stdout);
  return m
    ? `resume after a SIGTERM at 50%: the rerun sent ${m[3]} of ${m[2]} requests (${m[1]} kept from the first run)`
    : `resume: no resume line in the rerun's output (exit ${second.status})`;
}

/** The sweep: every checkpoint served from scratch, on the first rows only, so it takes about a minute. */
function sweepSection(): string {
  const sweepRows = rows.slice(0, Math.min(N, Number(process.env.BENCH_SWEEP_ROWS ?? 600)));
  const sweepData = join(dir, 'videophy2-synthetic-sweep.csv');
  writeFileSync(sweepData, toCsv(sweepRows));
  const STARTUP_MS = 2000;
  return [
    `Sweep (4 checkpoints served by the gate, ${sweepRows.length} videos each, capacity ${B}, service ${SERVICE.min}-${SERVICE.max} ms, start-up ${STARTUP_MS} ms; ideal = per round of GPU groups, work / ${B} + start-up):`,
    '',
    ...sweepTable({
      dir: join(dir, 'sweep'),
      dataset: sweepData,
      workMs: sweepRows.reduce((sum, r) => sum + serviceOf(r.video_url ?? ''), 0),
      capacity: B,
      latency: SERVICE,
      checkpoints: 4,
      startupMs: STARTUP_MS,
    }),
  ].join('\n');
}

try {
  console.log(
    `videophy-gate bench: ${N} videos; machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}\n`,
  );
  if (process.env.BENCH_ONLY === 'sweep') {
    console.log(sweepSection());
    process.exit(0);
  }
  const zero = await sim([]);
  console.log('Client (simulator at zero service time, each client alone in a child process):\n');
  console.log(clientTable(zero.baseUrl).join('\n'));
  if (process.env.BENCH_ONLY === 'client') process.exit(0);
  console.log('\nOverhead (simulator at zero service time, in its own process):\n');
  console.log(overheadTable(zero.baseUrl).join('\n'));
  console.log(
    `\nSaturation (capacity ${B} per endpoint, service ${SERVICE.min}-${SERVICE.max} ms per video):\n`,
  );
  console.log((await saturationTable()).join('\n'));
  console.log(`\n${await resumeLine()}`);
  console.log(`\n${sweepSection()}`);
} finally {
  for (const s of sims) s.child.kill('SIGTERM');
}
