import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAnswerKey } from '../../src/cli/answer-key.js';
import { useSimulators } from '../helpers/simulators.js';
import { useTmp } from '../helpers/tmp.js';

// Through the bundle (`npm run build` first): a real process receiving a real SIGINT, as from Ctrl-C.
const SAMPLE = 'examples/videophy2-sample.csv';
const tmp = useTmp();
const simulator = useSimulators();
const env = { PATH: process.env.PATH ?? '', HOME: '/tmp', NO_COLOR: '1' };

function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, args, { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) =>
    child.on('close', (status) => resolve({ status, stdout, stderr })),
  );
}

describe('Ctrl-C during videophy-gate eval (dist/cli/index.js)', () => {
  it('exits 130 with a resume hint; the same command then resumes and finishes', async () => {
    const sim = await simulator({
      answerKey: await loadAnswerKey(SAMPLE),
      accuracy: 0.42,
      latencyMs: 50,
      capacity: 4,
    });
    const dir = tmp();
    const args = [
      'dist/cli/index.js',
      'eval',
      '--base-url',
      sim.baseUrl,
      '--dataset',
      SAMPLE,
      '--output-dir',
      dir,
      '--concurrency',
      '4',
    ];
    const child = spawn(process.execPath, args, { env });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      // Interrupt once scoring is under way (the first progress line), once: a second Ctrl-C exits at once.
      if (!sent && /\d+\/300 videos/.test(stdout)) sent = child.kill('SIGINT');
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stdout + stderr).toBe(130);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('verdict: error (exit 130)');
    expect(stderr).toMatch(
      new RegExp(
        `^error: interrupted: the finished videos are kept in ${dir}/results\\.jsonl; rerun the same command to resume$`,
        'm',
      ),
    );
    const kept = readFileSync(join(dir, 'results.jsonl'), 'utf8').trim().split('\n').length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(300);

    // Not spawnSync: the simulator answers from this process's event loop.
    const again = await run(args);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout.trimEnd().split('\n').at(-1)).toBe('verdict: no-baseline (exit 0)');
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as {
      resumed: number;
      num_videos: number;
    };
    expect(summary.num_videos).toBe(300);
    expect(summary.resumed).toBeGreaterThan(0);
  }, 60_000);

  it('SIGTERM (a stopped job or container) is exit 143, with the same hint', async () => {
    const sim = await simulator({
      answerKey: await loadAnswerKey(SAMPLE),
      latencyMs: 50,
      capacity: 4,
    });
    const dir = tmp();
    const child = spawn(
      process.execPath,
      [
        'dist/cli/index.js',
        'eval',
        '--base-url',
        sim.baseUrl,
        '--dataset',
        SAMPLE,
        '--output-dir',
        dir,
        '--quiet',
      ],
      { env },
    );
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // --quiet prints nothing while scoring: wait for the first rows on disk.
    const timer = setInterval(() => {
      try {
        if (readFileSync(join(dir, 'results.jsonl'), 'utf8').length > 0) {
          clearInterval(timer);
          child.kill('SIGTERM');
        }
      } catch {
        // not written yet
      }
    }, 20);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearInterval(timer);
    expect(code, stderr).toBe(143);
    expect(stdout).toBe('verdict: error (exit 143)\n');
    expect(stderr).toMatch(/rerun the same command to resume$/m);
  }, 60_000);
});
