import type { ModeOutcome } from './modes.js';

const n = (x: number | null | undefined): string =>
  x === null || x === undefined ? '' : String(x);

/** The action's outputs (names from action.yml), as strings; empty where a value is undefined. */
export function gateOutputs(o: ModeOutcome): Record<string, string> {
  const s = o.summary;
  const delta = (metric: string): string =>
    n(s.checks.find((c) => c.metric === metric && c.kind === 'drop')?.delta);
  return {
    accuracy: n(s.accuracy),
    pearson: n(s.pearson_correlation),
    'num-samples': String(s.num_samples),
    'num-errors': String(s.num_errors),
    'num-unparsed': String(s.num_unparsed),
    'baseline-accuracy': n(s.baseline?.accuracy),
    'baseline-pearson': n(s.baseline?.pearson_correlation),
    'accuracy-delta': delta('accuracy'),
    'pearson-delta': delta('pearson'),
    verdict: s.verdict,
    'summary-path': o.summaryPath,
    'results-path': o.resultsPath,
    // Only a sweep has one: a single run's outputs stay as they were.
    ...(o.sweep ? { 'best-checkpoint': o.sweep.best_checkpoint ?? '' } : {}),
  };
}
