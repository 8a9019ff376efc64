import { COMMENT_LIMIT, commentMarker } from './comment-marker.js';
import { createClient, type Octokit } from './client.js';
import {
  apiError,
  describeFailure,
  type FailedCall,
  noTokenWarning,
  skipWarning,
  type SkipReason,
} from './errors.js';

/**
 * The author of comments made with the Actions GITHUB_TOKEN. That token cannot call GET /user (403
 * "Resource not accessible by integration"), so its identity is known rather than asked. A GitHub App's
 * installation token answers the same way but comments as `<app-slug>[bot]`: pass `author` for those.
 */
export const ACTIONS_BOT = 'github-actions[bot]';

export interface UpsertOptions {
  /** Missing or empty: nothing is sent and the result says why. */
  token: string | undefined;
  /** GITHUB_API_URL (GitHub Enterprise Server: https://HOST/api/v3). */
  apiUrl: string;
  repo: { owner: string; repo: string };
  /** The pull request (or issue) number: pull requests take comments through the issues API. */
  issueNumber: number;
  /** The gate's comment tag: one comment per tag (two gates in one workflow keep two comments). */
  tag: string;
  /** The comment; the tag's marker is put first when it is not already in it. */
  body: string;
  /** The login whose comments may be edited. Default: the token's user, else github-actions[bot]. */
  author?: string;
  /** Per request. */
  timeoutMs?: number;
}

export type UpsertResult =
  | { action: 'created' | 'updated'; url: string; id: number }
  | { action: 'skipped'; reason: SkipReason; warning: string };

interface Found {
  id: number;
  createdAt: string;
}

/** Thrown inside to stop at the first permission problem; turned into a skipped result at the edge. */
class Skip extends Error {
  override name = 'Skip';
  constructor(
    readonly reason: SkipReason,
    readonly warning: string,
  ) {
    super(warning);
  }
}

/** 403 and 404 are settings of the workflow (or a rate limit), not failures of the gate. */
function skipFor(f: FailedCall, issueNumber: number): Skip | undefined {
  if (f.status !== 403 && f.status !== 404) return undefined;
  const reason: SkipReason =
    f.status === 404 ? 'not-found' : f.rateLimited ? 'rate-limited' : 'forbidden';
  return new Skip(reason, skipWarning(f, issueNumber));
}

/** Run one API call; 403 and 404 become a Skip, anything else an error that says what was being done. */
async function call<T>(
  doing: string,
  method: string,
  issueNumber: number,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const f = describeFailure(e, method);
    throw skipFor(f, issueNumber) ?? apiError(f, doing);
  }
}

/** The login comments are made under with this token. */
async function tokenLogin(
  octokit: Octokit,
  issueNumber: number,
  signal: () => AbortSignal,
): Promise<string> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated({ request: { signal: signal() } });
    return data.login;
  } catch (e) {
    const f = describeFailure(e, 'GET');
    // The Actions GITHUB_TOKEN (an installation token) may not read /user: it comments as the bot.
    if (f.status === 403 && !f.rateLimited) return ACTIONS_BOT;
    throw skipFor(f, issueNumber) ?? apiError(f, 'finding who the token belongs to');
  }
}

/** The rel="next" URL of an RFC 5988 Link header (what GitHub sends with every paginated list). */
export function nextPage(link: string | undefined): string | undefined {
  return link ? /<([^>]+)>;\s*rel="next"/.exec(link)?.[1] : undefined;
}

interface ListedComment {
  id: number;
  body?: string;
  user: { login: string } | null;
  created_at: string;
}

/**
 * The newest comment of `author` carrying `marker`, looking through every page (100 per page, following
 * the Link headers GitHub sends, as given): a busy pull request has more than 100 comments, and stopping
 * at the first page would post a second sticky comment. Each page gets its own timeout.
 */
async function findComment(
  octokit: Octokit,
  o: UpsertOptions,
  author: string,
  marker: string,
  signal: () => AbortSignal,
): Promise<Found | undefined> {
  let found: Found | undefined;
  // Two copies of @octokit/types meet here (the endpoint methods' and octokit.request's): read only this.
  let page: { data: unknown; headers: { link?: string } } = await call(
    'listing the comments',
    'GET',
    o.issueNumber,
    () =>
      octokit.rest.issues.listComments({
        owner: o.repo.owner,
        repo: o.repo.repo,
        issue_number: o.issueNumber,
        per_page: 100,
        request: { signal: signal() },
      }),
  );
  for (;;) {
    const comments = (Array.isArray(page.data) ? page.data : []) as ListedComment[];
    for (const c of comments) {
      if (c.user?.login !== author || typeof c.body !== 'string' || !c.body.includes(marker)) {
        continue;
      }
      // Several copies (two runs racing, or one made by hand): the newest is the one to keep current.
      if (
        !found ||
        c.created_at > found.createdAt ||
        (c.created_at === found.createdAt && c.id > found.id)
      ) {
        found = { id: c.id, createdAt: c.created_at };
      }
    }
    const next = nextPage(page.headers.link);
    if (next === undefined) return found;
    page = await call('listing the comments', 'GET', o.issueNumber, () =>
      octokit.request({ method: 'GET', url: next, request: { signal: signal() } }),
    );
  }
}

/**
 * Create the gate's comment on the pull request, or edit the one an earlier run made (found by the tag's
 * hidden marker among the token's own comments). A missing token, 403 and 404 (a read-only token on a
 * fork's pull request, missing `pull-requests: write`) give `skipped` with a warning that says how to fix
 * it, never an exception: the gate's verdict, not the comment, decides the job. Anything else throws a
 * GitHubApiError naming the status and the URL path.
 */
export async function upsertComment(o: UpsertOptions): Promise<UpsertResult> {
  if (!o.token) return { action: 'skipped', reason: 'no-token', warning: noTokenWarning() };
  const marker = commentMarker(o.tag);
  const body = o.body.includes(marker) ? o.body : `${marker}\n${o.body}`;
  if (body.length > COMMENT_LIMIT) {
    throw new Error(
      `comment body has ${body.length} characters; GitHub accepts at most ${COMMENT_LIMIT} (render it with renderComment, which keeps it under)`,
    );
  }
  const octokit = await createClient({ token: o.token, apiUrl: o.apiUrl });
  const timeoutMs = o.timeoutMs ?? 30_000;
  const signal = (): AbortSignal => AbortSignal.timeout(timeoutMs);
  const where = { owner: o.repo.owner, repo: o.repo.repo };
  try {
    const author = o.author ?? (await tokenLogin(octokit, o.issueNumber, signal));
    const existing = await findComment(octokit, o, author, marker, signal);
    if (existing) {
      const { data } = await call('updating the comment', 'PATCH', o.issueNumber, () =>
        octokit.rest.issues.updateComment({
          ...where,
          comment_id: existing.id,
          body,
          request: { signal: signal() },
        }),
      );
      return { action: 'updated', url: data.html_url, id: data.id };
    }
    const { data } = await call('creating the comment', 'POST', o.issueNumber, () =>
      octokit.rest.issues.createComment({
        ...where,
        issue_number: o.issueNumber,
        body,
        request: { signal: signal() },
      }),
    );
    return { action: 'created', url: data.html_url, id: data.id };
  } catch (e) {
    if (e instanceof Skip) return { action: 'skipped', reason: e.reason, warning: e.warning };
    throw e;
  }
}
