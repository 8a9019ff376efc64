/**
 * The one rule from a verdict to the job's exit status, for the action (main.ts: setFailed, a warning or a
 * notice) and the CLI (cli/eval.ts, cli/compare.ts: an exit code). An error always fails: an infrastructure
 * failure is never a pass. Regression and inconclusive fail as configured, and say so when they do not.
 */
import type { Verdict } from '../core/verdict.js';

export interface ExitPolicy {
  failOnRegression: boolean;
  failOnInconclusive: boolean;
}

export interface ExitDecision {
  /** The step fails (the CLI exits non-zero). */
  fail: boolean;
  /** Which non-zero status a failing CLI run ends with. */
  status: 'ok' | 'regression' | 'error';
  /** How the action reports it when it does not fail: a warning, a notice, or nothing. */
  level: 'failed' | 'warning' | 'notice' | 'none';
  message?: string;
}

export function exitDecision(
  summary: { verdict: Verdict; reasons: readonly string[] },
  policy: ExitPolicy,
): ExitDecision {
  switch (summary.verdict) {
    case 'regression': {
      const message = `VideoPhy-2 regression: ${summary.reasons.join('; ')}`;
      return policy.failOnRegression
        ? { fail: true, status: 'regression', level: 'failed', message }
        : {
            fail: false,
            status: 'ok',
            level: 'warning',
            message: `${message} (fail-on-regression is false)`,
          };
    }
    case 'inconclusive': {
      const message = `VideoPhy-2 inconclusive: ${summary.reasons[0] ?? ''}`;
      return policy.failOnInconclusive
        ? { fail: true, status: 'error', level: 'failed', message }
        : {
            fail: false,
            status: 'ok',
            level: 'notice',
            message: `${message} (fail-on-inconclusive is false)`,
          };
    }
    case 'error':
      return {
        fail: true,
        status: 'error',
        level: 'failed',
        message: `Infrastructure error, not a model regression: ${summary.reasons.join('; ')}`,
      };
    case 'pass':
    case 'improvement':
    case 'no-baseline':
      return { fail: false, status: 'ok', level: 'none' };
  }
}
