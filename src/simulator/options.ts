/**
 * Options of the vLLM simulator. Every field has a default so a dry run needs no configuration;
 * `simulatorOptions()` merges a partial set over the defaults and rejects values that would make the
 * simulator misbehave silently (a rate above 1, a distribution that sums to 0...).
 */

import { simulatorBaseAnswers } from './base-answers.js';
import { pairModel, pairRates, type PairSpec } from './pair.js';

export interface SimulatorFaults {
  /** Share of chat requests answered 500 (InternalServerError JSON). */
  serverErrorRate: number;
  /** Share answered 400 with vLLM's "maximum context length" message. */
  badRequestRate: number;
  /** Share answered 200 with prose that has no lone digit line. */
  unparseableRate: number;
  /** Share answered 200 with `content: null` and the text in `reasoning` (thinking never closed). */
  reasoningOnlyRate: number;
  /** Share answered 200 with `finish_reason: "length"` and a long non-digit text. */
  lengthRate: number;
  /** A video URL containing one of these is answered 400, like a video fetch/decode failure. */
  badVideoUrlSubstrings: string[];
}

export interface SimulatorOptions {
  host: string;
  /** 0 = any free port. */
  port: number;
  /** Served model name: requests naming another model get 404. */
  model: string;
  /** `root` in /v1/models (vLLM puts the model path there). */
  root: string;
  maxModelLen: number;
  /** Answer of GET /version. */
  version: string;
  /** When set, /v1/* requests need `Authorization: Bearer <key>` (vLLM's --api-key). */
  apiKey?: string;
  /** Ground truth per video URL; keys are normalised with normalizeVideoUrl before lookup. */
  answerKey?: Map<string, number>;
  /** Probability of answering the ground truth when it is known. */
  accuracy: number;
  /**
   * A checkpoint paired with another: the checkpoint of this seed and `accuracy` (the base) changed on
   * 1 - agreement of the videos so that accuracy moves by accuracyDelta and, when given, Pearson by
   * pearsonDelta (src/simulator/pair.ts; a Pearson change needs `answerKey`). The base run is the same
   * options without `pair`.
   */
  pair?: PairSpec;
  /** Answer distribution over 1..5 for unknown videos and for wrong answers. */
  distribution: [number, number, number, number, number];
  /** Answers and faults are a deterministic function of (seed, normalised URL[, attempt]). */
  seed: number;
  /** Service time per request, fixed or drawn (deterministically) from a range. */
  latencyMs: number | { min: number; max: number };
  /** Requests served at once (continuous batching); the rest wait in FIFO order. */
  capacity: number;
  /** Until this many ms after start, /health and /v1/* answer 503 (a server still loading). */
  readyAfterMs: number;
  /** Fault decisions depend on (seed, video URL, attempt number for that URL): a retry can succeed. */
  faults: SimulatorFaults;
  /** Keep request bodies in `Simulator.recorded` (for tests). */
  record: boolean;
  /**
   * The model thinks before it answers: every reply is `<thought></think>\n\n<answer>` (Qwen3-style templates
   * put `<think>` in the prompt, so only `</think>` is generated).
   */
  thinking: boolean;
  /**
   * The server runs vLLM's `--reasoning-parser qwen3`: the text before `</think>` goes to
   * `message.reasoning`, the rest to `content` (null when empty); a reply without `</think>` lands entirely
   * in `reasoning` with `content: null`, as current vLLM does with thinking enabled.
   */
  reasoningParser: boolean;
  /**
   * Frames per video: 'request' follows the request's fps (a server started with
   * `--media-io-kwargs '{"video":{"num_frames":-1}}'`, or one that reads media_io_kwargs per request); a
   * number N takes N frames spread over the video whatever fps is asked (a misconfigured server).
   */
  videoFrames: 'request' | number;
  /** Ignore mm_processor_kwargs.size and keep the processor's own limits (a misconfigured server). */
  ignoreRequestSize: boolean;
  /** false: replies carry no `usage` (a proxy that strips it). */
  reportUsage: boolean;
}

/** What callers pass: any subset, faults included (a plain Partial<SimulatorOptions> would force all faults). */
export type SimulatorOptionsInput = Partial<Omit<SimulatorOptions, 'faults'>> & {
  faults?: Partial<SimulatorFaults>;
};

const DEFAULT_MODEL = 'nvidia/Cosmos-Reason2-8B';

