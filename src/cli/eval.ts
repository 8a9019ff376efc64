import type { Config } from '../config/config.js';
import { parseConfig, type ConfigEnv } from '../config/parse.js';
import { runMode, type GateOutcome } from '../gate/index.js';
import { shouldFail } from '../outputs.js';
import { forTerminal } from '../report/index.js';
import { maskSecrets, maskingLogger, type Logger } from '../run/logger.js';
import { parseEvalArgs } from './args.js';

export const EXIT = { ok: 0, regression: 1, error: 2 } as const;

/** Run the gate from a Config and turn the verdict into an exit status; the report goes to stdout. */
export async function evalWithConfig(
  config: Config,
  log: Logger,
  signal?: AbortSignal,
): Promise<{ code: number; outcome: GateOutcome }> {
  const outcome = await runMode(config, { log, signal });
  console.log(`\n${forTerminal(outcome.report)}\n`);
  console.log(`results: ${outcome.resultsPath}\nsummary: ${outcome.summaryPath}`);
  if (outcome.baselineWritten) console.log(`baseline written: ${outcome.baselineWritten}`);
  const v = outcome.summary.verdict;
  const code = !shouldFail(outcome, config)
    ? EXIT.ok
    : v === 'regression'
      ? EXIT.regression
      : EXIT.error;
  return { code, outcome };
}

export async function evalCommand(
  argv: string[],
  env: ConfigEnv,
  baseLog: Logger,
  signal?: AbortSignal,
): Promise<number> {
  const flags = parseEvalArgs(argv);
  const secrets = [flags['api-key'], env.HF_TOKEN];
  const log = maskingLogger(baseLog, secrets);
  try {
    const config = parseConfig((name) => flags[name] ?? '', env);
    return (await evalWithConfig(config, log, signal)).code;
  } catch (e) {
    log.error(
      maskSecrets(
        `could not produce a result (an error, not a model verdict): ${(e as Error).message}`,
        secrets,
      ),
    );
    return EXIT.error;
  }
}
