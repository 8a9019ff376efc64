/**
 * `vllm serve ...` arguments as `videophy-gate simulate` flags, so the simulator can stand in for vLLM
 * where the action owns the server (the demo, dry runs): a CLI subcommand that accepts vLLM's argv
 * (`videophy-gate serve <checkpoint> --port P ...`) maps it here and runs the simulator.
 */

/**
 * A file in a (simulated) checkpoint directory whose words are simulate flags for that checkpoint (`--accuracy
 * 0.45 --pearson-delta 0.03`): how a sweep's checkpoints each answer with their own known accuracy.
 */
export const CHECKPOINT_ARGS_FILE = 'videophy-simulator.args';

/** vLLM flags the simulator understands, by its name for them. */
const MAPPED: Record<string, string> = {
  '--host': '--host',
  '--port': '--port',
  '--served-model-name': '--model',
  '--max-model-len': '--max-model-len',
  '--seed': '--seed',
  '--api-key': '--api-key',
  '--reasoning-parser': '--reasoning-parser',
};

/** Simulator-only flags, passed through from vllm-args (how the demo sets accuracy and answer key). */
const SIMULATOR_ONLY = new Set([
  '--accuracy',
  '--agreement',
  '--accuracy-delta',
  '--pearson-delta',
  '--latency-ms',
  '--capacity',
  '--ready-after-ms',
  '--answer-key',
  '--server-error-rate',
  '--bad-request-rate',
  '--unparseable-rate',
  '--reasoning-only-rate',
  '--length-rate',
  '--bad-video-url',
  '--thinking',
]);

/**
 * `['serve', checkpoint, ...flags]` -> simulate flags. The checkpoint is the model name unless
 * `--served-model-name` is given; every other vLLM flag is dropped (with its value: a following word
 * that is not a flag), since the simulator has no engine to configure.
 */
export function simulatorArgsFromVllm(argv: readonly string[]): string[] {
  const [sub, checkpoint, ...rest] = argv;
  if (sub !== 'serve' || !checkpoint || checkpoint.startsWith('--'))
    throw new Error(`expected 'serve <checkpoint> [flags]', got ${JSON.stringify(argv)}`);
  const out: string[] = [];
  let named = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    if (!arg.startsWith('--')) continue; // a value of a dropped flag
    const eq = arg.indexOf('=');
    const flag = (eq > 0 ? arg.slice(0, eq) : arg).replace(/_/g, '-');
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else if (i + 1 < rest.length && !(rest[i + 1] ?? '').startsWith('--')) value = rest[++i];
    const target = MAPPED[flag] ?? (SIMULATOR_ONLY.has(flag) ? flag : undefined);
    if (!target || value === undefined) continue;
    // vLLM's human-readable lengths (16k) are not the simulator's; its default is fine for a stand-in.
    if (target === '--max-model-len' && !/^\d+$/.test(value)) continue;
    if (target === '--model') named = true;
    out.push(target, value);
  }
  return named ? out : ['--model', checkpoint, ...out];
}
