import {
  Agent,
  createServer,
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { mulberry32 } from '../../scripts/synthetic.js';
import { PROBE_ASSET } from '../../src/vision/probe.js';

/** The fidelity guard's probe video as the gate sends it (src/fidelity/guard.ts). */
const PROBE_URL = `data:video/mp4;base64,${readFileSync(PROBE_ASSET).toString('base64')}`;

/**
 * A fault-injecting HTTP proxy on 127.0.0.1 in front of a vLLM-compatible server (the simulator, in this
 * process or another). Every request is forwarded as is, except POST /v1/chat/completions, where a plan
 * decides, per request, whether to answer with a fault instead:
 *
 * - `refuse`: the listener and every socket are closed: from then on, connection refused (a server killed)
 * - `reset`: status line, headers and part of the body, then the socket destroyed (connection reset)
 * - `hang`: no answer at all (until the client gives up, e.g. request-timeout, or the proxy closes)
 * - `http-500`, `http-503`: vLLM's JSON error envelope; `http-502`, `http-504`: a reverse proxy's HTML page
 * - `http-429`: rate limited, with `Retry-After` (seconds, `retryAfterS`)
 * - `truncated-json`: 200 with the upstream body cut in half (a complete response of invalid JSON)
 * - `no-choices`: 200 with a chat.completion object that has no `choices`
 * - `reasoning-only`: 200, `content: null` and the text in `reasoning` (vLLM's reasoning parser, thinking
 *   never closed)
 * - `length`: 200, `finish_reason: "length"` and the content cut to a prefix without the score
 * - `huge`: 200, a valid completion whose content is the upstream answer followed by `hugeBytes` of text
 * - `wrong-model`: 404 as vLLM answers a request for a model it does not serve
 * - `echo-auth`: 500 whose error message echoes the request's Authorization header (a badly written proxy)
 *
 * Faults that need the upstream answer (truncated-json, reasoning-only, length, huge) forward first. What
 * the proxy did is counted per kind (`forwarded` for untouched answers); `rewrite` may change every
 * forwarded completion's content (hostile replies).
 */

export const FAULT_KINDS = [
  'refuse',
  'reset',
  'hang',
  'http-500',
  'http-502',
  'http-503',
  'http-504',
  'http-429',
  'truncated-json',
  'no-choices',
  'reasoning-only',
  'length',
  'huge',
  'wrong-model',
  'echo-auth',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * The transport faults a soak mixes in at the proxy (the simulator injects the reply-level ones itself): each
 * one a retry can get past, so a soak run must account for every video and still complete.
 */
export const SOAK_PROXY_FAULTS: readonly FaultKind[] = [
  'reset',
  'hang',
  'http-502',
  'http-503',
  'http-504',
  'http-429',
  'truncated-json',
  'no-choices',
];

export interface ChatRequestInfo {
  /** 0-based number of this chat request among all chat requests the proxy received. */
  n: number;
  /** The first video URL of the request ('' when none). */
  url: string;
  /** 0-based: how many chat requests for this URL came before this one. */
  attempt: number;
  authorization: string | undefined;
}

/** Decides the fault for one chat request; undefined = forward untouched. */
export type FaultPlan = (req: ChatRequestInfo) => FaultKind | undefined;

export interface FaultProxyOptions {
  /** The server behind the proxy, e.g. a simulator's `url` (http://127.0.0.1:PORT, no /v1). */
  upstream: string;
  plan?: FaultPlan;
  /** Retry-After of `http-429`, in seconds. Default 1. */
  retryAfterS?: number;
  /** Extra characters of a `huge` reply. Default 6 MB. */
  hugeBytes?: number;
  /** Delay before a chat request is handled (fault or not), in ms. */
  chatDelayMs?: (req: ChatRequestInfo) => number;
  /** Delay before forwarding any request that is not a chat completion (/health, /v1/models...), in ms. */
  probeDelayMs?: number;
  /** The error message of `http-500`, `http-503` and `http-429` answers (vLLM's JSON envelope). */
  message?: string;
  /** Changes the content of every forwarded (200) completion that has a string content. */
  rewrite?: (content: string, req: ChatRequestInfo) => string;
}

export interface FaultProxy {
  /** http://127.0.0.1:PORT */
  url: string;
  /** url + '/v1': what the gate takes as base-url. */
  baseUrl: string;
  /** Chat requests answered per fault kind, plus `forwarded`. */
  counts: Record<FaultKind | 'forwarded', number>;
  /** Every request received (any path), and chat requests only (fidelity probes apart). */
  requests: number;
  probeRequests: number;
  chatRequests: number;
  /** The video URL of every chat request, in arrival order. */
  chatUrls: string[];
  /** Closes the listener and every connection: further connections are refused. */
  refuse(): Promise<void>;
  /** Same as refuse(); idempotent. */
  close(): Promise<void>;
}

/** Plans. */
export const plans = {
  /** Faults by chat request number: { 3: 'reset', 4: 'reset' }. */
  schedule:
    (byRequest: Record<number, FaultKind>): FaultPlan =>
    ({ n }) =>
      byRequest[n],
  /** `count` consecutive chat requests from request number `from` get `kind` (a burst). */
  burst:
    (kind: FaultKind, from: number, count: number): FaultPlan =>
    ({ n }) =>
      n >= from && n < from + count ? kind : undefined,
  /** Each chat request gets a fault with probability `rate`, the kind drawn from `kinds`; seeded. */
  rate: (rate: number, kinds: readonly FaultKind[], seed = 1): FaultPlan => {
    const rand = mulberry32(seed);
    return () => {
      const u = rand();
      const k = rand();
      return u < rate ? kinds[Math.floor(k * kinds.length)] : undefined;
    };
  },
  /** The first `attempts` requests for every URL that `match` selects get `kind` (a retry then succeeds). */
  firstAttempts:
    (kind: FaultKind, match: (url: string) => boolean, attempts = 1): FaultPlan =>
    ({ url, attempt }) =>
      match(url) && attempt < attempts ? kind : undefined,
  /** Every request for a URL that `match` selects gets `kind`, however often it is retried. */
  always:
    (kind: FaultKind, match: (url: string) => boolean): FaultPlan =>
    ({ url }) =>
      match(url) ? kind : undefined,
  /** The first plan that answers. */
  first:
    (...ps: FaultPlan[]): FaultPlan =>
    (r) => {
      for (const p of ps) {
        const k = p(r);
        if (k) return k;
      }
      return undefined;
    },
};

interface Upstream {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'proxy-connection',
  'upgrade',
]);

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function videoUrlOf(body: Buffer): string {
  try {
    const doc = JSON.parse(body.toString('utf8')) as {
      messages?: { content?: unknown }[];
    };
    for (const m of doc.messages ?? []) {
      if (!Array.isArray(m.content)) continue;
      for (const part of m.content as { type?: string; video_url?: { url?: unknown } }[]) {
        if (part.type === 'video_url' && typeof part.video_url?.url === 'string')
          return part.video_url.url;
      }
    }
  } catch {
    // not JSON: no URL
  }
  return '';
}

const vllmError = (status: number, type: string, message: string): string =>
  JSON.stringify({ error: { message, type, param: null, code: status } });

const proxyPage = (status: number, title: string): string =>
  `<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(opts.upstream);
  const agent = new Agent({ keepAlive: true, maxSockets: 1024 });
  const sockets = new Set<Socket>();
  const counts = Object.fromEntries([...FAULT_KINDS, 'forwarded'].map((k) => [k, 0])) as Record<
    FaultKind | 'forwarded',
    number
  >;
  const attempts = new Map<string, number>();
  let closed: Promise<void> | undefined;

  const forward = (req: IncomingMessage, body: Buffer): Promise<Upstream> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (v !== undefined && !HOP_BY_HOP.has(k) && k !== 'host') headers[k] = v;
      headers['content-length'] = String(body.length);
      const up = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers,
          agent,
        },
        (res) => {
          readAll(res).then(
            (b) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: b }),
            reject,
          );
        },
      );
      up.on('error', reject);
      up.end(body);
    });

  const send = (
    res: ServerResponse,
    status: number,
    body: string | Buffer,
    headers: Record<string, string> = {},
  ): void => {
    if (res.destroyed) return;
    const buf = typeof body === 'string' ? Buffer.from(body) : body;
    res.writeHead(status, {
      'content-type': 'application/json',
      ...headers,
      'content-length': String(buf.length),
    });
    res.end(buf);
  };

  const passOn = (res: ServerResponse, up: Upstream): void => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(up.headers))
      if (typeof v === 'string' && !HOP_BY_HOP.has(k)) headers[k] = v;
    send(res, up.status, up.body, headers);
  };

  /** A forwarded 200 completion, changed by `edit`; anything else passes on untouched. */
  const editCompletion = async (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    edit: (message: Record<string, unknown>, choice: Record<string, unknown>) => void,
  ): Promise<void> => {
    const up = await forward(req, body);
    if (up.status !== 200) return passOn(res, up);
    const doc = JSON.parse(up.body.toString('utf8')) as {
      choices: { message: Record<string, unknown> }[];
    };
    const choice = doc.choices[0] as unknown as Record<string, unknown> & {
      message: Record<string, unknown>;
    };
    edit(choice.message, choice);
    send(res, 200, JSON.stringify(doc));
  };

  const proxy: FaultProxy = {
    url: '',
    baseUrl: '',
    counts,
    requests: 0,
    chatRequests: 0,
    probeRequests: 0,
    chatUrls: [],
    refuse: () => shut(),
    close: () => shut(),
  };

  const handleChat = async (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
  ): Promise<void> => {
    const url = videoUrlOf(body);
    // The gate's fidelity probes (its probe video inline) pass untouched and uncounted: the faults here are
    // for the scoring requests; test/fidelity covers the probes.
    if (url === PROBE_URL) {
      proxy.probeRequests++;
      return passOn(res, await forward(req, body));
    }
    const attempt = attempts.get(url) ?? 0;
    attempts.set(url, attempt + 1);
    const info: ChatRequestInfo = {
      n: proxy.chatRequests++,
      url,
      attempt,
      authorization: req.headers.authorization,
    };
    proxy.chatUrls.push(url);
    const delay = opts.chatDelayMs?.(info) ?? 0;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    const fault = opts.plan?.(info);
    if (fault) counts[fault]++;
    switch (fault) {
      case undefined: {
        if (!opts.rewrite) {
          counts.forwarded++;
          return passOn(res, await forward(req, body));
        }
        counts.forwarded++;
        const rewrite = opts.rewrite;
        return editCompletion(req, res, body, (m) => {
          if (typeof m.content === 'string') m.content = rewrite(m.content, info);
        });
      }
      case 'refuse':
        res.socket?.destroy();
        return proxy.refuse();
      case 'reset': {
        const up = await forward(req, body);
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': String(up.body.length),
        });
        res.write(up.body.subarray(0, Math.max(1, Math.floor(up.body.length / 3))));
        // Let the partial body leave before the connection goes.
        setTimeout(() => res.socket?.destroy(), 5);
        return;
      }
      case 'hang':
        // Nothing is ever written; the socket goes when the client gives up or the proxy closes.
        return;
      case 'http-500':
        return send(
          res,
          500,
          vllmError(
            500,
            'InternalServerError',
            opts.message ?? 'EngineCore encountered an issue (fault proxy).',
          ),
        );
      case 'http-503':
        return send(
          res,
          503,
          vllmError(
            503,
            'ServiceUnavailableError',
            opts.message ?? 'The server is overloaded (fault proxy).',
          ),
        );
      case 'http-502':
        return send(res, 502, proxyPage(502, 'Bad Gateway'), { 'content-type': 'text/html' });
      case 'http-504':
        return send(res, 504, proxyPage(504, 'Gateway Time-out'), {
          'content-type': 'text/html',
        });
      case 'http-429':
        return send(
          res,
          429,
          vllmError(429, 'RateLimitError', opts.message ?? 'Too many requests (fault proxy).'),
          { 'retry-after': String(opts.retryAfterS ?? 1) },
        );
      case 'truncated-json': {
        const up = await forward(req, body);
        return send(res, 200, up.body.subarray(0, Math.floor(up.body.length / 2)));
      }
      case 'no-choices':
        return send(
          res,
          200,
          JSON.stringify({
            id: 'chatcmpl-fault',
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: 'fault-proxy',
            usage: { prompt_tokens: 10, completion_tokens: 0, total_tokens: 10 },
          }),
        );
      case 'reasoning-only':
        return editCompletion(req, res, body, (m) => {
          m.reasoning = `Let me think. ${String(m.content)}`;
          m.content = null;
        });
      case 'length':
        return editCompletion(req, res, body, (m, c) => {
          m.content = 'The video shows an object that moves and I need to consider whether';
          c.finish_reason = 'length';
        });
      case 'huge':
        return editCompletion(req, res, body, (m) => {
          m.content = `${String(m.content)}\n${'All of this is padding. '.repeat(Math.ceil((opts.hugeBytes ?? 6_000_000) / 24))}`;
        });
      case 'wrong-model':
        return send(
          res,
          404,
          vllmError(404, 'NotFoundError', 'The model `nvidia/Cosmos-Reason2-8B` does not exist.'),
        );
      case 'echo-auth':
        return send(
          res,
          500,
          vllmError(
            500,
            'InternalServerError',
            `upstream rejected the request with headers {"authorization": "${req.headers.authorization ?? ''}"}`,
          ),
        );
    }
  };

  const server = createServer((req, res) => {
    proxy.requests++;
    void (async () => {
      const body = await readAll(req);
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'POST' && path === '/v1/chat/completions')
        return handleChat(req, res, body);
      if (opts.probeDelayMs) await new Promise((r) => setTimeout(r, opts.probeDelayMs));
      return passOn(res, await forward(req, body));
    })().catch(() => {
      // Upstream gone or the client went away: what a dead server looks like to the client.
      res.socket?.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const shut = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
      agent.destroy();
    });
    return closed;
  };

  proxy.url = `http://127.0.0.1:${port}`;
  proxy.baseUrl = `${proxy.url}/v1`;
  return proxy;
}
