import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/config.js';
import { parseConfig, type ConfigEnv } from '../config/parse.js';
import { ConfigError } from '../config/validate.js';
import {
  BASELINE_SCHEMA,
  predictionRows,
  makeBaselineFile,
  parseBaseline,
  type BaselineData,
  type BaselineFile,
} from '../core/baseline.js';
import { computeMetrics } from '../core/metrics.js';
import { SUMMARY_SCHEMA, type Summary } from '../core/summary.js';
import type { ResultRow } from '../core/types.js';
import { checkComparable } from '../settings/check-baseline.js';
import { decide } from '../gate/decide.js';
import { readBaseline } from '../baseline/file.js';
import { readResults } from '../io/results-reader.js';
import { exitDecision } from '../verdict/exit.js';
import { reportInput } from '../publish/report-input.js';
import { renderReport } from '../report/index.js';
import type { Logger } from '../log.js';
import { decisionFlags } from './args.js';
import { EXIT } from './eval.js';
import { parseCommand, type CommandSpec } from './flags.js';
import { OUTPUT_FLAGS, cliLogger, outputOptions, printFinished } from './output.js';
import { UsageError, flagsInMessage } from './usage-error.js';

export const COMPARE: CommandSpec = {
  name: 'compare',
  usage:
    'videophy-gate compare A B [--decision auto] [--max-accuracy-drop 0.03] [--json | --quiet]',
  summary:
    'B (the candidate) against A (the baseline), offline and without a server: the verdict, metrics, intervals and flips the gate would report. A and B are results directories (summary.json + results.jsonl) or baseline files; A may also be anything --baseline takes.',
  about: [
    "The decision is the gate's, with the same flags and defaults; exit status as for eval (1 regression, 2 error).",
  ],
  flags: [
    ...decisionFlags().filter((f) => f.name !== 'baseline'),
    ...OUTPUT_FLAGS,
    {
      name: 'markdown',
      type: 'string',
      value: 'FILE',
      description: "Also write the PR comment's markdown report to FILE.",
    },
  ],
  positionals: { min: 2, max: 2 },
};

interface Side {
  summary: Summary;
  rows: ResultRow[];
}

const isResultsDir = (p: string): boolean =>
  existsSync(p) && statSync(p).isDirectory() && existsSync(join(p, 'results.jsonl'));

/** A finished run's summary.json and results.jsonl, checked as mode comment checks them. */
function readResultsDir(dir: string, log: Logger): Side {
  const path = join(dir, 'summary.json');
  let summary: Summary;
  try {
    summary = JSON.parse(readFileSync(path, 'utf8')) as Summary;
  } catch (e) {
    throw new Error(`cannot read ${path}: ${(e as Error).message}`);
  }
  if (summary?.schema !== SUMMARY_SCHEMA || typeof summary.settings !== 'object')
    throw new Error(`${path} is not a videophy-gate summary (schema ${SUMMARY_SCHEMA})`);
  if ((summary as { state?: unknown }).state === 'running')
    throw new Error(`the run in ${dir} did not finish (summary.json says state: running)`);
  const read = readResults(join(dir, 'results.jsonl'));
  if (read.problems.length > 0) log.warning(read.problems.slice(0, 3).join('; '));
  return { summary, rows: read.rows };
}

/** A baseline file's summary and predictions as a candidate run: rows with only what the verdict reads. */
function readBaselineAsRun(file: string): Side {
  let doc: BaselineFile;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) as BaselineFile;
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
  if (doc?.schema !== BASELINE_SCHEMA || !Array.isArray(doc.predictions) || !doc.summary)
    throw new Error(
      `${file} cannot be the candidate: B must be a results directory or a videophy-gate baseline file (a recipe summary has no per-video results)`,
    );
  const rows = predictionRows(doc.predictions);
  return { summary: doc.summary, rows };
}

/** A: whatever --baseline reads, or a results directory made into the baseline that run would have written. */
function readSideAsBaseline(path: string, log: Logger): BaselineData {
  if (isResultsDir(path)) {
    const { summary, rows } = readResultsDir(path, log);
    const file = makeBaselineFile(summary, rows, new Date(summary.finished_at || Date.now()));
    return parseBaseline(JSON.stringify(file), path);
  }
  const b = readBaseline(path);
  if (!b) throw new Error(`no baseline at ${path}: the file or directory does not exist`);
  return b;
}

function configFor(values: Record<string, unknown>, env: ConfigEnv): Config {
  const inputs: Record<string, string> = { mode: 'comment' };
  for (const [k, v] of Object.entries(values)) if (typeof v === 'string') inputs[k] = v;
  try {
    return parseConfig((name) => inputs[name] ?? '', env);
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(flagsInMessage(e.message), COMPARE.name);
    throw e;
  }
}

/** The candidate's summary with the verdict decided again against the other side. */
export function compareRuns(
  config: Config,
  baseline: BaselineData,
  candidate: Side,
  log: Logger,
): Summary {
  const rows = [...candidate.rows].sort((a, b) => a.index - b.index);
  const s = candidate.summary;
  const comparability = checkComparable(
    config,
    baseline,
    s.settings,
    s.server?.vllm_version ?? null,
    log,
  );
  const verdict = decide(config, {
    metrics: computeMetrics(rows),
    rows,
    baseline,
    numRows: s.num_rows ?? rows.length,
    numSkipped: s.num_skipped_rows ?? 0,
    runError: s.run_error,
  });
  if (comparability && !comparability.comparable)
    verdict.reasons.push(
      `compared although the baseline was made differently (--allow-incomparable): ${comparability.differences
        .filter((d) => d.blocking)
        .map((d) => d.key)
        .join(', ')}`,
    );
  const rest: Summary = { ...s };
  // Decided again below: what the candidate's own run recorded against its baseline no longer holds.
  delete rest.significance;
  delete rest.comparability;
  return {
    ...rest,
    verdict: verdict.verdict,
    reasons: verdict.reasons,
    decision: verdict.decision,
    checks: verdict.checks,
    baseline: verdict.baseline,
    ...(verdict.significance ? { significance: verdict.significance } : {}),
    ...(comparability ? { comparability } : {}),
  };
}

/** `videophy-gate compare A B`. */
export function compareCommand(
  argv: string[],
  env: ConfigEnv & { NO_COLOR?: string; VIDEOPHY_GATE_DEBUG?: string },
): number {
  const { values, positionals } = parseCommand(COMPARE, argv);
  const out = outputOptions(values, env);
  const log = cliLogger(out.format, Boolean(env.VIDEOPHY_GATE_DEBUG));
  const config = configFor(values, env);
  const [a = '', b = ''] = positionals;
  const baseline = readSideAsBaseline(a, log);
  const candidate = isResultsDir(b) ? readResultsDir(b, log) : readBaselineAsRun(b);
  const summary = compareRuns(config, baseline, candidate, log);
  const files = [
    { label: 'baseline (A)', path: a },
    { label: 'candidate (B)', path: b },
  ];
  const markdown = values.markdown;
  if (typeof markdown === 'string') {
    writeFileSync(
      markdown,
      `${renderReport(reportInput(config, summary, candidate.rows, baseline))}\n`,
    );
    files.push({ label: 'report', path: markdown });
  }
  const code = EXIT[exitDecision(summary, config).status];
  printFinished(
    { summary, rows: candidate.rows, predictions: baseline.predictions, files },
    code,
    out,
  );
  return code;
}
