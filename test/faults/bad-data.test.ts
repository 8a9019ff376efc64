/**
 * Bad input files: datasets (missing columns, invalid scores, duplicates, empty, a 100 MB line, invalid
 * UTF-8, BOM, CRLF), prompt files with the wrong types, baselines that are truncated, from a newer
 * version or for another dataset. Each must end in a message that names the file, the row or key, and
 * what was expected; files refused as a whole are refused before any request reaches the server.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeVideoUrl } from '../../src/core/video-url.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { syntheticRows, toCsv } from '../../scripts/synthetic.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { gateWith, writeDataset } from '../helpers/gate.js';
import { useTmp } from '../helpers/tmp.js';
import { expectAccounted, noUnhandledRejections } from '../helpers/accounting.js';

const tmp = useTmp();
noUnhandledRejections();

let sim: Simulator | undefined;
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await sim?.close({ force: true });
  proxy = undefined;
  sim = undefined;
});

/** The simulator (answering every URL) behind a proxy that counts every request. */
async function server(key?: Map<string, number>): Promise<FaultProxy> {
  sim = await startSimulator({ answerKey: key });
  proxy = await startFaultProxy({ upstream: sim.url });
  return proxy;
}

const rowsOf = (n: number, seed = 2) => syntheticRows(n, seed);
const urlsOf = (rows: Record<string, string>[]) =>
  rows.map((r) => normalizeVideoUrl(r.video_url ?? ''));

/** Runs the gate on `dataset` with inputs; returns the outcome or the error it threw. */
async function gateOn(dataset: string, inputs: Record<string, string> = {}) {
  const p = proxy ?? (await server());
  const dir = tmp();
  try {
    const r = await gateWith({
      'base-url': p.baseUrl,
      dataset,
      'output-dir': join(dir, 'out'),
      ...inputs,
    });
    return { ...r, error: undefined };
  } catch (e) {
    return { outcome: undefined, log: undefined, error: e as Error };
  }
}

