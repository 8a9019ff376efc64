import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A hand-written fake of the GitHub REST API endpoints the sticky comment uses, over real HTTP on
 * 127.0.0.1: GET /user, list / create issue comments (with per_page, page and RFC 5988 Link headers that
 * point at /repositories/{id}/..., as GitHub's do), PATCH a comment. It answers as GitHub does for a
 * personal token, for the Actions GITHUB_TOKEN (403 on GET /user), for a read-only token (403 on writes),
 * for an unknown issue (404) and for a bad token (401), and records every call.
 */

export interface FakeToken {
  login: string;
  /** false: GET /user answers 403 "Resource not accessible by integration" (the Actions GITHUB_TOKEN). */
  canReadUser?: boolean;
  /** false: POST and PATCH answer 403 (GITHUB_TOKEN on a fork's pull request). */
  canWrite?: boolean;
}

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: 'User' | 'Bot' };
  created_at: string;
  updated_at: string;
  html_url: string;
  issue_url: string;
}

export interface Call {
  method: string;
  /** Path after the API prefix, without the query. */
  path: string;
  query: Record<string, string>;
  body?: unknown;
  authorization?: string;
}

interface Issue {
  owner: string;
  repo: string;
  number: number;
  comments: FakeComment[];
}

const INTEGRATION = 'Resource not accessible by integration';
const DOCS = 'https://docs.github.com/rest';

export class FakeGitHub {
  readonly calls: Call[] = [];
  private readonly tokens = new Map<string, FakeToken>();
  private readonly issues = new Map<string, Issue>();
  private readonly repoIds = new Map<string, number>();
  private readonly failures: {
    method: string;
    path: RegExp;
    status: number;
    message: string;
    headers: Record<string, string>;
  }[] = [];
  private nextId = 1_000;
  /** A clock that only moves when a comment is made, so created_at orders comments as GitHub's do. */
  private tick = Date.parse('2026-01-01T00:00:00Z');
  private server?: Server;
  private port = 0;

  private constructor(private readonly prefix: string) {}

