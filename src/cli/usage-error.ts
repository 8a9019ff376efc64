import leven from 'leven';
import { INPUTS } from '../config/inputs.js';

/**
 * A mistake in how a command was typed (unknown flag, missing argument, bad flag value): exit 2 with the
 * command's usage line, and without "could not produce a result", which is for runs that started.
 */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    readonly command: string,
  ) {
    super(message);
  }
}

/** The closest candidate within a third of the word's length (at least 2 edits), or undefined. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: { name: string; d: number } | undefined;
  for (const name of candidates) {
    const d = leven(word, name);
    if (d <= limit && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

/** `unknown flag --regres (did you mean --regress?)`. */
export function unknownFlag(flag: string, known: readonly string[], command: string): UsageError {
  const bare = flag.replace(/^-+/, '').split('=')[0] ?? '';
  const guess = closest(bare, known);
  return new UsageError(
    `unknown flag ${flag.split('=')[0]}${guess ? ` (did you mean --${guess}?)` : ''}`,
    command,
  );
}

const INPUT_NAMES: ReadonlySet<string> = new Set(INPUTS.map((i) => i.name));

/**
 * Messages name action inputs (`'video-column' must not be empty`, `within server-timeout 0.5 s`,
 * `update-baseline: true`); a CLI user typed flags, so those become `--video-column`, `--server-timeout`,
 * `--update-baseline true`. Quoted: any input name (other quoted words are values and stay). Unquoted:
 * only hyphenated names, which are not English words, and not inside a path, URL or longer flag.
 */
export function flagsInMessage(message: string): string {
  return message
    .replace(/'([a-z][a-z0-9-]*)'/g, (whole, name: string) =>
      INPUT_NAMES.has(name) ? `--${name}` : whole,
    )
    .replace(
      /(?<![\w\-/.'"])([a-z][a-z0-9]*(?:-[a-z0-9]+)+)(?![\w\-/])(: (?=true\b|false\b))?/g,
      (whole, name: string) =>
        INPUT_NAMES.has(name) ? `--${name}${whole.endsWith(': ') ? ' ' : ''}` : whole,
    );
}
