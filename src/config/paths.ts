import { join } from 'node:path';

/**
 * Where the action records the servers it started (a pid file each), under the runner's RUNNER_TEMP: the
 * main step writes there (config.server.pidDir) and the post step (src/server/post-step.ts) reads it.
 */
export const pidDirFor = (runnerTemp: string): string => join(runnerTemp, 'videophy-gate-servers');
