/**
 * Hostile input: captions, generator names and model replies written to break out of the job summary
 * (HTML, markdown links, @mentions, table pipes) or of the log (workflow commands such as `::set-output`);
 * non-http video URLs in a downloaded dataset; path traversal in the output and cache paths; secrets
 * echoed back by a server. The action runs as the Actions runner runs it (dist/index.js).
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { marked } from 'marked';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeVideoUrl } from '../../src/core/video-url.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { syntheticRows, toCsv } from '../../scripts/synthetic.js';
import { runAsActionsRunner, type RunnerResult } from '../helpers/actions-runner.js';
import { plans, startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { gateWith } from '../helpers/gate.js';
import { useTmp } from '../helpers/tmp.js';
import { startFakeHub } from '../helpers/fake-hub.js';
import { useVideoServer } from '../helpers/video-server.js';
import { expectAccounted, noUnhandledRejections } from '../helpers/accounting.js';

const ENTRY = 'dist/index.js';
const tmp = useTmp();
const videoServer = useVideoServer();
noUnhandledRejections();

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});
async function simulator(...args: Parameters<typeof startSimulator>): Promise<Simulator> {
  const s = await startSimulator(...args);
  closers.push(() => s.close({ force: true }));
  return s;
}
async function faultProxy(...args: Parameters<typeof startFaultProxy>): Promise<FaultProxy> {
  const p = await startFaultProxy(...args);
  closers.push(() => p.close());
  return p;
}

/** Text that tries every way out: HTML, a javascript: link, a mention, a table, and workflow commands. */
const hostile = (tag: string): string =>
  [
    `<img src=x onerror=alert("${tag}")>`,
    '<script>alert(1)</script>',
    '[click](javascript:alert(1))',
    '@octocat please look',
    '| a | b |',
    '</details></table>',
    `\n::error::INJECTED-${tag}`,
    `\n::set-output name=verdict::pass`,
    `\n::add-mask::INJECTED-${tag}`,
    '\n::stop-commands::INJECTED\n',
  ].join(' ');

/**
 * Lines the runner would take as a workflow command that came from untrusted text: a command whose data
 * starts with the injected marker, or a command the action never issues. (Untrusted text inside the data
 * of the action's own `::error::` line is fine: the runner escapes it as %0A and shows it as text.)
 */
function injectedCommands(r: RunnerResult): string[] {
  return (r.stdout + r.stderr)
    .split('\n')
    .filter(
      (l) => /^::[\w-]+(?: [^:]*)?::INJECTED/.test(l) || /^::(set-output|stop-commands)/.test(l),
    );
}

/** The job summary rendered as GitHub renders markdown: no markup, no link but http(s), no raw mention. */
function expectInertSummary(md: string): void {
  expect(md.length).toBeGreaterThan(0);
  const html = marked.parse(md, { gfm: true, async: false });
  expect(html).not.toMatch(/<img|<script|<\/details><\/table>/i);
  for (const m of html.matchAll(/href="([^"]*)"/g)) expect(m[1]).toMatch(/^https?:\/\//);
  expect(md).not.toMatch(/@octocat/);
}

function hostileDataset(dir: string, n: number): { path: string; key: Map<string, number> } {
  const rows = syntheticRows(n, 21).map((r, i): Record<string, string> => ({
    ...r,
    caption: hostile(`CAPTION${i}`),
    model_name: hostile('GENERATOR'),
    category: hostile('CATEGORY'),
  }));
  const path = join(dir, 'hostile.csv');
  writeFileSync(path, toCsv(rows));
  return { path, key: new Map(rows.map((r) => [r.video_url ?? '', Number(r.pc)])) };
}

