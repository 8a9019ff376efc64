import { describe, expect, it } from 'vitest';
import {
  parseSimulatorArgs,
  simulatorOptions,
  type SimulatorArgs,
} from '../../src/simulator/index.js';

const good: [string, string[], SimulatorArgs][] = [
  ['nothing', [], { options: {} }],
  [
    'port and model',
    ['--port', '8000', '--model', 'my/critic'],
    { options: { port: 8000, model: 'my/critic' } },
  ],
  [
    '--flag=value form',
    ['--accuracy=0.55', '--seed=-3'],
    { options: { accuracy: 0.55, seed: -3 } },
  ],
  ['fixed latency', ['--latency-ms', '50'], { options: { latencyMs: 50 } }],
  ['latency range', ['--latency-ms', '20-80'], { options: { latencyMs: { min: 20, max: 80 } } }],
  [
    'fractional latency range',
    ['--latency-ms', '0.5-1.5'],
    { options: { latencyMs: { min: 0.5, max: 1.5 } } },
  ],
  [
    'capacity, readiness, key',
    ['--capacity', '64', '--ready-after-ms', '0', '--api-key', 'K'],
    { options: { capacity: 64, readyAfterMs: 0, apiKey: 'K' } },
  ],
  [
    'host and max model len',
    ['--host', '0.0.0.0', '--max-model-len', '32768'],
    { options: { host: '0.0.0.0', maxModelLen: 32768 } },
  ],
  [
    'fault rates',
    [
      '--server-error-rate',
      '0.01',
      '--bad-request-rate',
      '0',
      '--unparseable-rate',
      '0.02',
      '--reasoning-only-rate',
      '0',
      '--length-rate',
      '1e-3',
    ],
    {
      options: {
        faults: {
          serverErrorRate: 0.01,
          badRequestRate: 0,
          unparseableRate: 0.02,
          reasoningOnlyRate: 0,
          lengthRate: 0.001,
        },
      },
    },
  ],
  [
    'repeated bad video substrings',
    ['--bad-video-url', 'a', '--bad-video-url', 'b'],
    { options: { faults: { badVideoUrlSubstrings: ['a', 'b'] } } },
  ],
  [
    'answer key file (not read)',
    ['--answer-key', '/no/such/file.csv'],
    { options: {}, answerKeyFile: '/no/such/file.csv' },
  ],
];

const bad: [string[], string][] = [
  [['--accuracy', '1.5'], '--accuracy must be a number between 0 and 1, got "1.5"'],
  [['--accuracy', 'high'], '--accuracy must be a number between 0 and 1, got "high"'],
  [['--accuracy', ''], '--accuracy must be a number between 0 and 1, got ""'],
  [['--port', '70000'], '--port must be an integer between 0 and 65535, got "70000"'],
  [['--port', '80.5'], '--port must be an integer between 0 and 65535, got "80.5"'],
  [['--port', '0x50'], '--port must be an integer between 0 and 65535, got "0x50"'],
  [['--capacity', '0'], '--capacity must be a positive integer, got "0"'],
  [['--capacity', 'Infinity'], '--capacity must be a positive integer, got "Infinity"'],
  [['--seed', '1.5'], '--seed must be an integer, got "1.5"'],
  [['--ready-after-ms', '-1'], '--ready-after-ms must be a non-negative number, got "-1"'],
  [
    ['--latency-ms', '-5'],
    '--latency-ms must be a non-negative number of milliseconds or a range MIN-MAX, got "-5"',
  ],
  [
    ['--latency-ms', 'fast'],
    '--latency-ms must be a non-negative number of milliseconds or a range MIN-MAX, got "fast"',
  ],
  [
    ['--latency-ms', '80-20'],
    '--latency-ms must be a non-negative number of milliseconds or a range MIN-MAX with MIN <= MAX, got "80-20"',
  ],
  [
    ['--latency-ms', '20-x'],
    '--latency-ms must be a non-negative number of milliseconds or a range MIN-MAX, got "20-x"',
  ],
  [['--max-model-len', '0'], '--max-model-len must be a positive integer, got "0"'],
  [['--server-error-rate', '2'], '--server-error-rate must be a number between 0 and 1, got "2"'],
  [['--length-rate', 'NaN'], '--length-rate must be a number between 0 and 1, got "NaN"'],
  [
    ['--server-error-rate', '0.6', '--length-rate', '0.6'],
    'the fault rates must sum to at most 1, got 1.2',
  ],
  [['--model', ''], '--model must not be empty'],
  [['--api-key='], '--api-key must not be empty'],
  [['--port'], '--port needs a value'],
  [['--port', '--model', 'x'], '--port needs a value'],
  [['--temperature', '0'], 'unknown option "--temperature"'],
  [['--port=8000=1'], '--port must be an integer between 0 and 65535, got "8000=1"'],
  [['serve'], 'unexpected argument "serve"'],
];

describe('parseSimulatorArgs', () => {
  it.each(good)('%s', (_name, argv, expected) => {
    expect(parseSimulatorArgs(argv)).toEqual(expected);
  });

  it.each(bad)('%j -> %s', (argv, message) => {
    expect(() => parseSimulatorArgs(argv)).toThrow(new Error(message));
  });

  it('produces options that simulatorOptions accepts', () => {
    const { options } = parseSimulatorArgs(['--model', 'x', '--unparseable-rate', '0.02']);
    const opts = simulatorOptions(options);
    expect(opts).toMatchObject({
      model: 'x',
      root: 'x',
      faults: { unparseableRate: 0.02, serverErrorRate: 0 },
    });
  });
});