export const defaultSimulatorOptions: SimulatorOptions = Object.freeze({
  host: '127.0.0.1',
  port: 0,
  model: DEFAULT_MODEL,
  root: DEFAULT_MODEL,
  maxModelLen: 16384,
  version: '0.12.0',
  accuracy: 0.4,
  // Roughly what a mid-quality critic outputs on VideoPhy-2: mostly 3s and 4s.
  distribution: Object.freeze([0.02, 0.08, 0.5, 0.36, 0.04]) as SimulatorOptions['distribution'],
  seed: 0,
  latencyMs: 0,
  capacity: Infinity,
  readyAfterMs: 0,
  faults: Object.freeze({
    serverErrorRate: 0,
    badRequestRate: 0,
    unparseableRate: 0,
    reasoningOnlyRate: 0,
    lengthRate: 0,
    badVideoUrlSubstrings: Object.freeze([]) as unknown as string[],
  }),
  record: false,
  thinking: false,
  reasoningParser: false,
  videoFrames: 'request',
  ignoreRequestSize: false,
  reportUsage: true,
});

/** Drop keys whose value is undefined so `{ apiKey: undefined }` does not erase a default. */
function defined<T extends object>(o: T | undefined): Partial<T> {
  if (!o) return {};
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(`simulator options: ${message}`);
}

const isRate = (x: number) => Number.isFinite(x) && x >= 0 && x <= 1;
const isNonNegative = (x: number) => Number.isFinite(x) && x >= 0;

function validate(o: SimulatorOptions): void {
  check(
    Number.isInteger(o.port) && o.port >= 0 && o.port <= 65535,
    `port must be 0..65535, got ${o.port}`,
  );
  check(o.model.length > 0, 'model must not be empty');
  check(
    Number.isInteger(o.maxModelLen) && o.maxModelLen > 0,
    `maxModelLen must be a positive integer, got ${o.maxModelLen}`,
  );
  check(isRate(o.accuracy), `accuracy must be between 0 and 1, got ${o.accuracy}`);
  check(
    o.distribution.length === 5 &&
      o.distribution.every(isNonNegative) &&
      o.distribution.some((p) => p > 0),
    `distribution must be 5 non-negative numbers with a positive sum, got ${JSON.stringify(o.distribution)}`,
  );
  if (o.pair) {
    try {
      pairRates(o.accuracy, o.pair);
      if (o.pair.pearsonDelta !== undefined) {
        // Pearson is against the truth: without an answer key there is none to move.
        if (!o.answerKey) throw new Error('pair: a Pearson change needs an answer key');
        pairModel(simulatorBaseAnswers(o.accuracy, o.distribution, o.answerKey.values()), o.pair);
      }
    } catch (e) {
      check(false, (e as Error).message);
    }
  }
  check(Number.isFinite(o.seed), `seed must be a finite number, got ${o.seed}`);
  const lat =
    typeof o.latencyMs === 'number' ? { min: o.latencyMs, max: o.latencyMs } : o.latencyMs;
  check(
    isNonNegative(lat.min) && isNonNegative(lat.max) && lat.min <= lat.max,
    `latencyMs must be >= 0 with min <= max, got ${JSON.stringify(o.latencyMs)}`,
  );
  check(
    o.capacity === Infinity || (Number.isInteger(o.capacity) && o.capacity >= 1),
    `capacity must be a positive integer or Infinity, got ${o.capacity}`,
  );
  check(
    o.videoFrames === 'request' || (Number.isInteger(o.videoFrames) && o.videoFrames >= 1),
    `videoFrames must be 'request' or a positive integer, got ${JSON.stringify(o.videoFrames)}`,
  );
  check(isNonNegative(o.readyAfterMs), `readyAfterMs must be >= 0, got ${o.readyAfterMs}`);
  const f = o.faults;
  const rates = [
    f.serverErrorRate,
    f.badRequestRate,
    f.unparseableRate,
    f.reasoningOnlyRate,
    f.lengthRate,
  ];
  check(rates.every(isRate), `fault rates must be between 0 and 1, got ${JSON.stringify(rates)}`);
  // Faults are exclusive outcomes of one draw, so their shares cannot exceed 1 together.
  check(rates.reduce((a, b) => a + b, 0) <= 1 + 1e-9, 'fault rates must sum to at most 1');
}

/** Defaults overlaid with `partial` (faults merged field by field), validated. Throws on a bad value. */
export function simulatorOptions(partial: SimulatorOptionsInput = {}): SimulatorOptions {
  const { faults, ...rest } = partial;
  const top = defined(rest);
  const merged: SimulatorOptions = {
    ...defaultSimulatorOptions,
    ...top,
    // root follows a custom model name unless given, as vLLM's root is the model path.
    root: top.root ?? top.model ?? defaultSimulatorOptions.root,
    distribution: [
      ...(top.distribution ?? defaultSimulatorOptions.distribution),
    ] as SimulatorOptions['distribution'],
    faults: { ...defaultSimulatorOptions.faults, ...defined(faults) },
  };
  merged.faults.badVideoUrlSubstrings = [...merged.faults.badVideoUrlSubstrings];
  if (typeof merged.latencyMs === 'object') merged.latencyMs = { ...merged.latencyMs };
  validate(merged);
  return merged;
}
