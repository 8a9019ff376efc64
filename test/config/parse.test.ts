import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { INPUTS, OUTPUTS } from '../../src/config/inputs.js';
import { findSecrets, parseConfig } from '../../src/config/parse.js';
import { withTables } from '../../scripts/readme-tables.js';

const parse = (inputs: Record<string, string>, env = {}) =>
  parseConfig((n) => inputs[n] ?? '', env);
const ok = { 'base-url': 'http://127.0.0.1:8000/v1' };

describe('parseConfig', () => {
  it('applies the documented defaults', () => {
    const c = parse(ok, { HOME: '/home/u' });
    expect(c).toMatchObject({
      baseUrls: ['http://127.0.0.1:8000/v1'],
      model: undefined,
      apiKey: undefined,
      dataset: 'videophysics/videophy2_test',
      datasetRevision: 'main',
      split: 'test',
      videoColumn: 'video_url',
      scoreColumn: 'pc',
      limit: 0,
      subsetSeed: 0,
      sampling: {
        fps: 16,
        totalPixels: 6422528,
        maxTokens: 2048,
        temperature: 0,
        seed: 1,
        extraBody: {},
      },
      concurrency: 16,
      requestTimeoutS: 600,
      maxRetries: 3,
      serverTimeoutS: 900,
      baselinePath: '.github/videophy2-baseline.json',
      baselineExplicit: false,
      videoMetadata: 'cache',
      fidelityCheck: true,
      thresholds: {
        maxAccuracyDrop: 0.03,
        maxPearsonDrop: 0.06,
        minAccuracy: undefined,
        minPearson: undefined,
        maxErrorRate: 0.05,
      },
      failOnRegression: true,
      outputDir: 'videophy2-results',
      writeBaseline: undefined,
      hub: {
        endpoint: 'https://huggingface.co',
        token: undefined,
        offline: false,
        cacheDir: '/home/u/.cache/videophy-gate',
      },
    });
  });

  it('reads the Hub settings and the runner tool cache from the environment given', () => {
    const c = parse(ok, {
      HF_ENDPOINT: 'http://127.0.0.1:9/',
      HF_TOKEN: 'hf_x',
      HF_HUB_OFFLINE: '1',
      RUNNER_TOOL_CACHE: '/opt/tc',
    });
    expect(c.hub).toEqual({
      endpoint: 'http://127.0.0.1:9',
      token: 'hf_x',
      offline: true,
      cacheDir: '/opt/tc/videophy-gate',
    });
  });

  it.each([
    [{}, /'base-url' or 'checkpoint' is required/],
    [
      { ...ok, checkpoint: './ckpt' },
      /'checkpoint' and 'base-url' are both set: give checkpoint .* or base-url .*, not both/,
    ],
    [
      { ...ok, 'video-metadata': 'moov' },
      /'video-metadata' must be cache, range, none, got "moov"/,
    ],
    [{ 'base-url': 'localhost:8000' }, /'base-url' must use http or https, got "localhost:8000"/],
    [{ 'base-url': 'not a url' }, /'base-url' must be an http\(s\) URL .* got "not a url"/],
    [
      { ...ok, 'extra-body': '{top_p: 1}' },
      /'extra-body' must be a JSON object, got "\{top_p: 1\}"/,
    ],
    [{ ...ok, 'extra-body': '[1]' }, /'extra-body' must be a JSON object like/],
    [{ ...ok, concurrency: '0' }, /'concurrency' must be an integer between 1 and 4096, got "0"/],
    [{ ...ok, concurrency: '2.5' }, /'concurrency' must be an integer/],
    [{ ...ok, limit: '-1' }, /'limit' must be an integer >= 0, got "-1"/],
    [
      { ...ok, 'max-accuracy-drop': 'abc' },
      /'max-accuracy-drop' must be a number between 0 and 1, got "abc"/,
    ],
    [{ ...ok, 'min-pearson': '2' }, /'min-pearson' must be a number between -1 and 1, got "2"/],
    [
      { ...ok, 'fail-on-regression': 'yes' },
      /'fail-on-regression' must be 'true' or 'false', got "yes"/,
    ],
    [{ ...ok, temperature: '-0.1' }, /'temperature' must be a number between 0 and 2/],
  ])('refuses %j', (inputs, message) => {
    expect(() => parse(inputs as Record<string, string>)).toThrow(message);
  });
});

describe('action.yml', () => {
  const action = load(readFileSync('action.yml', 'utf8')) as {
    inputs: Record<string, { default?: string; required: boolean }>;
    outputs: Record<string, unknown>;
    runs: { using: string; main: string };
  };

  it('declares exactly the inputs table, with the same defaults, and the outputs', () => {
    expect(Object.keys(action.inputs)).toEqual(INPUTS.map((i) => i.name));
    for (const i of INPUTS) expect(action.inputs[i.name]?.default ?? '').toBe(i.default);
    expect(Object.keys(action.outputs)).toEqual(OUTPUTS.map((o) => o.name));
    expect(action.runs).toEqual({
      using: 'node24',
      main: 'dist/index.js',
      post: 'dist/post/index.js',
    });
  });

  it('is what `npm run docs` generates', () => {
    const generated = execFileSync('npx', ['tsx', 'scripts/action-yml.ts'], { encoding: 'utf8' });
    expect(generated).toBe(readFileSync('action.yml', 'utf8'));
  });

  it('the README documents every input and output: its tables are the generated ones (npm run docs)', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(withTables(readme)).toBe(readme);
    for (const name of [...INPUTS.map((i) => i.name), ...OUTPUTS.map((o) => o.name)]) {
      expect(readme).toContain(`| \`${name}\` |`);
    }
  });
});

