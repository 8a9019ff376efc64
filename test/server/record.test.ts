import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNvidiaSmi, recordServer } from '../../src/server/index.js';
import { recordingLogger } from '../helpers/logger.js';
import { useSimulators } from '../helpers/simulators.js';
import { useTmp } from '../helpers/tmp.js';

const tmp = useTmp();
const start = useSimulators();

/** A directory with an executable `nvidia-smi` shell script of the given body. */
function fakeSmi(body: string): string {
  const dir = tmp();
  const path = join(dir, 'nvidia-smi');
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return dir;
}

const SAMPLE =
  'NVIDIA H100 80GB HBM3, 550.54.15, 81559\nNVIDIA A100-SXM4-40GB, 535.104.05, 40960\n';

describe('parseNvidiaSmi', () => {
  it('one GPU per line: name, driver, total memory in MiB', () => {
    expect(parseNvidiaSmi(SAMPLE)).toEqual([
      { name: 'NVIDIA H100 80GB HBM3', driver: '550.54.15', memory_total_mib: 81559 },
      { name: 'NVIDIA A100-SXM4-40GB', driver: '535.104.05', memory_total_mib: 40960 },
    ]);
  });

  it('[N/A] memory is null; a comma in the name survives; blank output is no GPU', () => {
    expect(parseNvidiaSmi('GPU, model X, 560.1, [N/A]\r\n\r\n')).toEqual([
      { name: 'GPU, model X', driver: '560.1', memory_total_mib: null },
    ]);
    expect(parseNvidiaSmi('\n')).toEqual([]);
    expect(() => parseNvidiaSmi('No devices were found')).toThrow(/unexpected nvidia-smi line/);
  });
});

describe('recordServer', () => {
  it('version, models (root, max_model_len) and the masked command line; no GPU query without a PATH', async () => {
    const sim = await start({
      model: 'candidate',
      root: '/checkpoints/candidate',
      maxModelLen: 16384,
    });
    const record = await recordServer(sim.baseUrl, { commandLine: 'vllm serve x --api-key ***' });
    expect(record).toEqual({
      vllm_version: '0.12.0',
      models: [{ id: 'candidate', root: '/checkpoints/candidate', max_model_len: 16384 }],
      command_line: 'vllm serve x --api-key ***',
    });
  });

  it('nvidia-smi on the PATH: the GPUs are recorded; not on the PATH: no gpu field, no warning', async () => {
    const sim = await start({});
    const log = recordingLogger();
    const withGpu = await recordServer(sim.baseUrl, {
      commandLine: 'c',
      path: `${tmp()}:${fakeSmi(`printf '${SAMPLE.replace(/\n/g, '\\n')}'`)}`,
      log,
    });
    expect(withGpu.gpu).toEqual(parseNvidiaSmi(SAMPLE));
    const without = await recordServer(sim.baseUrl, { commandLine: 'c', path: tmp(), log });
    expect(without).not.toHaveProperty('gpu');
    expect(log.lines).toEqual([]);
  });

  it('a failing nvidia-smi is a warning, not an error', async () => {
    const sim = await start({});
    const log = recordingLogger();
    const record = await recordServer(sim.baseUrl, {
      commandLine: 'c',
      path: fakeSmi(
        'echo "NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver" >&2; exit 9',
      ),
      log,
    });
    expect(record).not.toHaveProperty('gpu');
    expect(log.text()).toMatch(
      /warning: GPU not recorded: .*nvidia-smi failed \(exit code 9\): NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver$/,
    );
  });

  it('an api key is sent (a server started with --api-key protects /v1/models)', async () => {
    const sim = await start({ apiKey: 'sk-record' });
    await expect(recordServer(sim.baseUrl, { commandLine: 'c' })).rejects.toThrow(/HTTP 401/);
    const record = await recordServer(sim.baseUrl, { commandLine: 'c', apiKey: 'sk-record' });
    expect(record.models).toHaveLength(1);
  });
});
