import type { ConfigEnv } from '../config/parse.js';
import { consoleLogger } from '../run/logger.js';
import { usage } from './args.js';
import { demoCommand } from './demo.js';
import { EXIT, evalCommand } from './eval.js';
import { exportRecipeCommand } from './export-recipe.js';
import { serveCommand, simulateCommand } from './simulate.js';

/** Dispatch `videophy-gate <command> ...`; returns the exit status. */
export async function runCli(
  argv: string[],
  env: ConfigEnv & { VIDEOPHY_GATE_DEBUG?: string },
): Promise<number> {
  const [command, ...rest] = argv;
  const log = consoleLogger(Boolean(env.VIDEOPHY_GATE_DEBUG));
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  try {
    switch (command) {
      case 'eval':
        process.once('SIGINT', abort);
        process.once('SIGTERM', abort);
        return await evalCommand(rest, env, log, controller.signal);
      case 'simulate':
        return await simulateCommand(rest);
      case 'serve':
        return await serveCommand(rest);
      case 'demo':
        return await demoCommand(rest, log);
      case 'export-recipe':
        return exportRecipeCommand(rest, log);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(usage());
        return command === undefined ? EXIT.error : EXIT.ok;
      default:
        console.error(`unknown command '${command}'\n\n${usage()}`);
        return EXIT.error;
    }
  } catch (e) {
    log.error((e as Error).message);
    return EXIT.error;
  } finally {
    process.removeListener('SIGINT', abort);
    process.removeListener('SIGTERM', abort);
  }
}
