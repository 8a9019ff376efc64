/**
 * One client, alone in its process, sending one chat request per video (bench/run.ts runs it under
 * bench/measure.py, once per client, so each has its own CPU time and peak RSS):
 *   node .bench/client-load/index.js <raw|openai> <base-url> <urls.json> <concurrency>
 * Prints {"ok": n, "failed": n}.
 */
import { readFileSync } from 'node:fs';
import { normalizeVideoUrl } from '../src/core/video-url.js';
import { VllmClient } from '../src/vllm/client.js';
import { RawUndiciClient } from './raw-undici-client.js';

const [kind, baseUrl = '', urlsFile = '', concurrencyArg = '16'] = process.argv.slice(2);
// As the gate sends them: percent-encoded (the dataset's URLs have spaces and quotes).
const urls = (JSON.parse(readFileSync(urlsFile, 'utf8')) as string[]).map(normalizeVideoUrl);
const concurrency = Number(concurrencyArg);
const models = (await (await fetch(`${baseUrl}/models`)).json()) as { data: { id: string }[] };
const model = models.data[0]?.id ?? '';

// The gate's request for one video (src/core/request.ts buildRequestBody with the recipe's settings).
const bodyFor = (url: string): Record<string, unknown> => ({
  model,
  messages: [
    { role: 'system', content: 'You are a helpful assistant.' },
    {
      role: 'user',
      content: [
        { type: 'video_url', video_url: { url } },
        { type: 'text', text: 'Rate the physical commonsense of this video from 1 to 5.' },
      ],
    },
  ],
  max_tokens: 4096,
  temperature: 0,
  seed: 1,
  top_p: 0.8,
  top_k: 20,
  repetition_penalty: 1.0,
  presence_penalty: 1.5,
  mm_processor_kwargs: {
    fps: 16,
    do_sample_frames: true,
    size: { shortest_edge: 131072, longest_edge: 8192 * 28 * 28 },
  },
});

let chat: (body: Record<string, unknown>) => Promise<boolean>;
let close: () => Promise<void>;
if (kind === 'raw') {
  const c = new RawUndiciClient(baseUrl);
  chat = async (b) => (await c.chat(b)) !== null;
  close = () => c.close();
} else if (kind === 'openai') {
  const c = new VllmClient({ baseUrl, timeoutMs: 600_000, maxRetries: 2 });
  chat = async (b) => (await c.chat(b)).ok;
  close = () => c.close();
} else {
  throw new Error(`client-load: the client is 'raw' or 'openai', not '${kind}'`);
}

let next = 0;
let ok = 0;
let failed = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < urls.length) {
      const url = urls[next++] ?? '';
      if (await chat(bodyFor(url))) ok++;
      else failed++;
    }
  }),
);
await close();
console.log(JSON.stringify({ ok, failed }));
