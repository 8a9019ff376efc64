import { appendFile, readFile } from 'node:fs/promises';

/** One line of manifest.jsonl: what was downloaded, where to, and its checksum. */
export interface ManifestEntry {
  url: string;
  /** File name inside the cache directory. */
  file: string;
  sha256: string;
  bytes: number;
  /** ISO time of the download. */
  time: string;
}

function isEntry(v: unknown): v is ManifestEntry {
  const e = v as Partial<ManifestEntry> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.url === 'string' &&
    typeof e.file === 'string' &&
    typeof e.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(e.sha256) &&
    typeof e.bytes === 'number' &&
    typeof e.time === 'string'
  );
}

/**
 * The manifest's entries by URL, the last line winning. A line that is not an entry (a torn append from a
 * killed run) is skipped: the worst outcome is one video downloaded again, never a wrong file served.
 */
export async function readManifest(path: string): Promise<Map<string, ManifestEntry>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new Error(`video cache: cannot read manifest ${path}: ${(e as Error).message}`);
  }
  const entries = new Map<string, ManifestEntry>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const v = JSON.parse(line) as unknown;
      if (isEntry(v)) entries.set(v.url, v);
    } catch {
      // torn line: see above
    }
  }
  return entries;
}

/** One appended line per write: O_APPEND keeps lines from several runners sharing the directory whole. */
export async function appendManifest(path: string, entry: ManifestEntry): Promise<void> {
  await appendFile(path, `${JSON.stringify(entry)}\n`);
}
