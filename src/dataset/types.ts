/** What a dataset source hands to the core: raw rows, untouched, plus where they came from. */

import type { RawRow } from '../core/types.js';

// The row shape belongs to the core (core/rows.ts reads it); the sources produce it.
export type { RawRow };

export interface LoadedDataset {
  /** The dataset as the user named it: a Hub id (`videophysics/videophy2_test`) or a local path. */
  id: string;
  kind: 'hub' | 'csv' | 'jsonl' | 'json' | 'parquet';
  /** Requested revision (Hub) or `local`. */
  revision: string;
  /** Commit SHA the Hub resolved the revision to, when known. */
  resolvedRevision?: string;
  split: string;
  /** Files the rows were read from (local paths; cache paths for the Hub). */
  files: string[];
  /** Column names in file order (union over rows for JSON formats). */
  columns: string[];
  rows: RawRow[];
  /** Human-readable notes for the log (e.g. "served from cache ..."). */
  notes: string[];
}

export interface DatasetRequest {
  /** Hub id or local file path (.csv, .jsonl, .json, .parquet). */
  dataset: string;
  revision: string;
  split: string;
  /** Directory for the Hub download cache (created on demand). */
  cacheDir: string;
  /** Hub base URL, from HF_ENDPOINT (default https://huggingface.co). */
  hfEndpoint: string;
  /** Bearer token from HF_TOKEN, if any. Never logged. */
  hfToken?: string;
  /** Work without the network, from a cached copy only (HF_HUB_OFFLINE=1). */
  offline?: boolean;
}

/** A dataset that cannot be read: always names the file (or Hub id) and, where it can, the row. */
export class DatasetError extends Error {
  override name = 'DatasetError';
}

/** What one file reader returns: column names in file order and the rows, before any provenance. */
export interface ParsedTable {
  columns: string[];
  rows: RawRow[];
}
