import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { flagValue, splitArgs } from '../../src/config/shell-words.js';
import { formatCommandLine } from '../../src/server/args.js';

/** How /bin/sh splits `text` into words (printf prints each word NUL-terminated). */
function shWords(text: string): string[] {
  const r = spawnSync('sh', ['-c', `printf '%s\\0' ${text}`], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\0').slice(0, -1);
}

describe('splitArgs', () => {
  const samples = [
    `--max-model-len 32768 --reasoning-parser qwen3`,
    `--media-io-kwargs '{"video": {"num_frames": -1}}'`,
    `--media-io-kwargs "{\\"video\\": {\\"num_frames\\": 32}}"`,
    `--chat-template '/path/with space/t.jinja' "--x=a b" c\\ d`,
    `--limit-mm-per-prompt='{"video":1}' --x ''`,
    `a"b"'c'd  "it's" 'say "hi"' "back\\\\slash" "lit\\eral"`,
    `one\\\ntwo "three\\\nfour"`,
    `--x "" '' --y`,
    `a\\'b a\\"b a\\\\b`,
    `'$HOME' "\\$HOME" \\$HOME "#" a#b # comment`,
  ];
  it.each(samples)('splits %j as /bin/sh does', (text) => {
    expect(splitArgs(text)).toEqual(shWords(text));
  });

  it('newlines separate words (a YAML block is one command); # starts a comment', () => {
    expect(splitArgs(`  --a   b\t--c\n  --d  `)).toEqual(['--a', 'b', '--c', '--d']);
    expect(splitArgs(`--a 1 # the context\n--b '#x' c#d\n# all\n--e`)).toEqual([
      '--a',
      '1',
      '--b',
      '#x',
      'c#d',
      '--e',
    ]);
  });

  it('empty and blank text: no words', () => {
    expect(splitArgs('')).toEqual([]);
    expect(splitArgs(' \n\t ')).toEqual([]);
  });

  it('names the problem and where it is', () => {
    expect(() => splitArgs(`--a 'unterminated`)).toThrow(/unterminated single quote at position 5/);
    expect(() => splitArgs(`--a "x\\"`)).toThrow(/unterminated double quote at position 5/);
    expect(() => splitArgs(`--a b\\`)).toThrow(/trailing backslash at position 6/);
    expect(() => splitArgs(`--download-dir $HF_HOME`)).toThrow(
      /'\$' at position 16 is shell syntax, and no shell runs/,
    );
    expect(() => splitArgs(`--x "$(date)"`)).toThrow(/command substitution at position 6/);
    expect(() => splitArgs(`--x "\${HOME}"`)).toThrow(/variable expansion at position 6/);
    expect(() => splitArgs('--x `date`')).toThrow(/position 5/);
    expect(() => splitArgs(`--a b; rm -rf x`)).toThrow(/';' at position 6/);
    expect(() => splitArgs(`--a b > log`)).toThrow(/'>' at position 7/);
    expect(() => splitArgs(`--download-dir ~/models`)).toThrow(/'~' at position 16.*full path/);
  });

  it('formatCommandLine quotes so that splitting gives the words back', () => {
    const words = [
      'vllm',
      'serve',
      '/m/my model',
      `it's`,
      '{"video":{"num_frames":-1}}',
      '',
      'a\\b',
    ];
    expect(splitArgs(formatCommandLine(words))).toEqual(words);
    expect(shWords(formatCommandLine(words))).toEqual(words);
  });
});

describe('flagValue', () => {
  it('flagValue reads --flag V and --flag=V, last one wins', () => {
    const argv = splitArgs('--api-key a1 --x --api_key=b2');
    expect(flagValue(argv, '--api-key')).toBe('b2');
    expect(flagValue(argv, '--missing')).toBeUndefined();
  });
});