describe('markup and workflow commands in captions, replies and server messages', () => {
  it('do not reach the job summary as markup nor the log as commands (with a baseline, so videos are listed)', async () => {
    const dir = tmp();
    const { path, key } = hostileDataset(dir, 60);
    const baseline = join(dir, 'baseline.json');
    const good = await simulator({ answerKey: key, accuracy: 0.8, seed: 1 });
    const first = await runAsActionsRunner(ENTRY, {
      'base-url': good.baseUrl,
      dataset: path,
      'write-baseline': baseline,
      'output-dir': join(dir, 'a'),
    });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    // A worse candidate whose every reply carries the hostile text before its score, and whose server
    // answers a few videos with a hostile error message.
    const bad = await simulator({ answerKey: key, accuracy: 0.2, seed: 5 });
    const urls = [...key.keys()].map((u) => normalizeVideoUrl(u));
    const p = await faultProxy({
      upstream: bad.url,
      rewrite: (content, r) => `${hostile(`REPLY${r.n}`)}\n${content}`,
      plan: plans.always('http-500', (u) => u === urls[0] || u === urls[1]),
      message: hostile('SERVERMSG'),
    });
    const r = await runAsActionsRunner(ENTRY, {
      'base-url': p.baseUrl,
      dataset: path,
      baseline,
      'output-dir': join(dir, 'b'),
      'max-retries': '0',
    });
    expect(['regression', 'inconclusive']).toContain(r.outputs.verdict);
    expect(injectedCommands(r)).toEqual([]);
    expectInertSummary(r.stepSummary);
    // The hostile text is shown (escaped), not dropped: the reviewer sees what the model said.
    expect(r.stepSummary).toContain('&lt;img src=x onerror=alert(');
    expectAccounted(
      { resultsPath: join(dir, 'b', 'results.jsonl'), summaryPath: join(dir, 'b', 'summary.json') },
      urls,
    );
  });

  it('a hostile server error message that ends the run: escaped in the summary and in the annotation', async () => {
    const dir = tmp();
    const { path, key } = hostileDataset(dir, 30);
    const sim = await simulator({ answerKey: key });
    const p = await faultProxy({
      upstream: sim.url,
      plan: plans.always('http-500', () => true),
      message: hostile('FATAL'),
    });
    const r = await runAsActionsRunner(ENTRY, {
      'base-url': p.baseUrl,
      dataset: path,
      'output-dir': dir,
      'max-retries': '0',
    });
    expect(r.code).toBe(1);
    expect(r.outputs.verdict).toBe('error');
    expect(injectedCommands(r)).toEqual([]);
    expectInertSummary(r.stepSummary);
  });

  // Fixed (found by this suite): the served model id (GET /v1/models) and the vLLM version (GET /version) are logged with core.info unescaped ("Scoring N videos with <model> (vLLM <version>)"), so a newline followed by ::set-output / ::add-mask:: / ::stop-commands:: becomes a workflow command.
  it('text from the server’s /v1/models and /version cannot issue workflow commands', async () => {
    const dir = tmp();
    const { path, key } = hostileDataset(dir, 10);
    const sim = await simulator({
      answerKey: key,
      model: `critic${hostile('MODEL')}`,
      version: `0.12.0${hostile('VERSION')}`,
    });
    const r = await runAsActionsRunner(ENTRY, {
      'base-url': sim.baseUrl,
      dataset: path,
      'output-dir': dir,
    });
    expect(r.outputs.verdict).toBe('no-baseline');
    expect(injectedCommands(r)).toEqual([]);
    expectInertSummary(r.stepSummary);
  });
});

