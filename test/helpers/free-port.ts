import { createServer } from 'node:net';

/** A loopback port with nothing listening (for connection-refused cases). */
export async function deadPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** A local URL nobody listens on (a port just released), for "server unreachable" cases. */
export async function unreachableUrl(): Promise<string> {
  return `http://127.0.0.1:${await deadPort()}`;
}
