import { parseSimulatorArgs, startSimulator } from '../simulator/index.js';
import { simulatorArgsFromVllm } from '../server/index.js';
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
  return simulateCommand(simulatorArgsFromVllm(['serve', ...argv]));
}
