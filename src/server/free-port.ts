import { createServer } from 'node:net';

/**
 * A loopback port nothing listens on right now (the OS picks it). Another process could take it before
 * vLLM binds it; vLLM then exits at start-up and that is reported with its log, as vLLM's own tests accept.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve, reject) => {
    srv.once('error', (e) =>
      reject(new Error(`could not find a free port on ${host}: ${e.message}`)),
    );
    srv.listen(0, host, resolve);
  });
  const address = srv.address();
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  if (address === null || typeof address === 'string')
    throw new Error(`could not find a free port on ${host}: no TCP address`);
  return address.port;
}
