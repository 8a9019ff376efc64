import { describe, expect, it } from 'vitest';
import { commentMarker } from '../../src/github/comment-marker.js';
import { renderComment, renderReport } from '../../src/report/index.js';
import { normalizeVideoUrl } from '../../src/core/video-url.js';
import { expectWellFormed, tables, tokens, toHtml } from '../helpers/gfm.js';
import { makeInput, videos, type VideoSpec } from '../helpers/report-input.js';

/** Lines of the markdown table that follows a bold heading like "**Newly wrong** (3)". */
function tableAfter(md: string, heading: string): string[] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith(heading));
  expect(start, `heading ${heading}`).toBeGreaterThanOrEqual(0);
  const out: string[] = [];
  for (const l of lines.slice(start + 2)) {
    if (!l.startsWith('|')) break;
    out.push(l);
  }
  return out.slice(2);
}

describe('renderComment', () => {
  const input = makeInput(videos(300));
  const md = renderComment(input);

  it('starts with the hidden marker of its tag', () => {
    expect(md.startsWith(`${commentMarker('videophy-gate')}\n`)).toBe(true);
    expect(renderComment({ ...input, tag: '8b' }).startsWith('<!-- videophy-gate: 8b -->')).toBe(
      true,
    );
  });

  it('leads with the verdict, the model, the dataset at its resolved revision, the size and duration', () => {
    const head = md.split('\n').slice(1, 4).join('\n');
    expect(head).toContain('### ❌ VideoPhy-2 gate: regression');
    expect(head).toContain('**nvidia/Cosmos-Reason2-8B** on videophysics/videophy2\\_test');
    expect(head).toContain('@ main (0123456)');
    expect(head).toContain('300 videos');
    expect(head).toContain('12 min 34 s');
  });

  it('has one verdict table above the fold, its deltas signed, coloured and never wrapped', () => {
    const s = input.summary;
    const b = s.baseline!;
    const acc = md.split('\n').find((l) => l.startsWith('| Accuracy |'))!;
    const d = s.accuracy! - b.accuracy!;
    expect(acc).toBe(
      `| Accuracy | ${b.accuracy!.toFixed(4)} | ${s.accuracy!.toFixed(4)} | ${d < 0 ? '🔴\u00a0−' : '🟢\u00a0+'}${Math.abs(d).toFixed(4)} | — | — | ${d < -0.02 ? '**regression**' : 'pass'} (tolerance 0.020) |`,
    );
    expect(md).toMatch(
      /^\| Pearson \| 0\.\d{4} \| 0\.\d{4} \| [🔴🟢]\u00a0[−+]0\.\d{4} \| — \| — \| /mu,
    );
    expect(md).toMatch(
      /^\| Parse rate \| 1\.0000 \| 1\.0000 \| ⚪\u00a0±0\.0000 \| — \| — \| pass/m,
    );
    // No failed request on either side: no errors row.
    expect(md).not.toMatch(/^\| Failed requests/m);
    // Above the first fold: the verdict line, one table, the per-video line; nothing else.
    const top = md.slice(0, md.indexOf('<details>'));
    expect(tables(top)).toHaveLength(1);
    expect(tables(top)[0]!.header.map((h) => h.text)).toEqual([
      'Metric',
      'Baseline',
      'Candidate',
      'Delta',
      '95% interval',
      'p',
      'Verdict',
    ]);
    expect(top).toMatch(
      /^Per video against the baseline: \*\*\d+ newly wrong\*\*, \d+ newly right\./m,
    );
    // The reasons restate the table's rows: not shown for a regression.
    expect(md).not.toContain('more than the allowed');
  });

  it('shows no number twice: no table repeats another, no video is listed in two change lists', () => {
    const all = tables(md);
    const bodies = all.map((t) => JSON.stringify(t.rows.map((r) => r.map((c) => c.text))));
    expect(new Set(bodies).size).toBe(bodies.length);
    const headers = all.map((t) => t.header.map((h) => h.text).join('|'));
    expect(headers.filter((h) => h.startsWith('Metric|'))).toHaveLength(1);
    // The score counts are in the confusion matrix only (the chart has no table of its own).
    expect(headers.some((h) => h.startsWith('score|'))).toBe(false);
    const links = (heading: string): string[] =>
      tableAfter(md, heading).map((l) => l.split(' | ')[0]!);
    const moved = links('**Largest score moves');
    for (const flip of [...links('**Newly wrong**'), ...links('**Newly right**')])
      expect(moved).not.toContain(flip);
    // The run settings once, folded: the footer has only the links.
    expect(md.match(/total pixels/g)).toHaveLength(1);
  });

  it('shows failed requests in the verdict table, fewer green and more red (lower is better)', () => {
    const specs = videos(40).map((v, i) => ({ ...v, candError: i < 1 }));
    const out = renderComment(makeInput(specs));
    expect(out).toMatch(/^\| Failed requests \| 0 \| 1 \(2\.5%\) \| 🔴\u00a0\+1 \|/m);
  });

  it('has the 5x5 confusion matrix and a chart: human scores as bars, the candidate as a line, named', () => {
    const s = input.summary;
    for (let gt = 1; gt <= 5; gt++) {
      const line = md.split('\n').find((l) => l.startsWith(`| **${gt}** |`))!;
      const cells = line
        .split('|')
        .slice(2, 7)
        .map((c) => c.trim().replace(/\*/g, ''));
      expect(cells.map(Number)).toEqual(s.confusion_matrix[gt - 1]);
    }
    const mermaid = tokens(md).find((t) => t.type === 'code' && t.lang === 'mermaid');
    expect(mermaid).toBeDefined();
    const text = (mermaid as { text: string }).text;
    // Frontmatter config (a palette the light theme does not wash out), then the chart.
    expect(text).toMatch(/^---\nconfig:\n[\s\S]*plotColorPalette: "[^"]+"\n---\nxychart-beta\n/);
    const series = [...text.matchAll(/^ {4}(bar|line) "(\w+)" \[([\d, ]+)\]$/gm)].map((m) => [
      m[1],
      m[2],
      m[3]!.split(', ').map(Number),
    ]);
    expect(series).toEqual([
      ['bar', 'human', s.human_distribution],
      ['line', 'candidate', s.predicted_distribution],
    ]);
  });

  it('is well-formed GFM: tables parse, <details> balance, mermaid is a code block', () => {
    const { html, tables } = expectWellFormed(md);
    // verdict, confusion, 3 breakdowns, 3 change lists, settings
    expect(tables).toHaveLength(9);
    expect(html).toContain('<code class="language-mermaid">');
    expect(html.match(/<details>/g)).toHaveLength(4);
    expect(md).not.toMatch(/[\u200b-\u200d\u2060\ufeff]/);
  });

  it('links the workflow run and the artifact, and folds the settings fingerprint', () => {
    expect(md.trimEnd().split('\n').at(-1)).toBe(
      '<sub>[workflow run](https://github.com/acme/critic/actions/runs/42) · [results artifact](https://github.com/acme/critic/actions/runs/42/artifacts/7)</sub>',
    );
    const settings = md.slice(md.indexOf('<summary>Run settings</summary>'));
    expect(settings).toContain('| prompt sha256 | abababababab |');
    expect(settings).toContain('| frames | fps 16, total pixels 6422528 |');
    expect(settings).toContain('| sampling | max tokens 2048, temperature 0, seed 1 |');
    expect(settings).toContain('| vLLM | 0.11.0, max_model_len 16,384 |');
  });

  it('links each video by the URL sent to the server: a # in a file name is %23, not a fragment', () => {
    const specs = videos(30).map((v, i) => ({
      ...v,
      base: v.gt,
      cand: i < 3 ? (v.gt % 5) + 1 : v.gt,
      url: `https://s3.example/wan/Two_balls_#${i}..mp4`,
    }));
    const html = toHtml(renderComment(makeInput(specs)));
    const hrefs = [...html.matchAll(/href="(https:\/\/s3[^"]*)"/g)].map((m) => m[1]);
    expect(hrefs).toEqual(
      [0, 1, 2].map((i) => normalizeVideoUrl(`https://s3.example/wan/Two_balls_#${i}..mp4`)),
    );
    expect(hrefs[0]).toBe('https://s3.example/wan/Two_balls_%230..mp4');
    expect(new URL(hrefs[0]!).hash).toBe('');
  });

  it("keeps the dataset revision whole in the header line (a local file's sha256 shortened)", () => {
    const out = renderComment(
      makeInput(videos(20), {
        settings: {
          dataset: 'videophy2-sample.csv',
          dataset_revision: 'local',
          dataset_resolved_revision: `sha256:${'4be2b98f'.repeat(8)}`,
        },
      }),
    );
    expect(out).toContain(
      'on videophy2-sample.csv @ local (sha256:4be2b98f4be2), split test · 20 videos',
    );
  });

  it('notes a shard, resumed videos and endpoints removed during the run', () => {
    const out = renderComment({
      ...input,
      summary: {
        ...input.summary,
        shard: '2/4',
        resumed: 120,
        removed_endpoints: [{ name: 'gpu-3', reason: 'connection refused <b>' }],
      },
    });
    expect(out).toContain('12 min 34 s · shard 2/4 · 120 resumed from an earlier run');
    expect(out).toContain('| endpoints removed | gpu-3 (connection refused &lt;b&gt;) |');
  });

  it('the job-summary report has the same sections with longer lists', () => {
    const report = renderReport(input);
    expectWellFormed(report);
    expect(tableAfter(report, '**Newly wrong**').length).toBeGreaterThan(
      tableAfter(md, '**Newly wrong**').length,
    );
    expect(tableAfter(md, '**Newly wrong**')).toHaveLength(10);
    for (const section of [
      'Confusion matrix',
      'Accuracy by generator',
      'Videos that changed',
      'Run settings',
    ]) {
      expect(report).toContain(section);
    }
  });
});

