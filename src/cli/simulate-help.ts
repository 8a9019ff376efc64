import type { FlagSpec } from './flags.js';

/**
 * `videophy-gate simulate`'s flags for its help and for "did you mean"; src/simulator/args.ts parses them
 * (with its own rules: repeatable --bad-video-url, negative numbers as values). Defaults are the
 * simulator's (src/simulator/options.ts), except --port, which the command sets to 8000.
 */
const s = (name: string, value: string, description: string): FlagSpec => ({
  name,
  type: 'string',
  value,
  description,
});

export const SIMULATE_FLAGS: readonly FlagSpec[] = [
  s('host', 'HOST', 'Address to listen on (default: 127.0.0.1).'),
  s('port', 'N', 'Port to listen on; 0 picks a free one (default: 8000).'),
  s('model', 'NAME', 'Model id served at /v1/models (default: nvidia/Cosmos-Reason2-8B).'),
  s('max-model-len', 'N', 'Context length reported and enforced (default: 16384).'),
  s(
    'answer-key',
    'FILE',
    'Dataset file (csv/jsonl/json/parquet) with video_url and pc: answers then match it with --accuracy.',
  ),
  s(
    'accuracy',
    'P',
    "Probability of answering the answer key's score, 0 to 1 (default: 0.4); other answers follow a fixed distribution.",
  ),
  s(
    'agreement',
    'S',
    "A second checkpoint of the same seed: the answer of --accuracy's checkpoint on a share S of the videos, in (0, 1] (src/simulator/pair.ts).",
  ),
  s(
    'accuracy-delta',
    'D',
    'With it: the other videos changed so that accuracy moves by D, -1 to 1 (alone: agreement 0.75).',
  ),
  s(
    'pearson-delta',
    'R',
    'With them: the changed wrong answers moved towards or away from the truth so that Pearson moves by R (0 keeps it; without it, Pearson moves as the accuracy change carries it; needs --answer-key).',
  ),
  s('seed', 'N', 'Seed of the deterministic answers per video URL (default: 0).'),
  s(
    'latency-ms',
    'MS|MIN-MAX',
    'Service time per request, fixed or uniform in a range (default: 0).',
  ),
  s(
    'capacity',
    'N',
    'Requests served at once (continuous batching); the rest wait in a queue (default: unlimited).',
  ),
  s('ready-after-ms', 'MS', '/health answers 503 until this long after start (default: 0).'),
  s('api-key', 'KEY', 'Require this bearer token, as vllm serve --api-key does.'),
  s('server-error-rate', 'P', 'Share of requests answered 500 (default: 0).'),
  s(
    'bad-request-rate',
    'P',
    "Share of requests answered 400 with vLLM's maximum-context-length message (default: 0).",
  ),
  s('unparseable-rate', 'P', 'Share of replies that are prose without a score line (default: 0).'),
  s(
    'reasoning-only-rate',
    'P',
    'Share of replies with content null and the text in reasoning, thinking never closed (default: 0).',
  ),
  s(
    'length-rate',
    'P',
    "Share of replies cut off at max_tokens (finish_reason 'length') (default: 0).",
  ),
  {
    ...s(
      'bad-video-url',
      'TEXT',
      'Answer 400 for video URLs containing TEXT, as for a video vLLM cannot fetch (repeatable).',
    ),
    multiple: true,
  },
  s(
    'thinking',
    'true|false',
    'The model thinks before it answers: each reply is a thought, </think>, then the answer (default: false).',
  ),
  s(
    'reasoning-parser',
    'qwen3',
    "Split the thinking into message.reasoning, as vLLM's --reasoning-parser qwen3 does.",
  ),
  s(
    'video-frames',
    'request|N',
    "Frames per video: as the request's fps asks (default: request), or N spread over the video whatever fps asks (a misconfigured server).",
  ),
  s(
    'ignore-request-size',
    'true|false',
    "Ignore mm_processor_kwargs.size and keep the processor's own limits, a misconfigured server (default: false).",
  ),
  s(
    'report-usage',
    'true|false',
    'false: replies carry no usage, like a proxy that strips it (default: true).',
  ),
];
