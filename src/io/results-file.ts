import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ResultRow } from '../core/types.js';

/**
 * results.jsonl, one line per video, written the moment the video finishes. writeSync on an open descriptor
 * hands each line to the kernel before the next request is recorded, so a crash or SIGKILL of the action
 * loses at most the line being written, never a finished video.
 */
export class ResultsFile {
  private fd: number | undefined;

  /**
   * Opens the file now, so an unwritable output directory fails before any GPU time: truncated for a fresh
   * run, appended to when resuming (the caller has already cut a torn last line).
   */
  constructor(
    readonly path: string,
    opts: { append?: boolean } = {},
  ) {
    try {
      mkdirSync(dirname(path), { recursive: true });
      this.fd = openSync(path, opts.append ? 'a' : 'w');
    } catch (e) {
      throw new Error(`cannot write results file ${path}: ${(e as Error).message}`);
    }
  }

  append(row: ResultRow): void {
    if (this.fd === undefined) throw new Error(`results file ${this.path} is closed`);
    try {
      writeSync(this.fd, `${JSON.stringify(row)}\n`);
    } catch (e) {
      throw new Error(`cannot write results file ${this.path}: ${(e as Error).message}`);
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
