import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prNumberFromEvent, workflowRunUrl } from '../../src/github/index.js';

const pullRequest: unknown = JSON.parse(
  readFileSync(new URL('../fixtures/pull_request_event.json', import.meta.url), 'utf8'),
);

describe('prNumberFromEvent', () => {
  it('reads a real pull_request payload', () => {
    expect(prNumberFromEvent('pull_request', pullRequest)).toBe(7);
    expect(prNumberFromEvent('pull_request_target', pullRequest)).toBe(7);
  });

  it.each([
    [
      'issue_comment on a pull request',
      'issue_comment',
      { issue: { number: 9, pull_request: { url: 'u' } } },
      9,
    ],
    ['issue_comment on an issue', 'issue_comment', { issue: { number: 9 } }, undefined],
    [
      'workflow_run of a branch PR',
      'workflow_run',
      { workflow_run: { pull_requests: [{ number: 12 }, { number: 13 }] } },
      12,
    ],
    [
      'workflow_run of a fork PR (empty list)',
      'workflow_run',
      { workflow_run: { pull_requests: [] } },
      undefined,
    ],
    ['pull_request_review', 'pull_request_review', { pull_request: { number: 4 } }, 4],
    ['push', 'push', { ref: 'refs/heads/main', number: 3 }, undefined],
    ['workflow_dispatch', 'workflow_dispatch', { inputs: {} }, undefined],
    ['schedule', 'schedule', {}, undefined],
    ['no event name', undefined, { number: 3 }, undefined],
    ['no payload', 'pull_request', undefined, undefined],
    [
      'a number that is not one',
      'pull_request',
      { pull_request: { number: '7' }, number: -1 },
      undefined,
    ],
    ['workflow_run without a run', 'workflow_run', { workflow_run: null }, undefined],
  ])('%s', (_, event, payload, expected) => {
    expect(prNumberFromEvent(event, payload)).toBe(expected);
  });
});

describe('workflowRunUrl', () => {
  it.each([
    [
      { serverUrl: 'https://github.com', repository: 'acme/critic', runId: '42' },
      'https://github.com/acme/critic/actions/runs/42',
    ],
    [
      {
        serverUrl: 'https://ghes.example/',
        repository: 'acme/critic',
        runId: '42',
        runAttempt: '3',
      },
      'https://ghes.example/acme/critic/actions/runs/42/attempts/3',
    ],
    [
      { serverUrl: 'https://github.com', repository: 'acme/critic', runId: '42', runAttempt: '1' },
      'https://github.com/acme/critic/actions/runs/42',
    ],
    [{ serverUrl: 'https://github.com', repository: 'acme/critic' }, undefined],
    [{ serverUrl: 'https://github.com', repository: 'acme/critic', runId: '42)' }, undefined],
    [{ serverUrl: 'https://github.com', repository: 'a/b/c', runId: '42' }, undefined],
  ])('%j -> %s', (ctx, expected) => {
    expect(workflowRunUrl(ctx)).toBe(expected);
  });
});
