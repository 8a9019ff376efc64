import { request, type Dispatcher } from 'undici';

/** One sample line of the Prometheus text exposition format. */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Milliseconds since the epoch, when the line carries one. */
  timestampMs?: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Go's ParseFloat spellings that Prometheus emits and accepts: NaN, +Inf, -Inf (any case). */
function parseValue(text: string): number | undefined {
  if (/^nan$/i.test(text)) return NaN;
  const inf = /^([+-]?)inf(?:inity)?$/i.exec(text);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  return FLOAT.test(text) ? Number(text) : undefined;
}

/** `{a="x",b="y\"z"}` starting at `s[0] === '{'`: the labels and what follows the closing brace. */
function parseLabels(s: string, where: string): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 1;
  const skipSpace = (): void => {
    while (s[i] === ' ' || s[i] === '\t') i++;
  };
  for (;;) {
    skipSpace();
    if (s[i] === '}') return { labels, rest: s.slice(i + 1) };
    const name = LABEL_NAME.exec(s.slice(i))?.[0];
    if (!name) throw new Error(`${where}: expected a label name at column ${i + 1}`);
    i += name.length;
    skipSpace();
    if (s[i] !== '=') throw new Error(`${where}: expected '=' after label ${name}`);
    i++;
    skipSpace();
    if (s[i] !== '"') throw new Error(`${where}: expected '"' to open the value of label ${name}`);
    i++;
    let value = '';
    for (;;) {
      const c = s[i];
      if (c === undefined) throw new Error(`${where}: unterminated value of label ${name}`);
      i++;
      if (c === '"') break;
      if (c !== '\\') {
        value += c;
        continue;
      }
      const e = s[i++];
      // The format defines three escapes; anything else keeps its backslash, as Prometheus does.
      value += e === 'n' ? '\n' : e === '\\' ? '\\' : e === '"' ? '"' : `\\${e ?? ''}`;
    }
    labels[name] = value;
    skipSpace();
    if (s[i] === ',') i++;
    else if (s[i] !== '}') throw new Error(`${where}: expected ',' or '}' after label ${name}`);
  }
}

/**
 * Parse Prometheus text (as vLLM's prometheus_client serves it): `# HELP`/`# TYPE` and other comments are
 * skipped, histogram and summary series come out as their `_bucket`/`_sum`/`_count` samples.
 * Throws naming the line for a malformed sample.
 */
export function parsePrometheus(text: string): PromSample[] {
  const samples: PromSample[] = [];
  text.split('\n').forEach((raw, k) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `metrics line ${k + 1}`;
    const name = NAME.exec(line)?.[0];
    if (!name) throw new Error(`${where}: expected a metric name, got '${line.slice(0, 80)}'`);
    let rest = line.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.trimStart().startsWith('{')) {
      ({ labels, rest } = parseLabels(rest.trimStart(), where));
    }
    const [valueText, timestamp, extra] = rest.trim().split(/\s+/);
    const value = parseValue(valueText ?? '');
    if (value === undefined || extra !== undefined)
      throw new Error(
        `${where}: expected '<value> [timestamp]' after ${name}, got '${rest.trim()}'`,
      );
    const sample: PromSample = { name, labels, value };
    if (timestamp !== undefined) {
      const ts = Number(timestamp);
      if (!Number.isFinite(ts))
        throw new Error(`${where}: timestamp '${timestamp}' is not a number`);
      sample.timestampMs = ts;
    }
    samples.push(sample);
  });
  return samples;
}

/** What the server is doing right now; a field is null when the server does not export it. */
export interface ServerLoad {
  /** Requests in the running batch, over every engine (data-parallel rank) and model. */
  running: number | null;
  /** Requests queued in the server: 0 for long means the client could send more. */
  waiting: number | null;
  /** KV-cache use 0..1, the mean over engines (a sum of fractions would read as over 100%). */
  kvCacheUsage: number | null;
  /** The fullest engine's KV-cache use: near 1 means more requests would only queue. */
  kvCacheUsageMax: number | null;
}

function values(samples: readonly PromSample[], name: string): number[] {
  return samples.filter((s) => s.name === name && !Number.isNaN(s.value)).map((s) => s.value);
}

const sum = (xs: number[]): number | null => (xs.length > 0 ? xs.reduce((a, b) => a + b, 0) : null);

/** The load gauges from /metrics text; null when none of vLLM's gauges is there (not a vLLM server). */
export function serverLoad(text: string): ServerLoad | null {
  const samples = parsePrometheus(text);
  let kv = values(samples, 'vllm:kv_cache_usage_perc');
  // Renamed in vLLM v0.10/V1; older servers only export the GPU name.
  if (kv.length === 0) kv = values(samples, 'vllm:gpu_cache_usage_perc');
  const load: ServerLoad = {
    running: sum(values(samples, 'vllm:num_requests_running')),
    waiting: sum(values(samples, 'vllm:num_requests_waiting')),
    kvCacheUsage: kv.length > 0 ? (sum(kv) ?? 0) / kv.length : null,
    kvCacheUsageMax: kv.length > 0 ? Math.max(...kv) : null,
  };
  const none = load.running === null && load.waiting === null && load.kvCacheUsage === null;
  return none ? null : load;
}

export interface FetchLoadOptions {
  /** Extra headers, e.g. authorization for a proxy that guards /metrics (vLLM's --api-key does not). */
  headers?: Record<string, string>;
  /** Reuse the run's keep-alive agent; undici's global one otherwise. */
  dispatcher?: Dispatcher;
}

/**
 * GET <root>/metrics and read the load. Null when the server has no /metrics (404, another server),
 * cannot be reached in time, or answers something that is not vLLM's metrics: progress reporting must
 * never fail a run.
 */
export async function fetchServerLoad(
  rootUrl: string,
  timeoutMs: number,
  opts: FetchLoadOptions = {},
): Promise<ServerLoad | null> {
  try {
    const res = await request(`${rootUrl.replace(/\/+$/, '')}/metrics`, {
      headers: opts.headers,
      dispatcher: opts.dispatcher,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) return null;
    return serverLoad(text);
  } catch {
    return null;
  }
}
