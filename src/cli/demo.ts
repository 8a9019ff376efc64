import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { parseConfig } from '../config/parse.js';
import { bundledPath } from '../io/bundled.js';
import { setAside } from '../io/output-dir.js';
import type { Logger } from '../log.js';
import { CHECKPOINT_ARGS_FILE, formatCommandLine } from '../server/index.js';
import { startSimulator } from '../simulator/index.js';
import { loadAnswerKey } from './answer-key.js';
import { DEMO } from './commands.js';
import { evalWithConfig } from './eval.js';
import { parseCommand } from './flags.js';
import { UsageError } from './usage-error.js';

export const DEMO_SAMPLE = 'examples/videophy2-sample.csv';
export const DEMO_BASELINE = 'examples/baseline.json';

/**
 * The demo's output directory, the previous demo's files moved aside first (never deleted): a demo run must
 * show this candidate, not resume the previous demo's results (the simulated accuracy is not a setting the
 * resume check could see).
 */
function demoOutputDir(dir: string, log: Logger): string {
  if (existsSync(join(dir, 'results.jsonl'))) {
    const summary = join(dir, 'summary.json');
    const previous = existsSync(summary) ? readFileSync(summary, 'utf8') : null;
    const aside = setAside(dir, 'earlier-demo', new Date(), previous);
    log.info(`The previous demo run's files were moved to ${aside}`);
  }
  return dir;
}

/**
 * The demo's candidate: the baseline's simulated checkpoint (accuracy 0.40, seed 0) changed as a next
 * checkpoint of the same training run would be (src/simulator/pair.ts): the same answer on 75% of the
 * videos, and on the rest newly wrong and newly right videos that move accuracy by +0.07 (with --regress:
 * agreement 0.70 and -0.08: a regression under the one-sided rule and the 0.03 tolerance, with flips both
 * ways). A candidate that is the baseline made strictly better would teach nothing about flips.
 */
export const DEMO_BASE = { accuracy: 0.4, seed: 0 } as const;
export const DEMO_PAIR = {
  improve: { agreement: 0.75, accuracyDelta: 0.07 },
  regress: { agreement: 0.7, accuracyDelta: -0.08 },
} as const;

/**
 * `videophy-gate demo [--regress] [--output-dir DIR]`: the whole gate on the bundled sample (real schema,
 * synthetic rows) against the simulator, compared with the bundled baseline (DEMO_BASE, DEMO_PAIR).
 */
export async function demoCommand(argv: string[], log: Logger): Promise<number> {
  // Parsed strictly (commands.ts DEMO): `--regres` is an error, `--output-dir=DIR` is the same as two words.
  const { values } = parseCommand(DEMO, argv);
  const regress = values.regress === true;
  const dir = values['output-dir'];
  const outputDir = demoOutputDir(typeof dir === 'string' ? dir : 'demo-results', log);
  const stopEarly: Record<string, string> =
    values['stop-early'] === true ? { 'stop-early': 'true' } : {};
  if (values.sweep === true && (values.checkpoint === true || regress))
    throw new UsageError('--sweep goes with neither --checkpoint nor --regress', DEMO.name);
  if (values.sweep === true) return demoSweep(outputDir, log);
  if (values.checkpoint === true) return demoOwnedServer(outputDir, regress, stopEarly, log);
  // Relative to the working directory when inside it, so reports and summaries read `examples/...`.
  const shown = (p: string): string => {
    const rel = relative(process.cwd(), p);
    return rel.startsWith('..') || isAbsolute(rel) ? p : rel;
  };
  const sample = shown(bundledPath(DEMO_SAMPLE));
  const answerKey = await loadAnswerKey(sample);
  const pair = regress ? DEMO_PAIR.regress : DEMO_PAIR.improve;
  const sim = await startSimulator({
    answerKey,
    ...DEMO_BASE,
    pair,
    latencyMs: { min: 5, max: 40 },
  });
  log.info(
    `Simulator (vLLM stand-in) at ${sim.baseUrl}: the baseline's checkpoint (accuracy ${DEMO_BASE.accuracy}) changed on ${Math.round((1 - pair.agreement) * 100)}% of the videos, accuracy ${pair.accuracyDelta > 0 ? '+' : ''}${pair.accuracyDelta} expected`,
  );
  try {
    const inputs: Record<string, string> = {
      'base-url': sim.baseUrl,
      dataset: sample,
      baseline: shown(bundledPath(DEMO_BASELINE)),
      'output-dir': join(outputDir),
      ...stopEarly,
    };
    const config = parseConfig((name) => inputs[name] ?? '', {});
    return (await evalWithConfig(config, log)).code;
  } finally {
    await sim.close({ force: true });
  }
}