describe('per-video comparison', () => {
  /** ray2 videos go from right to wrong; cosmos videos from wrong to right; one reply stops parsing. */
  function scenario(): VideoSpec[] {
    const out: VideoSpec[] = [];
    for (let i = 0; i < 40; i++) {
      const gen = i % 2 === 0 ? 'ray2' : 'cosmos';
      const meta = {
        caption: `Caption ${i}`,
        model_name: gen,
        category: 'Fluids',
        is_hard: i < 20 ? '1' : '0',
      };
      if (gen === 'ray2')
        out.push({
          gt: 4,
          base: 4,
          cand: i === 0 ? null : 1,
          meta,
          output: i === 0 ? 'I think four-ish' : undefined,
        });
      else out.push({ gt: 2, base: 5, cand: 2, meta });
    }
    return out;
  }
  const md = renderComment(makeInput(scenario()));

  it('marks the slices that got worse, by generator, and names them at the top', () => {
    const ray2 = md.split('\n').find((l) => l.includes('| 🔻 ray2 |'))!;
    expect(ray2).toBe('| 🔻 ray2 | 20 | 1.0000 | 0.0000 | 🔴\u00a0−1.0000 | 20 / 0 |');
    const cosmos = md.split('\n').find((l) => l.startsWith('| cosmos |'))!;
    expect(cosmos).toBe('| cosmos | 20 | 0.0000 | 1.0000 | 🟢\u00a0+1.0000 | 0 / 20 |');
    expect(md).toContain('Per video against the baseline: **20 newly wrong**, 20 newly right.');
    expect(md).toContain('Worse slices: generator ray2 (🔴\u00a0−1.0000)');
    expect(md).toContain('**By difficulty** (`is_hard`)');
    expect(md).toMatch(/^\| hard \| 20 \|/m);
  });

  it('shows slices under 20 videos but never ranks them as worse', () => {
    const specs = scenario().map((v, i) =>
      i % 2 === 0 && i < 10 ? { ...v, meta: { ...v.meta, model_name: 'sora' } } : v,
    );
    const out = renderComment(makeInput(specs));
    // sora: 5 videos, all newly wrong; ray2 keeps 15 (also under 20): neither is ranked.
    expect(out).toContain('| sora (small) | 5 | 1.0000 | 0.0000 | 🔴\u00a0−1.0000 | 5 / 0 |');
    expect(out).toContain('Slices of fewer than 20 videos are marked (small)');
    expect(out).not.toMatch(/Worse slices:.*sora/);
    expect(out).not.toMatch(/🔻 sora/);
  });

  it('lists newly wrong and newly right videos with link, caption, human, baseline and candidate', () => {
    const wrong = tableAfter(md, '**Newly wrong**');
    expect(wrong).toHaveLength(10);
    // The unparsed reply is the farthest miss, so it comes first, with what the model said.
    expect(wrong[0]).toBe(
      '| [▶\u00a00](https://videos.example/v/0.mp4) | ray2 | Caption 0 | 4 | 4 | unparsed: “I think four-ish” |',
    );
    expect(wrong[1]).toBe(
      '| [▶\u00a02](https://videos.example/v/2.mp4) | ray2 | Caption 2 | 4 | 4 | 1 |',
    );
    const right = tableAfter(md, '**Newly right**');
    expect(right[0]).toBe(
      '| [▶\u00a01](https://videos.example/v/1.mp4) | cosmos | Caption 1 | 2 | 5 | 2 |',
    );
    // Every change here is a flip: no video is wrong both times with another score.
    expect(md).toContain('**Largest score moves among videos wrong both times**: none.');
  });

  it('says so when the baseline has no per-video predictions', () => {
    const input = makeInput(scenario());
    const out = renderComment({
      ...input,
      baseline: { ...input.baseline!, predictions: undefined },
    });
    expect(out).toContain('The baseline has no per-video predictions');
    expect(out).not.toContain('Videos that changed');
    expect(out).not.toContain('Accuracy by generator');
    expectWellFormed(out);
  });

  it('renders without any baseline (verdict no-baseline)', () => {
    const input = makeInput(scenario());
    const out = renderComment({
      ...input,
      baseline: null,
      summary: {
        ...input.summary,
        baseline: null,
        checks: [],
        verdict: 'no-baseline',
        reasons: ['no baseline to compare with'],
      },
    });
    expect(out).toContain('### ℹ️ VideoPhy-2 gate: no baseline');
    expect(out).toMatch(/^\| Accuracy \| — \| 0\.\d{4} \| — \| — \| — \| {2}\|$/m);
    expect(out).toContain('- no baseline to compare with');
    expect(out).toContain('| baseline | none |');
    expectWellFormed(out);
  });

  it('warns when the baseline was made with different settings', () => {
    const out = renderComment(
      makeInput(scenario(), { settings: { fps: 8 }, baselineSettings: { temperature: 0.7 } }),
    );
    expect(out).toContain('⚠️ Not like for like: the baseline differs in 2 settings');
    expect(out).toContain('- `fps` 16 → 8');
    expect(out).toContain('- `temperature` 0.7 → 0');
  });

  it('counts videos that are only on one side and flags changed human scores', () => {
    const input = makeInput(scenario());
    const rows = input.rows.slice(0, 38).map((r, i) => (i === 3 ? { ...r, ground_truth: 1 } : r));
    const out = renderComment({ ...input, rows });
    expect(out).toContain(
      '0 videos of this run are not in the baseline and 2 baseline videos are not in this run; only the 38 in both are compared.',
    );
    expect(out).toContain('⚠️ 1 paired videos have a different human score in the baseline');
  });
});
