import { describe, expect, it } from 'vitest';
import { commentMarker, renderComment, renderReport } from '../../src/report/index.js';
import { expectWellFormed, tokens } from './gfm.js';
import { makeInput, videos, type VideoSpec } from './make-input.js';

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

  it('compares metrics with signed deltas coloured by direction', () => {
    const s = input.summary;
    const b = s.baseline!;
    const acc = md.split('\n').find((l) => l.startsWith('| Accuracy |'))!;
    const d = s.accuracy! - b.accuracy!;
    expect(acc).toBe(
      `| Accuracy | ${b.accuracy!.toFixed(4)} | ${s.accuracy!.toFixed(4)} | ${d < 0 ? '🔴 −' : '🟢 +'}${Math.abs(d).toFixed(4)} | ${d < -0.02 ? '**fail**' : 'ok'} |`,
    );
    expect(md).toMatch(/^\| Pearson \| 0\.\d{4} \| 0\.\d{4} \| [🔴🟢] [−+]0\.\d{4} \| /mu);
    expect(md).toMatch(/^\| Parse rate \| 1\.0000 \| 1\.0000 \| ⚪ ±0\.0000 \| ok \|$/m);
    expect(md).toMatch(/^\| Errors \| 0 \| 0 \(0\.0%\) \| ⚪ ±0 \| {2}\|$/m);
  });

  it('shows fewer errors as green and more as red (lower is better)', () => {
    const specs = videos(40).map((v, i) => ({ ...v, candError: i < 1 }));
    const out = renderComment(makeInput(specs));
    expect(out).toMatch(/^\| Errors \| 0 \| 1 \(2\.5%\) \| 🔴 \+1 \|/m);
  });

  it('has the 5x5 confusion matrix and a two-series Mermaid bar chart of the distributions', () => {
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
    expect(text).toMatch(/^xychart-beta\n/);
    const bars = [...text.matchAll(/^ {4}bar \[([\d, ]+)\]$/gm)].map((m) =>
      m[1]!.split(', ').map(Number),
    );
    expect(bars).toHaveLength(2);
    expect(bars[0]!.filter((_, i) => i % 2 === 0)).toEqual(s.human_distribution);
    expect(bars[1]!.filter((_, i) => i % 2 === 1)).toEqual(s.predicted_distribution);
  });

  it('is well-formed GFM: tables parse, <details> balance, mermaid is a code block', () => {
    const { html, tables } = expectWellFormed(md);
    // metrics, confusion, distribution, 3 breakdowns, 3 change lists, settings
    expect(tables).toHaveLength(10);
    expect(html).toContain('<code class="language-mermaid">');
    expect(html.match(/<details>/g)).toHaveLength(4);
  });

  it('links the workflow run and the artifact and prints the settings fingerprint', () => {
    expect(md).toContain('[workflow run](https://github.com/acme/critic/actions/runs/42)');
    expect(md).toContain(
      '[results artifact](https://github.com/acme/critic/actions/runs/42/artifacts/7)',
    );
    expect(md).toContain('prompt sha256 abababababab');
    expect(md).toContain('fps 16');
    expect(md).toContain('total pixels 6422528');
    expect(md).toContain('temperature 0 · seed 1 · max tokens 2048');
    expect(md).toContain('vLLM 0.11.0');
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
    for (let i = 0; i < 20; i++) {
      const gen = i % 2 === 0 ? 'ray2' : 'cosmos';
      const meta = {
        caption: `Caption ${i}`,
        model_name: gen,
        category: 'Fluids',
        is_hard: i < 10 ? '1' : '0',
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
    expect(ray2).toBe('| 🔻 ray2 | 10 | 1.0000 | 0.0000 | 🔴 −1.0000 | 10 / 0 |');
    const cosmos = md.split('\n').find((l) => l.startsWith('| cosmos |'))!;
    expect(cosmos).toBe('| cosmos | 10 | 0.0000 | 1.0000 | 🟢 +1.0000 | 0 / 10 |');
    expect(md).toContain(
      'Per video against the baseline (20 paired): **10 newly wrong**, 10 newly right.',
    );
    expect(md).toContain('Worse slices: generator ray2 (🔴 −1.0000)');
    expect(md).toContain('**By difficulty** (`is_hard`)');
    expect(md).toMatch(/^\| hard \| 10 \|/m);
  });

  it('lists newly wrong and newly right videos with link, caption, human, baseline and candidate', () => {
    const wrong = tableAfter(md, '**Newly wrong**');
    expect(wrong).toHaveLength(10);
    // The unparsed reply is the farthest miss, so it comes first, with what the model said.
    expect(wrong[0]).toBe(
      '| [▶ 0](https://videos.example/v/0.mp4) | ray2 | Caption 0 | 4 | 4 | unparsed: “I think four-ish” |',
    );
    expect(wrong[1]).toBe(
      '| [▶ 2](https://videos.example/v/2.mp4) | ray2 | Caption 2 | 4 | 4 | 1 |',
    );
    const right = tableAfter(md, '**Newly right**');
    expect(right[0]).toBe(
      '| [▶ 1](https://videos.example/v/1.mp4) | cosmos | Caption 1 | 2 | 5 | 2 |',
    );
    const moves = tableAfter(md, '**Largest score moves**');
    expect(moves).toHaveLength(10);
    expect(moves.every((l) => / \| (5 \| 2|4 \| 1) \|$/.test(l))).toBe(true);
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
    expect(out).toMatch(/^\| Accuracy \| — \| 0\.\d{4} \| — \| {2}\|$/m);
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
    const rows = input.rows.slice(0, 18).map((r, i) => (i === 3 ? { ...r, ground_truth: 1 } : r));
    const out = renderComment({ ...input, rows });
    expect(out).toContain(
      '0 videos of this run are not in the baseline and 2 baseline videos are not in this run; only the 18 in both are compared.',
    );
    expect(out).toContain('⚠️ 1 paired videos have a different human score in the baseline');
  });
});