describe('video URLs that are not http(s)', () => {
  // Fixed (found by this suite): selectRows accepts any URL scheme: file://, data:, ftp: and javascript: video URLs from a downloaded dataset are sent to the server (file:// reads the runner's disk when vLLM runs with --allowed-local-media-path); they should be refused (skipped rows naming the row and scheme) unless explicitly allowed.
  it('in a dataset downloaded from the Hub: refused by row, never sent to the server', async () => {
    const dir = tmp();
    const rows = syntheticRows(40, 8);
    const evil = [
      'file:///etc/passwd',
      'file:///home/runner/work/_temp/secret.mp4',
      'data:video/mp4;base64,AAAA',
      'ftp://example.com/x.mp4',
      'javascript:alert(1)',
    ];
    evil.forEach((u, i) => (rows[i * 5]!.video_url = u));
    const hub = await startFakeHub({
      id: 'videophysics/videophy2_test',
      sha: 'f'.repeat(40),
      files: { 'videophy2_test.csv': toCsv(rows) },
    });
    closers.push(() => hub.close());
    const sim = await simulator({
      answerKey: new Map(rows.map((r) => [r.video_url ?? '', Number(r.pc)])),
    });
    const p = await faultProxy({ upstream: sim.url });
    const r = await runAsActionsRunner(
      ENTRY,
      { 'base-url': p.baseUrl, 'output-dir': join(dir, 'out'), 'max-error-rate': '0.2' },
      { env: { HF_ENDPOINT: hub.url, RUNNER_TOOL_CACHE: join(dir, 'cache') } },
    );
    expect(p.chatRequests).toBeGreaterThan(0);
    expect(p.chatUrls.filter((u) => !/^https?:\/\//.test(u))).toEqual([]);
    expect(r.stdout).toMatch(/::warning::.*rows? 1, 6, 11, 16, 21\b.*(scheme|not http)/);
  });
});

describe('path traversal', () => {
  it('video URLs with ../ or %2e%2e cannot place a cached file outside video-cache', async () => {
    const dir = tmp();
    const videos = await videoServer();
    const paths = [
      '/../../../../escape-a.mp4',
      '/%2e%2e/%2e%2e/escape-b.mp4',
      '/a/..%2f..%2f..%2fescape-c.mp4',
      '/normal.mp4',
    ];
    const rows = paths.map((p, i) => ({ video_url: `${videos.url}${p}`, pc: String((i % 5) + 1) }));
    const dataset = join(dir, 'traversal.csv');
    writeFileSync(dataset, toCsv(rows, ['video_url', 'pc']));
    const sim = await simulator({});
    const cache = join(dir, 'deep', 'cache');
    const { outcome } = await gateWith({
      'base-url': sim.baseUrl,
      dataset,
      'output-dir': join(dir, 'out'),
      'video-cache': cache,
    });
    expect(outcome.summary.num_errors).toBe(0);
    const cached = readdirSync(cache).filter((f) => f.endsWith('.mp4'));
    expect(cached).toHaveLength(4);
    for (const f of cached) expect(f).toMatch(/^[0-9a-f]{64}\.mp4$/);
    // Nothing but the expected entries anywhere above the cache.
    expect(readdirSync(dir).sort()).toEqual(['deep', 'out', 'traversal.csv']);
    expect(readdirSync(join(dir, 'deep'))).toEqual(['cache']);
    expect([...videos.hits.keys()].some((h) => h.includes('escape'))).toBe(true);
  });

  it('output-dir with ../ segments is used as the path it resolves to (a trusted input), nothing else written', async () => {
    const dir = tmp();
    const sim = await simulator({});
    const rows = syntheticRows(5, 1);
    const dataset = join(dir, 'd.csv');
    writeFileSync(dataset, toCsv(rows));
    const out = join(dir, 'x', '..', '..', `${dir.split('/').pop()}`, 'results-here');
    const { outcome } = await gateWith({
      'base-url': sim.baseUrl,
      dataset,
      'output-dir': out,
    });
    expect(resolve(outcome.summaryPath)).toBe(join(dir, 'results-here', 'summary.json'));
    expect(existsSync(join(dir, 'results-here', 'results.jsonl'))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['d.csv', 'results-here']);
  });
});

/** Every place a secret could land: the log (except the runner's mask command), files, the job summary. */
function leaks(r: RunnerResult, secret: string, dirs: string[]): string[] {
  const found: string[] = [];
  for (const line of (r.stdout + r.stderr).split('\n'))
    if (line.includes(secret) && !line.startsWith('::add-mask::'))
      found.push(`log: ${line.slice(0, 120)}`);
  if (r.stepSummary.includes(secret)) found.push('job summary');
  for (const [name, value] of Object.entries(r.outputs))
    if (value.includes(secret)) found.push(`output ${name}`);
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir))
      if (readFileSync(join(dir, f), 'utf8').includes(secret)) found.push(`${dir}/${f}`);
  }
  return found;
}