describe('datasets', () => {
  it('a missing score column: names the file, the column, the columns found, and the inputs to set', async () => {
    const dir = tmp();
    const file = join(dir, 'no-pc.csv');
    writeFileSync(file, 'caption,video_url,score\na,https://v.example/a.mp4,3\n');
    const p = await server();
    const { error } = await gateOn(file);
    expect(error?.message).toBe(
      `dataset ${file} has no column 'pc' (columns: 'caption', 'video_url', 'score'); set video-column / score-column`,
    );
    expect(p.chatRequests).toBe(0);
  });

  it('a video-column that is not there: named with the columns found', async () => {
    const dir = tmp();
    const { path } = writeDataset(dir, 5);
    const { error } = await gateOn(path, { 'video-column': 'url' });
    expect(error?.message).toMatch(
      new RegExp(
        `dataset ${path} has no column 'url' \\(columns: 'caption', 'video_url', 'sa', 'pc'`,
      ),
    );
  });

  it('scores 0, 6, "3.5" and empty: those rows skipped with their numbers and reasons, the rest scored', async () => {
    const dir = tmp();
    const rows = rowsOf(100);
    const bad: Record<number, string> = { 3: '0', 17: '6', 40: '3.5', 77: '' };
    for (const [i, v] of Object.entries(bad)) rows[Number(i)]!.pc = v;
    const file = join(dir, 'scores.csv');
    writeFileSync(file, toCsv(rows));
    await server(new Map(rows.map((r) => [r.video_url ?? '', Number(r.pc)])));
    const { outcome, log, error } = await gateOn(file);
    expect(error).toBeUndefined();
    const warning = log!.lines.find((l) => l.startsWith('warning: dataset'));
    expect(warning).toBe(
      `warning: dataset ${file}: skipped 4 invalid rows 4, 18, 41, 78 (score "0" is not an integer 1-5 in column 'pc'; score "6" is not an integer 1-5 in column 'pc'; score "3.5" is not an integer 1-5 in column 'pc'; empty score in column 'pc')`,
    );
    expect(outcome!.summary.skipped_rows.map((s) => s.row)).toEqual([4, 18, 41, 78]);
    expect(outcome!.summary.verdict).not.toBe('error');
    const good = urlsOf(rows.filter((_, i) => !(i in bad)));
    expect(expectAccounted(outcome!, good).rows).toHaveLength(96);
  });

  it('more invalid rows than max-error-rate: verdict error saying how many and the limit', async () => {
    const dir = tmp();
    const rows = rowsOf(60);
    for (let i = 0; i < 6; i++) rows[i * 7]!.pc = 'n/a';
    const file = join(dir, 'many-bad.csv');
    writeFileSync(file, toCsv(rows));
    const { outcome } = await gateOn(file);
    expect(outcome!.summary.verdict).toBe('error');
    expect(outcome!.summary.reasons).toContain(
      '6 of 60 dataset rows were invalid and skipped (10.0% > max-error-rate 5.0%)',
    );
  });

  it('duplicate video URLs: each video scored once, the copies named by row', async () => {
    const dir = tmp();
    const rows = rowsOf(40);
    rows.push({ ...rows[2]! }, { ...rows[9]!, pc: '1' });
    const file = join(dir, 'dups.csv');
    writeFileSync(file, toCsv(rows));
    const { outcome, log } = await gateOn(file);
    expect(log!.text()).toContain(
      `warning: dataset ${file}: skipped 2 duplicate rows 41, 42 (same video URL as an earlier row)`,
    );
    expect(outcome!.summary.num_duplicate_rows).toBe(2);
    expect(expectAccounted(outcome!, urlsOf(rows)).rows).toHaveLength(40);
  });

  for (const [name, text] of [
    ['an empty file', ''],
    ['a header only', 'caption,video_url,pc\r\n'],
    ['blank lines only', '\n\n\r\n'],
  ] as const) {
    it(`${name}: "has no rows", naming the file; no request`, async () => {
      const file = join(tmp(), 'empty.csv');
      writeFileSync(file, text);
      const p = await server();
      const { error } = await gateOn(file);
      expect(error?.message).toBe(`dataset ${file} (${file}) has no rows`);
      expect(p.chatRequests).toBe(0);
    });
  }

  it('an empty JSONL file and a JSONL line that is not an object: named by file and line', async () => {
    const dir = tmp();
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    expect((await gateOn(empty)).error?.message).toMatch(/has no rows/);
    const list = join(dir, 'list.jsonl');
    writeFileSync(list, '{"video_url":"https://v.example/a.mp4","pc":3}\n[1,2]\n');
    expect((await gateOn(list)).error?.message).toBe(
      `${list}:2: expected one JSON object per line, found an array`,
    );
  });

  it('a row with more fields than the header: names the row, the line and the count expected', async () => {
    const file = join(tmp(), 'ragged.csv');
    writeFileSync(
      file,
      'caption,video_url,pc\na,https://v.example/a.mp4,3\nb,https://v.example/b.mp4,4,extra\n',
    );
    expect((await gateOn(file)).error?.message).toBe(
      `${file}: data row 2 (line 3) has 4 fields, expected 3 (the header's count)`,
    );
  });

  it('invalid UTF-8: names the file, the byte offset, the line and the bytes', async () => {
    const file = join(tmp(), 'latin1.csv');
    const head = Buffer.from('caption,video_url,pc\na,https://v.example/a.mp4,3\n');
    writeFileSync(
      file,
      Buffer.concat([
        head,
        Buffer.from([0x63, 0x61, 0x66, 0xe9]),
        Buffer.from(',https://v.example/b.mp4,4\n'),
      ]),
    );
    const p = await server();
    const { error } = await gateOn(file);
    expect(error?.message).toBe(
      `${file}: invalid UTF-8 at byte offset ${head.length + 3} (line 3, bytes e9 2c 68 74); save the file as UTF-8`,
    );
    expect(p.chatRequests).toBe(0);
  });

  it('a BOM before the first column (CSV and JSONL): the column is found, every row scored', async () => {
    const dir = tmp();
    const rows = rowsOf(20);
    const csv = join(dir, 'bom.csv');
    writeFileSync(
      csv,
      `\uFEFFvideo_url,pc\r\n${rows.map((r) => `"${r.video_url}",${r.pc}`).join('\r\n')}\r\n`,
    );
    const jsonl = join(dir, 'bom.jsonl');
    writeFileSync(
      jsonl,
      `\uFEFF${rows.map((r) => JSON.stringify({ video_url: r.video_url, pc: Number(r.pc) })).join('\n')}\n`,
    );
    for (const file of [csv, jsonl]) {
      const { outcome, error } = await gateOn(file);
      expect(error).toBeUndefined();
      expect(expectAccounted(outcome!, urlsOf(rows)).rows).toHaveLength(20);
    }
  });

  it('CRLF line ends with the URL as the last column: no carriage return reaches a URL', async () => {
    const dir = tmp();
    const rows = rowsOf(20);
    const csv = join(dir, 'crlf.csv');
    writeFileSync(
      csv,
      `pc,video_url\r\n${rows.map((r) => `${r.pc},"${r.video_url}"`).join('\r\n')}\r\n`,
    );
    const jsonl = join(dir, 'crlf.jsonl');
    writeFileSync(
      jsonl,
      `${rows.map((r) => JSON.stringify({ pc: r.pc, video_url: r.video_url })).join('\r\n')}\r\n`,
    );
    for (const file of [csv, jsonl]) {
      const { outcome } = await gateOn(file);
      const { rows: out } = expectAccounted(outcome!, urlsOf(rows));
      expect(out).toHaveLength(20);
      expect(out.some((r) => /\r/.test(r.video_url))).toBe(false);
      expect(outcome!.summary.num_skipped_rows).toBe(0);
    }
  });

  // Fixed (found by this suite): a 100 MB dataset line is read whole and its caption copied into results.jsonl (100 MB) with no warning; no size limit names the file and line.
  it('a 100 MB line: refused or cut with a message naming the file and the line, not copied into results.jsonl', async () => {
    const dir = tmp();
    const file = join(dir, 'huge-line.jsonl');
    const rows = rowsOf(30);
    const fd = openSync(file, 'w');
    const mb = 'A'.repeat(2 ** 20);
    writeSync(fd, '{"caption":"');
    for (let i = 0; i < 100; i++) writeSync(fd, mb);
    writeSync(fd, '","video_url":"https://v.example/huge.mp4","pc":3}\n');
    for (const r of rows)
      writeSync(
        fd,
        `${JSON.stringify({ caption: 'x', video_url: r.video_url, pc: Number(r.pc) })}\n`,
      );
    closeSync(fd);
    const p = await server();
    // In a child process (the bundled CLI): the test worker does not hold the 100 MB strings.
    const out = join(dir, 'out');
    const child = spawn(process.execPath, [
      'dist/cli/index.js',
      'eval',
      '--base-url',
      p.baseUrl,
      '--dataset',
      file,
      '--output-dir',
      out,
    ]);
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).not.toBeNull();
    expect(text).toMatch(new RegExp(`${file}.*(line|row) 1\\b.*(too (large|long)|limit|MB)`));
    expect(statSync(join(out, 'results.jsonl')).size).toBeLessThan(10 * 2 ** 20);
  }, 60_000);
});

