/**
 * npm run bench: the gate's own overhead against the simulator at zero service time, on the full-size set
 * (3,397 synthetic rows in the real schema). The simulator runs in its own process so the figures are the
 * gate's alone: wall time, requests/s, client CPU per request and peak RSS of `node dist/cli/index.js eval`.
 * Also run: concurrency 1, what a simple loop would do, for the ratio.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { syntheticRows, toCsv } from '../scripts/synthetic.js';

const N = Number(process.env.BENCH_ROWS ?? 3397);
const dir = '.bench';
mkdirSync(dir, { recursive: true });
const dataset = join(dir, 'videophy2-synthetic.csv');
writeFileSync(dataset, toCsv(syntheticRows(N, 42)));

const sim = spawn(
  process.execPath,
  ['dist/cli/index.js', 'simulate', '--port', '0', '--answer-key', dataset],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const baseUrl = await new Promise<string>((resolve, reject) => {
  let out = '';
  sim.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /at (http:\/\/\S+\/v1)/.exec(out);
    if (m?.[1]) resolve(m[1]);
  });
  sim.on('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
});

interface Measure {
  code: number;
  wall_s: number;
  cpu_s: number;
  max_rss_mb: number;
  stdout_tail: string;
  stderr_tail: string;
}
function measure(concurrency: number): Measure {
  const args = [
    'dist/cli/index.js',
    'eval',
    '--base-url',
    baseUrl,
    '--dataset',
    dataset,
    '--baseline',
    join(dir, 'none.json'),
    '--output-dir',
    join(dir, `out-c${concurrency}`),
    '--concurrency',
    String(concurrency),
  ];
  const r = spawnSync('python3', ['bench/measure.py', process.execPath, ...args], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`measure failed: ${r.stderr}`);
  const m = JSON.parse(r.stdout) as Measure;
  if (m.code !== 0) throw new Error(`gate exited ${m.code}: ${m.stderr_tail}${m.stdout_tail}`);
  return m;
}

try {
  const rows: string[] = [];
  const results: Record<number, Measure> = {};
  for (const c of [16, 64, 1]) {
    const m = measure(c);
    results[c] = m;
    rows.push(
      `| ${c}${c === 16 ? ' (default)' : c === 1 ? ' (naive loop)' : ''} | ${m.wall_s.toFixed(2)} | ${(N / m.wall_s).toFixed(0)} | ${((1000 * m.cpu_s) / N).toFixed(3)} | ${m.max_rss_mb.toFixed(0)} |`,
    );
  }
  const ratio = (results[1]?.wall_s ?? NaN) / (results[16]?.wall_s ?? NaN);
  console.log(
    `videophy-gate bench: ${N} videos, simulator at zero service time in its own process`,
  );
  console.log(
    `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}\n`,
  );
  console.log('| concurrency | wall s | videos/s | client CPU ms/video | peak RSS MB |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
  console.log(`\ndefault concurrency vs naive loop: ${ratio.toFixed(1)}x faster`);
  const d = results[16];
  if (d)
    console.log(
      `targets (issue: full set < 5 s wall, < 200 MB RSS): ${d.wall_s < 5 ? 'met' : 'MISSED'} / ${d.max_rss_mb < 200 ? 'met' : 'MISSED'}`,
    );
} finally {
  sim.kill('SIGTERM');
}
