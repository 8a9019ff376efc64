import { describe, expect, it } from 'vitest';
import { flagsInMessage, closest } from '../../src/cli/usage-error.js';
import { cli } from '../helpers/cli.js';

/** A usage mistake: exit 2, the message first, then the command's usage line, never "could not produce". */
async function usageError(argv: string[]): Promise<{ first: string; stderr: string }> {
  const r = await cli(argv);
  expect(r.code, r.stdout + r.stderr).toBe(2);
  expect(r.stderr).not.toMatch(/could not produce a result/);
  expect(r.stdout).toBe('');
  return { first: r.firstError, stderr: r.stderr };
}

describe('usage errors: rejected with a suggestion, exit 2, the usage line', () => {
  it('demo --regres is an error, not a normal demo with exit 0', async () => {
    const e = await usageError(['demo', '--regres']);
    expect(e.first).toBe('videophy-gate demo: unknown flag --regres (did you mean --regress?)');
    expect(e.stderr.split('\n')[1]).toBe(
      'usage: videophy-gate demo [--regress] [--checkpoint | --sweep] [--stop-early] [--output-dir demo-results]',
    );
    expect(e.stderr).toContain("Run 'videophy-gate demo --help' for the flags.");
  });

  it.each([
    [
      ['eval', '--base-url', 'http://127.0.0.1:9/v1', '--video-colum', 'url'],
      'eval',
      '--video-column',
    ],
    [['eval', '--basline', 'b.json'], 'eval', '--baseline'],
    [['merge', 'a', 'b', '--output-dr', 'm'], 'merge', '--output-dir'],
    [['comment', '--max-acuracy-drop', '0.1'], 'comment', '--max-accuracy-drop'],
    [['compare', 'a', 'b', '--alhpa', '0.1'], 'compare', '--alpha'],
    [['simulate', '--acuracy', '0.3'], 'simulate', '--accuracy'],
    [['export-recipe', 'out', '--result-dir', 'r'], 'export-recipe', '--results-dir'],
    [['baseline', 'show', 'f.json', '--jsn'], 'baseline', '--json'],
  ])('%j: unknown flag with did-you-mean', async (argv, command, guess) => {
    const e = await usageError(argv);
    expect(e.first).toMatch(
      new RegExp(`^videophy-gate ${command}: unknown flag --\\S+ \\(did you mean ${guess}\\?\\)$`),
    );
  });

  it('a flag far from every known one gets no guess', async () => {
    const e = await usageError(['eval', '--no-such-flag', 'x']);
    expect(e.first).toBe('videophy-gate eval: unknown flag --no-such-flag');
  });

  it('an unknown command suggests the nearest; a known one mistyped as a flag too', async () => {
    const r = await cli(['evl', '--limit', '3']);
    expect(r.code).toBe(2);
    expect(r.firstError).toBe("videophy-gate: unknown command 'evl' (did you mean eval?)");
    expect((await cli(['--verison'])).firstError).toBe(
      "videophy-gate: unknown flag '--verison' (did you mean --version?)",
    );
  });

  it('a bad flag value names the flag as typed (--concurrency), not the action input', async () => {
    const e = await usageError([
      'eval',
      '--base-url',
      'http://127.0.0.1:9/v1',
      '--concurrency',
      'many',
    ]);
    expect(e.first).toBe(
      'videophy-gate eval: --concurrency must be an integer between 1 and 4096, got "many"',
    );
    const missing = await usageError(['eval', '--limit', '3']);
    expect(missing.first).toMatch(/^videophy-gate eval: --base-url or --checkpoint is required/);
  });

  it('missing values and arguments', async () => {
    expect((await usageError(['eval', '--base-url'])).first).toBe(
      'videophy-gate eval: --base-url needs a value',
    );
    expect((await usageError(['demo', '--regress=yes'])).first).toBe(
      'videophy-gate demo: --regress takes no value',
    );
    expect((await usageError(['compare', 'only-one'])).first).toBe(
      'videophy-gate compare: missing argument',
    );
    expect((await usageError(['eval', 'stray'])).first).toBe(
      "videophy-gate eval: unexpected argument 'stray' (eval takes flags only)",
    );
    expect((await usageError(['baseline', 'list', 'x'])).first).toBe(
      "videophy-gate baseline: unknown subcommand 'list' (the one there is: show)",
    );
    expect((await usageError(['baseline', 'shwo', 'x'])).first).toBe(
      "videophy-gate baseline: unknown subcommand 'shwo' (did you mean show?)",
    );
    expect((await usageError(['eval', '--base-url', '--limit', '3'])).first).toBe(
      "videophy-gate eval: --base-url needs a value (the next word starts with '-': write --base-url=VALUE)",
    );
    expect((await usageError(['serve'])).first).toBe('videophy-gate serve: missing CHECKPOINT');
    expect((await usageError(['simulate', '--accuracy', '2'])).first).toBe(
      'videophy-gate simulate: --accuracy must be a number between 0 and 1, got "2"',
    );
    expect((await usageError(['merge', 'a', '--mode', 'eval'])).first).toBe(
      'videophy-gate merge: --mode eval contradicts the command merge',
    );
  });

  it('a run error keeps its prefix: the command was right, the run could not finish', async () => {
    const r = await cli([
      'eval',
      '--base-url',
      'http://127.0.0.1:9/v1',
      '--dataset',
      'test/fixtures/videophy2_test_head.csv',
      '--server-timeout',
      '0.5',
      '--output-dir',
      '/tmp/videophy-gate-cli-usage-run-error',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: could not produce a result \(an error, not a model verdict\): /m,
    );
    // The run's messages name the flags as typed.
    expect(r.stderr).toMatch(/within --server-timeout 0\.5 s/);
    expect(r.stdout).toMatch(/^notice: No baseline at .*--update-baseline true/m);
  });
});

describe('flag names in messages', () => {
  it('quoted input names become flags; other quoted words stay', () => {
    expect(flagsInMessage("'video-column' must not be empty")).toBe(
      '--video-column must not be empty',
    );
    expect(flagsInMessage("mode merge needs 'results-dirs': one per line")).toBe(
      'mode merge needs --results-dirs: one per line',
    );
    expect(flagsInMessage("'decision' must be auto, got 'sometimes'")).toBe(
      "--decision must be auto, got 'sometimes'",
    );
  });

  it('unquoted hyphenated input names too, but not inside paths, URLs, flags or other words', () => {
    expect(flagsInMessage('did not become ready within server-timeout 0.5 s')).toBe(
      'did not become ready within --server-timeout 0.5 s',
    );
    expect(
      flagsInMessage(
        'make one with update-baseline: true on the default branch, or write-baseline)',
      ),
    ).toBe('make one with --update-baseline true on the default branch, or --write-baseline)');
    for (const kept of [
      '/tmp/output-dir/x',
      'http://h/base-url',
      'already --output-dir',
      'no-baseline verdict',
      'my_video-cache',
      'output-dirs',
    ])
      expect(flagsInMessage(kept)).toBe(kept);
  });

  it('closest: within a third of the length, the nearest', () => {
    expect(closest('regres', ['regress', 'checkpoint'])).toBe('regress');
    expect(closest('x', ['regress'])).toBeUndefined();
    expect(closest('limt', ['limit', 'list'])).toBe('limit');
  });
});
