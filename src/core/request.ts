import type { SamplingSettings } from '../config/config.js';
import { visionRequest, type VisionRequest } from '../vision/index.js';
import type { Prompt } from './prompt.js';

/**
 * The recipe's effective sampling (videophy2.md): it starts from Cosmos Reason 2's non-reasoning defaults and
 * overrides seed, temperature and max_tokens. Sent explicitly so the server's generation_config cannot differ.
 * presence_penalty matters even at temperature 0.
 */
export const RECIPE_SAMPLING = {
  top_p: 0.8,
  top_k: 20,
  repetition_penalty: 1.0,
  presence_penalty: 1.5,
};

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Recursive merge for objects (so extra-body can change one mm_processor_kwargs key), replace otherwise. */
export function mergeBody(
  base: Record<string, unknown>,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const prev = out[key];
    out[key] = isPlainObject(prev) && isPlainObject(value) ? mergeBody(prev, value) : value;
  }
  return out;
}

/**
 * The pixel budget for a video whose frame count and size are unknown (URL transport, no cache):
 * `longest_edge = 2 x total_pixels` (src/vision/plan.ts says why and for which videos it is exact).
 */
export function defaultVision(s: Pick<SamplingSettings, 'fps' | 'totalPixels'>): VisionRequest {
  return visionRequest(null, { fps: s.fps, totalPixels: s.totalPixels }).request;
}

/**
 * vLLM reads per-request `media_io_kwargs` in recent versions (PR #34778): asking for every decoded frame
 * (`num_frames: -1`) leaves the choice to the processor's fps sampling, as the server flag
 * `--media-io-kwargs '{"video":{"num_frames":-1}}'` does. Older servers ignore the field (the fidelity
 * guard then tells whether the flag is set).
 */
export const MEDIA_IO_KWARGS = { video: { num_frames: -1 } };

/**
 * The chat-completion body for one video, as vLLM's server expects it: system prompt, then a user message
 * with the video part first and the text second (the recipe's order); frames are sampled server-side at
 * `vision.fps` within the pixel budget `vision` carries. `extra-body` is merged last, so what it sets is
 * what is sent (and what sentSettings() records).
 */
export function buildRequestBody(
  model: string,
  prompt: Prompt,
  videoUrl: string,
  s: SamplingSettings,
  vision: VisionRequest,
): Record<string, unknown> {
  const messages: unknown[] = [];
  if (prompt.systemPrompt !== '') messages.push({ role: 'system', content: prompt.systemPrompt });
  messages.push({
    role: 'user',
    content: [
      { type: 'video_url', video_url: { url: videoUrl } },
      { type: 'text', text: prompt.userPrompt },
    ],
  });
  const body: Record<string, unknown> = {
    model,
    messages,
    max_tokens: s.maxTokens,
    temperature: s.temperature,
    seed: s.seed,
    ...RECIPE_SAMPLING,
    mm_processor_kwargs: {
      fps: vision.fps,
      do_sample_frames: true,
      size: { shortest_edge: vision.size.shortest_edge, longest_edge: vision.size.longest_edge },
    },
    media_io_kwargs: MEDIA_IO_KWARGS,
  };
  return mergeBody(body, s.extraBody);
}

/** What a body actually asks for, read back after extra-body was merged (null where it is not a number). */
export interface SentSettings {
  fps: number | null;
  shortest_edge: number | null;
  longest_edge: number | null;
  max_tokens: number | null;
  temperature: number | null;
  seed: number | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Record<string, unknown> => (isPlainObject(v) ? v : {});

export function sentSettings(body: Record<string, unknown>): SentSettings {
  const mm = obj(body.mm_processor_kwargs);
  const size = obj(mm.size);
  return {
    fps: num(mm.fps),
    shortest_edge: num(size.shortest_edge),
    longest_edge: num(size.longest_edge),
    // vLLM takes either name; max_completion_tokens wins when both are sent.
    max_tokens: num(body.max_completion_tokens) ?? num(body.max_tokens),
    temperature: num(body.temperature),
    seed: num(body.seed),
  };
}

/** The body's settings less the conversation: what summary.json records as the request sent. */
export function requestTemplate(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(body).filter(([key]) => key !== 'model' && key !== 'messages'),
  );
}