  /** Listen on 127.0.0.1; `prefix` is the API root path ('/api/v3' as on GitHub Enterprise Server). */
  static async start(opts: { prefix?: string } = {}): Promise<FakeGitHub> {
    const fake = new FakeGitHub(opts.prefix ?? '');
    const server = createServer((req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.server = server;
    fake.port = (server.address() as { port: number }).port;
    return fake;
  }

  /** What GITHUB_API_URL would hold. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}${this.prefix}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  addToken(token: string, info: FakeToken): this {
    this.tokens.set(token, info);
    return this;
  }

  addIssue(owner: string, repo: string, number: number): this {
    const key = `${owner}/${repo}`;
    if (!this.repoIds.has(key)) this.repoIds.set(key, 500_000 + this.repoIds.size);
    this.issues.set(`${key}#${number}`, { owner, repo, number, comments: [] });
    return this;
  }

  /** Comments already on the issue, oldest first. */
  seed(
    owner: string,
    repo: string,
    number: number,
    comments: { login: string; body: string }[],
  ): this {
    const issue = this.issue(owner, repo, number);
    if (!issue) throw new Error(`seed: no issue ${owner}/${repo}#${number}; addIssue first`);
    for (const c of comments) issue.comments.push(this.comment(issue, c.login, c.body));
    return this;
  }

  comments(owner: string, repo: string, number: number): FakeComment[] {
    return this.issue(owner, repo, number)?.comments ?? [];
  }

  /** Answer `status` with `message` (and `headers`) to calls whose method and path match. */
  failOn(
    method: string,
    path: RegExp,
    status: number,
    message: string,
    headers: Record<string, string> = {},
  ): this {
    this.failures.push({ method, path, status, message, headers });
    return this;
  }

  private issue(owner: string, repo: string, number: number): Issue | undefined {
    return this.issues.get(`${owner}/${repo}#${number}`);
  }

  private comment(issue: Issue, login: string, body: string): FakeComment {
    const id = this.nextId++;
    this.tick += 1_000;
    const at = new Date(this.tick).toISOString();
    return {
      id,
      body,
      user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' },
      created_at: at,
      updated_at: at,
      html_url: `https://github.example/${issue.owner}/${issue.repo}/pull/${issue.number}#issuecomment-${id}`,
      issue_url: `${this.apiUrl}/repos/${issue.owner}/${issue.repo}/issues/${issue.number}`,
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${this.port}`);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const method = req.method ?? 'GET';
    const send = (status: number, data: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(data));
    };
    if (!url.pathname.startsWith(`${this.prefix}/`)) {
      send(404, { message: 'Not Found', documentation_url: DOCS });
      return;
    }
    const path = url.pathname.slice(this.prefix.length);
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      send(400, { message: 'Problems parsing JSON', documentation_url: DOCS });
      return;
    }
    const authorization = req.headers.authorization;
    this.calls.push({
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      ...(body === undefined ? {} : { body }),
      ...(authorization ? { authorization } : {}),
    });

    const failure = this.failures.find((f) => f.method === method && f.path.test(path));
    if (failure) {
      send(failure.status, { message: failure.message, documentation_url: DOCS }, failure.headers);
      return;
    }
    const token = /^(?:token|bearer) (.+)$/i.exec(authorization ?? '')?.[1];
    const who = token === undefined ? undefined : this.tokens.get(token);
    if (!who) {
      send(401, { message: 'Bad credentials', documentation_url: DOCS });
      return;
    }
    this.route(method, path, url.searchParams, body, who, send);
  }

  private route(
    method: string,
    path: string,
    query: URLSearchParams,
    body: unknown,
    who: FakeToken,
    send: (status: number, data: unknown, headers?: Record<string, string>) => void,
  ): void {
    const forbidden = (): void =>
      send(
        403,
        { message: INTEGRATION, documentation_url: DOCS },
        { 'x-ratelimit-remaining': '4999' },
      );
    const notFound = (): void => send(404, { message: 'Not Found', documentation_url: DOCS });

    if (method === 'GET' && path === '/user') {
      if (who.canReadUser === false) return forbidden();
      return send(200, {
        login: who.login,
        id: 1,
        type: who.login.endsWith('[bot]') ? 'Bot' : 'User',
      });
    }

    let m = /^\/(?:repos\/([^/]+)\/([^/]+)|repositories\/(\d+))\/issues\/(\d+)\/comments$/.exec(
      path,
    );
    if (m) {
      const [owner, repo] = m[3] ? this.repoById(Number(m[3])) : [m[1]!, m[2]!];
      const issue = this.issue(owner, repo, Number(m[4]));
      if (!issue) return notFound();
      if (method === 'GET') return this.list(issue, query, send);
      if (method === 'POST') {
        if (who.canWrite === false) return forbidden();
        const text = (body as { body?: unknown } | undefined)?.body;
        if (typeof text !== 'string') return send(422, { message: 'Validation Failed' });
        const c = this.comment(issue, who.login, text);
        issue.comments.push(c);
        return send(201, c);
      }
    }

    m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(path);
    if (m && method === 'PATCH') {
      const c = [...this.issues.values()]
        .filter((i) => i.owner === m[1] && i.repo === m[2])
        .flatMap((i) => i.comments)
        .find((x) => x.id === Number(m[3]));
      if (!c) return notFound();
      // GitHub lets an author edit their own comment; others need admin rights this fake never grants.
      if (who.canWrite === false || c.user.login !== who.login) return forbidden();
      const text = (body as { body?: unknown } | undefined)?.body;
      if (typeof text !== 'string') return send(422, { message: 'Validation Failed' });
      c.body = text;
      this.tick += 1_000;
      c.updated_at = new Date(this.tick).toISOString();
      return send(200, c);
    }
    // The contents API (the baseline committed to a branch): GET a file, PUT (create or update) it.
    const cm = /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/.exec(path);
    if (cm) {
      const branch =
        method === 'GET'
          ? (query.get('ref') ?? 'main')
          : ((body as { branch?: string } | undefined)?.branch ?? 'main');
      const key = `${cm[1]}/${cm[2]}@${branch}:${decodeURIComponent(cm[3]!)}`;
      const file = this.files.get(key);
      if (method === 'GET')
        return file
          ? send(200, {
              type: 'file',
              sha: file.sha,
              content: Buffer.from(file.content).toString('base64'),
              encoding: 'base64',
            })
          : notFound();
      if (method === 'PUT') {
        if (who.canWrite === false) return forbidden();
        const b = body as { message?: unknown; content?: unknown; sha?: unknown };
        if (typeof b.message !== 'string' || typeof b.content !== 'string')
          return send(422, { message: 'Validation Failed' });
        if (file && b.sha !== file.sha)
          return send(409, { message: `${cm[3]} does not match ${String(b.sha)}` });
        const sha = `blob${++this.nextId}`;
        this.files.set(key, {
          sha,
          content: Buffer.from(b.content, 'base64').toString('utf8'),
          message: b.message,
        });
        return send(file ? 200 : 201, {
          content: { sha, path: cm[3] },
          commit: {
            sha: `commit${this.nextId}`,
            html_url: `https://github.example/${cm[1]}/${cm[2]}/commit/commit${this.nextId}`,
          },
        });
      }
    }
    return notFound();
  }

  /** Files committed through the contents API: `owner/repo@branch:path` -> content and commit message. */
  readonly files = new Map<string, { sha: string; content: string; message: string }>();

  private repoById(id: number): [string, string] {
    for (const [key, value] of this.repoIds) {
      if (value === id) {
        const [owner, repo] = key.split('/');
        return [owner!, repo!];
      }
    }
    return ['', ''];
  }

  /** One page of comments, oldest first, with Link headers built the way GitHub builds them. */
  private list(
    issue: Issue,
    query: URLSearchParams,
    send: (status: number, data: unknown, headers?: Record<string, string>) => void,
  ): void {
    const perPage = Math.min(100, Math.max(1, Number(query.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(issue.comments.length / perPage));
    const data = issue.comments.slice((page - 1) * perPage, page * perPage);
    const id = this.repoIds.get(`${issue.owner}/${issue.repo}`);
    const at = (p: number): string =>
      `<${this.apiUrl}/repositories/${id}/issues/${issue.number}/comments?per_page=${perPage}&page=${p}>`;
    const links: string[] = [];
    if (page > 1) links.push(`${at(page - 1)}; rel="prev"`);
    if (page < last) links.push(`${at(page + 1)}; rel="next"`, `${at(last)}; rel="last"`);
    if (page > 1) links.push(`${at(1)}; rel="first"`);
    send(200, data, links.length > 0 ? { link: links.join(', ') } : {});
  }
}
