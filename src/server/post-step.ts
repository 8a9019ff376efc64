import type { Logger } from '../log.js';
import { killServersIn } from './cleanup.js';
import { pidDirFor } from '../config/paths.js';

/**
 * The action's post step (runs.post, after every job, cancelled or not): stop any vLLM server a main step
 * left running because it was killed before its own cleanup ran. Never throws: a cleanup problem is a
 * warning, not a failed job.
 */
export async function postStep(runnerTemp: string | undefined, log: Logger): Promise<void> {
  try {
    if (!runnerTemp) {
      log.debug('RUNNER_TEMP is not set: no pid files to look at');
      return;
    }
    const reports = await killServersIn(pidDirFor(runnerTemp), undefined, log);
    if (reports.length === 0) log.debug('No vLLM server was left running.');
  } catch (e) {
    log.warning(`Could not clean up a vLLM server left running: ${(e as Error).message}`);
  }
}
