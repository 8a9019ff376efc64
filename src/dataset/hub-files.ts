/**
 * Which files of a Hub repo hold a split, following the `datasets` library's defaults for a repo
 * without a loading script or `configs` in its card: a path naming the split between non-letters
 * (`test.csv`, `videophy2_test.csv`, `data/test-00000-of-00001.parquet`, `test/x.parquet`), with
 * the library's synonyms for the standard splits (test: testing, eval, evaluation ...).
 */
import { FORMAT_PREFERENCE, formatOf } from './format.js';

const SPLIT_KEYWORDS: Record<string, readonly string[]> = {
  train: ['train', 'training'],
  validation: ['validation', 'valid', 'dev', 'val'],
  test: ['test', 'testing', 'eval', 'evaluation'],
};

/**
 * The data files for `split`, sorted by path (the order their rows are concatenated in); [] when
 * none qualify. Only one format is used: .parquet first, then .csv, .jsonl, .json.
 */
export function chooseSplitFiles(repoPaths: readonly string[], split: string): string[] {
  const data = repoPaths.filter((p) => formatOf(p) !== undefined && !isHidden(p));
  const matching = data.filter((p) => namesSplit(p, split));
  if (matching.length > 0) return onePreferredFormat(matching).sort();
  // A repo holding a single data file is that split whatever the file's name, unless the name
  // says it is another standard split (a lone train.csv must not be scored as the test set).
  const only = data.length === 1 ? data[0] : undefined;
  if (
    only !== undefined &&
    !Object.keys(SPLIT_KEYWORDS).some((s) => s !== split && namesSplit(only, s))
  ) {
    return [only];
  }
  return [];
}

/** Whether the path names the split (or one of its synonyms) delimited by non-letters. */
export function namesSplit(path: string, split: string): boolean {
  return (SPLIT_KEYWORDS[split] ?? [split]).some((keyword) => {
    const escaped = keyword.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(^|[^A-Za-z])${escaped}([^A-Za-z]|$)`).test(path);
  });
}

/** Files under a dot- or double-underscore-prefixed name are ignored, as by `datasets`. */
function isHidden(path: string): boolean {
  return path.split('/').some((part) => part.startsWith('.') || part.startsWith('__'));
}

function onePreferredFormat(paths: string[]): string[] {
  for (const format of FORMAT_PREFERENCE) {
    const same = paths.filter((p) => formatOf(p) === format);
    if (same.length > 0) return same;
  }
  return [];
}
