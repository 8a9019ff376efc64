import { reportOf } from '../helpers/gate.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse.js';
import type { ResultRow } from '../../src/core/types.js';
import { runGate } from '../../src/gate/index.js';
import {
  startSimulator,
  type Simulator,
  type SimulatorOptionsInput,
} from '../../src/simulator/index.js';
import { syntheticRows, toCsv } from '../../scripts/synthetic.js';
import { recordingLogger } from '../helpers/logger.js';
import { useTmp } from '../helpers/tmp.js';

const tmp = useTmp();
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close({ force: true });
  sim = undefined;
});

function dataset(dir: string, n = 120, seed = 1): { path: string; key: Map<string, number> } {
  const rows = syntheticRows(n, seed);
  const path = join(dir, 'videophy2.csv');
  writeFileSync(path, toCsv(rows));
  return { path, key: new Map(rows.map((r) => [r.video_url ?? '', Number(r.pc)])) };
}

async function gate(
  inputs: Record<string, string>,
  simOpts: SimulatorOptionsInput = {},
  key?: Map<string, number>,
) {
  sim = await startSimulator({ answerKey: key, record: true, ...simOpts });
  const log = recordingLogger();
  const all: Record<string, string> = {
    'base-url': sim.baseUrl,
    'server-timeout': '5',
    'request-timeout': '5',
    ...inputs,
  };
  const outcome = await runGate(
    parseConfig((n) => all[n] ?? '', {}),
    { log },
  );
  await sim.close();
  sim = undefined;
  return { outcome, log };
}

const readResults = (path: string): ResultRow[] =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as ResultRow);

