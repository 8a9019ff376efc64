import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ACTIONS_BOT,
  GitHubApiError,
  prNumberFromEvent,
  upsertComment,
  type UpsertOptions,
} from '../../src/github/index.js';
import { commentMarker } from '../../src/github/comment-marker.js';
import { renderComment } from '../../src/report/index.js';
import { nextPage } from '../../src/github/sticky-comment.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { makeInput, videos } from '../helpers/report-input.js';

interface PullRequestEvent {
  repository: { name: string; owner: { login: string } };
}
const event = JSON.parse(
  readFileSync(new URL('../fixtures/pull_request_event.json', import.meta.url), 'utf8'),
) as PullRequestEvent;
const owner = event.repository.owner.login;
const repo = event.repository.name;
const pr = prNumberFromEvent('pull_request', event)!;

const PAT = 'ghp_pat_for_tests_0000';
const ACTIONS = 'ghs_actions_token_1111';
const READ_ONLY = 'ghs_read_only_2222';

const body = (tag = 'videophy-gate', n = 40): string =>
  renderComment({ ...makeInput(videos(n)), tag });

describe('upsertComment', () => {
  let gh: FakeGitHub;
  beforeEach(async () => {
    gh = await FakeGitHub.start();
    gh.addToken(PAT, { login: 'gate-bot' })
      .addToken(ACTIONS, { login: ACTIONS_BOT, canReadUser: false })
      .addToken(READ_ONLY, { login: ACTIONS_BOT, canReadUser: false, canWrite: false })
      .addIssue(owner, repo, pr);
  });
  afterEach(async () => {
    await gh.close();
  });

  const opts = (over: Partial<UpsertOptions> = {}): UpsertOptions => ({
    token: PAT,
    apiUrl: gh.apiUrl,
    repo: { owner, repo },
    issueNumber: pr,
    tag: 'videophy-gate',
    body: body(),
    ...over,
  });

  it('creates the comment on the first run and updates the same one on the second', async () => {
    const first = await upsertComment(opts({ body: body('videophy-gate', 40) }));
    expect(first).toMatchObject({ action: 'created' });
    const second = await upsertComment(opts({ body: body('videophy-gate', 60) }));
    expect(second).toMatchObject({ action: 'updated' });
    if (first.action === 'skipped' || second.action === 'skipped') throw new Error('skipped');
    expect(second.id).toBe(first.id);
    expect(second.url).toBe(`https://github.example/acme/critic/pull/7#issuecomment-${first.id}`);
    const comments = gh.comments(owner, repo, pr);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('60 videos');
    expect(gh.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /user',
      `GET /repos/acme/critic/issues/7/comments`,
      `POST /repos/acme/critic/issues/7/comments`,
      'GET /user',
      `GET /repos/acme/critic/issues/7/comments`,
      `PATCH /repos/acme/critic/issues/comments/${first.id}`,
    ]);
    expect(gh.calls[1]!.query).toMatchObject({ per_page: '100' });
    expect(gh.calls.every((c) => c.authorization === `token ${PAT}`)).toBe(true);
  });

  it('finds its comment on page 3, after 250 other comments, following the Link headers', async () => {
    const chatter = Array.from({ length: 250 }, (_, i) => ({
      login: i % 2 === 0 ? 'reviewer' : 'gate-bot',
      body: `comment ${i}`,
    }));
    gh.seed(owner, repo, pr, chatter);
    gh.seed(owner, repo, pr, [
      { login: 'gate-bot', body: `${commentMarker('videophy-gate')}\nold` },
    ]);
    const result = await upsertComment(opts());
    expect(result.action).toBe('updated');
    const lists = gh.calls.filter((c) => c.method === 'GET' && c.path.endsWith('/comments'));
    expect(lists.map((c) => c.query.page ?? '1')).toEqual(['1', '2', '3']);
    // Pages 2 and 3 are the URLs GitHub gave in Link, not ones the client made up.
    expect(lists[1]!.path).toMatch(/^\/repositories\/\d+\/issues\/7\/comments$/);
    expect(gh.comments(owner, repo, pr)).toHaveLength(251);
    expect(gh.comments(owner, repo, pr)[250]!.body).not.toContain('\nold');
  });

  it("ignores someone else's comment with the same marker", async () => {
    const planted = `${commentMarker('videophy-gate')}\nplanted by a contributor`;
    gh.seed(owner, repo, pr, [{ login: 'mlopez', body: planted }]);
    const result = await upsertComment(opts());
    expect(result.action).toBe('created');
    const comments = gh.comments(owner, repo, pr);
    expect(comments).toHaveLength(2);
    expect(comments[0]!.body).toBe(planted);
    expect(gh.calls.some((c) => c.method === 'PATCH')).toBe(false);
  });

  it('keeps one comment per tag', async () => {
    await upsertComment(opts({ tag: '2b', body: body('2b') }));
    await upsertComment(opts({ tag: '8b', body: body('8b') }));
    const again = await upsertComment(opts({ tag: '2b', body: body('2b', 80) }));
    expect(again.action).toBe('updated');
    const comments = gh.comments(owner, repo, pr);
    expect(comments).toHaveLength(2);
    expect(comments[0]!.body.startsWith(commentMarker('2b'))).toBe(true);
    expect(comments[0]!.body).toContain('80 videos');
    expect(comments[1]!.body.startsWith(commentMarker('8b'))).toBe(true);
    expect(comments[1]!.body).toContain('40 videos');
  });

  it('updates the newest of several marked comments and leaves the others', async () => {
    const m = commentMarker('videophy-gate');
    gh.seed(owner, repo, pr, [
      { login: 'gate-bot', body: `${m}\nfirst` },
      { login: 'gate-bot', body: `${m}\nsecond` },
    ]);
    const result = await upsertComment(opts({ body: `${m}\nthird` }));
    expect(result.action).toBe('updated');
    expect(gh.comments(owner, repo, pr).map((c) => c.body)).toEqual([`${m}\nfirst`, `${m}\nthird`]);
  });

  it('puts the marker first when the body lacks it', async () => {
    await upsertComment(opts({ body: 'plain text' }));
    expect(gh.comments(owner, repo, pr)[0]!.body).toBe(
      `${commentMarker('videophy-gate')}\nplain text`,
    );
  });

  it('with the Actions GITHUB_TOKEN (GET /user is 403) edits the comments of github-actions[bot]', async () => {
    gh.seed(owner, repo, pr, [
      { login: 'gate-bot', body: `${commentMarker('videophy-gate')}\nmade with a PAT` },
    ]);
    const first = await upsertComment(opts({ token: ACTIONS }));
    const second = await upsertComment(opts({ token: ACTIONS }));
    expect([first.action, second.action]).toEqual(['created', 'updated']);
    const comments = gh.comments(owner, repo, pr);
    expect(comments.map((c) => c.user.login)).toEqual(['gate-bot', ACTIONS_BOT]);
  });

  it('an explicit author (a GitHub App) skips GET /user', async () => {
    await upsertComment(opts({ author: 'gate-bot' }));
    expect(gh.calls.some((c) => c.path === '/user')).toBe(false);
  });

  it('a read-only token (a fork pull request) is skipped with a warning that says how to fix it', async () => {
    const result = await upsertComment(opts({ token: READ_ONLY }));
    expect(result).toMatchObject({ action: 'skipped', reason: 'forbidden' });
    if (result.action !== 'skipped') throw new Error('not skipped');
    expect(result.warning).toContain(
      'GitHub answered 403 (Resource not accessible by integration) to POST /repos/acme/critic/issues/7/comments',
    );
    expect(result.warning).toContain('permissions: pull-requests: write');
    expect(result.warning).toContain('workflow_run');
    expect(result.warning).toContain('mode: comment');
    expect(result.warning).not.toContain(READ_ONLY);
    expect(gh.comments(owner, repo, pr)).toHaveLength(0);
  });

  it('a pull request the token cannot see (404) is skipped', async () => {
    const result = await upsertComment(opts({ issueNumber: 404 }));
    expect(result).toMatchObject({ action: 'skipped', reason: 'not-found' });
    if (result.action !== 'skipped') throw new Error('not skipped');
    expect(result.warning).toContain(
      'GitHub answered 404 (Not Found) to GET /repos/acme/critic/issues/404/comments',
    );
  });

  it('a rate limit (403 with no requests left) is skipped, even on GET /user', async () => {
    gh.failOn('GET', /^\/user$/, 403, 'API rate limit exceeded for user ID 1.', {
      'x-ratelimit-remaining': '0',
    });
    const result = await upsertComment(opts());
    expect(result).toMatchObject({ action: 'skipped', reason: 'rate-limited' });
    if (result.action !== 'skipped') throw new Error('not skipped');
    expect(result.warning).toContain('a rate limit');
  });

  it.each([undefined, ''])('no token (%j) is skipped without a request', async (token) => {
    const result = await upsertComment(opts({ token }));
    expect(result).toMatchObject({ action: 'skipped', reason: 'no-token' });
    if (result.action !== 'skipped') throw new Error('not skipped');
    expect(result.warning).toContain('permissions: pull-requests: write');
    expect(gh.calls).toHaveLength(0);
  });

  it('other failures throw with the status and the path, never the token', async () => {
    gh.failOn('POST', /\/comments$/, 502, 'Server Error');
    const err = await upsertComment(opts()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubApiError);
    const e = err as GitHubApiError;
    expect(e.message).toBe(
      'GitHub API: creating the comment failed: POST /repos/acme/critic/issues/7/comments answered 502: Server Error',
    );
    expect(e.status).toBe(502);
    expect(e.message).not.toContain(PAT);
  });

  it('a bad token throws (a wrong input is not a permission setting) and names the input', async () => {
    const err = await upsertComment(opts({ token: 'ghp_wrong' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubApiError);
    expect((err as Error).message).toMatch(
      /GET \/user answered 401: Bad credentials \(bad credentials: the github-token input/,
    );
    expect((err as Error).message).not.toContain('ghp_wrong');
  });

  it('refuses a body over 65,536 characters before any request', async () => {
    await expect(upsertComment(opts({ body: 'x'.repeat(70_000) }))).rejects.toThrow(
      /comment body has 70038 characters; GitHub accepts at most 65536/,
    );
    expect(gh.calls).toHaveLength(0);
  });

  it('a connection failure throws with the path', async () => {
    const apiUrl = gh.apiUrl;
    await gh.close();
    const err = await upsertComment(opts({ apiUrl })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubApiError);
    expect((err as GitHubApiError).status).toBeUndefined();
    expect((err as Error).message).toMatch(
      /^GitHub API: finding who the token belongs to failed: GET \/user got no answer: /,
    );
  });
});

describe('nextPage', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['<https://api.github.com/repositories/1/issues/7/comments?page=1>; rel="prev"', undefined],
    [
      '<https://h/api/v3/repositories/1/issues/7/comments?per_page=100&page=3>; rel="next", <https://h/x?page=9>; rel="last"',
      'https://h/api/v3/repositories/1/issues/7/comments?per_page=100&page=3',
    ],
    ['<https://h/p?page=1>; rel="prev", <https://h/p?page=3>; rel="next"', 'https://h/p?page=3'],
  ])('%j -> %j', (link, expected) => {
    expect(nextPage(link)).toBe(expected);
  });
});

