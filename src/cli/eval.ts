import type { Config } from '../config/config.js';
import { parseConfig, type ConfigEnv, findSecrets } from '../config/parse.js';
import { ConfigError } from '../config/validate.js';
import { runMode, type ModeOutcome } from '../modes.js';
import { renderSweepTerminal } from '../report/terminal-sweep.js';
import { exitDecision } from '../verdict/exit.js';
import { outcomeReport } from '../publish/report-input.js';
import { maskSecrets, maskingLogger, type Logger } from '../log.js';
import { parseCommand, type CommandSpec } from './flags.js';
import {
  DEFAULT_OUTPUT,
  outputOptions,
  printFinished,
  writeMarkdownReport,
  cliLogger,
  type OutputOptions,
} from './output.js';
import { UsageError, flagsInMessage } from './usage-error.js';

/** 130 = 128 + SIGINT (Ctrl-C) and 143 = 128 + SIGTERM: what a shell reports for a command so stopped. */
export const EXIT = { ok: 0, regression: 1, error: 2, interrupted: 130, terminated: 143 } as const;

/** The status of a run stopped by a signal: the abort reason is the signal's name (run-cli.ts). */
export function signalExit(signal: AbortSignal): number {
  return signal.reason === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
}

export function exitCode(outcome: ModeOutcome, config: Config): number {
  return EXIT[exitDecision(outcome.summary, config).status];
}

/**
 * Run the gate from a Config and turn the verdict into an exit status. The terminal gets the compact report
 * (or JSON, or one line); the PR comment's markdown goes to report.md next to summary.json.
 */
export async function evalWithConfig(
  config: Config,
  log: Logger,
  signal?: AbortSignal,
  out: OutputOptions = DEFAULT_OUTPUT,
): Promise<{ code: number; outcome: ModeOutcome }> {
  const outcome = await runMode(config, { log, signal });
  // Stopped by Ctrl-C: the partial run is not a verdict; the status says interrupted.
  const code = signal?.aborted ? signalExit(signal) : exitCode(outcome, config);
  // A sweep's report (the best's run and the sweep table) goes beside sweep.json, not into the best's directory.
  const reportPath = writeMarkdownReport(
    outcome.sweepPath ?? outcome.summaryPath,
    outcomeReport(config, outcome).markdown,
    log,
  );
  if (outcome.sweep && out.format === 'text') log.info(`\n${renderSweepTerminal(outcome.sweep)}`);
  const files = [
    ...(outcome.sweepPath ? [{ label: 'sweep', path: outcome.sweepPath }] : []),
    { label: 'results', path: outcome.resultsPath },
    { label: 'summary', path: outcome.summaryPath },
    { label: 'report', path: reportPath },
    ...(outcome.baselineWritten
      ? [{ label: 'baseline written', path: outcome.baselineWritten }]
      : []),
  ];
  if (signal?.aborted) log.error(interruptedHint(config));
  printFinished(
    {
      summary: outcome.summary,
      rows: outcome.rows,
      predictions: outcome.baseline?.predictions,
      files,
    },
    code,
    out,
  );
  return { code, outcome };
}

/** The gate's modes as commands: eval scores, sweep scores several checkpoints, merge combines shards or sweeps, comment reports a finished run. */
export type GateCommand = 'eval' | 'sweep' | 'merge' | 'comment';

function inputsFor(
  command: GateCommand,
  values: Record<string, unknown>,
  positionals: string[],
): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (typeof v === 'string') inputs[k] = v;
  if (command === 'sweep') {
    if (positionals.length > 0 && inputs.checkpoints !== undefined)
      throw new UsageError('give the checkpoints as arguments or --checkpoints, not both', command);
    if (positionals.length > 0) inputs.checkpoints = positionals.join('\n');
    if (!inputs.checkpoints)
      throw new UsageError(
        'missing checkpoints: give paths, Hub ids or quoted glob patterns (e.g. "outputs/run/step_*")',
        command,
      );
  } else if (command !== 'eval') {
    if (inputs.mode !== undefined && inputs.mode !== command)
      throw new UsageError(`--mode ${inputs.mode} contradicts the command ${command}`, command);
    inputs.mode = command;
    if (positionals.length > 0) {
      if (inputs['results-dirs'] !== undefined)
        throw new UsageError(
          'give the results directories as arguments or --results-dirs, not both',
          command,
        );
      inputs['results-dirs'] = positionals.join('\n');
    }
  }
  return inputs;
}

/** After Ctrl-C: what was kept, and how to go on. */
export function interruptedHint(config: Config): string {
  return `interrupted: the finished videos are kept in ${config.outputDir}/results.jsonl; rerun the same command to resume`;
}

export async function gateCommand(
  spec: CommandSpec,
  argv: string[],
  env: ConfigEnv & { NO_COLOR?: string; VIDEOPHY_GATE_DEBUG?: string },
  signal?: AbortSignal,
): Promise<number> {
  const command = spec.name as GateCommand;
  const { values, positionals } = parseCommand(spec, argv);
  const out = outputOptions(values, env);
  const inputs = inputsFor(command, values, positionals);
  const secrets = findSecrets((name) => inputs[name] ?? '', env);
  const log = maskingLogger(cliLogger(out.format, Boolean(env.VIDEOPHY_GATE_DEBUG)), secrets);
  let config: Config;
  try {
    config = parseConfig((name) => inputs[name] ?? '', env);
  } catch (e) {
    // A bad flag value is a typing mistake, reported like an unknown flag.
    if (e instanceof ConfigError)
      throw new UsageError(maskSecrets(flagsInMessage(e.message), secrets), command);
    throw e;
  }
  try {
    return (await evalWithConfig(config, log, signal, out)).code;
  } catch (e) {
    if (signal?.aborted) {
      log.error(interruptedHint(config));
      return signalExit(signal);
    }
    log.error(
      maskSecrets(
        `could not produce a result (an error, not a model verdict): ${(e as Error).message}`,
        secrets,
      ),
    );
    return EXIT.error;
  }
}
