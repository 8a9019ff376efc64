import type { SamplingSettings } from '../config/config.js';
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

/** Cosmos Reason 2's own online client default for the frame sampler's minimum size. */
export const SHORTEST_EDGE = 128 * 1024;

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
 * The chat-completion body for one video, as vLLM's server expects it: system prompt, then a user message
 * with the video part first and the text second (the recipe's order); frames are sampled server-side at
 * `fps` within `total_pixels` (the server needs --media-io-kwargs '{"video":{"num_frames":-1}}').
 */
export function buildRequestBody(
  model: string,
  prompt: Prompt,
  videoUrl: string,
  s: SamplingSettings,
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
      fps: s.fps,
      do_sample_frames: true,
      size: { shortest_edge: Math.min(SHORTEST_EDGE, s.totalPixels), longest_edge: s.totalPixels },
    },
  };
  return mergeBody(body, s.extraBody);
}
