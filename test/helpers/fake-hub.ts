/**
 * A stand-in for the Hugging Face Hub on 127.0.0.1 (node:http), serving the endpoints the loader
 * uses for one dataset held in memory:
 *   GET /api/datasets/{id}/revision/{revision}   -> { id, sha, siblings: [{ rfilename }] }
 *   GET /datasets/{id}/resolve/{sha}/{path}      -> file bytes (302 to /cdn/... with `redirect`)
 *   GET /api/datasets/{id}/parquet/default/{split}  -> JSON array of URLs (404 if none)
 * Status codes and X-Error-Code headers mimic the real Hub's.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeHubOptions {
  id: string;
  sha: string;
  /** Revision names -> sha (default { main: sha }); the sha itself is always accepted. */
  refs?: Record<string, string>;
  /** Repo files: path -> body. */
  files: Record<string, string | Uint8Array>;
  /** Split -> parquet files of the Hub's conversion (served when the repo has no usable files). */
  conversion?: Record<string, Uint8Array[]>;
  /** When set, the dataset is gated: requests without `Authorization: Bearer <token>` get 401. */
  gatedToken?: string;
  /** /resolve/ answers 302 to /cdn/... (as the Hub does for LFS files). */
  redirect?: boolean;
  /** The first N requests to the revision endpoint answer 503. */
  failFirst?: number;
}

export interface FakeHub {
  url: string;
  /** Requests per URL path (as sent, percent-encoded). */
  counts: Map<string, number>;
  /** Number of requests whose path contains `fragment`. */
  count(fragment: string): number;
  /** Authorization header of every request, in order (undefined when absent). */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

export async function startFakeHub(options: FakeHubOptions): Promise<FakeHub> {
  const counts = new Map<string, number>();
  const authorizations: (string | undefined)[] = [];
  let failuresLeft = options.failFirst ?? 0;
  const refs = options.refs ?? { main: options.sha };
  const api = `/api/datasets/${options.id}`;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    authorizations.push(req.headers.authorization);
    const send = (
      status: number,
      body: string | Uint8Array,
      headers: Record<string, string> = {},
    ) => {
      res.writeHead(status, headers).end(body);
    };
    const json = (status: number, body: unknown, errorCode?: string) =>
      send(status, JSON.stringify(body), {
        'content-type': 'application/json',
        ...(errorCode ? { 'x-error-code': errorCode } : {}),
      });

    if (options.gatedToken && req.headers.authorization !== `Bearer ${options.gatedToken}`) {
      return json(401, { error: 'Access to this dataset is restricted.' }, 'GatedRepo');
    }
    if (path.startsWith(`${api}/revision/`)) {
      if (failuresLeft > 0) {
        failuresLeft--;
        return json(503, { error: 'Service unavailable' });
      }
      const revision = decodeURIComponent(path.slice(`${api}/revision/`.length));
      const sha = revision === options.sha ? options.sha : refs[revision];
      if (!sha) return json(404, { error: `Invalid rev id: ${revision}` }, 'RevisionNotFound');
      const siblings = Object.keys(options.files).map((rfilename) => ({ rfilename }));
      return json(200, { id: options.id, sha, siblings });
    }
    const resolve = `/datasets/${options.id}/resolve/`;
    if (path.startsWith(resolve) || path.startsWith('/cdn/')) {
      const rest = decodeURIComponent(path.slice(path.startsWith('/cdn/') ? 5 : resolve.length));
      const slash = rest.indexOf('/');
      const [sha, file] = [rest.slice(0, slash), rest.slice(slash + 1)];
      const body = options.files[file];
      if (sha !== options.sha || body === undefined)
        return json(404, { error: 'Entry not found' }, 'EntryNotFound');
      if (options.redirect && path.startsWith(resolve)) {
        return send(302, '', { location: `/cdn/${sha}/${encodeURI(file)}` });
      }
      return send(200, body, { 'content-type': 'application/octet-stream' });
    }
    const conversion =
      /^\/api\/datasets\/[^/]+\/[^/]+\/parquet\/default\/([^/]+)(?:\/(\d+)\.parquet)?$/.exec(path);
    if (conversion && path.startsWith(`${api}/parquet/`)) {
      const parts = options.conversion?.[decodeURIComponent(conversion[1] ?? '')];
      if (!parts) return json(404, { error: 'Not found' });
      if (conversion[2] === undefined) {
        return json(
          200,
          parts.map((_, i) => `${hub.url}${path}/${i}.parquet`),
        );
      }
      const part = parts[Number(conversion[2])];
      return part ? send(200, part) : json(404, { error: 'Not found' });
    }
    return json(404, { error: 'Repository not found' }, 'RepoNotFound');
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const hub: FakeHub = {
    url: `http://127.0.0.1:${port}`,
    counts,
    count: (fragment) =>
      [...counts].filter(([p]) => p.includes(fragment)).reduce((n, [, c]) => n + c, 0),
    authorizations,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
  return hub;
}
