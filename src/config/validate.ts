/** Small pure validators. Each throws a ConfigError that names the input and the value it got. */

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const show = (v: string): string => JSON.stringify(v);

export function number(
  name: string,
  raw: string,
  opts: { min?: number; max?: number; integer?: boolean } = {},
): number {
  const kind = opts.integer ? 'an integer' : 'a number';
  const range =
    opts.min !== undefined && opts.max !== undefined
      ? ` between ${opts.min} and ${opts.max}`
      : opts.min !== undefined
        ? ` >= ${opts.min}`
        : '';
  const value = raw.trim() === '' ? NaN : Number(raw.trim());
  const ok =
    Number.isFinite(value) &&
    (!opts.integer || Number.isInteger(value)) &&
    (opts.min === undefined || value >= opts.min) &&
    (opts.max === undefined || value <= opts.max);
  if (!ok) throw new ConfigError(`'${name}' must be ${kind}${range}, got ${show(raw)}`);
  return value;
}

export function optionalNumber(
  name: string,
  raw: string,
  opts: { min?: number; max?: number } = {},
): number | undefined {
  return raw.trim() === '' ? undefined : number(name, raw, opts);
}

export function boolean(name: string, raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new ConfigError(`'${name}' must be 'true' or 'false', got ${show(raw)}`);
}

export function jsonObject(name: string, raw: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw new ConfigError(
      `'${name}' must be a JSON object, got ${show(raw)}: ${(e as Error).message}`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`'${name}' must be a JSON object like {"top_p": 0.8}, got ${show(raw)}`);
  }
  return parsed as Record<string, unknown>;
}

/** A URL for a message: user and password replaced, so a credential in base-url never reaches a log. */
export function redactCredentials(text: string): string {
  return text.replace(/(\/\/)[^/@\s]*@/g, '$1***@');
}

export function httpUrl(name: string, raw: string): string {
  const v = raw.trim();
  const shown = JSON.stringify(redactCredentials(v));
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new ConfigError(
      `'${name}' must be an http(s) URL like http://127.0.0.1:8000/v1, got ${shown}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`'${name}' must use http or https, got ${shown}`);
  }
  return v.replace(/\/+$/, '');
}

export function nonEmpty(name: string, raw: string): string {
  const v = raw.trim();
  if (v === '') throw new ConfigError(`'${name}' must not be empty`);
  return v;
}
