// A process that owns a vLLM server the way the action does, for the cleanup tests:
//   node --import tsx test/helpers/server-controller.ts '{"outputDir": ..., "pidDir": ..., "then": "wait"|"exit"}'
// It prints `READY {"pid", "pidFile"}` once the server answers, then waits to be signalled ("wait") or
// exits without stopping the server ("exit", to prove the exit handler). The fake's knobs come from env.
import { consoleLogger } from '../../src/log.js';
import { installCleanup, startVllm } from '../../src/server/index.js';

const opts = JSON.parse(process.argv[2] ?? '{}') as {
  outputDir: string;
  pidDir: string;
  graceS?: number;
  then?: 'wait' | 'exit';
};
const log = consoleLogger();
const server = await startVllm({
  checkpoint: 'controller-ckpt',
  outputDir: opts.outputDir,
  pidDir: opts.pidDir,
  timeoutS: 30,
  shutdownTimeoutS: opts.graceS ?? 10,
  log,
  env: process.env,
});
installCleanup(server, log, { exitOnSignal: true });
console.log(`READY ${JSON.stringify({ pid: server.pid, pidFile: server.pidFile })}`);
if (opts.then === 'exit') process.exit(0);
setInterval(() => undefined, 1 << 30);
