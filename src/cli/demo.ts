import { rmSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { parseConfig } from '../config/parse.js';
import { bundledPath } from '../io/bundled.js';
import type { Logger } from '../run/logger.js';
import { formatCommandLine } from '../server/index.js';
import { startSimulator } from '../simulator/index.js';
import { loadAnswerKey } from './answer-key.js';
import { DEMO } from './commands.js';
import { evalWithConfig } from './eval.js';
import { parseCommand } from './flags.js';

export const DEMO_SAMPLE = 'examples/videophy2-sample.csv';
export const DEMO_BASELINE = 'examples/baseline.json';

/**
 * The demo's output directory, emptied first: a demo run must show this candidate, not resume the previous
 * demo's results (the simulated accuracy is not a setting the resume check could see).
 */
function demoOutputDir(dir: string): string {
  for (const name of ['results.jsonl', 'run.json', 'summary.json'])
    rmSync(join(dir, name), { force: true });
  return dir;
}

/**
 * `videophy-gate demo [--regress] [--output-dir DIR]`: the whole gate on the bundled sample (real schema,
 * synthetic rows) against the simulator, compared with the bundled baseline. The simulator answers with a
 * known accuracy: 0.42 for the candidate (the baseline was made at 0.40), 0.25 with --regress.
 */
export async function demoCommand(argv: string[], log: Logger): Promise<number> {
  // Parsed strictly (commands.ts DEMO): `--regres` is an error, `--output-dir=DIR` is the same as two words.
  const { values } = parseCommand(DEMO, argv);
  const regress = values.regress === true;
  const dir = values['output-dir'];
  const outputDir = demoOutputDir(typeof dir === 'string' ? dir : 'demo-results');
  if (values.checkpoint === true) return demoOwnedServer(outputDir, regress, log);
  // Relative to the working directory when inside it, so reports and summaries read `examples/...`.
  const shown = (p: string): string => {
    const rel = relative(process.cwd(), p);
    return rel.startsWith('..') || isAbsolute(rel) ? p : rel;
  };
  const sample = shown(bundledPath(DEMO_SAMPLE));
  const answerKey = await loadAnswerKey(sample);
  const sim = await startSimulator({
    answerKey,
    accuracy: regress ? 0.25 : 0.42,
    seed: 0,
    latencyMs: { min: 5, max: 40 },
  });
  log.info(
    `Simulator (vLLM stand-in) at ${sim.baseUrl}, answering with accuracy ${sim.options.accuracy}`,
  );
  try {
    const inputs: Record<string, string> = {
      'base-url': sim.baseUrl,
      dataset: sample,
      baseline: shown(bundledPath(DEMO_BASELINE)),
      'output-dir': join(outputDir),
    };
    const config = parseConfig((name) => inputs[name] ?? '', {});
    return (await evalWithConfig(config, log)).code;
  } finally {
    await sim.close({ force: true });
  }
}

/**
 * `demo --checkpoint`: the checkpoint mode, with this CLI's `serve` standing in for `vllm serve`: the gate
 * starts it on a free port, waits for /health, scores, and stops the whole process group.
 */
async function demoOwnedServer(outputDir: string, regress: boolean, log: Logger): Promise<number> {
  const sample = bundledPath(DEMO_SAMPLE);
  const cli = process.argv[1] ?? bundledPath('dist/cli/index.js');
  const inputs: Record<string, string> = {
    checkpoint: 'demo/simulated-critic',
    'vllm-command': formatCommandLine([process.execPath, cli]),
    'vllm-args': formatCommandLine([
      '--answer-key',
      sample,
      '--accuracy',
      regress ? '0.25' : '0.42',
      '--latency-ms',
      '5-40',
      // The baseline's simulated checkpoint: same seed, so the candidate is that checkpoint, slightly changed.
      '--seed',
      '0',
    ]),
    dataset: sample,
    baseline: bundledPath(DEMO_BASELINE),
    'output-dir': outputDir,
  };
  const config = parseConfig((name) => inputs[name] ?? '', {});
  return (await evalWithConfig(config, log)).code;
}
