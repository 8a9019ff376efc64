import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunSettings, ServerInfo } from '../core/summary.js';
import type { ShardSpec } from '../config/shard-spec.js';
import type { SignificanceVerdict } from '../verdict/significance.js';
import { writeJsonFile } from './json-file.js';

export const RUN_SCHEMA = 'videophy-gate/run';

/**
 * run.json, written before the first request: what this output directory is being filled with. A rerun
 * reads it to resume (summary.json does not exist when a run was killed) and a merge reads it per shard.
 */
export interface RunFile {
  schema: typeof RUN_SCHEMA;
  version: 1;
  settings: RunSettings;
  fingerprint: string;
  shard: ShardSpec | null;
  /** The videos this run was given (after subset and shard), as in the dataset. */
  items: string[];
  /** Dataset rows in all (before skipping and subsetting), for the summary of a merge. */
  num_rows: number;
  server: ServerInfo;
  started_at: string;
  /** stop-early: the look order and the level the looks were tested at, so a merge can replay them. */
  stop_early?: {
    order: string[];
    alpha: number;
    stop_on: SignificanceVerdict[];
    label?: string;
  };
}

export const runFilePath = (dir: string): string => join(dir, 'run.json');

export function writeRunFile(dir: string, run: RunFile): void {
  writeJsonFile(runFilePath(dir), run);
}

/** The run file of a directory; null when there is none. A file that is not one is an error naming it. */
export function readRunFile(dir: string): RunFile | null {
  const path = runFilePath(dir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read ${path}: ${(e as Error).message}`);
  }
  let doc: Partial<RunFile>;
  try {
    doc = JSON.parse(text) as Partial<RunFile>;
  } catch (e) {
    throw new Error(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (
    doc.schema !== RUN_SCHEMA ||
    doc.version !== 1 ||
    !doc.settings ||
    !Array.isArray(doc.items)
  ) {
    throw new Error(`${path} is not a videophy-gate run file (schema ${RUN_SCHEMA}, version 1)`);
  }
  return doc as RunFile;
}
