import { describe, expect, it } from 'vitest';
import { vllmCommandLine } from '../../src/server/args.js';
import { simulatorArgsFromVllm } from '../../src/simulator/as-vllm.js';
import { parseSimulatorArgs } from '../../src/simulator/index.js';

describe('simulatorArgsFromVllm', () => {
  it("the action's own vllm command line becomes flags the simulator accepts", () => {
    const argv = vllmCommandLine({
      command: 'videophy-gate',
      checkpoint: '/ckpt/candidate',
      port: 41000,
      servedModelName: 'candidate',
      extraArgs: [
        '--api-key=sk-x',
        '--reasoning-parser',
        'qwen3',
        '--enforce-eager',
        '--accuracy',
        '0.42',
        '--agreement',
        '0.75',
        '--accuracy-delta',
        '-0.05',
        '--pearson-delta',
        '-0.04',
        '--answer-key',
        'examples/videophy2-sample.csv',
        '--latency-ms=5-40',
      ],
      videoCacheDir: '/cache',
      seed: 3,
    });
    const sim = simulatorArgsFromVllm(argv.slice(1));
    expect(sim).toEqual([
      '--host',
      '127.0.0.1',
      '--port',
      '41000',
      '--model',
      'candidate',
      '--seed',
      '3',
      '--max-model-len',
      '16384',
      '--api-key',
      'sk-x',
      '--reasoning-parser',
      'qwen3',
      '--accuracy',
      '0.42',
      '--agreement',
      '0.75',
      '--accuracy-delta',
      '-0.05',
      '--pearson-delta',
      '-0.04',
      '--answer-key',
      'examples/videophy2-sample.csv',
      '--latency-ms',
      '5-40',
    ]);
    expect(parseSimulatorArgs(sim)).toEqual({
      options: {
        host: '127.0.0.1',
        port: 41000,
        model: 'candidate',
        seed: 3,
        maxModelLen: 16384,
        apiKey: 'sk-x',
        reasoningParser: true,
        accuracy: 0.42,
        pair: { agreement: 0.75, accuracyDelta: -0.05, pearsonDelta: -0.04 },
        latencyMs: { min: 5, max: 40 },
      },
      answerKeyFile: 'examples/videophy2-sample.csv',
    });
  });

  it('without --served-model-name the checkpoint is the name; 16k lengths and unknown flags are dropped', () => {
    expect(
      simulatorArgsFromVllm([
        'serve',
        'org/model',
        '--max-model-len',
        '16k',
        '--trust-remote-code',
      ]),
    ).toEqual(['--model', 'org/model']);
    expect(() => simulatorArgsFromVllm(['--port', '1'])).toThrow(/expected 'serve <checkpoint>/);
  });
});
