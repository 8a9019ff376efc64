import { describe, expect, it } from 'vitest';
import { splitArgs } from '../../src/config/shell-words.js';
import { formatCommandLine, maskArgs, vllmCommandLine } from '../../src/server/args.js';

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
