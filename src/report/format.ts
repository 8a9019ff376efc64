/**
 * Numbers for the report. Every value is checked: in the workflow_run pattern summary.json comes from an
 * artifact the pull request produced, so a "number" may be anything and must neither throw nor inject.
 */

export const DASH = '—';

/** No-break space: where a cell must not wrap (`🟢 +0.0333`, `< 0.0001`, `+0.01 … +0.05`). */
export const NBSP = '\u00a0';

export const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

export const fixed = (x: unknown, digits = 4): string => (isNum(x) ? x.toFixed(digits) : DASH);

export const count = (x: unknown): string =>
  isNum(x) ? Math.round(x).toLocaleString('en-US') : DASH;

export const percent = (x: unknown, digits = 1): string =>
  isNum(x) ? `${(x * 100).toFixed(digits)}%` : DASH;

/** A human score or prediction 1..5, `?` for anything else that is not null. */
export const score = (x: unknown): string =>
  isNum(x) && Number.isInteger(x) && x >= 1 && x <= 5 ? String(x) : x === null ? DASH : '?';

/** "+0.0123" / "−0.0456": signed with a real minus, uncoloured (a difference that is neither good nor bad). */
export const signed = (x: unknown, digits = 4): string =>
  isNum(x) ? `${x < 0 ? '−' : '+'}${Math.abs(x).toFixed(digits)}` : DASH;

/** Differences smaller than this are float noise (0.38 - 0.40 = -0.020000000000000018). */
const EPS = 1e-9;

export type Direction = 'better' | 'worse' | 'same';

export function direction(delta: number, higherIsBetter: boolean): Direction {
  if (Math.abs(delta) < EPS) return 'same';
  return delta > 0 === higherIsBetter ? 'better' : 'worse';
}

// Emoji rather than $\color{}$: GitHub renders both, but only emoji stay readable in a terminal and a log.
const MARK: Record<Direction, string> = { better: '🟢', worse: '🔴', same: '⚪' };

/** "🟢 +0.0123" / "🔴 −0.0456": signed with a real minus, coloured by whether the change is good. */
export function delta(x: unknown, higherIsBetter: boolean, digits = 4): string {
  if (!isNum(x)) return DASH;
  const d = direction(x, higherIsBetter);
  const magnitude = Math.abs(x).toFixed(digits);
  const sign = d === 'same' ? '±' : x > 0 ? '+' : '−';
  return `${MARK[d]}${NBSP}${sign}${magnitude}`;
}

/** 75.3 -> "1 min 15 s"; 3725 -> "1 h 2 min". */
export function duration(seconds: unknown): string {
  if (!isNum(seconds) || seconds < 0) return DASH;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h} h ${m} min` : `${m} min ${s % 60} s`;
}

/**
 * A 40-hex commit shortened to 7, as GitHub does, and a content hash (`sha256:<64 hex>`, a local file's
 * revision) to its first 12; anything else left for the caller to escape.
 */
export function shortRevision(rev: string): string {
  if (/^[0-9a-f]{40}$/i.test(rev)) return rev.slice(0, 7);
  const hash = /^(sha256:[0-9a-f]{12})[0-9a-f]{52}$/i.exec(rev);
  return hash ? (hash[1] ?? rev) : rev;
}
