/** What went wrong talking to the GitHub REST API, in terms a workflow author can act on. */

/** Why no comment was written when that is a setting of the workflow, not a failure of the gate. */
export type SkipReason = 'no-token' | 'forbidden' | 'not-found' | 'rate-limited';

/** A failure that is not a permission problem: it carries the status, the method and the URL path. */
export class GitHubApiError extends Error {
  override name = 'GitHubApiError';
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly method: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/** The parts of an octokit RequestError this module reads (octokit's own class is not a dependency). */
interface RequestErrorLike {
  status?: unknown;
  message?: unknown;
  request?: { method?: unknown; url?: unknown };
  response?: { headers?: Record<string, unknown> };
}

export interface FailedCall {
  status: number | undefined;
  method: string;
  /** The URL path only: no host, no query, never a token. */
  path: string;
  message: string;
  rateLimited: boolean;
}

function pathOf(url: unknown): string {
  if (typeof url !== 'string') return '(unknown URL)';
  try {
    return new URL(url).pathname;
  } catch {
    return url.split('?')[0] ?? url;
  }
}

/** Read an octokit error without trusting its shape. */
export function describeFailure(e: unknown, fallbackMethod: string): FailedCall {
  const err = (e ?? {}) as RequestErrorLike;
  // octokit reports a connection failure as status 500 without a response: that is no answer at all.
  const status = typeof err.status === 'number' && err.response ? err.status : undefined;
  const raw = typeof err.message === 'string' ? err.message : String(e);
  const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
  const remaining = err.response?.headers?.['x-ratelimit-remaining'];
  return {
    status,
    method: typeof err.request?.method === 'string' ? err.request.method : fallbackMethod,
    path: pathOf(err.request?.url),
    // octokit appends " - https://docs.github.com/..." to GitHub's message; the link adds nothing here.
    message: `${raw.replace(/ - https:\/\/docs\.github\.com\S*$/, '')}${cause}`.slice(0, 300),
    rateLimited: remaining === '0' || remaining === 0 || /rate limit/i.test(raw),
  };
}

const HOW_TO_FIX =
  'Give the job `permissions: pull-requests: write`. On pull requests from forks GITHUB_TOKEN is ' +
  'read-only whatever `permissions` says: let the pull_request workflow upload the results directory as ' +
  'an artifact, and comment from a `workflow_run` workflow with `mode: comment` (see the README).';

const UNAFFECTED = 'The verdict is not affected; the report is in the job summary.';

export function noTokenWarning(): string {
  return (
    'No pull-request comment: no GitHub token was given. Leave `github-token` at its default ' +
    `(\${{ github.token }}) and give the job \`permissions: pull-requests: write\`. ${UNAFFECTED}`
  );
}

export function skipWarning(f: FailedCall, issueNumber: number): string {
  const what = `GitHub answered ${f.status} (${f.message}) to ${f.method} ${f.path}`;
  if (f.status === 403 && f.rateLimited) {
    return `No pull-request comment on #${issueNumber}: ${what}, a rate limit. A later run will update the comment. ${UNAFFECTED}`;
  }
  if (f.status === 404) {
    return (
      `No pull-request comment on #${issueNumber}: ${what}. The repository or pull request is not visible ` +
      `to this token (GitHub answers 404, not 403, for a private repository the token may not read). ${HOW_TO_FIX} ${UNAFFECTED}`
    );
  }
  return `No pull-request comment on #${issueNumber}: ${what}: the token may not write comments. ${HOW_TO_FIX} ${UNAFFECTED}`;
}

/** Anything but a permission problem: an error with the context to debug it. */
export function apiError(f: FailedCall, doing: string): GitHubApiError {
  const hint =
    f.status === 401
      ? ' (bad credentials: the github-token input is not a valid token for this GitHub instance)'
      : '';
  return new GitHubApiError(
    `GitHub API: ${doing} failed: ${f.method} ${f.path} ${f.status === undefined ? 'got no answer' : `answered ${f.status}`}: ${f.message}${hint}`,
    f.status,
    f.method,
    f.path,
  );
}
