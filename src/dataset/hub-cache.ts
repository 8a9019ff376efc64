/**
 * On-disk cache of Hub downloads, so a self-hosted runner fetches the dataset once per commit:
 *   {cacheDir}/datasets/{owner}--{name}/refs/{revision}   the commit sha a revision name had
 *   {cacheDir}/datasets/{owner}--{name}/{sha}/{split}/     the split's files, plus .manifest.json
 * A commit's files never change, so a complete manifest means the split needs no download.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** What a split directory holds, written last so its presence means the download completed. */
export interface Manifest {
  /** Cache file names (in this directory), in row-concatenation order. */
  files: string[];
  /** Where each came from: repo paths, or URLs of the Hub's parquet conversion. */
  origins: string[];
  source: 'repo' | 'parquet-conversion';
}

const MANIFEST = '.manifest.json';

export function repoCacheDir(cacheDir: string, id: string): string {
  return join(cacheDir, 'datasets', id.replace('/', '--'));
}

export function splitCacheDir(repoDir: string, sha: string, split: string): string {
  return join(repoDir, sha, split);
}

/** Revision names may hold slashes (`refs/pr/1`): nested, like huggingface_hub's cache. */
function refPath(repoDir: string, revision: string): string {
  return join(repoDir, 'refs', ...revision.split('/'));
}

export async function readRef(repoDir: string, revision: string): Promise<string | undefined> {
  const sha = await readFile(refPath(repoDir, revision), 'utf8').catch(() => undefined);
  return sha?.trim() || undefined;
}

export async function writeRef(repoDir: string, revision: string, sha: string): Promise<void> {
  await writeFileAtomic(refPath(repoDir, revision), sha);
}

/** The manifest of a split directory, if it exists and every file it lists is still there. */
export async function readManifest(dir: string): Promise<Manifest | undefined> {
  try {
    const manifest = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as Manifest;
    if (!Array.isArray(manifest.files) || manifest.files.length === 0) return undefined;
    for (const name of manifest.files) if (!(await isFile(join(dir, name)))) return undefined;
    return manifest;
  } catch {
    return undefined;
  }
}

export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  await writeFileAtomic(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
}

export async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** A temp name next to `dest`: rename() within one directory is atomic. */
export function tempPathFor(dest: string): string {
  return join(dirname(dest), `.${randomBytes(6).toString('hex')}.tmp`);
}

/** Writes via temp file + rename, so readers (and concurrent runs) never see half a file. */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = tempPathFor(path);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
