/** Links into the GitHub web UI, from the values the runner puts in GITHUB_* (read by the caller). */

export interface RunContext {
  /** GITHUB_SERVER_URL, e.g. https://github.com or https://ghes.example */
  serverUrl: string;
  /** GITHUB_REPOSITORY, owner/name */
  repository: string;
  /** GITHUB_RUN_ID */
  runId: string;
  /** GITHUB_RUN_ATTEMPT: links the attempt that produced this report, not the latest one. */
  runAttempt?: string;
}

/** The workflow run page, or undefined when the values are missing or malformed. */
export function workflowRunUrl(c: Partial<RunContext>): string | undefined {
  if (!c.serverUrl || !c.repository || !c.runId || !/^\d+$/.test(c.runId)) return undefined;
  if (!/^[\w.-]+\/[\w.-]+$/.test(c.repository)) return undefined;
  const base = `${c.serverUrl.replace(/\/+$/, '')}/${c.repository}/actions/runs/${c.runId}`;
  return c.runAttempt && /^\d+$/.test(c.runAttempt) && c.runAttempt !== '1'
    ? `${base}/attempts/${c.runAttempt}`
    : base;
}
