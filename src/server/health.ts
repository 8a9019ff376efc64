import { request } from 'node:http';

/**
 * One GET /health: true on 200. vLLM refuses connections while it loads and answers 200 (empty body) once
 * the engine is ready. A fresh connection each time (no keep-alive), so nothing outlives the probe.
 */
export function healthOk(
  port: number,
  timeoutMs: number,
): Promise<{ ok: boolean; detail: string }> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/health', method: 'GET', agent: false, timeout: timeoutMs },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ ok: res.statusCode === 200, detail: `GET /health: HTTP ${res.statusCode}` }),
        );
        res.on('error', (e) => resolve({ ok: false, detail: `GET /health: ${e.message}` }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e: NodeJS.ErrnoException) =>
      resolve({
        ok: false,
        detail: `GET /health: ${e.code === 'ECONNREFUSED' ? 'connection refused (not listening yet)' : e.message}`,
      }),
    );
    req.end();
  });
}
