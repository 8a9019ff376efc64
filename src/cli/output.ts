import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BaselinePrediction } from '../core/baseline.js';
import type { Summary } from '../core/summary.js';
import type { ResultRow } from '../core/types.js';
import { renderTerminal, verdictLine } from '../report/terminal.js';
import type { Logger } from '../log.js';
import type { FlagSpec, FlagValues } from './flags.js';
import { flagsInMessage } from './usage-error.js';

/** How a command that ends in a verdict prints it: the terminal report, the summary as JSON, or one line. */
export interface OutputOptions {
  format: 'text' | 'json' | 'quiet';
  color: boolean;
}

export const OUTPUT_FLAGS: readonly FlagSpec[] = [
  {
    name: 'json',
    type: 'boolean',
    description: 'Print the summary as JSON on stdout (for scripts); progress goes to stderr.',
  },
  {
    name: 'quiet',
    type: 'boolean',
    description: 'Print only the closing verdict line (warnings and errors still go to stderr).',
  },
];

/** Colour only for a person: stdout is a terminal and NO_COLOR (no-color.org) is unset or empty. */
export function useColor(env: { NO_COLOR?: string }, isTTY: boolean | undefined): boolean {
  return Boolean(isTTY) && !env.NO_COLOR;
}

export function outputOptions(
  values: FlagValues,
  env: { NO_COLOR?: string } = process.env,
): OutputOptions {
  const format = values.json === true ? 'json' : values.quiet === true ? 'quiet' : 'text';
  return { format, color: format === 'text' && useColor(env, process.stdout.isTTY) };
}

export const DEFAULT_OUTPUT: OutputOptions = {
  format: 'text',
  color: useColor(process.env, process.stdout.isTTY),
};

/**
 * The CLI's logger for an output format: with --json, stdout carries only the JSON, so progress moves to
 * stderr; with --quiet, progress is dropped and warnings and errors stay. Notices, warnings and errors
 * name inputs as the flags the user typed (flagsInMessage).
 */
export function cliLogger(format: OutputOptions['format'], showDebug = false): Logger {
  const info =
    format === 'text'
      ? (m: string) => console.log(m)
      : format === 'json'
        ? (m: string) => console.error(m)
        : () => {};
  return {
    info,
    notice: (m) => info(`notice: ${flagsInMessage(m)}`),
    warning: (m) => console.warn(`warning: ${flagsInMessage(m)}`),
    error: (m) => console.error(`error: ${flagsInMessage(m)}`),
    debug: (m) => {
      if (showDebug) console.error(`debug: ${m}`);
    },
  };
}

export interface Finished {
  summary: Summary;
  rows?: readonly ResultRow[];
  predictions?: readonly BaselinePrediction[];
  files: { label: string; path: string }[];
}

/** Print a finished run as the options say; the verdict line closes every format but --json. */
export function printFinished(f: Finished, code: number, out: OutputOptions): void {
  if (out.format === 'json') {
    console.log(JSON.stringify(f.summary, null, 2));
    return;
  }
  if (out.format === 'text') {
    console.log(
      `\n${renderTerminal(f.summary, { color: out.color, rows: f.rows, predictions: f.predictions, files: f.files })}\n`,
    );
  }
  console.log(verdictLine(f.summary.verdict, code, out.color));
}

/** report.md next to summary.json: the PR comment's markdown, for a browser or a paste. */
export function writeMarkdownReport(summaryPath: string, markdown: string, log: Logger): string {
  const path = join(dirname(summaryPath), 'report.md');
  try {
    writeFileSync(path, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  } catch (e) {
    log.warning(`could not write ${path}: ${(e as Error).message}`);
  }
  return path;
}
