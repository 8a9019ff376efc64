import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/config.js';
import type { Verdict } from '../verdict/threshold.js';
import { prNumberFromEvent, upsertComment } from '../github/index.js';
import { renderComment, type ReportInput } from '../report/index.js';
import type { Logger } from '../log.js';

/** Where the evaluating job leaves the pull request's number for a later `mode: comment` job (forks). */
export const PR_FILE = 'pull-request.json';

function eventPayload(path: string | undefined): unknown {
  if (!path) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** The PR this run is about: from the event, else (mode comment) from the results directory. */
export function pullRequestNumber(config: Config, resultsDir: string): number | undefined {
  const fromEvent = prNumberFromEvent(
    config.github.eventName,
    eventPayload(config.github.eventPath),
  );
  if (fromEvent !== undefined || config.mode !== 'comment') return fromEvent;
  try {
    const n = (JSON.parse(readFileSync(join(resultsDir, PR_FILE), 'utf8')) as { number?: unknown })
      .number;
    return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** Record the PR number beside the results, so the workflow_run job of a fork PR can comment on it. */
export function recordPullRequest(config: Config, number: number | undefined): void {
  if (number === undefined || config.mode === 'comment') return;
  writeFileSync(join(config.outputDir, PR_FILE), `${JSON.stringify({ number })}\n`);
}

/**
 * The sticky comment. Never fails the gate: no PR (push, workflow_dispatch), `comment: never`, no permission
 * (fork PRs, read-only token), or an API failure each end in a notice or warning, and the verdict decides.
 */
export async function publishComment(
  config: Config,
  input: ReportInput,
  verdict: Verdict,
  pr: number | undefined,
  log: Logger,
): Promise<string | undefined> {
  if (config.comment === 'never') return undefined;
  if (config.comment === 'on-regression' && verdict !== 'regression') return undefined;
  if (pr === undefined) {
    log.info(
      `No pull request for event '${config.github.eventName ?? 'none'}': the job summary carries the report.`,
    );
    return undefined;
  }
  const [owner = '', repo = ''] = (config.github.repository ?? '').split('/');
  if (!owner || !repo) {
    log.warning('GITHUB_REPOSITORY is not set: cannot comment on the pull request.');
    return undefined;
  }
  try {
    const r = await upsertComment({
      token: config.githubToken,
      apiUrl: config.github.apiUrl,
      repo: { owner, repo },
      issueNumber: pr,
      tag: config.commentTag,
      body: renderComment(input),
    });
    if (r.action === 'skipped') {
      log.warning(r.warning);
      return undefined;
    }
    log.info(`Pull-request comment ${r.action}: ${r.url}`);
    return r.url;
  } catch (e) {
    log.warning(
      `Could not comment on pull request #${pr} (the verdict is not affected): ${(e as Error).message}`,
    );
    return undefined;
  }
}
