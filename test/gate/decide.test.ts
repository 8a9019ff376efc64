import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse.js';
import { runMode } from '../../src/modes.js';
import { exitDecision } from '../../src/verdict/exit.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { gateWith, writeDataset, reportOf } from '../helpers/gate.js';
import { recordingLogger } from '../helpers/logger.js';
import { useSimulators } from '../helpers/simulators.js';
import { useTmp } from '../helpers/tmp.js';

const start = useSimulators();
const tmp = useTmp();
let gh: FakeGitHub | undefined;
afterEach(async () => {
  await gh?.close();
  gh = undefined;
});

/** A baseline from the simulator at accuracy 0.40 (seed 0), then candidates of the same "checkpoint" (same seed). */
async function withBaseline(n: number) {
  const dir = tmp();
  const { path, key } = writeDataset(dir, n, 5);
  const baseline = join(dir, 'baseline.json');
  const sim = await start({ answerKey: key, accuracy: 0.4, seed: 0 });
  await gateWith({
    'base-url': sim.baseUrl,
    dataset: path,
    'write-baseline': baseline,
    'output-dir': join(dir, 'base'),
  });
  await sim.close();
  const candidate = async (accuracy: number, inputs: Record<string, string> = {}) => {
    const s = await start({ answerKey: key, accuracy, seed: 0 });
    return gateWith({
      'base-url': s.baseUrl,
      dataset: path,
      baseline,
      'output-dir': join(dir, `c${Math.random().toString(36).slice(2)}`),
      ...inputs,
    });
  };
  return { dir, path, key, baseline, candidate };
}

describe('decision significance (paired against per-video baseline predictions)', () => {
  it('a real drop on the full-size set is a regression, with intervals and p-values recorded', async () => {
    const { candidate } = await withBaseline(1500);
    const { outcome } = await candidate(0.34);
    const s = outcome.summary;
    expect(s.decision).toBe('significance');
    expect(s.verdict).toBe('regression');
    const acc = s.checks.find((c) => c.metric === 'accuracy');
    expect(acc?.paired?.ci?.upper).toBeLessThan(0);
    expect(acc?.paired?.p_value).toBeLessThan(0.05);
    // every reply parses, so alpha is shared by accuracy and Pearson: the 97.5% upper bound is below -t
    expect(acc?.paired?.bound).toMatchObject({ side: 'upper', level: 0.975, against: -0.03 });
    expect(acc!.paired!.bound!.value).toBeLessThan(-0.03);
    expect(reportOf(outcome)).toMatch(
      /\*\*regression\*\* \(upper\u00a0−0\.\d{4}\u00a0<\u00a0−0\.0300, 97\.5%\) \|/,
    );
    expect(s.significance).toMatchObject({ alpha: 0.05, paired: 1500, both_parsed: 1500 });
    // The paired numbers are the verdict table's rows: interval and p filled in.
    expect(reportOf(outcome)).toMatch(/Paired on the videos both runs parsed/);
    expect(reportOf(outcome)).toMatch(
      /^\| Accuracy \| [\d.]+ \| [\d.]+ \| 🔴\u00a0−[\d.]+ \| −[\d.]+\u00a0…\u00a0−[\d.]+ \| [\d.<\u00a0]+ \| \*\*regression\*\*/m,
    );
  });

  it('the same checkpoint again is a pass (or better), never a regression', async () => {
    const { candidate } = await withBaseline(600);
    const { outcome } = await candidate(0.4);
    expect(['pass', 'inconclusive']).toContain(outcome.summary.verdict);
    expect(outcome.summary.checks.find((c) => c.metric === 'accuracy')?.delta).toBe(0);
  });

  it('a 300-video subset says inconclusive with how many videos would decide it; fail-on-inconclusive fails', async () => {
    const { candidate } = await withBaseline(1500);
    // A true drop of 0.025, within the 0.03 tolerance: 300 videos can neither show it nor rule out 0.03.
    const { outcome } = await candidate(0.375, { limit: '300' });
    expect(outcome.summary.verdict).toBe('inconclusive');
    expect(outcome.summary.reasons[0]).toMatch(
      /^Inconclusive on 300 paired videos: for accuracy \(-0\.\d{3}\) a drop of more than 0\.\d{3} is ruled out; 0\.030 is not.*: about [\d,]+ videos would decide it/,
    );
    // the report shows the one-sided bound the verdict rests on
    expect(reportOf(outcome)).toMatch(
      /inconclusive \(lower\u00a0−0\.\d{4}\u00a0<\u00a0−0\.0300, 95%\) \|/,
    );
    expect(
      exitDecision(outcome.summary, { failOnRegression: true, failOnInconclusive: false }).fail,
    ).toBe(false);
    expect(
      exitDecision(outcome.summary, { failOnRegression: true, failOnInconclusive: true }).fail,
    ).toBe(true);
  });

  it('a baseline made with other settings is refused before any request; allow-incomparable compares with a warning', async () => {
    const { dir, path, key, baseline } = await withBaseline(60);
    const sim = await start({ answerKey: key });
    const inputs = {
      'base-url': sim.baseUrl,
      dataset: path,
      baseline,
      'output-dir': join(dir, 'x'),
      fps: '8',
      'max-tokens': '512',
    };
    await expect(gateWith(inputs)).rejects.toThrow(
      /was made differently:[\s\S]*fps[\s\S]*max_tokens[\s\S]*Refusing to compare/,
    );
    expect(sim.stats.chatRequests).toBe(0);
    const anyway = await gateWith({ ...inputs, 'allow-incomparable': 'true' });
    expect(anyway.log.text()).toMatch(
      /warning: the baseline .* was made differently[\s\S]*Comparing anyway/,
    );
    expect(anyway.outcome.summary.comparability).toMatchObject({
      comparable: false,
      overridden: true,
    });
    expect(anyway.outcome.summary.reasons.join(' ')).toMatch(/allow-incomparable/);
  });

  it('a recipe summary.json baseline decides by threshold; decision significance with it is refused', async () => {
    const dir = tmp();
    const { path, key } = writeDataset(dir, 40);
    const recipe = join(dir, 'summary.json');
    writeFileSync(recipe, '{"accuracy": 0.2, "pearson_correlation": 0.1, "num_samples": 40}');
    const sim = await start({ answerKey: key });
    const { outcome } = await gateWith({
      'base-url': sim.baseUrl,
      dataset: path,
      baseline: recipe,
      'output-dir': join(dir, 'a'),
    });
    expect(outcome.summary.decision).toBe('threshold');
    await expect(
      gateWith({
        'base-url': sim.baseUrl,
        dataset: path,
        baseline: recipe,
        'output-dir': join(dir, 'b'),
        decision: 'significance',
      }),
    ).rejects.toThrow(
      /decision significance needs a baseline with per-video predictions; .*summary\.json is a recipe-summary/,
    );
  });

  it('a baseline from another dataset (same URLs, other human scores) is an error, not a verdict', async () => {
    const { dir, path, baseline, candidate } = await withBaseline(50);
    const doc = JSON.parse(readFileSync(baseline, 'utf8')) as {
      predictions: { ground_truth: number }[];
    };
    for (const p of doc.predictions.slice(0, 10))
      p.ground_truth = p.ground_truth === 5 ? 1 : p.ground_truth + 1;
    writeFileSync(baseline, JSON.stringify(doc));
    void dir;
    void path;
    const { outcome } = await candidate(0.4, { 'allow-incomparable': 'true' });
    expect(outcome.summary.verdict).toBe('error');
    expect(outcome.summary.reasons[0]).toMatch(/cannot be paired/);
  });
});

