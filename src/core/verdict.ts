/** What a verdict is, as summary.json records it: data types only, so the summary can carry them without the rules. */
import type { BaselineKind } from './types.js';

export type Verdict =
  'pass' | 'improvement' | 'regression' | 'inconclusive' | 'no-baseline' | 'error';

export interface Check {
  metric: 'accuracy' | 'pearson' | 'parse_rate';
  kind: 'drop' | 'floor';
  baseline: number | null;
  candidate: number | null;
  delta: number | null;
  /** Allowed drop (kind drop) or the floor (kind floor). */
  limit: number;
  ok: boolean;
  note?: string;
  /** Decision significance: the paired comparison behind this row. */
  paired?: {
    n: number;
    /** Two-sided interval at 1 - alpha and the two-sided McNemar p: reported. */
    ci: { lower: number; upper: number; level: number } | null;
    p_value: number | null;
    /** The one-sided bound the verdict rests on (src/verdict/significance.ts), compared with `against`. */
    bound?: { side: 'lower' | 'upper'; value: number; level: number; against: number } | null;
    verdict: 'pass' | 'improvement' | 'regression' | 'inconclusive';
    required_videos: number | null;
  };
}

export interface VerdictResult {
  verdict: Verdict;
  reasons: string[];
  checks: Check[];
  baseline: {
    source: string;
    kind: BaselineKind;
    accuracy: number | null;
    pearson_correlation: number | null;
    parse_rate: number | null;
    num_samples: number;
  } | null;
}
