import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAnswerKey } from '../../src/cli/answer-key.js';
import type { Summary } from '../../src/core/summary.js';
import { useSimulators } from '../helpers/simulators.js';
import { useTmp } from '../helpers/tmp.js';
import { cli } from '../helpers/cli.js';

const SAMPLE = 'examples/videophy2-sample.csv';
const BASELINE = 'examples/baseline.json';
const tmp = useTmp();
const simulator = useSimulators();

/** A finished run of the gate in DIR (against the bundled baseline), as a user would have one. */
async function run(accuracy: number, extra: string[] = []): Promise<string> {
  const dir = tmp();
  const sim = await simulator({ answerKey: await loadAnswerKey(SAMPLE), accuracy, seed: 0 });
  const r = await cli([
    'eval',
    '--base-url',
    sim.baseUrl,
    '--dataset',
    SAMPLE,
    '--baseline',
    BASELINE,
    '--output-dir',
    dir,
    '--quiet',
    ...extra,
  ]);
  expect(r.code, r.stderr).toBeLessThan(2);
  return dir;
}

const summaryOf = (dir: string): Summary =>
  JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;

describe('videophy-gate compare A B (offline, no server)', () => {
  it("baseline file vs results directory: the gate's own verdict, checks and intervals, again", async () => {
    const dir = await run(0.25);
    const r = await cli(['compare', BASELINE, dir, '--json']);
    expect(r.code).toBe(1);
    const again = JSON.parse(r.stdout) as Summary;
    const first = summaryOf(dir);
    expect(again.verdict).toBe('regression');
    expect(again.verdict).toBe(first.verdict);
    expect(again.checks).toEqual(first.checks);
    expect(again.reasons).toEqual(first.reasons);
    expect(again.significance).toEqual(first.significance);
  });

  it('two results directories: the second judged against the first, the terminal report', async () => {
    const good = await run(0.42);
    const bad = await run(0.25);
    const r = await cli(['compare', good, bad]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.find((l) => l.startsWith('VideoPhy-2 gate:'))).toBe(
      'VideoPhy-2 gate: regression (significance decision)',
    );
    const goodAccuracy = (summaryOf(good).accuracy ?? NaN).toFixed(4);
    expect(r.stdout).toMatch(
      new RegExp(`^accuracy +${goodAccuracy} +0\\.\\d{4} +-0\\.\\d{4} `, 'm'),
    );
    expect(r.stdout).toMatch(/^right before, not now \(\d+\):$/m);
    expect(lines.at(-1)).toBe('verdict: regression (exit 1)');
    // Reversed, the better run is an improvement; with a wide tolerance and threshold rule a pass.
    expect((await cli(['compare', bad, good, '--quiet'])).stdout).toBe(
      'verdict: improvement (exit 0)',
    );
    const loose = await cli([
      'compare',
      good,
      bad,
      '--decision',
      'threshold',
      '--max-accuracy-drop',
      '0.5',
      '--max-pearson-drop',
      '1',
      '--quiet',
    ]);
    expect(loose.stdout).toBe('verdict: pass (exit 0)');
  });

  it('a baseline file as B, and --markdown writes the full report', async () => {
    const out = tmp();
    const written = join(out, 'candidate-baseline.json');
    await run(0.25, ['--write-baseline', written]);
    const md = join(out, 'report.md');
    const r = await cli(['compare', BASELINE, written, '--markdown', md]);
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('verdict: regression (exit 1)');
    expect(readFileSync(md, 'utf8')).toMatch(/VideoPhy-2 gate: regression/);
  });

  it("A as the recipe's per-video files (export-recipe): paired on the same videos", async () => {
    const good = await run(0.42);
    const bad = await run(0.25);
    const recipe = join(tmp(), 'recipe');
    const exported = await cli(['export-recipe', recipe, '--results-dir', good]);
    expect(exported.code, exported.stderr).toBe(0);
    const viaRecipe = JSON.parse((await cli(['compare', recipe, bad, '--json'])).stdout) as Summary;
    const viaDir = JSON.parse((await cli(['compare', good, bad, '--json'])).stdout) as Summary;
    expect(viaRecipe.baseline?.kind).toBe('recipe-results');
    expect(viaRecipe.verdict).toBe('regression');
    // The same predictions, so the same paired statistics, whichever file layout carried them.
    expect(viaRecipe.checks).toEqual(viaDir.checks);
  });

  it('errors: a missing side, a recipe summary as the candidate', async () => {
    const missing = await cli(['compare', BASELINE, '/nonexistent/dir']);
    expect(missing.code).toBe(2);
    expect(missing.firstError).toMatch(/^error: cannot read \/nonexistent\/dir: /);
    const noA = await cli(['compare', '/nonexistent/a.json', BASELINE]);
    expect(noA.firstError).toBe(
      'error: no baseline at /nonexistent/a.json: the file or directory does not exist',
    );
  });
});

describe('videophy-gate baseline show FILE', () => {
  it('what the bundled baseline holds: settings, metrics, predictions, history', async () => {
    const r = await cli(['baseline', 'show', BASELINE]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^baseline examples\/baseline\.json \(gate-baseline\), created \d{4}-/,
    );
    expect(r.stdout).toMatch(/^model {5}nvidia\/Cosmos-Reason2-8B$/m);
    expect(r.stdout).toMatch(/^sampling {2}fps 16, total_pixels 6422528, max_tokens 2048/m);
    const s = (JSON.parse(readFileSync(BASELINE, 'utf8')) as { summary: Summary }).summary;
    expect(r.stdout).toContain(
      `\nmetrics   accuracy ${s.accuracy?.toFixed(4)}, pearson ${s.pearson_correlation?.toFixed(4)}, parse rate 1.0000, 300 parsed\n`,
    );
    expect(r.stdout).toMatch(/^videos {4}300 per-video predictions/m);
    expect(r.stdout).toMatch(/^history \(1 run, oldest first\):$/m);
  });

  it('--json: the same facts for scripts, predictions counted', async () => {
    const r = await cli(['baseline', 'show', BASELINE, '--json']);
    const doc = JSON.parse(r.stdout) as { kind: string; accuracy: number; predictions: unknown };
    expect(doc.kind).toBe('gate-baseline');
    expect(doc.predictions).toEqual({ videos: 300, errors: 0, unparsed: 0 });
  });

  it('a missing file is an error naming it', async () => {
    const r = await cli(['baseline', 'show', '/nonexistent/b.json']);
    expect(r.code).toBe(2);
    expect(r.firstError).toBe(
      'error: no baseline at /nonexistent/b.json: the file or directory does not exist',
    );
  });
});
