/**
 * Checks a /v1/chat/completions body the way vLLM does, in vLLM's order: schema errors first
 * (FastAPI/pydantic: 400 "Bad Request"), then the model name (404), then streaming and the video URL
 * (400 "BadRequestError", raised while the server loads the media). Pure: no I/O.
 */
import { normalizeVideoUrl, videoUrlScheme } from '../core/video-url.js';

export interface HttpError {
  status: number;
  type: string;
  message: string;
}

export interface ValidChat {
  ok: true;
  /** The parsed body (for recording). */
  body: Record<string, unknown>;
  /** The served model name (vLLM accepts a missing `model` and uses the served one). */
  model: string;
  /** The first video URL exactly as sent, and its WHATWG normalisation. */
  videoUrl?: string;
  normalizedUrl?: string;
  /** `max_completion_tokens` ?? `max_tokens`, when given. */
  maxTokens?: number;
  /** Characters of text in all messages (for a plausible prompt token count). */
  textChars: number;
}

export type ChatValidation = ValidChat | { ok: false; error: HttpError; body?: unknown };

const fail = (status: number, type: string, message: string, body?: unknown): ChatValidation => ({
  ok: false,
  error: { status, type, message },
  body,
});

/** Pydantic-style message, as vLLM's RequestValidationError handler words it. */
const schemaError = (kind: string, loc: string, msg: string, body?: unknown): ChatValidation =>
  fail(
    400,
    'Bad Request',
    `1 validation error:\n  {'type': '${kind}', 'loc': (${loc}), 'msg': '${msg}'}`,
    body,
  );

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** Characters WHATWG changes anywhere (controls, space, non-ASCII, DEL) or in any component ("<>). */
const NEVER_RAW = /[^\x21-\x7e]|["<>]/u;
/** Characters WHATWG percent-encodes (or rewrites, for `\`) in the path only. */
const NEVER_RAW_IN_PATH = /[\\^`{}]/;

/**
 * The first character that shows the URL was sent without percent-encoding, if any: exactly the
 * characters `new URL(raw).href` would encode, so a normalizeVideoUrl() result always passes.
 */
export function unencodedChar(url: string): string | undefined {
  const any = NEVER_RAW.exec(url);
  if (any) return any[0];
  const end = url.search(/[?#]/);
  const inPath = NEVER_RAW_IN_PATH.exec(end < 0 ? url : url.slice(0, end));
  return inPath?.[0];
}

/** Why vLLM (or our stricter stand-in for its fetcher) would refuse this video URL, if it would. */
export function videoUrlError(url: string): HttpError | undefined {
  const bad = (message: string): HttpError => ({ status: 400, type: 'BadRequestError', message });
  const scheme = videoUrlScheme(url);
  if (scheme === 'other') return bad('The URL must be either a HTTP, data or file URL.');
  if (scheme === 'file')
    return bad('Cannot load local files without `--allowed-local-media-path`.');
  try {
    new URL(url);
  } catch {
    return bad(
      `Invalid video URL: ${JSON.stringify(url.slice(0, 300))} is not a valid absolute URL.`,
    );
  }
  if (scheme === 'data') return undefined;
  const ch = unencodedChar(url);
  if (ch === undefined) return undefined;
  const code = ch.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0') ?? '?';
  return bad(
    `Failed to fetch video from ${JSON.stringify(url.slice(0, 300))}: the URL contains an unencoded ` +
      `character U+${code}; percent-encode it (new URL(raw).href). [vLLM simulator check]`,
  );
}

interface Scan {
  videoUrls: string[];
  textChars: number;
  error?: ChatValidation;
}

/** Walks messages: collects video URLs and text length; reports the first schema error. */
function scanMessages(messages: unknown[], body: unknown): Scan {
  const scan: Scan = { videoUrls: [], textChars: 0 };
  for (const [i, m] of messages.entries()) {
    if (!isObject(m) || typeof m.role !== 'string') {
      return {
        ...scan,
        error: schemaError('missing', `'body', 'messages', ${i}, 'role'`, 'Field required', body),
      };
    }
    const content = m.content;
    if (typeof content === 'string') scan.textChars += content.length;
    if (!Array.isArray(content)) continue;
    for (const [j, part] of content.entries()) {
      const loc = `'body', 'messages', ${i}, 'content', ${j}`;
      if (!isObject(part))
        return {
          ...scan,
          error: schemaError('model_type', loc, 'Input should be an object', body),
        };
      if (part.type === 'text' && typeof part.text === 'string') scan.textChars += part.text.length;
      if (part.type !== 'video_url') continue;
      const v = part.video_url;
      if (!isObject(v) || typeof v.url !== 'string') {
        const msg = 'Input should be a valid dictionary or object to extract fields from';
        return {
          ...scan,
          error: schemaError('model_attributes_type', `${loc}, 'video_url'`, msg, body),
        };
      }
      scan.videoUrls.push(v.url);
    }
  }
  return scan;
}

/** Validates a raw request body against the served model name. */
export function validateChatBody(raw: string, servedModel: string): ChatValidation {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return schemaError('json_invalid', "'body', 0", 'JSON decode error');
  }
  if (!isObject(body))
    return schemaError(
      'model_attributes_type',
      "'body',",
      'Input should be a valid dictionary',
      body,
    );
  if (!Array.isArray(body.messages)) {
    const missing = body.messages === undefined;
    const [kind, msg] = missing
      ? ['missing', 'Field required']
      : ['list_type', 'Input should be a valid list'];
    return schemaError(kind, "'body', 'messages'", msg, body);
  }
  const scan = scanMessages(body.messages, body);
  if (scan.error) return scan.error;
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') {
    return schemaError('bool_parsing', "'body', 'stream'", 'Input should be a valid boolean', body);
  }
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens !== undefined && maxTokens !== null && !Number.isInteger(maxTokens)) {
    return schemaError('int_type', "'body', 'max_tokens'", 'Input should be a valid integer', body);
  }
  const model = body.model ?? servedModel; // vLLM serves the default model when `model` is absent.
  if (typeof model !== 'string') {
    return schemaError('string_type', "'body', 'model'", 'Input should be a valid string', body);
  }
  if (model !== servedModel) {
    return fail(404, 'NotFoundError', `The model \`${model}\` does not exist.`, body);
  }
  if (body.stream === true) {
    return fail(
      400,
      'BadRequestError',
      'The vLLM simulator does not support streaming; send "stream": false.',
      body,
    );
  }
  const videoUrl = scan.videoUrls[0];
  let normalizedUrl: string | undefined;
  if (videoUrl !== undefined) {
    const err = videoUrlError(videoUrl);
    if (err) return { ok: false, error: err, body };
    normalizedUrl = normalizeVideoUrl(videoUrl);
  }
  return {
    ok: true,
    body,
    model: servedModel,
    videoUrl,
    normalizedUrl,
    maxTokens: typeof maxTokens === 'number' ? maxTokens : undefined,
    textChars: scan.textChars,
  };
}
