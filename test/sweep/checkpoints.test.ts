import { globSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/validate.js';
import {
  checkpointName,
  expandCheckpoints,
  isPattern,
  stepOf,
} from '../../src/sweep/checkpoints.js';
import { useTmp } from '../helpers/tmp.js';

const tmp = useTmp();

/** The recipe's layout: outputs/videophy2_sft/<run>/safetensors/step_N. */
function trainingRun(root: string, run: string, steps: number[]): void {
  for (const s of steps)
    mkdirSync(join(root, 'outputs', 'videophy2_sft', run, 'safetensors', `step_${s}`), {
      recursive: true,
    });
}

const realGlob = (cwd: string) => (pattern: string) =>
  globSync(pattern, { cwd }).map((p) => String(p));

describe('the checkpoints input', () => {
  it("a glob's matches are sorted by step number, not as text (step_100 after step_20)", () => {
    const root = tmp();
    trainingRun(root, '20251201', [100, 20, 60, 40, 80]);
    const got = expandCheckpoints(
      ['outputs/videophy2_sft/*/safetensors/step_*'],
      realGlob(root),
      root,
    );
    expect(got.map((c) => c.name)).toEqual([
      'step_20',
      'step_40',
      'step_60',
      'step_80',
      'step_100',
    ]);
    expect(got.map((c) => c.step)).toEqual([20, 40, 60, 80, 100]);
    expect(got[0]?.path).toBe(
      join('outputs', 'videophy2_sft', '20251201', 'safetensors', 'step_20'),
    );
  });

  it('lines keep the order given, Hub ids included; a pattern among them expands in place', () => {
    const root = tmp();
    trainingRun(root, 'r', [40, 20]);
    const got = expandCheckpoints(
      ['nvidia/Cosmos-Reason2-8B', 'outputs/videophy2_sft/r/safetensors/step_*', './final/'],
      realGlob(root),
      root,
    );
    expect(got.map((c) => [c.name, c.step])).toEqual([
      ['Cosmos-Reason2-8B', null],
      ['step_20', 20],
      ['step_40', 40],
      ['final', null],
    ]);
  });

  it('an empty glob is an error naming the input, the pattern and the remedy', () => {
    const root = tmp();
    const run = () => expandCheckpoints(['outputs/*/step_*'], realGlob(root), root);
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(
      /'checkpoints': the pattern "outputs\/\*\/step_\*" matches nothing .*training job's output/,
    );
  });

  it('two checkpoints with one name are refused, naming both paths (their results would share a directory)', () => {
    const root = tmp();
    trainingRun(root, 'run-a', [20]);
    trainingRun(root, 'run-b', [20]);
    expect(() =>
      expandCheckpoints(['outputs/videophy2_sft/*/safetensors/step_20'], realGlob(root), root),
    ).toThrow(
      /'checkpoints': outputs\/videophy2_sft\/run-a\/safetensors\/step_20 and outputs\/videophy2_sft\/run-b\/safetensors\/step_20 would both be named step_20 .*one training run at a time/,
    );
    // Names are compared as a case-insensitive file system would.
    expect(() => expandCheckpoints(['a/Step_1', 'b/step_1'], () => [], root)).toThrow(
      /both be named/,
    );
  });

  it('the same checkpoint twice is refused', () => {
    expect(() => expandCheckpoints(['ckpt/step_20', 'ckpt/step_20/'], () => [], '.')).toThrow(
      /lists ckpt\/step_20\/ twice/,
    );
  });

  it('steps and names from the usual layouts; a name can neither leave output-dir nor carry markup', () => {
    expect(stepOf('out/checkpoint-1200')).toBe(1200);
    expect(stepOf('run_7/global_step300/hf')).toBe(300);
    expect(stepOf('iter_0005000')).toBe(5000);
    expect(stepOf('model-final')).toBeNull();
    expect(checkpointName('..')).toBe('checkpoint');
    expect(checkpointName('x/<img src=x>@me')).toBe('img-src-x-me');
    expect(checkpointName('org/name/')).toBe('name');
    expect(isPattern('a/step_[0-9]*')).toBe(true);
    expect(isPattern('org/model')).toBe(false);
  });
});
