/**
 * Datasets on the Hugging Face Hub, over its HTTP API (no Python, no git): resolve the revision to
 * a commit sha, pick the split's data files, download them once into the cache, parse them with the
 * local readers. With `offline`, the last sha recorded for the revision name is served from cache.
 */
import { basename, join } from 'node:path';
import { formatOf } from './format.js';
import { chooseSplitFiles } from './hub-files.js';
import { download, getJson, HubNetworkError, HubStatusError } from './hub-http.js';
import * as cache from './hub-cache.js';
import { checkNames, endpointOf } from './hub-check.js';
import { readTable } from './local.js';
import { DatasetError, type DatasetRequest, type LoadedDataset, type RawRow } from './types.js';

/** What to do when the Hub cannot be reached: the three ways the gate works without it. */
const OFFLINE_REMEDY =
  'Without network access: set HF_HUB_OFFLINE=1 to use the copy a previous run cached (cache-dir), ' +
  'HF_ENDPOINT to a reachable Hub mirror, or give a local file as the dataset ' +
  '(dataset: path/to/videophy2_test.csv; .jsonl, .json and .parquet work too).';

interface Source {
  /** Repo path or parquet-conversion URL: recorded in the manifest, shown in errors. */
  origin: string;
  url: string;
}

export async function loadHubDataset(req: DatasetRequest): Promise<LoadedDataset> {
  const { dataset: id, revision, split } = req;
  checkNames(id, revision, split);
  const repoDir = cache.repoCacheDir(req.cacheDir, id);
  const notes: string[] = [];
  let sha: string | undefined;
  let manifest: cache.Manifest | undefined;
  if (req.offline) {
    sha =
      (await cache.readRef(repoDir, revision)) ??
      (/^[0-9a-f]{40}$/.test(revision) ? revision : undefined);
    manifest = sha ? await cache.readManifest(cache.splitCacheDir(repoDir, sha, split)) : undefined;
    if (!sha || !manifest) {
      throw new DatasetError(
        `offline (HF_HUB_OFFLINE) and no cached copy of dataset ${id} revision ${revision} split ` +
          `${split} under ${repoDir}: run once with network access to fill the cache, or give a local copy ` +
          `as the dataset (a .csv, .jsonl, .json or .parquet file)`,
      );
    }
    notes.push(`offline: served from cache ${cache.splitCacheDir(repoDir, sha, split)}`);
  } else {
    const ep = endpointOf(req.hfEndpoint);
    const hub = { ep, id, revision, token: req.hfToken };
    const repo = await fetchRevision(hub);
    sha = repo.sha;
    await cache.writeRef(repoDir, revision, sha);
    const dir = cache.splitCacheDir(repoDir, sha, split);
    manifest = await cache.readManifest(dir);
    if (manifest) notes.push(`served from cache ${dir}`);
    else manifest = await fillCache(hub, repo, split, dir, notes);
  }
  notes.unshift(`revision ${revision} = commit ${sha}`);
  if (manifest.source === 'parquet-conversion') {
    notes.push("rows come from the Hub's parquet conversion of the dataset (its default branch)");
  }

  const dir = cache.splitCacheDir(repoDir, sha, split);
  const files = manifest.files.map((name) => join(dir, name));
  const columns = new Set<string>();
  const rows: RawRow[] = [];
  for (const file of files) {
    const table = await readTable(file, formatOf(file) ?? 'parquet');
    table.columns.forEach((c) => columns.add(c));
    for (const row of table.rows) rows.push(row);
  }
  return {
    id,
    kind: 'hub',
    revision,
    resolvedRevision: sha,
    split,
    files,
    columns: [...columns],
    rows,
    notes,
  };
}

interface Hub {
  ep: string;
  id: string;
  revision: string;
  token?: string | undefined;
}

/** GET /api/datasets/{id}/revision/{revision}: the commit sha and the repo's file list. */
async function fetchRevision(hub: Hub): Promise<{ sha: string; paths: string[] }> {
  const url = `${hub.ep}/api/datasets/${hub.id}/revision/${encodeURIComponent(hub.revision)}`;
  const body = (await getJson(url, { token: hub.token }).catch((e: unknown) => {
    throw explain(e, hub, true);
  })) as { sha?: unknown; siblings?: unknown };
  const sha = body?.sha;
  if (typeof sha !== 'string' || !/^[\w-]+$/.test(sha)) {
    throw new DatasetError(`unexpected answer from ${url}: no commit sha`);
  }
  const siblings = Array.isArray(body.siblings) ? (body.siblings as { rfilename?: unknown }[]) : [];
  const paths = siblings.map((s) => s?.rfilename).filter((p): p is string => typeof p === 'string');
  return { sha, paths };
}

