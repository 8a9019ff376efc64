import { parseArgs } from 'node:util';
import { INPUTS } from '../config/inputs.js';
import { ConfigError } from '../config/validate.js';

/**
 * `videophy-gate eval --base-url URL --limit 300 ...`: every action input is a flag of the same name, so the
 * CLI and the action share one Config parser and one set of defaults.
 */
export function parseEvalArgs(argv: string[]): Record<string, string> {
  const options = Object.fromEntries(INPUTS.map((i) => [i.name, { type: 'string' as const }]));
  try {
    const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
    return values as Record<string, string>;
  } catch (e) {
    throw new ConfigError(`${(e as Error).message}. Run 'videophy-gate help' for the flags.`);
  }
}

export function usage(): string {
  const flags = INPUTS.map(
    (i) =>
      `  --${i.name.padEnd(20)} ${i.description}${i.default ? ` (default: ${i.default})` : ''}`,
  );
  return [
    'videophy-gate: score a vLLM-served video critic on VideoPhy-2 and compare it with a baseline.',
    '',
    'Commands:',
    '  videophy-gate eval --base-url http://127.0.0.1:8000/v1 [flags]   run the gate (same inputs as the action)',
    '  videophy-gate simulate [--port 8000] [--accuracy 0.4] ...         start the vLLM simulator (dry runs without a GPU)',
    "  videophy-gate serve <checkpoint> [vllm serve flags]              the simulator behind vLLM's command line (vllm-command stand-in)",
    '  videophy-gate demo [--regress] [--checkpoint]                     run the gate on the bundled sample against the simulator',
    "  videophy-gate export-recipe OUT_DIR [--results-dir DIR]          a run's results as the recipe's {i}.json files (its compute_metrics.py reads them)",
    '',
    'Exit status: 0 pass or no-baseline, 1 regression (with fail-on-regression), 2 error (infrastructure or bad input).',
    'Environment: HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE (Hub datasets).',
    '',
    'eval flags:',
    ...flags,
  ].join('\n');
}
