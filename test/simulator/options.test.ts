import { describe, expect, it } from 'vitest';
import { defaultSimulatorOptions, simulatorOptions } from '../../src/simulator/index.js';

describe('simulatorOptions', () => {
  it('defaults match the documented ones', () => {
    expect(simulatorOptions()).toEqual({
      host: '127.0.0.1',
      port: 0,
      model: 'nvidia/Cosmos-Reason2-8B',
      root: 'nvidia/Cosmos-Reason2-8B',
      maxModelLen: 16384,
      version: '0.12.0',
      accuracy: 0.4,
      distribution: [0.02, 0.08, 0.5, 0.36, 0.04],
      seed: 0,
      latencyMs: 0,
      capacity: Infinity,
      readyAfterMs: 0,
      faults: {
        serverErrorRate: 0,
        badRequestRate: 0,
        unparseableRate: 0,
        reasoningOnlyRate: 0,
        lengthRate: 0,
        badVideoUrlSubstrings: [],
      },
      record: false,
      thinking: false,
      reasoningParser: false,
      videoFrames: 'request',
      ignoreRequestSize: false,
      reportUsage: true,
    });
  });

  it('merges faults field by field and ignores undefined values', () => {
    const o = simulatorOptions({ apiKey: undefined, seed: undefined, faults: { lengthRate: 0.1 } });
    expect(o.seed).toBe(0);
    expect(o.apiKey).toBeUndefined();
    expect(o.faults).toMatchObject({ lengthRate: 0.1, serverErrorRate: 0 });
  });

  it('never shares mutable state with the defaults', () => {
    const o = simulatorOptions();
    o.faults.badVideoUrlSubstrings.push('x');
    o.distribution[0] = 1;
    expect(defaultSimulatorOptions.faults.badVideoUrlSubstrings).toEqual([]);
    expect(simulatorOptions().distribution[0]).toBe(0.02);
  });

  it.each([
    [{ accuracy: 1.5 }, /accuracy must be between 0 and 1/],
    [{ capacity: 0 }, /capacity must be a positive integer or Infinity/],
    [{ port: -1 }, /port must be 0\.\.65535/],
    [{ latencyMs: { min: 5, max: 1 } }, /latencyMs/],
    [{ distribution: [0, 0, 0, 0, 0] as [number, number, number, number, number] }, /distribution/],
    [{ faults: { serverErrorRate: 0.7, lengthRate: 0.7 } }, /sum to at most 1/],
    [{ faults: { unparseableRate: -0.1 } }, /fault rates must be between 0 and 1/],
  ])('rejects %j', (partial, message) => {
    expect(() => simulatorOptions(partial)).toThrow(message);
  });
});
