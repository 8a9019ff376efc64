/** Validation of what the user names: Hub ids, revisions, splits and HF_ENDPOINT. */
import { DatasetError } from './types.js';

/** `owner/name` as the Hub allows it (no `--` or `..`, which would also confuse the cache). */
export function isHubId(value: string): boolean {
  return /^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/.test(value) && !/--|\.\./.test(value);
}

/** HF_ENDPOINT with its trailing slashes dropped; the public Hub when unset. */
export function endpointOf(raw: string): string {
  const ep = (raw.trim() || 'https://huggingface.co').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(ep) || !URL.canParse(ep)) {
    throw new DatasetError(`HF_ENDPOINT is not an http(s) URL: ${raw}`);
  }
  return ep;
}

/** Names that end up in cache paths must not escape it. */
export function checkNames(id: string, revision: string, split: string): void {
  if (!isHubId(id)) throw new DatasetError(`not a Hugging Face dataset id (owner/name): ${id}`);
  const segments = revision.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..' || /[\\\0]/.test(s))) {
    throw new DatasetError(`invalid revision for dataset ${id}: ${JSON.stringify(revision)}`);
  }
  if (!/^\w+(\.\w+)*$/.test(split)) {
    throw new DatasetError(`invalid split name for dataset ${id}: ${JSON.stringify(split)}`);
  }
}
