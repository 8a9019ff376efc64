/**
 * Command-line flags of `videophy-gate simulate`, parsed and checked strictly: a typo or an
 * out-of-range value stops the dry run with a message naming the flag, instead of silently
 * simulating something else. No file is read here; the caller loads `--answer-key FILE`.
 */
import type { SimulatorOptionsInput } from './options.js';
import { DEFAULT_AGREEMENT } from './pair.js';

export interface SimulatorArgs {
  options: SimulatorOptionsInput;
  answerKeyFile?: string;
}

type Setter = (value: string, flag: string, out: SimulatorArgs) => void;

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;
const INTEGER = /^[+-]?\d+$/;

const bad = (flag: string, what: string, value: string) =>
  new Error(`${flag} must be ${what}, got ${JSON.stringify(value)}`);

function number(flag: string, value: string, what: string, ok: (x: number) => boolean): number {
  const x = Number(value);
  if (!NUMBER.test(value.trim()) || !Number.isFinite(x) || !ok(x)) throw bad(flag, what, value);
  return x;
}

function integer(flag: string, value: string, what: string, ok: (x: number) => boolean): number {
  if (!INTEGER.test(value.trim())) throw bad(flag, what, value);
  return number(flag, value, what, (x) => Number.isSafeInteger(x) && ok(x));
}

const rate = (flag: string, value: string) =>
  number(flag, value, 'a number between 0 and 1', (x) => x >= 0 && x <= 1);

function text(flag: string, value: string): string {
  if (value.length === 0) throw new Error(`${flag} must not be empty`);
  return value;
}

/** `50` or `20-80` (milliseconds, min <= max). */
function latency(flag: string, value: string): SimulatorOptionsInput['latencyMs'] {
  const what = 'a non-negative number of milliseconds or a range MIN-MAX';
  const ms = (s: string) => {
    const x = Number(s);
    if (!NUMBER.test(s.trim()) || !Number.isFinite(x) || x < 0) throw bad(flag, what, value);
    return x;
  };
  // Split on a dash that follows a digit or a dot, so `1e-3` stays one number.
  const range = /^(.*[\d.])-(.+)$/.exec(value.trim());
  if (!range) return ms(value);
  const min = ms(range[1] ?? '');
  const max = ms(range[2] ?? '');
  if (min > max) throw bad(flag, `${what} with MIN <= MAX`, value);
  return { min, max };
}

function bool(flag: string, value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw bad(flag, 'true or false', value);
}

const faults = (out: SimulatorArgs) => (out.options.faults ??= {});

const FLAGS: Record<string, Setter> = {
  '--host': (v, f, o) => (o.options.host = text(f, v)),
  '--port': (v, f, o) =>
    (o.options.port = integer(f, v, 'an integer between 0 and 65535', (x) => x >= 0 && x <= 65535)),
  '--model': (v, f, o) => (o.options.model = text(f, v)),
  '--max-model-len': (v, f, o) =>
    (o.options.maxModelLen = integer(f, v, 'a positive integer', (x) => x > 0)),
  '--accuracy': (v, f, o) => (o.options.accuracy = rate(f, v)),
  '--latency-ms': (v, f, o) => (o.options.latencyMs = latency(f, v)),
  '--capacity': (v, f, o) =>
    (o.options.capacity = integer(f, v, 'a positive integer', (x) => x > 0)),
  // The pair model (pair.ts): --agreement alone keeps the accuracy, --accuracy-delta alone agrees on 75%,
  // --pearson-delta asks for a Pearson change too (without it, Pearson moves as the accuracy change carries it).
  '--agreement': (v, f, o) =>
    (o.options.pair = {
      ...o.options.pair,
      accuracyDelta: o.options.pair?.accuracyDelta ?? 0,
      agreement: number(f, v, 'a number in (0, 1]', (x) => x > 0 && x <= 1),
    }),
  '--accuracy-delta': (v, f, o) =>
    (o.options.pair = {
      ...o.options.pair,
      agreement: o.options.pair?.agreement ?? DEFAULT_AGREEMENT,
      accuracyDelta: number(f, v, 'a number between -1 and 1', (x) => x >= -1 && x <= 1),
    }),
  '--pearson-delta': (v, f, o) =>
    (o.options.pair = {
      agreement: o.options.pair?.agreement ?? DEFAULT_AGREEMENT,
      accuracyDelta: o.options.pair?.accuracyDelta ?? 0,
      pearsonDelta: number(f, v, 'a number between -2 and 2', (x) => x >= -2 && x <= 2),
    }),
  '--seed': (v, f, o) => (o.options.seed = integer(f, v, 'an integer', () => true)),
  '--ready-after-ms': (v, f, o) =>
    (o.options.readyAfterMs = number(f, v, 'a non-negative number', (x) => x >= 0)),
  '--api-key': (v, f, o) => (o.options.apiKey = text(f, v)),
  '--server-error-rate': (v, f, o) => (faults(o).serverErrorRate = rate(f, v)),
  '--bad-request-rate': (v, f, o) => (faults(o).badRequestRate = rate(f, v)),
  '--unparseable-rate': (v, f, o) => (faults(o).unparseableRate = rate(f, v)),
  '--reasoning-only-rate': (v, f, o) => (faults(o).reasoningOnlyRate = rate(f, v)),
  '--length-rate': (v, f, o) => (faults(o).lengthRate = rate(f, v)),
  // Repeatable: each occurrence adds one substring.
  '--bad-video-url': (v, f, o) => (faults(o).badVideoUrlSubstrings ??= []).push(text(f, v)),
  '--answer-key': (v, f, o) => (o.answerKeyFile = text(f, v)),
  '--thinking': (v, f, o) => (o.options.thinking = bool(f, v)),
  '--video-frames': (v, f, o) =>
    (o.options.videoFrames =
      v === 'request'
        ? 'request'
        : integer(f, v, "'request' or a positive integer", (x) => x >= 1)),
  '--ignore-request-size': (v, f, o) => (o.options.ignoreRequestSize = bool(f, v)),
  '--report-usage': (v, f, o) => (o.options.reportUsage = bool(f, v)),
  // vLLM's flag and value: only the parser Cosmos Reason 2's README uses is modelled.
  '--reasoning-parser': (v, f, o) => {
    if (v !== 'qwen3') throw bad(f, "'qwen3' (the only parser simulated)", v);
    o.options.reasoningParser = true;
  },
};

/** Flags of `videophy-gate simulate` (the arguments after the subcommand). Throws on any bad input. */
export function parseSimulatorArgs(argv: string[]): SimulatorArgs {
  const out: SimulatorArgs = { options: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const set = FLAGS[flag];
    if (!set) {
      throw new Error(
        arg.startsWith('-')
          ? `unknown option ${JSON.stringify(flag)}`
          : `unexpected argument ${JSON.stringify(arg)}`,
      );
    }
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      // A following flag is not a value (negative numbers still are: `--seed -3`).
      if (value === undefined || /^--[a-z]/.test(value)) throw new Error(`${flag} needs a value`);
      i++;
    }
    set(value, flag, out);
  }
  const total = Object.values(out.options.faults ?? {})
    .filter((x): x is number => typeof x === 'number')
    .reduce((a, b) => a + b, 0);
  if (total > 1 + 1e-9) throw new Error(`the fault rates must sum to at most 1, got ${total}`);
  return out;
}

/** The flag names parseSimulatorArgs accepts (the CLI documents each; test/cli/help.test.ts checks). */
export const SIMULATOR_FLAG_NAMES: readonly string[] = Object.keys(FLAGS);
