/**
 * The HTTP side of the simulator: vLLM's routes, --api-key middleware, the loading phase, keep-alive
 * and shutdown. Request logic lives in chat.ts and the body shapes in responses.ts.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveChat, type ChatState } from './chat.js';
import { simulatorOptions, type SimulatorOptions, type SimulatorOptionsInput } from './options.js';
import { errorBody, metricsText, modelsBody } from './responses.js';
import { readBody, urlHost } from './net.js';
import { SlotQueue } from './slots.js';

/** Counts cover POST /v1/chat/completions only; byStatus is keyed by the status answered. */
export interface SimulatorStats {
  chatRequests: number;
  completed: number;
  /** Chat requests whose client disconnected before the reply (a cancelled request). */
  aborted: number;
  inFlight: number;
  maxInFlight: number;
  waiting: number;
  byStatus: Record<number, number>;
}

export interface Simulator {
  /** http://127.0.0.1:PORT */
  url: string;
  /** url + '/v1', what an OpenAI client takes as baseURL. */
  baseUrl: string;
  port: number;
  options: SimulatorOptions;
  stats: SimulatorStats;
  /** Request bodies (parsed JSON, or the raw text when it was not JSON) when options.record. */
  recorded: unknown[];
  /** Stops listening; waits for requests in flight unless `force`, which drops every socket at once. */
  close(opts?: { force?: boolean }): Promise<void>;
}

const JSON_TYPE = 'application/json';
const ROUTES: Record<string, string> = {
  '/health': 'GET',
  '/version': 'GET',
  '/metrics': 'GET',
  '/v1/models': 'GET',
  '/v1/chat/completions': 'POST',
};

const sha256 = (s: string) => createHash('sha256').update(s).digest();

export async function startSimulator(input?: SimulatorOptionsInput): Promise<Simulator> {
  const opts = simulatorOptions(input);
  const slots = new SlotQueue(opts.capacity);
  const state: ChatState = {
    opts,
    slots,
    recorded: [],
    attempts: new Map(),
    tokens: { prompt: 0, generation: 0 },
  };
  const e2e = { sum: 0, count: 0 };
  const stats: SimulatorStats = {
    chatRequests: 0,
    completed: 0,
    aborted: 0,
    byStatus: {},
    get inFlight() {
      return slots.counts.inFlight;
    },
    get maxInFlight() {
      return slots.counts.maxInFlight;
    },
    get waiting() {
      return slots.counts.waiting;
    },
  };
  const readyAt = performance.now() + opts.readyAfterMs;
  const keyHash = opts.apiKey !== undefined ? sha256(opts.apiKey) : undefined;
  let closing = false;

  /** vLLM's AuthenticationMiddleware: `Bearer <key>`, scheme case-insensitive, compared by hash. */
  const authorised = (header: string | undefined): boolean => {
    if (!keyHash) return true;
    if (!header) return false;
    const space = header.indexOf(' ');
    const scheme = space < 0 ? header : header.slice(0, space);
    if (scheme.toLowerCase() !== 'bearer') return false;
    return timingSafeEqual(sha256(space < 0 ? '' : header.slice(space + 1)), keyHash);
  };

  function send(
    res: ServerResponse,
    status: number,
    payload: string,
    type: string,
    chatStart?: number,
  ) {
    if (res.destroyed || res.headersSent) return;
    const headers: Record<string, string | number> = {
      'content-length': Buffer.byteLength(payload),
    };
    if (payload.length > 0) headers['content-type'] = type;
    // While shutting down, finish the exchange but do not keep the socket for another request.
    if (closing) headers.connection = 'close';
    res.writeHead(status, headers).end(payload);
    if (chatStart === undefined) return;
    stats.completed++;
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    e2e.sum += (performance.now() - chatStart) / 1000;
    e2e.count++;
  }
  const sendJson = (res: ServerResponse, status: number, body: unknown, chatStart?: number) =>
    send(res, status, JSON.stringify(body), JSON_TYPE, chatStart);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const method = req.method ?? 'GET';
    const chatStart =
      path === '/v1/chat/completions' && method === 'POST' ? performance.now() : undefined;
    if (chatStart !== undefined) stats.chatRequests++;
    const ready = performance.now() >= readyAt;
    if (path === '/health' && method === 'GET') return send(res, ready ? 200 : 503, '', JSON_TYPE);
    if (path.startsWith('/v1') && !ready) {
      const body = errorBody(
        503,
        'ServiceUnavailableError',
        'The server is still loading the model.',
      );
      return sendJson(res, 503, body, chatStart);
    }
    if (path.startsWith('/v1') && method !== 'OPTIONS' && !authorised(req.headers.authorization)) {
      return sendJson(res, 401, { error: 'Unauthorized' }, chatStart);
    }
    const allowed = ROUTES[path];
    if (allowed === undefined) return sendJson(res, 404, { detail: 'Not Found' });
    if (allowed !== method) return sendJson(res, 405, { detail: 'Method Not Allowed' }, chatStart);
    if (path === '/version') return sendJson(res, 200, { version: opts.version });
    if (path === '/v1/models') return sendJson(res, 200, modelsBody(opts));
    if (path === '/metrics') {
      const text = metricsText(opts, {
        running: slots.counts.inFlight,
        waiting: slots.counts.waiting,
        promptTokens: state.tokens.prompt,
        generationTokens: state.tokens.generation,
        e2eSecondsSum: e2e.sum,
        e2eCount: e2e.count,
      });
      return send(res, 200, text, 'text/plain; version=0.0.4; charset=utf-8');
    }
    // vLLM aborts a request whose client disconnects: leave the queue, stop the service timer.
    const abort = new AbortController();
    res.on('close', () => {
      if (res.writableFinished) return;
      stats.aborted++;
      abort.abort();
    });
    const raw = await readBody(req);
    const reply = await serveChat(state, raw, abort.signal);
    sendJson(res, reply.status, reply.body, chatStart);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      // Aborted (socket gone) needs no answer; anything else is our bug, reported like vLLM's 500.
      const body = errorBody(500, 'InternalServerError', 'Internal simulator error.');
      if (!res.destroyed) sendJson(res, 500, body);
    });
  });
  // Clients reuse sockets for thousands of requests: outlive their idle timeouts to avoid resets.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${urlHost(opts.host, address.family)}:${address.port}`;

  return {
    url,
    baseUrl: `${url}/v1`,
    port: address.port,
    options: opts,
    stats,
    recorded: state.recorded,
    close({ force = false } = {}) {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      if (force) server.closeAllConnections();
      else server.closeIdleConnections();
      return closed;
    },
  };
}
