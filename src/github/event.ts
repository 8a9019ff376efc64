/** Which pull request a workflow event is about, read from its webhook payload (GITHUB_EVENT_PATH). */

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

const prNumber = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;

/**
 * The pull request number for `pull_request`, `pull_request_target`, `pull_request_review`,
 * `pull_request_review_comment`, `issue_comment` on a pull request, and `workflow_run` (the run that
 * evaluated a pull request, in the pattern for forks); undefined for `push`, `workflow_dispatch`,
 * `schedule` and an `issue_comment` on a plain issue. There the job summary is the only report.
 */
export function prNumberFromEvent(
  eventName: string | undefined,
  payload: unknown,
): number | undefined {
  if (eventName === undefined || !isObj(payload)) return undefined;
  switch (eventName) {
    case 'pull_request':
    case 'pull_request_target':
    case 'pull_request_review':
    case 'pull_request_review_comment': {
      const pr = payload.pull_request;
      return prNumber(isObj(pr) ? pr.number : undefined) ?? prNumber(payload.number);
    }
    case 'issue_comment': {
      // The same event fires for issues; only an issue with a pull_request key is a pull request.
      const issue = payload.issue;
      return isObj(issue) && isObj(issue.pull_request) ? prNumber(issue.number) : undefined;
    }
    case 'workflow_run': {
      // GitHub fills pull_requests only for runs of branches in this repository; for a fork's pull
      // request it is empty, so the evaluating job must pass the number along in its artifact.
      const run = payload.workflow_run;
      const prs = isObj(run) && Array.isArray(run.pull_requests) ? run.pull_requests : [];
      const first: unknown = prs[0];
      return isObj(first) ? prNumber(first.number) : undefined;
    }
    default:
      return undefined;
  }
}
