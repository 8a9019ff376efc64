import * as core from '@actions/core';
import { parseConfig } from './config/parse.js';
import { runMode } from './gate/index.js';
import { gateOutputs, shouldFail } from './outputs.js';
import { maskSecrets, maskingLogger, type Logger } from './run/logger.js';

const actionsLogger: Logger = {
  info: (m) => core.info(m),
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

/** The action: inputs -> Config -> gate -> outputs, job summary, exit status. The only error boundary. */
export async function run(): Promise<void> {
  // Mask secrets before anything can print them (even a config error message).
  const apiKey = core.getInput('api-key');
  const hfToken = process.env.HF_TOKEN;
  for (const secret of [apiKey, hfToken]) if (secret) core.setSecret(secret);
  const log = maskingLogger(actionsLogger, [apiKey, hfToken]);
  const cancel = cancellation(log);
  try {
    const config = parseConfig((name) => core.getInput(name), process.env);
    const outcome = await runMode(config, { log, signal: cancel.signal });
    for (const [name, value] of Object.entries(gateOutputs(outcome))) core.setOutput(name, value);
    log.info(outcome.report);
    await core.summary.addRaw(outcome.report, true).write();
    const s = outcome.summary;
    if (s.verdict === 'regression') {
      const message = `VideoPhy-2 regression: ${s.reasons.join('; ')}`;
      if (config.failOnRegression) core.setFailed(message);
      else log.warning(`${message} (fail-on-regression is false)`);
    } else if (shouldFail(outcome, config.failOnRegression)) {
      core.setFailed(`Infrastructure error, not a model regression: ${s.reasons.join('; ')}`);
    }
  } catch (e) {
    core.setOutput('verdict', 'error');
    const message = e instanceof Error ? e.message : String(e);
    core.setFailed(
      maskSecrets(
        `videophy-gate could not produce a result (an error, not a model verdict): ${message}`,
        [apiKey, hfToken],
      ),
    );
  } finally {
    cancel.dispose();
  }
}
