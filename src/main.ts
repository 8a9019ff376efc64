import * as core from '@actions/core';
import { findSecrets, parseConfig } from './config/parse.js';
import { runMode } from './modes.js';
import { gateOutputs } from './outputs.js';
import { exitDecision } from './verdict/exit.js';
import { publishComment, pullRequestNumber, recordPullRequest } from './publish/comment.js';
import { forTerminal } from './report/index.js';
import { outcomeReport } from './publish/report-input.js';
import { maskSecrets, maskingLogger, type Logger } from './log.js';

/**
 * core.info writes its text as is, and the runner reads any line starting with `::` as a workflow command;
 * text from a server (a model id, an error) could carry one after a newline. The other levels are escaped by
 * @actions/core itself.
 */
const inert = (m: string): string => m.replace(/\r/g, '').replace(/(^|\n)(\s*)::/g, '$1$2:\u200b:');

const actionsLogger: Logger = {
  info: (m) => core.info(inert(m)),
  notice: (m) => core.notice(m),
  warning: (m) => core.warning(m),
  error: (m) => core.error(m),
  debug: (m) => core.debug(m),
};

/** Cancelling a workflow sends SIGINT then SIGTERM: stop scoring, keep what finished, end as a partial error. */
function cancellation(log: Logger): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (name: string) => () => {
    log.warning(`${name} received: stopping; results so far are kept and the run ends as an error`);
    controller.abort();
  };
  const handlers = { SIGINT: onSignal('SIGINT'), SIGTERM: onSignal('SIGTERM') };
  process.once('SIGINT', handlers.SIGINT);
  process.once('SIGTERM', handlers.SIGTERM);
  return {
    signal: controller.signal,
    dispose: () => {
      process.removeListener('SIGINT', handlers.SIGINT);
      process.removeListener('SIGTERM', handlers.SIGTERM);
    },
  };
}

/** Shares above which a warning annotation flags the run even when the verdict is not an error. */
const WARN_UNPARSED = 0.05;
const WARN_ERRORS = 0.01;

/**
 * The action: inputs -> Config -> the gate (eval, merge or comment mode) -> outputs, job summary, PR
 * comment, exit status. The only error boundary: anything thrown ends as verdict `error`, never a pass.
 */
export async function run(): Promise<void> {
  // Mask secrets before anything can print them (even a config error message).
  const read = (name: string): string => core.getInput(name);
  const secrets = findSecrets(read, process.env);
  for (const secret of secrets) if (secret) core.setSecret(secret);
  const log = maskingLogger(actionsLogger, secrets);
  const cancel = cancellation(log);
  try {
    const config = parseConfig(read, process.env);
    const outcome = await runMode(config, { log, signal: cancel.signal });
    const s = outcome.summary;
    for (const [name, value] of Object.entries(gateOutputs(outcome))) core.setOutput(name, value);
    const report = outcomeReport(config, outcome);
    log.info(forTerminal(report.markdown));
    await core.summary.addRaw(report.markdown, true).write();

    const pr = pullRequestNumber(config, config.resultsDirs[0] ?? config.outputDir);
    recordPullRequest(config, pr);
    const url = await publishComment(config, report.input, s.verdict, pr, log);
    if (url) core.setOutput('comment-url', url);

    const answered = s.num_videos - s.num_errors;
    if (s.verdict !== 'error' && answered > 0 && s.num_unparsed / answered > WARN_UNPARSED) {
      core.warning(
        `${s.num_unparsed} of ${answered} replies did not parse (no line with a lone score 1-5)`,
        { title: 'VideoPhy-2: unparsed replies' },
      );
    }
    if (s.verdict !== 'error' && s.error_rate > WARN_ERRORS) {
      core.warning(`${s.num_errors} of ${s.num_videos} requests failed after retries`, {
        title: 'VideoPhy-2: request errors',
      });
    }
    // In comment mode the evaluating job already passed or failed; this job only reports.
    if (config.mode === 'comment') return;
    const exit = exitDecision(s, config);
    if (exit.level === 'failed') core.setFailed(exit.message ?? '');
    else if (exit.level === 'warning') log.warning(exit.message ?? '');
    else if (exit.level === 'notice') log.notice(exit.message ?? '');
  } catch (e) {
    core.setOutput('verdict', 'error');
    const message = e instanceof Error ? e.message : String(e);
    core.setFailed(
      maskSecrets(
        `videophy-gate could not produce a result (an error, not a model verdict): ${message}`,
        secrets,
      ),
    );
  } finally {
    cancel.dispose();
  }
}
