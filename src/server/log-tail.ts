/** The end of the server's log file: what to show when it fails and while it loads. */
import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** Read at most this much from the end: a vLLM log with progress bars can be large, the tail is what matters. */
const MAX_TAIL_BYTES = 256 * 1024;

/** Size of the file now (0 when absent): where this run's part of an appended log begins. */
export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * The last `n` non-empty lines written to `path` after byte `from`. Progress bars rewrite a line with
 * `\r`; each rewrite counts as a line, so the latest state is the last one.
 */
export function tailLines(path: string, n: number, from = 0): string[] {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return [];
  }
  try {
    const size = statSync(path).size;
    const start = Math.max(from, size - MAX_TAIL_BYTES);
    if (size <= start) return [];
    const buf = Buffer.alloc(size - start);
    const read = readSync(fd, buf, 0, buf.length, start);
    const lines = buf
      .subarray(0, read)
      .toString('utf8')
      .split(/\r\n|\r|\n/)
      .map((l) => l.trimEnd())
      .filter((l) => l.trim().length > 0);
    // A cut at MAX_TAIL_BYTES may split the first line; drop it unless we read from the run's start.
    if (start > from) lines.shift();
    return n > 0 ? lines.slice(-n) : [];
  } finally {
    closeSync(fd);
  }
}