describe('prompt files with the wrong types', () => {
  const cases: [string, string, string][] = [
    [
      'user_prompt a list',
      'system_prompt: hi\nuser_prompt: [a, b]\n',
      `'user_prompt' must be a string, got a list`,
    ],
    [
      'system_prompt a number',
      'system_prompt: 42\nuser_prompt: rate it\n',
      `'system_prompt' must be a string, got number`,
    ],
    [
      'user_prompt a mapping',
      'user_prompt: {a: 1}\n',
      `'user_prompt' must be a string, got object`,
    ],
    ['no user_prompt', 'system_prompt: hi\n', `missing key 'user_prompt' (expected a string)`],
    [
      'a list, not a mapping',
      '- system_prompt\n- user_prompt\n',
      'expected a mapping with system_prompt and user_prompt',
    ],
    ['not YAML', 'user_prompt: "unclosed\n', 'invalid YAML'],
  ];
  for (const [name, yaml, expected] of cases) {
    it(`${name}: names the file and the key; no request`, async () => {
      const dir = tmp();
      const prompt = join(dir, 'prompt.yaml');
      writeFileSync(prompt, yaml);
      const { path } = writeDataset(dir, 5);
      const p = await server();
      const { error } = await gateOn(path, { 'prompt-file': prompt });
      expect(error?.message).toContain(`prompt file ${prompt}: ${expected}`);
      expect(p.requests).toBe(0);
    });
  }
});