/** Downloads the split's files that are not cached yet, then writes the manifest. */
async function fillCache(
  hub: Hub,
  repo: { sha: string; paths: string[] },
  split: string,
  dir: string,
  notes: string[],
): Promise<cache.Manifest> {
  let source: cache.Manifest['source'] = 'repo';
  let sources: Source[] = chooseSplitFiles(repo.paths, split).map((path) => ({
    origin: path,
    url: `${hub.ep}/datasets/${hub.id}/resolve/${repo.sha}/${encodePath(path)}`,
  }));
  if (sources.length === 0) {
    source = 'parquet-conversion';
    sources = (await parquetConversion(hub, split)).map((url) => ({ origin: url, url }));
  }
  if (sources.length === 0) {
    const held = repo.paths.length ? repo.paths.slice(0, 30).join(', ') : '(no files)';
    throw new DatasetError(
      `dataset ${hub.id} revision ${hub.revision}: no .parquet/.csv/.jsonl/.json file for split ` +
        `"${split}" and no parquet conversion on the Hub; the repo holds: ${held}`,
    );
  }
  const named = withCacheNames(sources);
  let downloaded = 0;
  for (const { url, name } of named) {
    const dest = join(dir, name);
    if (await cache.isFile(dest)) continue;
    const token = new URL(url).origin === new URL(hub.ep).origin ? hub.token : undefined;
    await download(url, dest, { token }).catch((e: unknown) => {
      throw explain(e, hub, false);
    });
    downloaded++;
  }
  const files = named.map((s) => s.name);
  const manifest = { files, origins: named.map((s) => s.origin), source };
  await cache.writeManifest(dir, manifest);
  const kept = files.length - downloaded;
  notes.push(
    `downloaded ${downloaded} file${downloaded === 1 ? '' : 's'} into ${dir}` +
      (kept ? ` (${kept} already cached)` : ''),
  );
  return manifest;
}

/** A repo path for a URL: each segment percent-encoded, the slashes kept. */
function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** GET /api/datasets/{id}/parquet/default/{split}: URLs of the Hub's parquet export; [] if none. */
async function parquetConversion(hub: Hub, split: string): Promise<string[]> {
  const url = `${hub.ep}/api/datasets/${hub.id}/parquet/default/${encodeURIComponent(split)}`;
  const body = await getJson(url, { token: hub.token }).catch((e: unknown) => {
    if (e instanceof HubStatusError && e.status === 404) return [];
    throw explain(e, hub, false);
  });
  if (!Array.isArray(body) || !body.every((u) => typeof u === 'string' && /^https?:\/\//.test(u))) {
    throw new DatasetError(`unexpected answer from ${url}: expected a JSON array of URLs`);
  }
  return body as string[];
}

/** File names in the cache: basenames, or numbered ones when two basenames collide. */
function withCacheNames(sources: Source[]): (Source & { name: string })[] {
  const named = sources.map(({ origin, url }) => {
    const path = /^https?:/.test(origin) ? decodeURIComponent(new URL(origin).pathname) : origin;
    return { origin, url, name: basename(path) };
  });
  for (const { name } of named) {
    if (!name || name.startsWith('.') || /[\\/\0]/.test(name)) {
      throw new DatasetError(`refusing to cache a file named ${JSON.stringify(name)}`);
    }
  }
  if (new Set(named.map((s) => s.name)).size === named.length) return named;
  return named.map((s, i) => ({ ...s, name: `${String(i).padStart(5, '0')}-${s.name}` }));
}

/** Hub status codes -> what the user should do. The token never appears. */
function explain(error: unknown, hub: Hub, revisionRequest: boolean): unknown {
  if (error instanceof HubNetworkError) {
    return new DatasetError(
      `cannot reach the Hugging Face Hub at ${hub.ep} for dataset ${hub.id}: ${error.message}. ${OFFLINE_REMEDY}`,
    );
  }
  if (!(error instanceof HubStatusError)) return error;
  const code = error.errorCode ? ` ${error.errorCode}` : '';
  if (error.status === 401 || error.status === 403) {
    const fix = hub.token
      ? 'the token in HF_TOKEN was refused or has no access to it'
      : 'set HF_TOKEN to a token that can read it';
    return new DatasetError(
      `access to dataset ${hub.id} denied (HTTP ${error.status}${code}): the dataset is gated or ` +
        `private (or does not exist); ${fix}, and if it is gated accept its conditions on ` +
        `${hub.ep}/datasets/${hub.id}`,
    );
  }
  if (error.status === 404 && revisionRequest) {
    return new DatasetError(
      `dataset or revision not found: dataset ${hub.id}, revision ${hub.revision} ` +
        `(HTTP 404${code} from ${error.url})`,
    );
  }
  return error;
}