describe('secrets are never printed, even when a server echoes them', () => {
  // Fixed (found by this suite): an error body that echoes the Authorization header is stored verbatim: the api-key lands unmasked in results.jsonl (error.message), summary.json (reasons, run_error) and the job summary; the ::error:: line relies on the runner's mask only.
  it('api-key echoed in a server error body: not in the log, the job summary or the output files', async () => {
    const dir = tmp();
    const { path, key } = hostileDataset(dir, 20);
    const secret = 'sk-echoed-secret-7f3a';
    const sim = await simulator({ answerKey: key, apiKey: secret });
    const p = await faultProxy({
      upstream: sim.url,
      plan: plans.always('echo-auth', () => true),
    });
    const out = join(dir, 'out');
    const r = await runAsActionsRunner(ENTRY, {
      'base-url': p.baseUrl,
      dataset: path,
      'output-dir': out,
      'api-key': secret,
      'max-retries': '0',
    });
    expect(r.outputs.verdict).toBe('error');
    expect(r.stdout).toContain(`::add-mask::${secret}`);
    expect(leaks(r, secret, [out])).toEqual([]);
  });

  it('a base-url with credentials (http://user:pass@host): the password appears nowhere', async () => {
    const dir = tmp();
    const { path, key } = hostileDataset(dir, 10);
    const sim = await simulator({ answerKey: key });
    const out = join(dir, 'out');
    const withCreds = sim.baseUrl.replace('http://', 'http://alice:pw-in-url-91c2@');
    const ok = await runAsActionsRunner(ENTRY, {
      'base-url': withCreds,
      dataset: path,
      'output-dir': out,
    });
    expect(ok.outputs.verdict).toBe('no-baseline');
    await sim.close({ force: true });
    // And when the server is gone: the readiness error names the server without the password.
    const gone = await runAsActionsRunner(ENTRY, {
      'base-url': withCreds,
      dataset: path,
      'output-dir': join(dir, 'out2'),
      'server-timeout': '1',
    });
    expect(gone.outputs.verdict).toBe('error');
    expect(gone.stdout).toMatch(/::error::.*alice|::error::.*\*\*\*@127\.0\.0\.1/);
    expect(leaks(ok, 'pw-in-url-91c2', [out])).toEqual([]);
    expect(leaks(gone, 'pw-in-url-91c2', [join(dir, 'out2')])).toEqual([]);
  });

  // Fixed (found by this suite): config errors quote base-url verbatim ("'base-url' lists <url> twice", "must use http or https, got <url>"), credentials included, and main.ts masks only api-key, github-token and HF_TOKEN.
  it('a base-url with credentials in a config error: the password is not quoted', async () => {
    const url = 'http://alice:pw-in-config-5d1e@127.0.0.1:9/v1';
    const r = await runAsActionsRunner(ENTRY, { 'base-url': `${url}\n${url}`, dataset: 'x.csv' });
    expect(r.outputs.verdict).toBe('error');
    expect(r.stdout).toMatch(/::error::.*'base-url'/);
    expect(leaks(r, 'pw-in-config-5d1e', [])).toEqual([]);
  });

  it('HF_TOKEN echoed by the Hub in an error body and header: masked in every message', async () => {
    const token = 'hf_echoed_token_2b9d';
    let server: Server | undefined;
    const url = await new Promise<string>((done) => {
      server = createServer((req, res) => {
        const auth = req.headers.authorization ?? '';
        res
          .writeHead(403, { 'content-type': 'application/json', 'x-error-code': `Denied ${auth}` })
          .end(JSON.stringify({ error: `token ${auth} has no access` }));
      }).listen(0, '127.0.0.1', () =>
        done(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`),
      );
    });
    closers.push(() => new Promise((r) => server!.close(r)));
    const sim = await simulator({});
    const dir = tmp();
    const r = await runAsActionsRunner(
      ENTRY,
      { 'base-url': sim.baseUrl, 'output-dir': join(dir, 'out') },
      { env: { HF_ENDPOINT: url, HF_TOKEN: token, RUNNER_TOOL_CACHE: join(dir, 'cache') } },
    );
    expect(r.outputs.verdict).toBe('error');
    expect(r.stdout).toMatch(/::error::.*videophysics\/videophy2_test/);
    expect(leaks(r, token, [join(dir, 'out')])).toEqual([]);
  });

  it('github-token echoed by the GitHub API in an error body: masked in every message', async () => {
    const token = 'ghs_echoedGithubToken81f0';
    let server: Server | undefined;
    let calls = 0;
    const api = await new Promise<string>((done) => {
      server = createServer((req, res) => {
        calls++;
        const auth = req.headers.authorization ?? '';
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: `internal error for ${auth}` }));
      }).listen(0, '127.0.0.1', () =>
        done(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`),
      );
    });
    closers.push(() => new Promise((r) => server!.close(r)));
    const dir = tmp();
    const { path, key } = hostileDataset(dir, 10);
    const sim = await simulator({ answerKey: key });
    const out = join(dir, 'out');
    const r = await runAsActionsRunner(
      ENTRY,
      { 'base-url': sim.baseUrl, dataset: path, 'output-dir': out, 'github-token': token },
      {
        env: { GITHUB_API_URL: api, GITHUB_REPOSITORY: 'acme/critic' },
        event: JSON.parse(readFileSync('test/fixtures/pull_request_event.json', 'utf8')) as unknown,
      },
    );
    expect(r.outputs.verdict).toBe('no-baseline');
    expect(calls, 'the comment was attempted').toBeGreaterThan(0);
    expect(r.stdout).toContain(`::add-mask::${token}`);
    expect(leaks(r, token, [out])).toEqual([]);
  });
});
