import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeVideoUrl } from '../../src/core/video-url.js';
import {
  startSimulator,
  unencodedChar,
  validateChatBody,
  type Simulator,
} from '../../src/simulator/index.js';
import { apiError, chatBody, content, MODEL, post, RAW_UNICODE, YOYO } from '../helpers/chat.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ faults: { badVideoUrlSubstrings: ['corrupt'] } });
});
afterAll(() => sim.close());

const videoPart = (url: unknown) => ({
  model: MODEL,
  messages: [{ role: 'user', content: [{ type: 'video_url', video_url: url }] }],
});

// [name, body, status, type, message (exact string or pattern)]
const cases: [string, unknown, number, string, string | RegExp][] = [
  ['invalid JSON', '{"model": ', 400, 'Bad Request', /json_invalid/],
  ['a body that is not an object', '[1, 2]', 400, 'Bad Request', /model_attributes_type/],
  [
    'no messages',
    { model: MODEL },
    400,
    'Bad Request',
    /'loc': \('body', 'messages'\).*Field required/,
  ],
  ['messages not a list', { model: MODEL, messages: 'hi' }, 400, 'Bad Request', /valid list/],
  [
    'a message without role',
    { model: MODEL, messages: [{ content: 'x' }] },
    400,
    'Bad Request',
    /'role'/,
  ],
  ['video_url as a string', videoPart(YOYO), 400, 'Bad Request', /'video_url'.*valid dictionary/],
  ['stream not a boolean', chatBody(YOYO, { stream: 'yes' }), 400, 'Bad Request', /valid boolean/],
  [
    'max_tokens not an integer',
    chatBody(YOYO, { max_tokens: 1.5 }),
    400,
    'Bad Request',
    /valid integer/,
  ],
  [
    'unknown model',
    chatBody(YOYO, { model: 'gpt-4o' }),
    404,
    'NotFoundError',
    'The model `gpt-4o` does not exist.',
  ],
  [
    'stream: true',
    chatBody(YOYO, { stream: true }),
    400,
    'BadRequestError',
    /does not support streaming/,
  ],
  [
    'an ftp URL',
    chatBody('ftp://host/v.mp4'),
    400,
    'BadRequestError',
    'The URL must be either a HTTP, data or file URL.',
  ],
  [
    'a relative URL',
    chatBody('videos/v.mp4'),
    400,
    'BadRequestError',
    'The URL must be either a HTTP, data or file URL.',
  ],
  [
    'a file URL',
    chatBody('file:///data/v.mp4'),
    400,
    'BadRequestError',
    'Cannot load local files without `--allowed-local-media-path`.',
  ],
  [
    'an http URL that does not parse',
    chatBody('https://exa mple.com/v.mp4'),
    400,
    'BadRequestError',
    /not a valid absolute URL/,
  ],
  [
    'raw unicode and a space',
    chatBody(RAW_UNICODE),
    400,
    'BadRequestError',
    /unencoded character U\+2019/,
  ],
  ['a raw space only', chatBody('https://h.example/a b.mp4'), 400, 'BadRequestError', /U\+0020/],
  ['a raw double quote', chatBody('https://h.example/a"b.mp4'), 400, 'BadRequestError', /U\+0022/],
  ['a raw backslash', chatBody('https://h.example/a\\b.mp4'), 400, 'BadRequestError', /U\+005C/],
  [
    'an undecodable video',
    chatBody('https://h.example/corrupt.mp4'),
    400,
    'BadRequestError',
    /Failed to load video/,
  ],
  [
    'a context that is too long',
    chatBody(YOYO, { max_tokens: 16000 }),
    400,
    'BadRequestError',
    /maximum context length is 16384 tokens/,
  ],
];

describe('request validation over HTTP', () => {
  it.each(cases)('%s', async (_name, body, status, type, message) => {
    const a = await post(sim, body);
    expect(a.status).toBe(status);
    expect(a.json).toEqual({
      error: { message: expect.any(String) as unknown, type, param: null, code: status },
    });
    if (typeof message === 'string') expect(apiError(a).message).toBe(message);
    else expect(apiError(a).message).toMatch(message);
  });

  it('accepts the percent-encoded form of the raw unicode URL', async () => {
    const encoded = normalizeVideoUrl(RAW_UNICODE);
    expect(encoded).toContain('%E2%80%99s_kite%20soars');
    expect((await post(sim, chatBody(encoded))).status).toBe(200);
  });

  it("accepts the real URL with ';', '-' and '_' as is (legal RFC 3986 characters)", async () => {
    expect(normalizeVideoUrl(YOYO)).toBe(YOYO);
    expect(content(await post(sim, chatBody(YOYO)))).toMatch(/^[1-5]/);
  });

  it('accepts a request without a model (vLLM uses the served one) and without a video', async () => {
    const noModel: Record<string, unknown> = chatBody(undefined);
    delete noModel.model;
    expect((await post(sim, noModel)).status).toBe(200);
  });

  it('accepts data: URLs and max_completion_tokens', async () => {
    const body = chatBody('data:video/mp4;base64,AAAAIGZ0eXBpc29t', { max_completion_tokens: 16 });
    expect((await post(sim, body)).status).toBe(200);
  });
});

describe('unencodedChar', () => {
  it.each([
    ['https://h.example/a b', ' '],
    ['https://h.example/a’b', '’'],
    ['https://h.example/a<b', '<'],
    ['https://h.example/a{b}', '{'],
    ['https://h.example/a^b', '^'],
    ['https://h.example/a`b', '`'],
    ['https://h.example/a\tb', '\t'],
  ])('%j has %j', (url, ch) => {
    expect(unencodedChar(url)).toBe(ch);
  });

  it.each([
    YOYO,
    "https://h.example/it's_a,b+c;d=e.mp4",
    'https://h.example/a%20b%E2%80%99c.mp4',
    'https://h.example/a?q={x}^`', // WHATWG leaves these in the query, so a normalised URL keeps them
    'https://h.example/100%_sure.mp4', // a lone % survives normalisation too
  ])('accepts %j', (url) => {
    expect(unencodedChar(url)).toBeUndefined();
  });

  it('accepts whatever normalizeVideoUrl produces', () => {
    const raws = [RAW_UNICODE, 'https://h.example/a b/"c"/<d>/\\e/^f/`g`/{h}|i|/ñ—é.mp4?x y#z`'];
    for (const raw of raws) expect(unencodedChar(normalizeVideoUrl(raw))).toBeUndefined();
  });
});

describe('validateChatBody', () => {
  it('returns the URL as sent, its normalisation, the model and max tokens', () => {
    const v = validateChatBody(JSON.stringify(chatBody('HTTPS://H.Example/v.mp4')), MODEL);
    expect(v).toMatchObject({
      ok: true,
      model: MODEL,
      videoUrl: 'HTTPS://H.Example/v.mp4',
      normalizedUrl: 'https://h.example/v.mp4',
      maxTokens: 2048,
    });
  });
});