/** The simulate flags that make `serve` (the vLLM stand-in) the demo baseline's checkpoint, changed by `pair`. */
function servedAsCandidate(
  sample: string,
  pair: { agreement: number; accuracyDelta: number },
): string[] {
  return [
    '--answer-key',
    sample,
    '--accuracy',
    String(DEMO_BASE.accuracy),
    '--agreement',
    String(pair.agreement),
    '--accuracy-delta',
    String(pair.accuracyDelta),
    '--latency-ms',
    '5-40',
    // The baseline's simulated checkpoint: same seed, so the candidate is that checkpoint, changed.
    '--seed',
    String(DEMO_BASE.seed),
  ];
}

/**
 * The demo sweep's checkpoints, each the baseline's simulated checkpoint changed as a training run would
 * change it: accuracy rising to step 40, then declining (overfitting), Pearson peaking later at step 80, as
 * the recipe's SFT curve does (shared/reference: best accuracy at step 40, best correlation at step 80).
 */
export const DEMO_SWEEP = [
  { step: 20, agreement: 0.8, accuracyDelta: -0.03, pearsonDelta: -0.04 },
  { step: 40, agreement: 0.75, accuracyDelta: 0.08, pearsonDelta: 0.02 },
  { step: 60, agreement: 0.75, accuracyDelta: 0.06, pearsonDelta: 0.05 },
  { step: 80, agreement: 0.75, accuracyDelta: 0.03, pearsonDelta: 0.08 },
  { step: 100, agreement: 0.75, accuracyDelta: -0.01, pearsonDelta: 0.04 },
] as const;

/**
 * `demo --sweep`: five simulated checkpoint directories (each with the simulate flags of its step, read by
 * `serve`), swept by the gate: served, scored and stopped one after another, the best compared with the
 * bundled baseline. The previous demo's results of each checkpoint are set aside first.
 */
async function demoSweep(outputDir: string, log: Logger): Promise<number> {
  const sample = bundledPath(DEMO_SAMPLE);
  const root = join(outputDir, 'simulated-checkpoints');
  for (const c of DEMO_SWEEP) demoOutputDir(join(outputDir, `step_${c.step}`), log);
  const cli = process.argv[1] ?? bundledPath('dist/cli/index.js');
  const inputs: Record<string, string> = {
    ...demoSweepInputs(root, sample, cli),
    dataset: sample,
    baseline: bundledPath(DEMO_BASELINE),
    'output-dir': outputDir,
  };
  log.info(
    `Demo sweep: ${DEMO_SWEEP.length} simulated checkpoints in ${root} (accuracy ${DEMO_SWEEP.map((c) => `${c.accuracyDelta > 0 ? '+' : ''}${c.accuracyDelta}`).join(', ')} against the baseline's)`,
  );
  const config = parseConfig((name) => inputs[name] ?? '', {});
  return (await evalWithConfig(config, log)).code;
}

/**
 * The demo sweep's checkpoint directories under `root` (step_20 ... step_100, each with its simulate flags),
 * and the inputs that sweep them with `cli serve` as vLLM (also examples/comment-sweep.md's).
 */
export function demoSweepInputs(root: string, sample: string, cli: string): Record<string, string> {
  for (const c of DEMO_SWEEP) {
    const dir = join(root, `step_${c.step}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, CHECKPOINT_ARGS_FILE),
      `--agreement ${c.agreement} --accuracy-delta ${c.accuracyDelta} --pearson-delta ${c.pearsonDelta}\n`,
    );
  }
  return {
    checkpoints: join(root, 'step_*'),
    'vllm-command': formatCommandLine([process.execPath, cli]),
    'vllm-args': formatCommandLine(servedAsCandidate(sample, DEMO_PAIR.improve)),
  };
}

/**
 * `demo --checkpoint`: the checkpoint mode, with this CLI's `serve` standing in for `vllm serve`: the gate
 * starts it on a free port, waits for /health, scores, and stops the whole process group.
 */
async function demoOwnedServer(
  outputDir: string,
  regress: boolean,
  extra: Record<string, string>,
  log: Logger,
): Promise<number> {
  const pair = regress ? DEMO_PAIR.regress : DEMO_PAIR.improve;
  const sample = bundledPath(DEMO_SAMPLE);
  const cli = process.argv[1] ?? bundledPath('dist/cli/index.js');
  const inputs: Record<string, string> = {
    checkpoint: 'demo/simulated-critic',
    'vllm-command': formatCommandLine([process.execPath, cli]),
    'vllm-args': formatCommandLine(servedAsCandidate(sample, pair)),
    dataset: sample,
    baseline: bundledPath(DEMO_BASELINE),
    'output-dir': outputDir,
    ...extra,
  };
  const config = parseConfig((name) => inputs[name] ?? '', {});
  return (await evalWithConfig(config, log)).code;
}
