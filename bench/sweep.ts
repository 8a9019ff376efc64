/**
 * The sweep's makespan (npm run bench): `videophy-gate sweep` over K simulated checkpoints, each served by the
 * gate itself (`videophy-gate serve` standing in for vllm serve, with the capacity model and a start-up
 * delay), one at a time and two side by side (sweep-gpus). The ideal is what the servers cannot avoid: per
 * checkpoint its service work at capacity (work / B) plus its start-up, those of one GPU group in a row,
 * the groups in parallel. makespan / ideal is then the sweep's own cost: spawning, readiness polling, the
 * fidelity probes, the dataset read once per checkpoint, stopping, the pick.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface SweepBench {
  /** Where the checkpoints and results go (emptied first). */
  dir: string;
  dataset: string;
  /** Milliseconds of service the K checkpoints' servers spend on the dataset, each (the same videos). */
  workMs: number;
  capacity: number;
  latency: { min: number; max: number };
  checkpoints: number;
  startupMs: number;
}

function runSweep(
  b: SweepBench,
  label: string,
  gpus: string[],
): { makespan: number; ideal: number } {
  const root = resolve(b.dir, label);
  rmSync(root, { recursive: true, force: true });
  for (let k = 1; k <= b.checkpoints; k++) {
    const ckpt = join(root, 'ckpts', `step_${k * 20}`);
    mkdirSync(ckpt, { recursive: true });
    // Each its own accuracy, so the pick has something to do; the capacity model and start-up for all.
    writeFileSync(
      join(ckpt, 'videophy-simulator.args'),
      `--answer-key ${resolve(b.dataset)} --accuracy ${(0.3 + 0.02 * k).toFixed(2)} --capacity ${b.capacity} --latency-ms ${b.latency.min}-${b.latency.max} --ready-after-ms ${b.startupMs}\n`,
    );
  }
  const out = join(root, 'out');
  const r = spawnSync(
    process.execPath,
    [
      'dist/cli/index.js',
      'sweep',
      join(root, 'ckpts', 'step_*'),
      '--vllm-command',
      `${process.execPath} ${resolve('dist/cli/index.js')}`,
      '--dataset',
      b.dataset,
      '--output-dir',
      out,
      ...(gpus.length > 0 ? ['--sweep-gpus', gpus.join('\n')] : []),
      '--quiet',
    ],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  if (r.status !== 0) throw new Error(`sweep bench (${label}) exited ${r.status}: ${r.stderr}`);
  const sweep = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')) as {
    started_at: string;
    finished_at: string;
  };
  const makespan = (Date.parse(sweep.finished_at) - Date.parse(sweep.started_at)) / 1000;
  const perCheckpoint = b.workMs / b.capacity + b.startupMs;
  const rounds = Math.ceil(b.checkpoints / Math.max(1, gpus.length));
  return { makespan, ideal: (rounds * perCheckpoint) / 1000 };
}

export function sweepTable(b: SweepBench): string[] {
  const lines = [
    '| setup | makespan s | ideal s | makespan / ideal |',
    '| --- | --- | --- | --- |',
  ];
  for (const [label, gpus] of [
    [`${b.checkpoints} checkpoints, one at a time`, []],
    [`${b.checkpoints} checkpoints, 2 GPU groups side by side`, ['0', '1']],
  ] as const) {
    const m = runSweep(b, label.replace(/\W+/g, '-'), [...gpus]);
    lines.push(
      `| ${label} | ${m.makespan.toFixed(2)} | ${m.ideal.toFixed(2)} | ${(m.makespan / m.ideal).toFixed(3)} |`,
    );
  }
  return lines;
}