describe('base-url and concurrency forms', () => {
  it('takes several endpoints, by line or comma, and refuses a repeated one', () => {
    expect(parse({ 'base-url': 'http://a:1/v1\nhttp://b:2/v1/, http://c:3/v1' }).baseUrls).toEqual([
      'http://a:1/v1',
      'http://b:2/v1',
      'http://c:3/v1',
    ]);
    expect(() => parse({ 'base-url': 'http://a:1/v1,http://a:1/v1' })).toThrow(
      /'base-url' lists http:\/\/a:1\/v1 twice/,
    );
    expect(() => parse({ 'base-url': 'http://a:1/v1, ftp://b' })).toThrow(
      /'base-url' must use http or https, got "ftp:\/\/b"/,
    );
  });

  it('concurrency auto', () => {
    expect(parse({ ...ok, concurrency: 'auto' }).concurrency).toBe('auto');
    expect(parse({ ...ok, concurrency: 'AUTO' }).concurrency).toBe('auto');
  });
});

describe('checkpoint, modes, shards and the video cache', () => {
  it('checkpoint without base-url: the gate serves it; vllm-args split like a shell, an --api-key there is the client key', () => {
    const c = parseConfig(
      (n) => ({ checkpoint: './ckpt', 'vllm-args': `--max-num-seqs 8 --api-key 'k 1'` })[n] ?? '',
      { RUNNER_TEMP: '/rt', PATH: '/bin' },
    );
    expect(c.server).toEqual({
      checkpoint: './ckpt',
      command: 'vllm',
      args: ['--max-num-seqs', '8', '--api-key', 'k 1'],
      shutdownTimeoutS: 30,
      pidDir: '/rt/videophy-gate-servers',
      path: '/bin',
    });
    expect(c.apiKey).toBe('k 1');
    expect(c.baseUrls).toEqual([]);
    expect(() => parse({ checkpoint: 'x', 'vllm-args': `--a 'open` })).toThrow(
      /'vllm-args': .*quote/,
    );
  });

  it.each([
    [{ mode: 'merge' }, /mode merge needs 'results-dirs'/],
    [{ mode: 'judge' }, /'mode' must be eval, merge or comment, got "judge"/],
    [{ ...ok, shard: '3/2' }, /'shard' input must have 1 <= i <= n/],
    [{ ...ok, 'video-transport': 'ftp' }, /'video-transport' input must be one of url, file, data/],
  ])('refuses %j', (inputs, message) => {
    expect(() => parse(inputs as Record<string, string>)).toThrow(message);
  });

  it('merge needs no base-url; shard and transport parse', () => {
    expect(parse({ mode: 'merge', 'results-dirs': 'a\nb' })).toMatchObject({
      mode: 'merge',
      resultsDirs: ['a', 'b'],
      baseUrls: [],
    });
    expect(
      parse({ ...ok, shard: '2/4', 'video-cache': '/c', 'video-transport': 'data' }),
    ).toMatchObject({ shard: { i: 2, n: 4 }, videoCache: '/c', videoTransport: 'data' });
  });
});

describe('the inputs table carries each validator', () => {
  it('every default parses with its own row', () => {
    for (const spec of INPUTS)
      expect(() => spec.parse(spec.name, spec.default), spec.name).not.toThrow();
  });

  it('a misspelt input name does not compile', () => {
    const c = parse(ok);
    // @ts-expect-error 'max-acuracy-drop' is not an input: InputName catches it at compile time.
    const bad: import('../../src/config/inputs.js').InputValue<'max-acuracy-drop'> = 1;
    expect(bad).toBe(1);
    expect(c.thresholds.maxAccuracyDrop).toBe(
      Number(INPUTS.find((i) => i.name === 'max-accuracy-drop')!.default),
    );
  });
});

describe('findSecrets', () => {
  const read = (inputs: Record<string, string>) => (n: string) => inputs[n] ?? '';
  it('finds api-key, github-token, HF_TOKEN and an --api-key inside vllm-args', () => {
    const inputs = {
      'api-key': 'sk-client',
      'github-token': 'ghs_token',
      'vllm-args': "--max-num-seqs 16 --api-key 'sk-in-args'",
    };
    expect(findSecrets(read(inputs), { HF_TOKEN: 'hf_abc' }).sort()).toEqual(
      ['ghs_token', 'hf_abc', 'sk-client', 'sk-in-args'].sort(),
    );
    expect(parse({ checkpoint: 'org/m', 'vllm-args': '--api-key=sk-eq' }).secrets).toEqual([
      'sk-eq',
    ]);
  });

  it('ignores the literal github.token expression and empty values', () => {
    expect(findSecrets(read({ 'github-token': '${{ github.token }}' }))).toEqual([]);
  });

  it('finds the key even when vllm-args cannot be split (the config error is masked too)', () => {
    const inputs = {
      checkpoint: 'org/m',
      'vllm-args': `--api-key sk-unbalanced --chat-template "oops`,
    };
    expect(findSecrets(read(inputs))).toEqual(['sk-unbalanced']);
    expect(() => parse(inputs)).toThrow(/'vllm-args'/);
  });
});
