import { parseSimulatorArgs, startSimulator } from '../simulator/index.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitArgs } from '../config/shell-words.js';
import { CHECKPOINT_ARGS_FILE, simulatorArgsFromVllm } from '../server/index.js';
import { loadAnswerKey } from './answer-key.js';

/** `videophy-gate simulate ...`: a vLLM stand-in for dry runs of a workflow. Runs until SIGINT/SIGTERM. */
export async function simulateCommand(argv: string[]): Promise<number> {
  const args = parseSimulatorArgs(argv);
  const answerKey = args.answerKeyFile ? await loadAnswerKey(args.answerKeyFile) : undefined;
  const sim = await startSimulator({
    port: 8000,
    ...args.options,
    ...(answerKey ? { answerKey } : {}),
  });
  console.log(
    `vLLM simulator serving '${sim.options.model}' at ${sim.baseUrl}${answerKey ? ` (answer key: ${answerKey.size} videos)` : ''}`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sim.close({ force: true });
  return 0;
}

/**
 * `videophy-gate serve <checkpoint> [vllm serve flags]`: the simulator behind vLLM's own command line, so
 * `vllm-command: videophy-gate` dry-runs the checkpoint mode (the gate starting and stopping the server).
 */
export async function serveCommand(argv: string[]): Promise<number> {
  return simulateCommand([
    ...simulatorArgsFromVllm(['serve', ...argv]),
    ...checkpointSimulatorArgs(argv[0] ?? ''),
  ]);
}

/**
 * A simulated checkpoint: a directory holding CHECKPOINT_ARGS_FILE, simulate flags that make this checkpoint
 * answer with its own known accuracy (a sweep's step_20 ... step_100). They come after vllm-args, so they win.
 */
function checkpointSimulatorArgs(checkpoint: string): string[] {
  const file = join(checkpoint, CHECKPOINT_ARGS_FILE);
  return existsSync(file) ? splitArgs(readFileSync(file, 'utf8').trim()) : [];
}
