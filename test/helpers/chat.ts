/** Shared request builders for the simulator tests: the body the gate sends, over real HTTP. */
import type { Simulator } from '../../src/simulator/index.js';

export const MODEL = 'nvidia/Cosmos-Reason2-8B';
export const YOYO =
  'https://videophysics2testvideos.s3.us-east-2.amazonaws.com/hunyuan_xdit/A_yo-yo_is_tossed_against_a_brick_wall;_it_bounces_back_without_sustaining_visible_damage.mp4';
/** A raw dataset URL with a curly apostrophe and a space: must be percent-encoded before sending. */
export const RAW_UNICODE =
  'https://videophysics2testvideos.s3.us-east-2.amazonaws.com/cogvideo/A_child’s_kite soars_over_the_beach.mp4';

export function chatBody(videoUrl: string | undefined, extra: Record<string, unknown> = {}) {
  const content: unknown[] = [{ type: 'text', text: 'Rate physical commonsense from 1 to 5.' }];
  if (videoUrl !== undefined) content.unshift({ type: 'video_url', video_url: { url: videoUrl } });
  return {
    model: MODEL,
    messages: [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content },
    ],
    max_tokens: 2048,
    temperature: 0,
    seed: 1,
    top_p: 0.8,
    top_k: 20,
    // What the gate sends (src/vision/plan.ts): the recipe's fps and twice its total_pixels.
    mm_processor_kwargs: {
      fps: 16,
      do_sample_frames: true,
      size: { shortest_edge: 131072, longest_edge: 2 * 6422528 },
    },
    ...extra,
  };
}

export interface Answer {
  status: number;
  json: unknown;
}

export interface Completion {
  id: string;
  model: string;
  choices: {
    message: { role: string; content: string | null; reasoning: string | null };
    finish_reason: 'stop' | 'length';
  }[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

export interface ApiError {
  error: { message: string; type: string; param: null; code: number };
}

export const completion = (a: Answer) => a.json as Completion;
export const apiError = (a: Answer) => (a.json as ApiError).error;
/** The assistant's content, or throws with the status and body (a readable failure). */
export function content(a: Answer): string | null {
  if (a.status !== 200) throw new Error(`status ${a.status}: ${JSON.stringify(a.json)}`);
  return completion(a).choices[0]?.message.content ?? null;
}

export async function post(
  sim: Simulator,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(`${sim.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

/** Runs `fn` over `items` with at most `limit` at once (keeps thousands of requests quick). */
export async function pool<T, R>(
  items: T[],
  limit: number,
  fn: (x: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export const syntheticUrls = (n: number, prefix = 'https://videos.example.com/v') =>
  Array.from({ length: n }, (_, i) => `${prefix}/${i}.mp4`);
