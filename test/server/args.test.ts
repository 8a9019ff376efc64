import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  flagValue,
  formatCommandLine,
  maskArgs,
  splitArgs,
  vllmCommandLine,
} from '../../src/server/args.js';

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

describe('vllmCommandLine', () => {
  const base = {
    command: 'vllm',
    checkpoint: 'nvidia/Cosmos-Reason2-8B',
    port: 41234,
    servedModelName: 'candidate',
    extraArgs: [] as string[],
    seed: 0,
  };

  it('the recipe flags by default, on loopback, with a known model name', () => {
    expect(vllmCommandLine(base)).toEqual([
      'vllm',
      'serve',
      'nvidia/Cosmos-Reason2-8B',
      '--host',
      '127.0.0.1',
      '--port',
      '41234',
      '--served-model-name',
      'candidate',
      '--seed',
      '0',
      '--max-model-len',
      '16384',
      '--media-io-kwargs',
      '{"video":{"num_frames":-1}}',
    ]);
  });

  it('the video cache is allowed as a local media path; extra args come last', () => {
    const argv = vllmCommandLine({
      ...base,
      videoCacheDir: '/runner/cache/videos',
      extraArgs: splitArgs('--reasoning-parser qwen3 --enforce-eager'),
      seed: 7,
    });
    expect(argv.slice(9)).toEqual([
      '--seed',
      '7',
      '--max-model-len',
      '16384',
      '--media-io-kwargs',
      '{"video":{"num_frames":-1}}',
      '--allowed-local-media-path',
      '/runner/cache/videos',
      '--reasoning-parser',
      'qwen3',
      '--enforce-eager',
    ]);
  });

  it('a flag the user sets replaces the default, in every spelling vLLM accepts', () => {
    const argv = vllmCommandLine({
      ...base,
      videoCacheDir: '/cache',
      extraArgs: splitArgs(
        `--max-model-len 32768 --media_io_kwargs='{"video":{"num_frames":32}}' --seed=5 --allowed-local-media-path /data`,
      ),
    });
    expect(argv.slice(9)).toEqual([
      '--max-model-len',
      '32768',
      '--media_io_kwargs={"video":{"num_frames":32}}',
      '--seed=5',
      '--allowed-local-media-path',
      '/data',
    ]);
    expect(argv.filter((a) => a.includes('16384'))).toEqual([]);
  });

  it('a --config file keeps its own settings: no seed or recipe defaults over it', () => {
    const argv = vllmCommandLine({ ...base, extraArgs: ['--config', 'serve.yaml'] });
    expect(argv.slice(9)).toEqual(['--config', 'serve.yaml']);
  });

  it('vllm-command is split too (uv run vllm, python -m ...)', () => {
    expect(vllmCommandLine({ ...base, command: 'uv run vllm' }).slice(0, 4)).toEqual([
      'uv',
      'run',
      'vllm',
      'serve',
    ]);
    expect(() => vllmCommandLine({ ...base, command: ' ' })).toThrow(/vllm-command is empty/);
  });

  it('flags the action owns cannot be set in vllm-args', () => {
    for (const [args, why] of [
      ['--port 8000', /must not set --port: the action picks a free loopback port/],
      ['--host=0.0.0.0', /must not set --host/],
      ['--served-model-name x', /must not set --served-model-name: .*'model' input/],
      ['--model other', /must not set --model/],
    ] as const) {
      expect(() => vllmCommandLine({ ...base, extraArgs: splitArgs(args) })).toThrow(why);
    }
  });

  it('flagValue reads --flag V and --flag=V, last one wins', () => {
    const argv = splitArgs('--api-key a1 --x --api_key=b2');
    expect(flagValue(argv, '--api-key')).toBe('b2');
    expect(flagValue(argv, '--missing')).toBeUndefined();
  });
});

describe('maskArgs', () => {
  it('masks --api-key and --hf-token values in both spellings, and every given secret', () => {
    const argv = [
      'vllm',
      'serve',
      'm',
      '--api-key',
      'sk-one',
      '--api-key=sk-two',
      '--hf_token',
      'hf_abc',
      '--chat-template',
      '/home/s3cr3tuser/t.jinja',
      '--other',
      'keep',
    ];
    const masked = maskArgs(argv, ['s3cr3tuser', undefined, '']);
    expect(masked).toEqual([
      'vllm',
      'serve',
      'm',
      '--api-key',
      '***',
      '--api-key=***',
      '--hf_token',
      '***',
      '--chat-template',
      '/home/***/t.jinja',
      '--other',
      'keep',
    ]);
    const line = formatCommandLine(masked);
    for (const s of ['sk-one', 'sk-two', 'hf_abc', 's3cr3tuser']) expect(line).not.toContain(s);
    expect(line).toContain('--api-key *** --api-key=***');
  });

  it('a secret flag at the very end has nothing to mask', () => {
    expect(maskArgs(['vllm', '--api-key'])).toEqual(['vllm', '--api-key']);
  });
});
