import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeMetrics } from '../../src/core/metrics.js';
import { parseRecipeDir, recipeFiles } from '../../src/core/recipe-layout.js';
import type { ResultRow } from '../../src/core/types.js';
import { readBaseline } from '../../src/baseline/file.js';
import { exportRecipe } from '../../src/io/recipe-export.js';
import { python } from '../helpers/python.js';
import { syntheticPairs } from '../helpers/rows.js';

const root = mkdtempSync(join(tmpdir(), 'recipe-layout-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Rows of a run: most parsed, some unparsed, some failed (no file), captions with unicode and quotes. */
function runRows(n: number): ResultRow[] {
  return syntheticPairs(n, 5, 0.4).map(([gt, pred], index) => {
    const failed = index % 17 === 3;
    const unparsed = index % 11 === 5;
    return {
      video_url: `https://v.test/cosmos/A_ball’s_bounce_"${index}"—#x.mp4`,
      ground_truth: gt,
      output_text: failed ? null : unparsed ? 'The motion looks odd.\nNo score.' : `${pred}`,
      pred_score: failed || unparsed ? null : pred,
      index,
      latency_ms: 1,
      finish_reason: failed ? null : 'stop',
      usage: null,
      error: failed ? { kind: 'http_5xx', status: 500, message: 'boom' } : null,
    };
  });
}

// What the recipe writes (json.dump(entry, f, indent=2)) and reads (compute_metrics.py), in Python.
const RECIPE_WRITE = `
import json, sys
out = []
for r in json.load(sys.stdin):
    score = None if r["pred_score"] is None else float(r["pred_score"])
    entry = {"video_url": r["video_url"], "ground_truth": r["ground_truth"], "output_text": r["output_text"], "pred_score": score}
    out.append(json.dumps(entry, indent=2))
print(json.dumps(out))
`;
const RECIPE_METRICS = `
import glob, json, os, sys
import numpy as np
d = json.load(sys.stdin)
gt, pred = [], []
for f in sorted(glob.glob(os.path.join(d, "*.json"))):
    if os.path.basename(f) == "summary.json":
        continue
    data = json.load(open(f))
    if data.get("ground_truth") is None or data.get("pred_score") is None:
        continue
    gt.append(float(data["ground_truth"])); pred.append(float(data["pred_score"]))
g, p = np.array(gt), np.array(pred)
print(json.dumps({"accuracy": float(np.mean(g.astype(int) == p.astype(int))), "pearson": float(np.corrcoef(g, p)[0, 1]), "n": len(g)}))
`;

describe('the recipe layout', () => {
  const rows = runRows(400);

  it('writes each answered video byte for byte as the recipe json.dump writes it; failures get no file', () => {
    const files = recipeFiles(rows);
    const answered = rows.filter((r) => r.error === null);
    expect(files.map((f) => f.name)).toEqual(answered.map((r) => `${r.index + 1}.json`));
    const expected = python<string[]>(
      RECIPE_WRITE,
      answered.map((r) => ({ ...r, output_text: r.output_text ?? '' })),
    );
    expect(files.map((f) => f.text)).toEqual(expected);
    expect(files[0]?.text).toContain('\\u2019'); // ensure_ascii, as Python writes it
  });

  it("the recipe's compute_metrics reads our export and prints our numbers", () => {
    const out = join(root, 'export');
    const results = join(root, 'run');
    writeFileSync(
      join(mkdirp(results), 'results.jsonl'),
      rows.map((r) => JSON.stringify(r)).join('\n') + '\n',
    );
    const written = exportRecipe(results, out);
    expect(written.files + written.skipped).toBe(rows.length);
    writeFileSync(join(out, 'summary.json'), '{"accuracy": 0}'); // compute_metrics writes it there; ignored
    const ref = python<{ accuracy: number; pearson: number; n: number }>(RECIPE_METRICS, out);
    const m = computeMetrics(rows);
    expect(ref.n).toBe(m.numSamples);
    expect(ref.accuracy).toBe(m.accuracy);
    expect(Math.abs(ref.pearson - (m.pearson ?? NaN))).toBeLessThan(1e-12);
    // The same directory is a paired baseline: per-video predictions, the recipe's metrics.
    const baseline = readBaseline(out);
    expect(baseline).toMatchObject({
      kind: 'recipe-results',
      numSamples: m.numSamples,
      accuracy: m.accuracy,
    });
    expect(baseline?.predictions).toHaveLength(written.files);
    const byUrl = new Map(rows.map((r) => [r.video_url, r]));
    for (const p of baseline?.predictions ?? [])
      expect(p.pred_score).toBe(byUrl.get(p.video_url)?.pred_score);
  });

  it('never writes into a directory that holds files', () => {
    const out = mkdirp(join(root, 'busy'));
    writeFileSync(join(out, 'mine.txt'), 'keep');
    expect(() => exportRecipe(join(root, 'run'), out)).toThrow(/busy is not empty/);
    expect(readdirSync(out)).toEqual(['mine.txt']);
    expect(readFileSync(join(out, 'mine.txt'), 'utf8')).toBe('keep');
  });

  it.each([
    [[], /holds no recipe result files/],
    [
      [{ name: '1.json', text: '{"video_url": "u", "ground_truth": 3, "pred_score": 4.0' }],
      /dir\/1\.json is not valid JSON/,
    ],
    [
      [{ name: '1.json', text: '{"ground_truth": 3, "pred_score": 4}' }],
      /dir\/1\.json: expected an object with a string 'video_url'/,
    ],
    [
      [{ name: '2.json', text: '{"video_url": "u", "ground_truth": 3, "pred_score": 4.5}' }],
      /dir\/2\.json: 'pred_score' must be null or a score 1-5, got 4\.5/,
    ],
    [
      [
        { name: '1.json', text: '{"video_url": "u", "ground_truth": 3, "pred_score": 4}' },
        { name: '2.json', text: '{"video_url": "u", "ground_truth": 3, "pred_score": 2}' },
      ],
      /dir\/2\.json: same video_url as 1\.json/,
    ],
  ])('a bad recipe directory is refused with the file named (%#)', (files, message) => {
    expect(() => parseRecipeDir('dir', files)).toThrow(message);
  });
});

function mkdirp(dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}
