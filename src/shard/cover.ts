import type { RunSettings } from '../core/summary.js';
import { describeChanges, diffSettings, settingsFingerprint } from '../settings/fingerprint.js';
import { shardAssignment } from './select.js';
import { formatShard, type ShardSpec } from '../config/shard-spec.js';

/** One shard's results, as the merge read them from its results directory. */
export interface ShardResults {
  /** Where they came from (the directory), for messages. */
  label?: string;
  settings: Partial<RunSettings>;
  /** Null when the run was not sharded: it cannot be merged with others. */
  shard: ShardSpec | null;
  rows: readonly { video_url: string }[];
  /** The videos this shard was given (its selection), as it recorded them. */
  itemsUrls: readonly string[];
  /** It stopped early (stop-early) with a regression: missing results are the videos it did not need. */
  stoppedEarly?: boolean;
}

export interface CoverInput {
  shards: readonly ShardResults[];
  /**
   * The dataset selection as the merge job computes it (after limit/subset), when it loads the dataset.
   * Without it the union of the shards' recorded selections stands in for it.
   */
  selectionUrls?: readonly string[];
}

const EXAMPLES = 3;

function examples(urls: readonly string[]): string {
  const shown = urls
    .slice(0, EXAMPLES)
    .map((u) => `'${u}'`)
    .join(', ');
  return urls.length > EXAMPLES ? `${shown}, ...` : shown;
}