describe('baselines', () => {
  /** A real baseline file, made by a clean run on `n` videos of `seed`. */
  async function makeBaseline(dir: string, n = 30, seed = 4) {
    const { path, key } = writeDataset(dir, n, seed);
    const base = join(dir, 'baseline.json');
    await server(key);
    const { outcome } = await gateWith({
      'base-url': proxy!.baseUrl,
      dataset: path,
      'write-baseline': base,
      'output-dir': join(dir, 'made'),
    });
    expect(outcome.baselineWritten).toBe(base);
    return { dataset: path, base, key, text: readFileSync(base, 'utf8') };
  }

  /** Rewrites the baseline JSON with `edit`; returns the path of the edited copy. */
  function edited(dir: string, text: string, edit: (doc: Record<string, unknown>) => void): string {
    const doc = JSON.parse(text) as Record<string, unknown>;
    edit(doc);
    const path = join(dir, 'edited-baseline.json');
    writeFileSync(path, JSON.stringify(doc));
    return path;
  }

  it('truncated: "not valid JSON", naming the file; no request', async () => {
    const dir = tmp();
    const { dataset, text } = await makeBaseline(dir);
    const cut = join(dir, 'cut.json');
    writeFileSync(cut, text.slice(0, Math.floor(text.length / 2)));
    const before = proxy!.requests;
    const { error } = await gateOn(dataset, { baseline: cut });
    expect(error?.message).toMatch(new RegExp(`^baseline ${cut} is not valid JSON: `));
    expect(proxy!.requests).toBe(before);
  });

  it('a newer schema version: says which version it is and which this action reads', async () => {
    const dir = tmp();
    const { dataset, text } = await makeBaseline(dir);
    const v2 = edited(dir, text, (d) => (d.version = 2));
    const { error } = await gateOn(dataset, { baseline: v2 });
    expect(error?.message).toBe(
      `baseline ${v2} has version 2; this videophy-gate reads version 1 (upgrade the action or regenerate the baseline)`,
    );
  });

  it('wrong types inside: names the key and what was expected', async () => {
    const dir = tmp();
    const { dataset, text } = await makeBaseline(dir);
    const str = edited(dir, text, (d) => ((d.summary as Record<string, unknown>).accuracy = '0.5'));
    expect((await gateOn(dataset, { baseline: str })).error?.message).toBe(
      `baseline ${str}: 'summary.accuracy' must be a number, got "0.5"`,
    );
    const noUrl = edited(
      dir,
      text,
      (d) => delete (d.predictions as Record<string, unknown>[])[3]!.video_url,
    );
    expect((await gateOn(dataset, { baseline: noUrl })).error?.message).toBe(
      `baseline ${noUrl}: predictions[3] must have a string 'video_url' and a number 'ground_truth'`,
    );
  });

  it('a recipe summary.json with NaN: not valid JSON, with the hint to write null', async () => {
    const dir = tmp();
    const { path } = writeDataset(dir, 5);
    const nan = join(dir, 'summary.json');
    writeFileSync(nan, '{"accuracy": 0.4, "pearson_correlation": NaN, "num_samples": 10}');
    expect((await gateOn(path, { baseline: nan })).error?.message).toMatch(
      /is not valid JSON: .*contains NaN.*replace it with null/,
    );
  });

  it('made on another dataset (settings.dataset differs): refused before scoring, naming the key and both values', async () => {
    const dir = tmp();
    await makeBaseline(dir);
    const other = tmp();
    const { path: otherDataset } = writeDataset(other, 30, 99);
    const before = proxy!.chatRequests;
    const { outcome, error } = await gateOn(otherDataset, { baseline: join(dir, 'baseline.json') });
    expect(outcome?.summary.verdict).toBeUndefined();
    expect(error?.message).toContain(join(dir, 'baseline.json'));
    expect(error?.message).toMatch(/- dataset(_revision)?: baseline \S+, candidate \S+/);
    expect(proxy!.chatRequests).toBe(before);
  });

  it('the same dataset path with other human scores (file edited in place): never a pass', async () => {
    const dir = tmp();
    const { dataset, base } = await makeBaseline(dir);
    const rows = readFileSync(dataset, 'utf8');
    // Every score shifted by one: another ground truth under the same file name.
    writeFileSync(
      dataset,
      rows.replace(
        /,([1-5]),(\d),/g,
        (m, pc: string, j: string) => `,${(Number(pc) % 5) + 1},${j},`,
      ),
    );
    const { outcome, error } = await gateOn(dataset, { baseline: base });
    expect(error ?? outcome?.summary.verdict).not.toBe('pass');
    if (outcome) expect(outcome.summary.verdict).toBe('error');
  });

  // Fixed (found by this suite): with decision threshold, baseline predictions whose ground truths disagree with the dataset (same recorded settings) are compared silently: verdict pass.
  it('decision threshold, the baseline’s ground truths disagree with the dataset: refused, not compared', async () => {
    const dir = tmp();
    const { dataset, text } = await makeBaseline(dir);
    // The baseline claims other human scores for the same videos, settings untouched.
    const lying = edited(dir, text, (d) => {
      for (const p of d.predictions as { ground_truth: number }[])
        p.ground_truth = (p.ground_truth % 5) + 1;
    });
    const { outcome, error } = await gateOn(dataset, { baseline: lying, decision: 'threshold' });
    expect(error?.message ?? outcome?.summary.reasons.join(' ')).toMatch(
      /ground truth|human score|different data/,
    );
    expect(outcome?.summary.verdict ?? 'error').toBe('error');
  });
});
