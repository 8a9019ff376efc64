import type { ConfigEnv } from '../config/parse.js';
import { parseSimulatorArgs } from '../simulator/index.js';
import { VERSION } from '../version.js';
import { baselineCommand } from './baseline-show.js';
import { COMMANDS, SERVE, SIMULATE, usage } from './commands.js';
import { compareCommand } from './compare.js';
import { demoCommand } from './demo.js';
import { EXIT, gateCommand } from './eval.js';
import { exportRecipeCommand } from './export-recipe.js';
import { helpText, usageErrorText, wantsHelp, type CommandSpec } from './flags.js';
import { cliLogger } from './output.js';
import { serveCommand, simulateCommand } from './simulate.js';
import { UsageError, closest, unknownFlag } from './usage-error.js';

type CliEnv = ConfigEnv & { VIDEOPHY_GATE_DEBUG?: string; NO_COLOR?: string };

/** simulate keeps its own parser (repeatable and negative values); its flag names give "did you mean". */
function checkSimulateArgs(argv: string[]): void {
  try {
    parseSimulatorArgs(argv);
  } catch (e) {
    const m = /^unknown option "(.+)"$/.exec((e as Error).message);
    if (m?.[1])
      throw unknownFlag(
        m[1],
        SIMULATE.flags.map((f) => f.name),
        SIMULATE.name,
      );
    throw new UsageError((e as Error).message, SIMULATE.name);
  }
}

/**
 * Ctrl-C during a run: the first stops it cleanly (results so far are kept, the server is stopped), the
 * second exits at once. The status is 130 for SIGINT and 143 for SIGTERM, as a shell reports them.
 */
function interruptible(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted)
      process.exit(name === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted);
    controller.abort(name);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    },
  };
}

async function dispatch(spec: CommandSpec, rest: string[], env: CliEnv): Promise<number> {
  const log = cliLogger('text', Boolean(env.VIDEOPHY_GATE_DEBUG));
  switch (spec.name) {
    case 'eval':
    case 'sweep':
    case 'merge':
    case 'comment': {
      const run = interruptible();
      try {
        return await gateCommand(spec, rest, env, run.signal);
      } finally {
        run.dispose();
      }
    }
    case 'simulate':
      checkSimulateArgs(rest);
      return simulateCommand(rest);
    case 'serve':
      if (rest.length === 0 || rest[0]?.startsWith('-'))
        throw new UsageError('missing CHECKPOINT', SERVE.name);
      return serveCommand(rest);
    case 'demo':
      return demoCommand(rest, log);
    case 'export-recipe':
      return exportRecipeCommand(rest, log);
    case 'compare':
      return compareCommand(rest, env);
    case 'baseline':
      return baselineCommand(rest);
  }
  throw new Error(`internal: no handler for ${spec.name}`);
}

/** Dispatch `videophy-gate <command> ...`; returns the exit status. */
export async function runCli(argv: string[], env: CliEnv): Promise<number> {
  const [command, ...rest] = argv;
  const log = cliLogger('text', Boolean(env.VIDEOPHY_GATE_DEBUG));
  if (command === undefined) {
    console.error(usage());
    return EXIT.error;
  }
  if (command === 'help' || command === '--help' || command === '-h') {
    const spec = COMMANDS.find((c) => c.name === rest[0]);
    console.log(spec ? helpText(spec) : usage());
    return EXIT.ok;
  }
  if (command === '--version' || command === '-V' || command === 'version') {
    console.log(VERSION);
    return EXIT.ok;
  }
  const spec = COMMANDS.find((c) => c.name === command);
  if (!spec) {
    const flag = command.startsWith('-');
    const guess = closest(
      command.replace(/^-+/, ''),
      flag ? ['version', 'help'] : COMMANDS.map((c) => c.name),
    );
    console.error(
      usageErrorText(
        undefined,
        `unknown ${flag ? 'flag' : 'command'} '${command}'${guess ? ` (did you mean ${flag ? '--' : ''}${guess}?)` : ''}`,
      ),
    );
    return EXIT.error;
  }
  // Also `serve CHECKPOINT --help`: vllm serve answers that with help too, not with a server.
  if (wantsHelp(rest)) {
    console.log(helpText(spec));
    return EXIT.ok;
  }
  try {
    return await dispatch(spec, rest, env);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(
        usageErrorText(
          COMMANDS.find((c) => c.name === e.command),
          e.message,
        ),
      );
      return EXIT.error;
    }
    log.error((e as Error).message);
    return EXIT.error;
  }
}
