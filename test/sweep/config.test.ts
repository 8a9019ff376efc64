import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse.js';
import { ConfigError } from '../../src/config/validate.js';
import { checkpointConfig } from '../../src/sweep/run-sweep.js';

const parse = (inputs: Record<string, string>) => parseConfig((n) => inputs[n] ?? '', {});

describe('the sweep inputs', () => {
  it('checkpoints, one per line (commas kept), select-by and sweep-gpus become Config.sweep and the server template', () => {
    const c = parse({
      checkpoints: 'out/run,1/step_20\n\n  out/run,1/step_40  \n',
      'select-by': 'Pearson',
      'sweep-gpus': '0,1\n2,3',
      'vllm-args': '--tensor-parallel-size 2 --api-key sk-sweep',
    });
    expect(c.sweep).toEqual({
      entries: ['out/run,1/step_20', 'out/run,1/step_40'],
      selectBy: 'pearson',
      gpuGroups: ['0,1', '2,3'],
    });
    expect(c.server?.checkpoint).toBe('out/run,1/step_20');
    // A key given to the servers is the key the client sends, as with checkpoint.
    expect(c.apiKey).toBe('sk-sweep');
  });

  it("each checkpoint's run: its own path, directory and GPU group; it writes no baseline, the sweep writes the best's", () => {
    const c = parse({
      checkpoints: 'a/step_20\na/step_40',
      'output-dir': 'res',
      baseline: 'base.json',
      'update-baseline': 'true',
    });
    const one = checkpointConfig(c, { path: 'a/step_40', name: 'step_40', step: 40 }, '2,3');
    expect(one.server).toMatchObject({
      checkpoint: 'a/step_40',
      env: { CUDA_VISIBLE_DEVICES: '2,3' },
    });
    expect(one).toMatchObject({
      outputDir: 'res/step_40',
      updateBaseline: false,
      writeBaseline: undefined,
    });
    // The first sweep on main makes the baseline: its absence is not an error for a checkpoint's run.
    expect(one.baselineExplicit).toBe(false);
    expect(
      checkpointConfig(c, { path: 'a/step_20', name: 'step_20', step: 20 }, undefined).server?.env,
    ).toBeUndefined();
  });

  it('refused with a remedy: checkpoints beside checkpoint, base-url, shard or stop-early; sweep-gpus alone; a bad select-by', () => {
    const bad: [Record<string, string>, RegExp][] = [
      [
        { checkpoints: 'a/step_1', checkpoint: 'a/step_2' },
        /'checkpoints' cannot be combined with 'checkpoint' \(one checkpoint; list it in checkpoints instead\)/,
      ],
      [
        { checkpoints: 'a/step_1', 'base-url': 'http://127.0.0.1:8000/v1' },
        /with 'base-url' \(a sweep serves each checkpoint itself/,
      ],
      [{ checkpoints: 'a/step_1', shard: '1/2' }, /with 'shard' .*mode merge/],
      [
        { checkpoints: 'a/step_1', 'stop-early': 'true' },
        /with 'stop-early' \(a sweep ranks its checkpoints against each other on the whole set/,
      ],
      [{ checkpoint: 'a', 'sweep-gpus': '0' }, /'sweep-gpus' is set without 'checkpoints'/],
      [
        { checkpoints: 'a/step_1', 'select-by': 'loss' },
        /'select-by' must be accuracy or pearson, got "loss"/,
      ],
    ];
    for (const [inputs, message] of bad) {
      expect(() => parse(inputs)).toThrow(ConfigError);
      expect(() => parse(inputs)).toThrow(message);
    }
  });
});
