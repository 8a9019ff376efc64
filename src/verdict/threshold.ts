import type { Thresholds } from '../config/config.js';
import type { BaselineData } from '../core/baseline.js';
import type { Metrics } from '../core/metrics.js';
import type { Check, Verdict, VerdictResult } from '../core/verdict.js';

export type { Check, Verdict, VerdictResult } from '../core/verdict.js';

export interface VerdictInput {
  metrics: Metrics;
  baseline: BaselineData | null;
  thresholds: Thresholds;
  /** Rows in the evaluated selection (before skipping bad rows) and rows skipped as invalid. */
  numRows: number;
  numSkipped: number;
  /** An infrastructure failure that ended the run early (server died, ...): always an error verdict. */
  runError?: string;
}

/** Differences that are pure float noise (0.38 - 0.40 = -0.020000000000000018) must not tip a decision. */
const EPS = 1e-9;

const fmt = (x: number): string => x.toFixed(4);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function dropCheck(
  metric: Check['metric'],
  baseline: number | null,
  candidate: number | null,
  limit: number,
  undefinedNote?: string,
): Check {
  const check = { metric, kind: 'drop' as const, baseline, candidate, delta: null, limit };
  if (baseline === null) return { ...check, ok: true, note: 'baseline has no value' };
  if (candidate === null)
    return { ...check, ok: false, note: undefinedNote ?? 'undefined for the candidate' };
  const delta = candidate - baseline;
  return { ...check, delta, ok: -delta <= limit + EPS };
}

function floorCheck(
  metric: Check['metric'],
  candidate: number | null,
  floor: number,
  note?: string,
): Check {
  const ok = candidate !== null && candidate >= floor - EPS;
  return {
    metric,
    kind: 'floor',
    baseline: null,
    candidate,
    delta: null,
    limit: floor,
    ok,
    ...(candidate === null ? { note: note ?? 'undefined' } : {}),
  };
}

export function describeCheck(c: Check): string {
  const name = c.metric === 'parse_rate' ? 'parse rate' : c.metric;
  if (c.kind === 'floor') {
    return c.candidate === null
      ? `${name} is undefined (${c.note}) and a floor of ${fmt(c.limit)} is set`
      : `${name} ${fmt(c.candidate)} is below the floor ${fmt(c.limit)}`;
  }
  if (c.candidate === null)
    return `${name} is undefined for the candidate (${c.note}); baseline ${fmt(c.baseline ?? NaN)}`;
  return `${name} dropped ${fmt(-(c.delta ?? 0))} (${fmt(c.baseline ?? NaN)} → ${fmt(c.candidate)}), more than the allowed ${fmt(c.limit)}`;
}

/**
 * The gate's decision. `error` means the numbers cannot be trusted (infrastructure), never a judgement of the
 * model; `regression` means the model got worse beyond tolerance or below a floor.
 */
export function decideVerdict(i: VerdictInput): VerdictResult {
  const m = i.metrics;
  const t = i.thresholds;
  const errors: string[] = [];
  if (i.runError) errors.push(i.runError);
  if (m.errorRate > t.maxErrorRate + EPS) {
    errors.push(
      `${m.numErrors} of ${m.numVideos} requests failed after retries (${pct(m.errorRate)} > max-error-rate ${pct(t.maxErrorRate)}): an infrastructure error, not a model result`,
    );
  }
  if (i.numRows > 0 && i.numSkipped / i.numRows > t.maxErrorRate + EPS) {
    errors.push(
      `${i.numSkipped} of ${i.numRows} dataset rows were invalid and skipped (${pct(i.numSkipped / i.numRows)} > max-error-rate ${pct(t.maxErrorRate)})`,
    );
  }
  if (!i.runError && m.numVideos === 0) errors.push('no videos were evaluated');
  if (m.numVideos > 0 && m.numVideos === m.numErrors && errors.length === 0)
    errors.push('every request failed');

  const checks: Check[] = [];
  const b = i.baseline;
  if (b) {
    checks.push(
      dropCheck('accuracy', b.accuracy, m.accuracy, t.maxAccuracyDrop, 'no reply parsed'),
    );
    checks.push(dropCheck('pearson', b.pearson, m.pearson, t.maxPearsonDrop, m.pearsonUndefined));
    if (b.parseRate !== null)
      checks.push(
        dropCheck('parse_rate', b.parseRate, m.parseRate, t.maxAccuracyDrop, 'nothing answered'),
      );
  }
  if (t.minAccuracy !== undefined)
    checks.push(floorCheck('accuracy', m.accuracy, t.minAccuracy, 'no reply parsed'));
  if (t.minPearson !== undefined)
    checks.push(floorCheck('pearson', m.pearson, t.minPearson, m.pearsonUndefined));
  if (!b && m.numVideos > m.numErrors && m.numSamples === 0) {
    checks.push({
      metric: 'parse_rate',
      kind: 'floor',
      baseline: null,
      candidate: 0,
      delta: null,
      limit: 0,
      ok: false,
      note: 'no reply parsed',
    });
  }

  const failed = checks.filter((c) => !c.ok);
  const verdict: Verdict =
    errors.length > 0 ? 'error' : failed.length > 0 ? 'regression' : b ? 'pass' : 'no-baseline';
  const reasons =
    verdict === 'error'
      ? errors
      : failed.length > 0
        ? failed.map((c) =>
            c.note === 'no reply parsed' && c.kind === 'floor' && c.limit === 0
              ? 'no reply parsed: the model answered but never with a score 1-5'
              : describeCheck(c),
          )
        : b
          ? ['all checks within tolerance']
          : ['no baseline to compare with'];
  return {
    verdict,
    reasons,
    checks,
    baseline: b
      ? {
          source: b.source,
          kind: b.kind,
          accuracy: b.accuracy,
          pearson_correlation: b.pearson,
          parse_rate: b.parseRate,
          num_samples: b.numSamples,
        }
      : null,
  };
}
