/**
 * The `checkpoints` input as the sweep runs it: each line a path, a Hub id or a glob pattern; a pattern's
 * matches sorted by step number (a training run saves step_20 ... step_100, and a directory listing would put
 * step_100 before step_20). Each checkpoint gets a name, its results directory under output-dir. Pure: the
 * file system is reached only through the `glob` function the caller passes in.
 */
import { ConfigError } from '../config/validate.js';

export interface SweepCheckpoint {
  /** The path or Hub id as served. */
  path: string;
  /** Its results directory's name under output-dir, and its label in the report. */
  name: string;
  /** The training step its name carries (step_40 -> 40), or null. */
  step: number | null;
}

/** `*`, `?` or a `[...]` class: a pattern, not a path (no checkpoint path or Hub id contains these). */
export const isPattern = (line: string): boolean => /[*?[]/.test(line);

const lastPart = (path: string): string => {
  const parts = path.replace(/[\\/]+$/, '').split(/[\\/]/);
  return parts[parts.length - 1] ?? '';
};

/**
 * The step a checkpoint's path names: the last `step_N` (also step-N, stepN, checkpoint-N, ckpt_N, iter_N,
 * global_stepN) anywhere in the path, else a number ending its last part; null when neither.
 */
export function stepOf(path: string): number | null {
  const marked = [...path.matchAll(/(?:step|checkpoint|ckpt|iter)[_-]?(\d+)/gi)];
  const last = marked[marked.length - 1]?.[1] ?? /(\d+)$/.exec(lastPart(path))?.[1];
  return last === undefined ? null : Number(last);
}

/**
 * A directory name from the checkpoint's last path part: characters other than letters, digits, `.`, `_`
 * and `-` become `-`, so a name can neither leave output-dir nor carry markup into the report.
 */
export function checkpointName(path: string): string {
  const name = lastPart(path)
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, 100);
  return name === '' ? 'checkpoint' : name;
}

/** By step (those without one last, in name order), then by name and path: step_20 < step_40 < step_100. */
export function byStep(a: SweepCheckpoint, b: SweepCheckpoint): number {
  if (a.step !== b.step) {
    if (a.step === null) return 1;
    if (b.step === null) return -1;
    return a.step - b.step;
  }
  const text = (c: SweepCheckpoint): string => `${c.name}\u0000${c.path}`;
  return text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0;
}

const toCheckpoint = (path: string): SweepCheckpoint => ({
  path,
  name: checkpointName(path),
  step: stepOf(path),
});

/**
 * The sweep's checkpoints in run order: lines as given, each pattern's matches by step. Refused: a pattern
 * that matches nothing, the same checkpoint twice, and two checkpoints with one name (their results would
 * share a directory).
 */
export function expandCheckpoints(
  entries: readonly string[],
  glob: (pattern: string) => string[],
  cwd: string,
): SweepCheckpoint[] {
  const out: SweepCheckpoint[] = [];
  for (const entry of entries) {
    if (!isPattern(entry)) {
      out.push(toCheckpoint(entry));
      continue;
    }
    const matches = glob(entry).map(toCheckpoint).sort(byStep);
    if (matches.length === 0)
      throw new ConfigError(
        `'checkpoints': the pattern ${JSON.stringify(entry)} matches nothing (relative to ${cwd}). Check the path of the training job's output, and that it has run on this runner; or list the checkpoints one per line.`,
      );
    out.push(...matches);
  }
  const byName = new Map<string, SweepCheckpoint>();
  const byPath = new Map<string, SweepCheckpoint>();
  for (const c of out) {
    const samePath = byPath.get(c.path.replace(/[\\/]+$/, ''));
    if (samePath)
      throw new ConfigError(
        `'checkpoints' lists ${c.path} twice (a line and a pattern's match, or two lines): give each checkpoint once`,
      );
    byPath.set(c.path.replace(/[\\/]+$/, ''), c);
    // Case folded: on a case-insensitive file system Step_40 and step_40 would be one directory.
    const key = c.name.toLowerCase();
    const other = byName.get(key);
    if (other)
      throw new ConfigError(
        `'checkpoints': ${other.path} and ${c.path} would both be named ${c.name} (their results directory under output-dir). Sweep one training run at a time (one output-dir each), or give checkpoints whose last path parts differ.`,
      );
    byName.set(key, c);
  }
  return out;
}