describe('runGate end to end against the simulator', () => {
  it('no baseline, then the same run as its own baseline passes; files hold the recipe keys', async () => {
    const dir = tmp();
    const { path, key } = dataset(dir);
    const base = join(dir, 'baseline.json');
    const first = await gate(
      { dataset: path, baseline: base, 'output-dir': join(dir, 'out1'), 'write-baseline': base },
      { accuracy: 0.4 },
      key,
    );
    expect(first.outcome.summary.verdict).toBe('no-baseline');
    expect(first.outcome.baselineWritten).toBe(base);
    const rows = readResults(first.outcome.resultsPath);
    expect(rows).toHaveLength(120);
    for (const r of rows)
      expect(Object.keys(r).slice(0, 4)).toEqual([
        'video_url',
        'ground_truth',
        'output_text',
        'pred_score',
      ]);
    const summary = JSON.parse(readFileSync(first.outcome.summaryPath, 'utf8')) as Record<
      string,
      unknown
    >;
    expect(Object.keys(summary).slice(0, 3)).toEqual([
      'accuracy',
      'pearson_correlation',
      'num_samples',
    ]);
    expect(summary).toMatchObject({
      num_samples: 120,
      num_videos: 120,
      num_errors: 0,
      complete: true,
    });
    expect((summary.settings as Record<string, unknown>).prompt_sha256).toMatch(/^[0-9a-f]{64}$/);

    const second = await gate(
      { dataset: path, baseline: base, 'output-dir': join(dir, 'out2') },
      { accuracy: 0.4 },
      key,
    );
    expect(second.outcome.summary.verdict).toBe('pass');
    expect(second.outcome.summary.checks.find((c) => c.metric === 'accuracy')?.delta).toBe(0);
    expect(reportOf(second.outcome)).toMatch(/VideoPhy-2 gate: pass/);
  });

  it('a worse checkpoint is a regression with the reason', async () => {
    const dir = tmp();
    const { path, key } = dataset(dir, 200);
    const base = join(dir, 'baseline.json');
    await gate(
      { dataset: path, baseline: base, 'output-dir': join(dir, 'a'), 'write-baseline': base },
      { accuracy: 0.6 },
      key,
    );
    const { outcome } = await gate(
      { dataset: path, baseline: base, 'output-dir': join(dir, 'b') },
      { accuracy: 0.2, seed: 9 },
      key,
    );
    expect(outcome.summary.verdict).toBe('regression');
    expect(outcome.summary.reasons.join(' ')).toMatch(/accuracy dropped/);
  });

  it('percent-encodes URLs with spaces and unicode so the server accepts them (the simulator rejects raw ones)', async () => {
    const dir = tmp();
    const { path, key } = dataset(dir, 60);
    expect([...key.keys()].some((u) => /[ ’—]/.test(u))).toBe(true);
    const { outcome } = await gate({ dataset: path, 'output-dir': dir }, {}, key);
    expect(outcome.summary.num_errors).toBe(0);
    expect(
      readResults(outcome.resultsPath)
        .map((r) => r.video_url)
        .sort(),
    ).toEqual([...key.keys()].sort());
  });

  it('sends the recipe request: system prompt, video first, sampling and mm_processor_kwargs', async () => {
    const dir = tmp();
    const { path, key } = dataset(dir, 5);
    sim = await startSimulator({ answerKey: key, record: true });
    const inputs: Record<string, string> = {
      'base-url': sim.baseUrl,
      dataset: path,
      'output-dir': dir,
      'extra-body': '{"chat_template_kwargs": {"enable_thinking": false}}',
    };
    await runGate(
      parseConfig((n) => inputs[n] ?? '', {}),
      { log: recordingLogger() },
    );
    // The fidelity probes come first (the probe video inline, one token each), then the dataset's videos.
    const bodies = sim.recorded as Record<string, unknown>[];
    const isProbe = (b: Record<string, unknown>) =>
      JSON.stringify(b).includes('data:video/mp4;base64,');
    expect(bodies.slice(0, 4).every(isProbe)).toBe(true);
    expect(bodies.slice(0, 4).map((b) => b.max_tokens)).toEqual([1, 1, 1, 1]);
    expect(bodies.slice(4).some(isProbe)).toBe(false);
    const body = bodies[4] as Record<string, unknown>;
    expect(body).toMatchObject({
      model: sim.options.model,
      max_tokens: 2048,
      temperature: 0,
      seed: 1,
      top_p: 0.8,
      top_k: 20,
      presence_penalty: 1.5,
      // Twice total_pixels: the recipe caps each frame at 2 x total_pixels / nframes (vision/plan.ts).
      mm_processor_kwargs: { fps: 16, do_sample_frames: true, size: { longest_edge: 2 * 6422528 } },
      media_io_kwargs: { video: { num_frames: -1 } },
      chat_template_kwargs: { enable_thinking: false },
    });
    const messages = body.messages as { role: string; content: unknown }[];
    expect(messages[0]).toEqual({ role: 'system', content: 'You are a helpful assistant.' });
    expect((messages[1]?.content as { type: string }[]).map((p) => p.type)).toEqual([
      'video_url',
      'text',
    ]);
  });

  it('limit evaluates a stratified subset and records seed and size', async () => {
    const dir = tmp();
    const { path, key } = dataset(dir, 200);
    const { outcome } = await gate(
      {
        dataset: path,
        'output-dir': dir,
        limit: '50',
        'subset-seed': '3',
      },
      {},
      key,
    );
    expect(outcome.summary.num_videos).toBe(50);
    expect(outcome.summary.settings).toMatchObject({ limit: 50, subset_seed: 3 });
    expect(reportOf(outcome)).toMatch(/subset of 200, seed 3/);
  });

  it('one video answered 400 is an error row; the run goes on and passes the error budget', async () => {
    const dir = tmp();
    const { path, key } = dataset(dir, 100);
    const victim = [...key.keys()].find((u) => !/[ ’—]/.test(u)) ?? '';
    const marker = victim.slice(-20);
    const { outcome } = await gate(
      { dataset: path, 'output-dir': dir },
      { faults: { badVideoUrlSubstrings: [encodeURI(marker).replace(/#/g, '%23')] } },
      key,
    );
    expect(outcome.summary.num_errors).toBe(1);
    expect(outcome.summary.verdict).toBe('no-baseline');
    expect(readResults(outcome.resultsPath).find((r) => r.error)?.video_url).toBe(victim);
  });

  it('invalid dataset rows are skipped with a warning naming them, and counted', async () => {
    const dir = tmp();
    const rows = syntheticRows(60, 2);
    rows[4] = { ...rows[4], pc: '6' };
    rows[9] = { ...rows[9], video_url: '' };
    const path = join(dir, 'd.csv');
    writeFileSync(path, toCsv(rows));
    const { outcome, log } = await gate({
      dataset: path,
      'output-dir': dir,
    });
    expect(outcome.summary.num_skipped_rows).toBe(2);
    expect(outcome.summary.skipped_rows.map((r) => r.row)).toEqual([5, 10]);
    expect(log.text()).toMatch(/skipped 2 invalid rows 5, 10/);
    expect(outcome.summary.verdict).toBe('no-baseline');
  });

  it('too many invalid rows make the run an error', async () => {
    const dir = tmp();
    const rows = syntheticRows(20, 2).map((r, i) => (i < 3 ? { ...r, pc: '3.5' } : r));
    const path = join(dir, 'd.csv');
    writeFileSync(path, toCsv(rows));
    const { outcome } = await gate({
      dataset: path,
      'output-dir': dir,
    });
    expect(outcome.summary.verdict).toBe('error');
  });

  it('the real head of the VideoPhy-2 CSV (empty column name, quoted fields) runs through', async () => {
    const dir = tmp();
    const { outcome } = await gate({
      dataset: 'test/fixtures/videophy2_test_head.csv',
      'output-dir': dir,
    });
    expect(outcome.summary.num_videos).toBe(9);
    expect(outcome.summary.num_errors).toBe(0);
    expect(readResults(outcome.resultsPath)[0]?.meta).toHaveProperty('model_name');
  });

  it.each([
    [
      { model: 'nope/model' },
      /model 'nope\/model' is not served by http:\/\/127.0.0.1:\d+\/v1; it serves: 'nvidia\/Cosmos-Reason2-8B'/,
    ],
    [{ dataset: 'missing/file.csv' }, /dataset file not found: missing\/file\.csv/],
    [{ 'prompt-file': 'test/fixtures/prompt-no-user.yaml' }, /missing key 'user_prompt'/],
    [
      { baseline: 'test/fixtures/baseline-bad.json' },
      /baseline test\/fixtures\/baseline-bad\.json is not valid JSON/,
    ],
    [
      { baseline: 'test/fixtures/baseline-v9.json' },
      /has version 9; this videophy-gate reads version 1/,
    ],
    [{ 'video-column': 'url' }, /has no column 'url' \(columns: 'caption', 'video_url'/],
  ])('bad input %j is refused with a message naming it', async (bad, message) => {
    const dir = tmp();
    await expect(
      gate({
        dataset: 'test/fixtures/videophy2_test_head.csv',
        'output-dir': dir,
        ...bad,
      }),
    ).rejects.toThrow(message);
  });

  it('an unwritable output directory fails before any request is sent', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'file'), '');
    await expect(
      gate({
        dataset: 'test/fixtures/videophy2_test_head.csv',
        'output-dir': join(dir, 'file', 'sub'),
      }),
    ).rejects.toThrow(/cannot write results file/);
  });

  it('a baseline path that was given but does not exist is an error with its remedy; unset, no-baseline', async () => {
    const dir = tmp();
    const { path, key } = dataset(dir, 5);
    await expect(
      gate(
        { dataset: path, 'output-dir': dir, baseline: join(dir, 'typo-baseline.json') },
        {},
        key,
      ),
    ).rejects.toThrow(
      /'baseline': .*typo-baseline\.json does not exist\. Check the path; to make the first baseline, run on the default branch with update-baseline: true/,
    );
    // The first run on main: update-baseline writes the named file.
    const first = await gate(
      {
        dataset: path,
        'output-dir': join(dir, 'a'),
        baseline: join(dir, 'b.json'),
        'update-baseline': 'true',
      },
      {},
      key,
    );
    expect(first.outcome.summary.verdict).toBe('no-baseline');
    expect(first.outcome.baselineWritten).toBe(join(dir, 'b.json'));
    // Unset on a pull request: no-baseline, said as a warning (it passes the check).
    sim = await startSimulator({ answerKey: key });
    const log = recordingLogger();
    const pr = await runGate(
      parseConfig(
        (n) => ({ 'base-url': sim!.baseUrl, dataset: path, 'output-dir': join(dir, 'c') })[n] ?? '',
        { GITHUB_EVENT_NAME: 'pull_request' },
      ),
      { log },
    );
    expect(pr.summary.verdict).toBe('no-baseline');
    expect(log.text()).toMatch(
      /warning: No baseline at \.github\/videophy2-baseline\.json: .*does not fail the check/,
    );
  });
});
