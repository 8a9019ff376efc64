import { describe, expect, it } from 'vitest';
import { missingCheckpoint } from '../../src/server/owned.js';
import { gateWith, writeDataset } from '../helpers/gate.js';
import { useTmp } from '../helpers/tmp.js';

const tmp = useTmp();

describe('a checkpoint that is not there', () => {
  it.each([
    ['./outputs/step_40', true],
    ['/ckpt/critic', true],
    ['../ckpt', true],
    ['~/ckpt', true],
    ['outputs/videophy2_sft/run1/step_40', true],
    ['C:\\ckpt', true],
    ['nvidia/Cosmos-Reason2-8B', false],
    ['critic', false],
  ])('%s reads as a local path: %s', (checkpoint, local) => {
    expect(missingCheckpoint(checkpoint, () => false) !== undefined).toBe(local);
    expect(missingCheckpoint(checkpoint, () => true)).toBeUndefined();
  });

  it('is reported before vLLM is spawned', async () => {
    const dir = tmp();
    const { path } = writeDataset(dir, 3);
    await expect(
      gateWith({
        checkpoint: `${dir}/no-such-step`,
        // Spawning this would fail differently (ENOENT on the command): the message shows it was not tried.
        'vllm-command': `${dir}/no-such-vllm`,
        dataset: path,
        'output-dir': dir,
      }),
    ).rejects.toThrow(
      /^'checkpoint': .*no-such-step does not exist \(a local path; a Hub model id looks like org\/name\)/,
    );
  });
});
