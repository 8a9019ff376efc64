/**
 * One chat completion, from raw body to (status, JSON): validation, the deterministic answer or fault,
 * and the wait for a batch slot plus service time. Errors vLLM raises while preprocessing (schema,
 * model, URL, context length) return at once; everything else queues for a slot first.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  decideAnswer,
  decideFault,
  decideLatencyMs,
  isBadVideoUrl,
  lengthText,
  qwen3ReasoningSplit,
  reasoningText,
  replyText,
  thinkingText,
  unparseableText,
} from './behaviour.js';
import type { SimulatorOptions } from './options.js';
import { chatCompletionBody, errorBody, type CompletionParts } from './responses.js';
import type { SlotQueue } from './slots.js';
import { validateChatBody } from './validate.js';
import { videoMetaFor, videoTokens } from './vision.js';

export interface ChatState {
  opts: SimulatorOptions;
  slots: SlotQueue;
  recorded: unknown[];
  /** Requests seen per normalised URL, so fault draws differ between attempts. */
  attempts: Map<string, number>;
  tokens: { prompt: number; generation: number };
}

export interface Reply {
  status: number;
  body: unknown;
}

const error = (status: number, type: string, message: string): Reply => ({
  status,
  body: errorBody(status, type, message),
});

/**
 * Prompt tokens: the text at about 4 characters a token plus the chat template's, and the video as the
 * server's processor would cut it (vision.ts): thousands of tokens that follow the requested fps and pixel
 * limits (6,287 in vLLM's own test).
 */
async function promptTokens(
  opts: SimulatorOptions,
  url: string | undefined,
  textChars: number,
  body: Record<string, unknown>,
): Promise<number> {
  const text = 20 + Math.ceil(textChars / 4);
  if (url === undefined) return text;
  return text + videoTokens(await videoMetaFor(opts.seed, url), body, opts);
}

function contextTooLong(opts: SimulatorOptions, prompt: number, completion: number): Reply {
  return error(
    400,
    'BadRequestError',
    `This model's maximum context length is ${opts.maxModelLen} tokens. However, you requested ` +
      `${prompt + completion} tokens (${prompt} in the messages, ${completion} in the completion). ` +
      'Please reduce the length of the messages or completion.',
  );
}

/** Serves one request; rejects only when `signal` aborts (the client or the server went away). */
export async function serveChat(
  state: ChatState,
  raw: string,
  signal: AbortSignal,
): Promise<Reply> {
  const { opts } = state;
  const v = validateChatBody(raw, opts.model);
  if (opts.record) state.recorded.push(v.body ?? raw);
  if (!v.ok) return error(v.error.status, v.error.type, v.error.message);

  const key = v.normalizedUrl ?? '';
  if (v.videoUrl !== undefined && isBadVideoUrl(opts, v.videoUrl, key)) {
    return error(
      400,
      'BadRequestError',
      `Failed to load video from ${key}: could not decode the video stream.`,
    );
  }
  const prompt = await promptTokens(opts, v.normalizedUrl, v.textChars, v.body);
  if (v.maxTokens !== undefined && prompt + v.maxTokens > opts.maxModelLen) {
    return contextTooLong(opts, prompt, v.maxTokens);
  }
  const attempt = state.attempts.get(key) ?? 0;
  state.attempts.set(key, attempt + 1);
  const fault = decideFault(opts, key, attempt);
  // A context-length error happens in preprocessing, before the request reaches the engine queue.
  if (fault === 'bad-request') return contextTooLong(opts, opts.maxModelLen, v.maxTokens ?? 2048);

  await state.slots.acquire(signal);
  try {
    const ms = decideLatencyMs(opts, key, attempt);
    if (ms > 0) await sleep(ms, undefined, { signal });
  } finally {
    state.slots.release();
  }
  if (fault === 'server-error') {
    return error(
      500,
      'InternalServerError',
      'EngineCore encountered an issue (simulated server-error fault).',
    );
  }
  const maxTokens = v.maxTokens ?? opts.maxModelLen - prompt;
  const score = decideAnswer(opts, key);
  const parts: CompletionParts = {
    model: v.model,
    content: replyText(score, key, opts.seed),
    reasoning: null,
    finishReason: 'stop',
    promptTokens: prompt,
    completionTokens: 0,
    usage: opts.reportUsage,
  };
  if (fault === 'unparseable') parts.content = unparseableText(key, opts.seed);
  if (fault === 'reasoning-only') {
    parts.reasoning = reasoningText(score, key, opts.seed);
    parts.content = null;
  }
  if (fault === 'length') {
    parts.content = lengthText(maxTokens);
    parts.finishReason = 'length';
  }
  if (opts.thinking && fault === 'none' && parts.content !== null)
    parts.content = thinkingText(parts.content);
  if (opts.reasoningParser && parts.content !== null)
    Object.assign(parts, qwen3ReasoningSplit(parts.content));
  const generated = (parts.content ?? '') + (parts.reasoning ?? '');
  // Roughly 4 characters a token, plus the end-of-turn token when the model stopped by itself.
  parts.completionTokens =
    parts.finishReason === 'length' ? maxTokens : Math.ceil(generated.length / 4) + 1;
  state.tokens.prompt += prompt;
  state.tokens.generation += parts.completionTokens;
  return { status: 200, body: chatCompletionBody(parts) };
}
