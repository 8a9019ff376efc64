import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

/** Bytes a path serves: deterministic, distinct per path, large enough to arrive in several chunks. */
export function videoBytes(path: string, size = 150_000): Buffer {
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update(path).digest();
  for (let off = 0; off < size; off += block.length) {
    block.copy(out, off);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

export interface VideoServer {
  url: string;
  /** Requests per path (query included). */
  hits: Map<string, number>;
  /** Most requests being answered at once. */
  maxActive: number;
  count(path: string): number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A loopback file host with the failure modes the cache must survive:
 * /redirect?to=P (302), /loop (redirects forever), /to-file (302 to file://), /slow/* (answers after 50 ms),
 * /stall (headers, some bytes, then nothing), /flaky/* (500 the first time), /always500, /missing (404),
 * /big (declares 10 MB), /big-chunked (streams 3 MB, no length), anything else: videoBytes(path).
 */
export function useVideoServer(): () => Promise<VideoServer> {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(
      servers.splice(0).map(
        (s) =>
          new Promise<void>((r) => {
            s.closeAllConnections();
            s.close(() => r());
          }),
      ),
    );
  });
  return async () => {
    const state: VideoServer = {
      url: '',
      hits: new Map(),
      maxActive: 0,
      count: (p) => state.hits.get(p) ?? 0,
    };
    let active = 0;
    const server = createServer((req, res) => {
      const path = req.url ?? '/';
      const n = (state.hits.get(path) ?? 0) + 1;
      state.hits.set(path, n);
      active++;
      state.maxActive = Math.max(state.maxActive, active);
      res.on('close', () => active--);
      const u = new URL(path, 'http://x');
      const send = (body: Buffer) =>
        res
          .writeHead(200, { 'content-type': 'video/mp4', 'content-length': body.length })
          .end(body);
      if (u.pathname === '/redirect') {
        res.writeHead(302, { location: u.searchParams.get('to') ?? '/' }).end();
      } else if (u.pathname === '/loop') {
        res.writeHead(302, { location: '/loop' }).end();
      } else if (u.pathname === '/to-file') {
        res.writeHead(302, { location: 'file:///etc/passwd' }).end();
      } else if (u.pathname.startsWith('/slow/')) {
        void sleep(50).then(() => send(videoBytes(u.pathname)));
      } else if (u.pathname === '/stall') {
        res.writeHead(200, { 'content-length': 1000 });
        res.write(Buffer.alloc(10));
      } else if (u.pathname.startsWith('/flaky/') && n === 1) {
        res.writeHead(500, { 'retry-after-ms': '1' }).end('try again');
      } else if (u.pathname === '/always500') {
        res.writeHead(500, { 'retry-after-ms': '1' }).end('down');
      } else if (u.pathname === '/missing') {
        res.writeHead(404).end('no such video');
      } else if (u.pathname === '/big') {
        res.writeHead(200, { 'content-length': 10_000_000 });
        res.write(Buffer.alloc(1000));
      } else if (u.pathname === '/big-chunked') {
        res.writeHead(200, { 'content-type': 'video/mp4' });
        const chunk = Buffer.alloc(64 * 1024, 7);
        let sent = 0;
        const pump = (): void => {
          while (sent < 3_000_000 && !res.destroyed) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
      } else {
        send(videoBytes(u.pathname));
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push(server);
    state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return state;
  };
}