describe('baseline lifecycle', () => {
  it('update-baseline keeps a bounded history for the trend; a regression does not become the baseline', async () => {
    const { candidate, baseline } = await withBaseline(300);
    for (const acc of [0.41, 0.42, 0.43])
      await candidate(acc, { 'update-baseline': 'true', 'baseline-history': '3' });
    const doc = JSON.parse(readFileSync(baseline, 'utf8')) as {
      history: { accuracy: number }[];
      summary: { accuracy: number };
    };
    expect(doc.history).toHaveLength(3);
    expect(doc.history.map((h) => h.accuracy)).toEqual(
      [...doc.history.map((h) => h.accuracy)].sort(),
    );
    const last = await candidate(0.2, { 'update-baseline': 'true' });
    expect(last.outcome.summary.verdict).toBe('regression');
    expect(last.log.text()).toMatch(/Not updating the baseline: the verdict is regression/);
    expect(
      (JSON.parse(readFileSync(baseline, 'utf8')) as { summary: { accuracy: number } }).summary
        .accuracy,
    ).toBe(doc.summary.accuracy);
    const trend = await candidate(0.43);
    expect(reportOf(trend.outcome)).toMatch(
      /Trend across checkpoints[\s\S]*xychart-beta[\s\S]*line "accuracy" \[/,
    );
  });

  it('baseline-branch commits the baseline through the GitHub contents API, with a message naming the checkpoint', async () => {
    const { dir, path, key, baseline } = await withBaseline(40);
    gh = await FakeGitHub.start();
    gh.addToken('ghs_main', { login: 'github-actions[bot]', canReadUser: false });
    const sim = await start({
      answerKey: key,
      accuracy: 0.45,
      seed: 0,
      model: 'org/critic-step-80',
    });
    const inputs: Record<string, string> = {
      'base-url': sim.baseUrl,
      dataset: path,
      baseline,
      'output-dir': join(dir, 'main'),
      'update-baseline': 'true',
      'baseline-branch': 'main',
      'github-token': 'ghs_main',
    };
    const config = parseConfig((n) => inputs[n] ?? '', {
      GITHUB_API_URL: gh.apiUrl,
      GITHUB_REPOSITORY: 'acme/critic',
      GITHUB_WORKSPACE: dir,
    });
    await runMode(config, { log: recordingLogger() });
    await runMode(config, { log: recordingLogger() });
    const committed = [...gh.files.entries()];
    expect(committed).toHaveLength(1);
    const [where, file] = committed[0]!;
    expect(where).toBe('acme/critic@main:baseline.json');
    expect(file.message).toMatch(
      /^videophy-gate: baseline from org\/critic-step-80 \(accuracy 0\.\d{4}, Pearson 0\.\d{4}\)$/,
    );
    expect(JSON.parse(file.content)).toMatchObject({
      schema: 'videophy-gate/baseline',
      version: 1,
    });
    expect(gh.calls.filter((c) => c.method === 'PUT')).toHaveLength(2);
    // A failed commit (read-only token) is a warning; the run's result stands and the file is still written.
    gh.addToken('ghs_ro', { login: 'github-actions[bot]', canReadUser: false, canWrite: false });
    const log = recordingLogger();
    const ro = parseConfig((n) => ({ ...inputs, 'github-token': 'ghs_ro' })[n] ?? '', {
      GITHUB_API_URL: gh.apiUrl,
      GITHUB_REPOSITORY: 'acme/critic',
      GITHUB_WORKSPACE: dir,
    });
    const outcome = await runMode(ro, { log });
    expect(outcome.summary.verdict).not.toBe('error');
    expect(log.text()).toMatch(
      /warning: The baseline was written to .* but not committed to main: .*HTTP 403.*contents: write/,
    );
  });
});