function name(s: ShardResults, pos: number): string {
  const id = s.shard ? `shard ${formatShard(s.shard)}` : `results #${pos + 1}`;
  return s.label ? `${id} (${s.label})` : id;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Problems with the shard indices: unsharded results, disagreeing counts, repeated or missing indices. */
function indexProblems(shards: readonly ShardResults[]): {
  problems: string[];
  n: number | null;
  complete: boolean;
} {
  const problems: string[] = [];
  shards.forEach((s, pos) => {
    if (!s.shard) problems.push(`${name(s, pos)} was not a sharded run (no shard i/n recorded)`);
  });
  const counts = [...new Set(shards.flatMap((s) => (s.shard ? [s.shard.n] : [])))];
  if (counts.length > 1) {
    const list = shards.map((s, pos) => name(s, pos)).join(', ');
    problems.push(`the shards disagree on the number of shards (${counts.join(' vs ')}): ${list}`);
    return { problems, n: null, complete: false };
  }
  const n = counts[0];
  if (n === undefined) return { problems, n: null, complete: false };
  const seen = new Map<number, string[]>();
  shards.forEach((s, pos) => {
    if (s.shard) seen.set(s.shard.i, [...(seen.get(s.shard.i) ?? []), name(s, pos)]);
  });
  for (const [i, names] of [...seen].sort((a, b) => a[0] - b[0])) {
    if (names.length > 1)
      problems.push(`shard ${i}/${n} is given more than once: ${names.join(', ')}`);
  }
  const missing = Array.from({ length: n }, (_, k) => k + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) {
    problems.push(
      `missing ${missing.length === 1 ? 'shard' : 'shards'} ${missing.map((i) => `${i}/${n}`).join(', ')}: every shard's results directory is needed for a merge`,
    );
  }
  return { problems, n, complete: missing.length === 0 };
}

function settingsProblems(shards: readonly ShardResults[]): string[] {
  const first = shards[0];
  if (!first) return [];
  const reference = settingsFingerprint(first.settings);
  const problems: string[] = [];
  shards.forEach((s, pos) => {
    if (pos === 0 || settingsFingerprint(s.settings) === reference) return;
    const changes = diffSettings(first.settings, s.settings);
    problems.push(
      `${name(s, pos)} was run with different settings than ${name(first, 0)}: ${describeChanges(changes)}`,
    );
  });
  return problems;
}

/** Videos with results in more than one shard. */
function overlapProblems(shards: readonly ShardResults[]): string[] {
  const owner = new Map<string, number>();
  const twice = new Map<string, number[]>();
  shards.forEach((s, pos) => {
    for (const url of new Set(s.rows.map((r) => r.video_url))) {
      const first = owner.get(url);
      if (first === undefined) owner.set(url, pos);
      else twice.set(url, [...(twice.get(url) ?? [first]), pos]);
    }
  });
  if (twice.size === 0) return [];
  const [url, where] = [...twice][0] ?? ['', []];
  return [
    `${plural(twice.size, 'video has', 'videos have')} results in more than one shard (e.g. '${url}' in ${where.map((p) => name(shards[p] as ShardResults, p)).join(' and ')})`,
  ];
}

/** Each shard must hold a result for every video it was given, and only for those. */
function shardCompleteness(s: ShardResults, pos: number): string[] {
  const given = new Set(s.itemsUrls);
  const have = new Set(s.rows.map((r) => r.video_url));
  const problems: string[] = [];
  const missing = [...given].filter((u) => !have.has(u));
  if (missing.length > 0) {
    problems.push(
      `${name(s, pos)} has no result for ${missing.length} of its ${given.size} videos (the job stopped early?): ${examples(missing)}`,
    );
  }
  const extra = [...have].filter((u) => !given.has(u));
  if (extra.length > 0) {
    problems.push(
      `${name(s, pos)} has ${plural(extra.length, 'result')} for videos it was not given: ${examples(extra)}`,
    );
  }
  return problems;
}

/**
 * The shards' selections must be exactly the deterministic split of the dataset selection; with the merge's
 * own selection (`checkCoverage`), every video of it needs a result and no result may be foreign to it.
 */
function selectionProblems(
  shards: readonly ShardResults[],
  n: number,
  selection: readonly string[],
  checkCoverage: boolean,
): string[] {
  const problems: string[] = [];
  const unique = [...new Set(selection)];
  const assigned = shardAssignment(unique, n);
  const expected = Array.from({ length: n }, () => new Set<string>());
  unique.forEach((url, k) => expected[assigned[k] ?? 0]?.add(url));
  shards.forEach((s, pos) => {
    if (!s.shard) return;
    const want = expected[s.shard.i - 1] ?? new Set<string>();
    const got = new Set(s.itemsUrls);
    const notGiven = [...want].filter((u) => !got.has(u));
    const wrong = [...got].filter((u) => !want.has(u));
    if (notGiven.length > 0 || wrong.length > 0) {
      problems.push(
        `${name(s, pos)} was given a different set of videos than shard ${formatShard(s.shard)} of the dataset selection (${notGiven.length} missing, ${wrong.length} extra; e.g. ${examples([...notGiven, ...wrong])})`,
      );
    }
  });
  if (!checkCoverage) return problems;
  const covered = new Set(shards.flatMap((s) => s.rows.map((r) => r.video_url)));
  const uncovered = unique.filter((u) => !covered.has(u));
  if (uncovered.length > 0) {
    problems.push(
      `${uncovered.length} of ${unique.length} videos of the dataset selection have no result in any shard: ${examples(uncovered)}`,
    );
  }
  const inSelection = new Set(unique);
  const foreign = [...covered].filter((u) => !inSelection.has(u));
  if (foreign.length > 0) {
    problems.push(
      `${plural(foreign.length, 'result is', 'results are')} for videos outside the dataset selection: ${examples(foreign)}`,
    );
  }
  return problems;
}

/**
 * Whether the shards of a matrix run cover the dataset selection exactly once with the same settings.
 * Returns every problem found (empty: safe to merge); pure, so the merge decides how to report them.
 */
export function checkShardsCover(input: CoverInput): string[] {
  const { shards } = input;
  if (shards.length === 0) return ['no shard results to merge'];
  const { problems, n, complete } = indexProblems(shards);
  problems.push(...settingsProblems(shards));
  problems.push(...overlapProblems(shards));
  shards.forEach((s, pos) => {
    if (!s.stoppedEarly) problems.push(...shardCompleteness(s, pos));
  });
  // Which videos belong where can only be judged when the shard count is known, and without the merge's
  // own selection, only when every shard is here (the union of their selections then stands in for it).
  if (n !== null && input.selectionUrls && !shards.some((s) => s.stoppedEarly)) {
    problems.push(...selectionProblems(shards, n, input.selectionUrls, true));
  } else if (n !== null && complete) {
    problems.push(
      ...selectionProblems(
        shards,
        n,
        shards.flatMap((s) => s.itemsUrls),
        false,
      ),
    );
  }
  return problems;
}
