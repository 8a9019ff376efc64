/**
 * What the simulated model answers, as pure functions of (seed, normalised video URL[, attempt]).
 * Determinism mimics greedy decoding at temperature 0: the same video always gets the same answer,
 * so two runs (or two servers with the same seed) agree, and tests can predict the outcome.
 */
import { createHash } from 'node:crypto';
import { normalizeVideoUrl } from '../core/video-url.js';
import type { SimulatorOptions } from './options.js';
import { simulatorBaseAnswers, wrongWeights } from './base-answers.js';
import { pairAnswer, pairModel, type PairModel } from './pair.js';

export type Score = 1 | 2 | 3 | 4 | 5;
export type FaultKind =
  'none' | 'server-error' | 'bad-request' | 'unparseable' | 'reasoning-only' | 'length';

const TWO_POW_48 = 2 ** 48;
/** Bounded so a long-lived simulator fed endless distinct URLs does not grow without limit. */
const CACHE_LIMIT = 100_000;
const cache = new Map<string, number[]>();

/** Five independent uniforms in [0,1) from sha256(seed|key|salt): 6 bytes each out of 32. */
export function hashUniforms(seed: number, key: string, salt: string): number[] {
  const digest = createHash('sha256').update(`${seed}|${key}|${salt}`).digest();
  const out: number[] = [];
  for (let i = 0; i < 5; i++) out.push(digest.readUIntBE(i * 6, 6) / TWO_POW_48);
  return out;
}

/** Per-URL draws (answer and reply style) are requested on every request: cache them. */
function urlDraws(seed: number, url: string): number[] {
  const key = `${seed}|${url}`;
  let u = cache.get(key);
  if (!u) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    u = hashUniforms(seed, url, 'answer');
    cache.set(key, u);
  }
  return u;
}

/** normalizeVideoUrl, or the string itself when it is not a URL (no-video requests use ''). */
export function canonicalUrl(url: string): string {
  try {
    return normalizeVideoUrl(url);
  } catch {
    return url;
  }
}

const normalisedKeys = new WeakMap<
  Map<string, number>,
  { size: number; map: Map<string, number> }
>();

/** The answer key re-keyed by normalised URL, built once per Map (rebuilt if its size changes). */
function normalisedAnswerKey(answerKey: Map<string, number>): Map<string, number> {
  const hit = normalisedKeys.get(answerKey);
  if (hit && hit.size === answerKey.size) return hit.map;
  const map = new Map<string, number>();
  for (const [k, v] of answerKey) map.set(canonicalUrl(k), v);
  normalisedKeys.set(answerKey, { size: answerKey.size, map });
  return map;
}

/** Ground truth for a URL, if the answer key has a valid 1..5 integer for it. */
export function truthFor(opts: SimulatorOptions, url: string): Score | undefined {
  if (!opts.answerKey) return undefined;
  const t = normalisedAnswerKey(opts.answerKey).get(canonicalUrl(url));
  return t !== undefined && Number.isInteger(t) && t >= 1 && t <= 5 ? (t as Score) : undefined;
}

/** Index drawn from non-negative weights with one uniform; undefined when all weights are 0. */
function pick(weights: number[], u: number): number | undefined {
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return undefined;
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += (weights[i] ?? 0) / total;
    if (u < acc && (weights[i] ?? 0) > 0) return i;
  }
  // Rounding left u just above the last cumulative sum: take the last non-zero weight.
  for (let i = weights.length - 1; i >= 0; i--) if ((weights[i] ?? 0) > 0) return i;
  return undefined;
}

/** A wrong score for `truth` (neighbours of the truth doubled), never one of `avoid`. */
function wrongScore(opts: SimulatorOptions, truth: Score, u: number, avoid: Score[] = []): Score {
  return ((pick(wrongWeights(opts.distribution, truth, avoid), u) ?? 0) + 1) as Score;
}

const pairModels = new WeakMap<SimulatorOptions, PairModel>();

/** The pair model around these options' base checkpoint (pair.ts), built once per options object. */
export function simulatorPairModel(opts: SimulatorOptions): PairModel {
  let m = pairModels.get(opts);
  if (!m) {
    if (!opts.pair) throw new Error('simulatorPairModel: these options have no pair');
    const truths = opts.answerKey ? normalisedAnswerKey(opts.answerKey).values() : [];
    m = pairModel(simulatorBaseAnswers(opts.accuracy, opts.distribution, truths), opts.pair);
    pairModels.set(opts, m);
  }
  return m;
}

/** The base checkpoint's score: what decideAnswer gives without `pair`. */
function baseAnswer(opts: SimulatorOptions, key: string): Score {
  const [uCorrect = 0, uPick = 0] = urlDraws(opts.seed, key);
  const truth = truthFor(opts, key);
  if (truth === undefined) return ((pick(opts.distribution, uPick) ?? 2) + 1) as Score;
  if (uCorrect < opts.accuracy) return truth;
  return wrongScore(opts, truth, uPick);
}

