import type { Pair } from './compare.js';

/** One slice of the paired videos (one generator, one category, hard or not). */
export interface Slice {
  label: string;
  videos: number;
  /** Accuracy among the slice's parsed replies, as the recipe computes it overall; null when none parsed. */
  baseline: number | null;
  candidate: number | null;
  delta: number | null;
  newlyWrong: number;
  newlyRight: number;
  /** Dropped by more than the gate's own accuracy tolerance, and big enough (MIN_SLICE_VIDEOS) to say so. */
  worse: boolean;
  /** Fewer than MIN_SLICE_VIDEOS videos: shown, never ranked as worse (one flip moves it by 0.2 at 5 videos). */
  small: boolean;
}

/**
 * The smallest slice whose drop is ranked. At 20 videos one flip moves accuracy by 0.05, already more
 * than the default tolerance; below that a slice's delta is mostly which few videos it holds.
 */
export const MIN_SLICE_VIDEOS = 20;

export interface Breakdown {
  /** The meta column (results.jsonl `meta`) the slices come from. */
  column: string;
  title: string;
  /** Worst first, so a shortened table still shows what got worse; small slices last. */
  slices: Slice[];
}

/** The VideoPhy-2 columns worth slicing by, in the order a reviewer asks about them. */
export const BREAKDOWN_COLUMNS: readonly { column: string; title: string }[] = [
  { column: 'model_name', title: 'Generator' },
  { column: 'category', title: 'Category' },
  { column: 'is_hard', title: 'Difficulty' },
];

function label(column: string, value: string): string {
  if (column !== 'is_hard') return value;
  if (/^(1|1\.0|true)$/i.test(value)) return 'hard';
  if (/^(0|0\.0|false)$/i.test(value)) return 'not hard';
  return value;
}

interface Tally {
  videos: number;
  parsedBefore: number;
  rightBefore: number;
  parsedNow: number;
  rightNow: number;
  newlyWrong: number;
  newlyRight: number;
}

const accuracy = (right: number, parsed: number): number | null =>
  parsed > 0 ? right / parsed : null;

/** Accuracy baseline vs candidate per value of each column present in the rows' meta. */
export function breakdowns(
  pairs: readonly Pair[],
  tolerance: number,
  minVideos = MIN_SLICE_VIDEOS,
): Breakdown[] {
  const out: Breakdown[] = [];
  for (const { column, title } of BREAKDOWN_COLUMNS) {
    const tallies = new Map<string, Tally>();
    for (const p of pairs) {
      const raw = p.row.meta?.[column];
      if (typeof raw !== 'string' || raw === '') continue;
      const key = label(column, raw);
      let t = tallies.get(key);
      if (!t) {
        t = {
          videos: 0,
          parsedBefore: 0,
          rightBefore: 0,
          parsedNow: 0,
          rightNow: 0,
          newlyWrong: 0,
          newlyRight: 0,
        };
        tallies.set(key, t);
      }
      t.videos++;
      if (p.was === 'right' || p.was === 'wrong') t.parsedBefore++;
      if (p.was === 'right') t.rightBefore++;
      if (p.now === 'right' || p.now === 'wrong') t.parsedNow++;
      if (p.now === 'right') t.rightNow++;
      if (p.was === 'right' && p.now !== 'right' && p.now !== 'error') t.newlyWrong++;
      if (p.now === 'right' && p.was !== 'right' && p.was !== 'error') t.newlyRight++;
    }
    if (tallies.size === 0) continue;
    const slices = [...tallies].map(([key, t]): Slice => {
      const baseline = accuracy(t.rightBefore, t.parsedBefore);
      const candidate = accuracy(t.rightNow, t.parsedNow);
      const delta = baseline !== null && candidate !== null ? candidate - baseline : null;
      const small = t.videos < minVideos;
      return {
        label: key,
        videos: t.videos,
        baseline,
        candidate,
        delta,
        newlyWrong: t.newlyWrong,
        newlyRight: t.newlyRight,
        worse: !small && delta !== null && -delta > tolerance + 1e-9,
        small,
      };
    });
    slices.sort(
      (a, b) =>
        Number(a.small) - Number(b.small) ||
        (a.delta ?? Infinity) - (b.delta ?? Infinity) ||
        b.videos - a.videos ||
        (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
    );
    out.push({ column, title, slices });
  }
  return out;
}