describe('upsertComment on GitHub Enterprise Server', () => {
  let gh: FakeGitHub;
  beforeEach(async () => {
    gh = await FakeGitHub.start({ prefix: '/api/v3' });
    gh.addToken(PAT, { login: 'gate-bot' }).addIssue(owner, repo, pr);
  });
  afterEach(async () => {
    await gh.close();
  });

  it('works under an API path prefix (GITHUB_API_URL=https://HOST/api/v3), with or without a trailing slash', async () => {
    expect(gh.apiUrl).toMatch(/\/api\/v3$/);
    gh.seed(
      owner,
      repo,
      pr,
      Array.from({ length: 120 }, (_, i) => ({ login: 'reviewer', body: `c${i}` })),
    );
    const base = {
      token: PAT,
      repo: { owner, repo },
      issueNumber: pr,
      tag: 'ghes',
      body: 'report',
    };
    const first = await upsertComment({ ...base, apiUrl: gh.apiUrl });
    const second = await upsertComment({ ...base, apiUrl: `${gh.apiUrl}/` });
    expect([first.action, second.action]).toEqual(['created', 'updated']);
    expect(gh.comments(owner, repo, pr)).toHaveLength(121);
    expect(gh.calls.filter((c) => c.path.endsWith('/comments') && c.method === 'GET')).toHaveLength(
      4,
    );
  });
});