/**
 * The score the model gives a video. With a known truth: the truth with probability `accuracy`,
 * else a wrong score drawn from `distribution` without the truth, neighbours of the truth doubled
 * (a plausible critic is off by one more often than by three). Unknown videos: from `distribution`.
 * With `pair`, this is the base checkpoint (same seed and accuracy) changed on 1 - agreement of the videos
 * (pair.ts: pairAnswer, with its wrong scores tilted when a Pearson change is asked), with draws of their
 * own so the base's answers stay what they were.
 */
export function decideAnswer(opts: SimulatorOptions, url: string): Score {
  const key = canonicalUrl(url);
  const base = baseAnswer(opts, key);
  if (!opts.pair) return base;
  const [u1 = 0, u2 = 0, u3 = 0] = hashUniforms(opts.seed, key, 'pair');
  const truth = truthFor(opts, key);
  if (truth === undefined) {
    // No truth to be right about: change the same share of answers, to another score.
    if (u1 >= 1 - opts.pair.agreement) return base;
    return wrongScore(opts, base, u3);
  }
  return pairAnswer(simulatorPairModel(opts), truth, base, u1, u2, u3) as Score;
}

/** Which fault (if any) this attempt at this URL suffers; attempts are counted per URL by the server. */
export function decideFault(opts: SimulatorOptions, url: string, attempt: number): FaultKind {
  const f = opts.faults;
  const [u = 0] = hashUniforms(opts.seed, canonicalUrl(url), `fault|${attempt}`);
  const bands: [FaultKind, number][] = [
    ['server-error', f.serverErrorRate],
    ['bad-request', f.badRequestRate],
    ['unparseable', f.unparseableRate],
    ['reasoning-only', f.reasoningOnlyRate],
    ['length', f.lengthRate],
  ];
  let acc = 0;
  for (const [kind, rate] of bands) {
    acc += rate;
    if (u < acc) return kind;
  }
  return 'none';
}

/** Service time of this attempt: fixed, or drawn deterministically from the range. */
export function decideLatencyMs(opts: SimulatorOptions, url: string, attempt: number): number {
  const l = opts.latencyMs;
  if (typeof l === 'number') return l;
  if (l.max <= l.min) return l.min;
  const [, u = 0] = hashUniforms(opts.seed, canonicalUrl(url), `fault|${attempt}`);
  return l.min + u * (l.max - l.min);
}

/** True when the URL (as sent or normalised) contains a configured "undecodable video" substring. */
export function isBadVideoUrl(opts: SimulatorOptions, sent: string, normalised: string): boolean {
  return opts.faults.badVideoUrlSubstrings.some(
    (s) => s.length > 0 && (sent.includes(s) || normalised.includes(s)),
  );
}

/**
 * The assistant text for a score. Most replies are the bare digit; a deterministic minority are
 * "4." or "4\n" so the client's rule (first line matching /^([1-5])\.?\s*$/ after strip) is exercised.
 */
export function replyText(score: Score, url: string, seed = 0): string {
  const [, , uStyle = 0] = urlDraws(seed, canonicalUrl(url));
  if (uStyle < 0.8) return String(score);
  return uStyle < 0.9 ? `${score}.` : `${score}\n`;
}

const PROSE = [
  'The video mostly follows physics.',
  'The motion looks plausible overall, although the bounce seems slightly exaggerated.',
  'Hard to say: the object deforms in a way that is neither clearly right nor clearly wrong.',
];

/** A reply with no line a digit parser can take as the score. */
export function unparseableText(url: string, seed = 0): string {
  const [, , , uText = 0] = urlDraws(seed, canonicalUrl(url));
  return PROSE[Math.floor(uText * PROSE.length)] ?? PROSE[0] ?? '';
}

/** Thinking that was never closed: with the qwen3 reasoning parser all of it lands in `reasoning`. */
export function reasoningText(score: Score, url: string, seed = 0): string {
  return `The object moves and collides as expected; nothing obviously violates physics.\n\n${replyText(score, url, seed)}`;
}

/** A reply that thought first: only `</think>` is generated (the template opened the block). */
export function thinkingText(answer: string): string {
  return `The ball falls, bounces lower each time and comes to rest.\n</think>\n\n${answer}`;
}

/**
 * vLLM's Qwen3ReasoningParser.extract_reasoning with thinking enabled (vllm/reasoning/
 * qwen3_reasoning_parser.py): a leading `<think>` is stripped; with `</think>` the text is partitioned
 * around it (`content or None`); without it, everything is reasoning and content is null.
 */
export function qwen3ReasoningSplit(text: string): {
  reasoning: string | null;
  content: string | null;
} {
  const start = text.indexOf('<think>');
  const body = start >= 0 ? text.slice(start + '<think>'.length) : text;
  const end = body.indexOf('</think>');
  if (end < 0) return { reasoning: body, content: null };
  const content = body.slice(end + '</think>'.length);
  return { reasoning: body.slice(0, end), content: content === '' ? null : content };
}

const RAMBLE =
  'Let me analyse the motion frame by frame and compare it with what physics predicts. ';

/** A long reply cut by max_tokens: roughly 4 characters per token, capped to keep responses small. */
export function lengthText(maxTokens: number): string {
  const chars = Math.min(Math.max(maxTokens, 1) * 4, 16_384);
  return RAMBLE.repeat(Math.ceil(chars / RAMBLE.length))
    .slice(0, chars)
    .trimEnd();
}
