import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAnswerKey } from '../../src/cli/answer-key.js';
import { useSimulators } from '../helpers/simulators.js';
import { useTmp } from '../helpers/tmp.js';
import { cli } from '../helpers/cli.js';

const SAMPLE = 'examples/videophy2-sample.csv';
const BASELINE = 'examples/baseline.json';
/** The bundled baseline's accuracy as the table prints it (the file is regenerated with the demo). */
const BASE_ACCURACY = (
  JSON.parse(readFileSync(BASELINE, 'utf8')) as { summary: { accuracy: number } }
).summary.accuracy.toFixed(4);
const tmp = useTmp();
const simulator = useSimulators();

async function evalArgs(accuracy: number, dir: string): Promise<string[]> {
  const sim = await simulator({ answerKey: await loadAnswerKey(SAMPLE), accuracy, seed: 0 });
  return [
    'eval',
    '--base-url',
    sim.baseUrl,
    '--dataset',
    SAMPLE,
    '--baseline',
    BASELINE,
    '--output-dir',
    dir,
  ];
}

describe('eval output in a terminal', () => {
  it('a compact report, the verdict first and last; the markdown goes to report.md', async () => {
    const dir = tmp();
    const r = await cli(await evalArgs(0.25, dir));
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('verdict: regression (exit 1)');
    const start = lines.findIndex((l) => l.startsWith('VideoPhy-2 gate: '));
    expect(lines[start]).toBe('VideoPhy-2 gate: regression (significance decision)');
    expect(r.stdout).toMatch(
      new RegExp(
        `^accuracy +${BASE_ACCURACY} +0\\.\\d{4} +-0\\.\\d{4} +-0\\.\\d{3} to -0\\.\\d{3} \\(95%\\) +max drop 0\\.030 +regression$`,
        'm',
      ),
    );
    expect(r.stdout).toMatch(/^right before, not now \(\d+\):$/m);
    expect(r.stdout).toContain(`report   ${join(dir, 'report.md')}`);
    // None of the PR comment's markup reaches the terminal.
    for (const markup of ['<!--', '<details', '```mermaid', '&lt;', '\u200b', '|---', '###'])
      expect(r.stdout).not.toContain(markup);
    expect(r.stdout).not.toContain('\x1b['); // NO_COLOR
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toMatch(/VideoPhy-2 gate: regression/);
    expect(md).toContain('<!--');
  });

  it('--json prints only the summary, the same as summary.json; progress goes to stderr', async () => {
    const dir = tmp();
    const r = await cli([...(await evalArgs(0.42, dir)), '--json']);
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as { verdict: string; num_videos: number };
    expect(printed).toEqual(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')));
    expect(printed).toMatchObject({ verdict: 'improvement', num_videos: 300 });
    expect(r.stderr).toMatch(/Scoring 300 videos/);
    expect(existsSync(join(dir, 'report.md'))).toBe(true);
  });

  it('--quiet prints only the verdict line', async () => {
    const r = await cli([...(await evalArgs(0.25, tmp())), '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('verdict: regression (exit 1)');
  });

  it('comment DIR re-reports a finished run; merge DIR makes one summary of shards', async () => {
    const dir = tmp();
    await cli([...(await evalArgs(0.25, dir)), '--quiet']);
    const again = await cli(['comment', dir, '--baseline', BASELINE, '--quiet']);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('verdict: regression (exit 1)');
    const [a, b, merged] = [tmp(), tmp(), tmp()];
    await cli([...(await evalArgs(0.42, a)), '--shard', '1/2', '--quiet']);
    await cli([...(await evalArgs(0.42, b)), '--shard', '2/2', '--quiet']);
    const m = await cli(['merge', a, b, '--baseline', BASELINE, '--output-dir', merged]);
    expect(m.code, m.stderr).toBe(0);
    expect(m.stdout.trimEnd().split('\n').at(-1)).toBe('verdict: improvement (exit 0)');
    expect(m.stdout).toMatch(/: 300 videos, 300 parsed/);
  });

  it('demo --output-dir=DIR writes there (the = form is the same flag), ending in the verdict line', async () => {
    const dir = tmp();
    const r = await cli(['demo', `--output-dir=${dir}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('verdict: improvement (exit 0)');
    expect(existsSync(join(dir, 'summary.json'))).toBe(true);
    expect(existsSync(join(dir, 'report.md'))).toBe(true);
  });
});
