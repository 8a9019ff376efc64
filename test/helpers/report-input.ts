import { replyStats } from '../../src/core/replies.js';
import { makeBaselineFile, type BaselineData } from '../../src/core/baseline.js';
import { computeMetrics } from '../../src/core/metrics.js';
import { buildSummary, type RunSettings } from '../../src/core/summary.js';
import type { ResultRow } from '../../src/core/types.js';
import { decideVerdict } from '../../src/verdict/threshold.js';
import type { ReportInput } from '../../src/report/index.js';
import { settings } from './settings.js';

/** The report tests' run: the typical one (helpers/settings.ts), with a full commit and a short prompt hash. */
export const SETTINGS: RunSettings = {
  ...settings,
  dataset_resolved_revision: '0123456789abcdef0123456789abcdef01234567',
  prompt_file: 'prompts/video_reward.yaml',
  prompt_sha256: 'ab'.repeat(32),
  extra_body: {},
};

/** SummaryInput fields the report does not depend on (scoring time, endpoints, resume, shards): one place to extend. */
const LATER_FIELDS = { scoringS: 0, removedEndpoints: [], resumed: 0, shard: null };

const GENERATORS = ['hunyuan_xdit', 'ray2', 'cosmos', 'wan2.1'];
const CATEGORIES = ['Sports and Physical Activities', 'Object Interactions', 'Fluids'];

export interface VideoSpec {
  gt: number;
  base: number | null;
  cand: number | null;
  meta?: Record<string, string>;
  url?: string;
  output?: string;
  candError?: boolean;
}

function resultRow(v: VideoSpec, i: number): ResultRow {
  return {
    video_url: v.url ?? `https://videos.example/v/${i}.mp4`,
    ground_truth: v.gt,
    output_text: v.candError ? null : (v.output ?? (v.cand === null ? 'no score' : String(v.cand))),
    pred_score: v.candError ? null : v.cand,
    index: i,
    latency_ms: 10,
    finish_reason: v.candError ? null : 'stop',
    usage: null,
    error: v.candError ? { kind: 'http_5xx', status: 500, message: 'boom' } : null,
    meta: v.meta ?? {
      caption: `A ball number ${i} rolls down a ramp.`,
      model_name: GENERATORS[i % GENERATORS.length]!,
      category: CATEGORIES[i % CATEGORIES.length]!,
      is_hard: String(i % 2),
    },
  };
}

/** A deterministic list of videos: baseline right on ~half, the candidate flipping some either way. */
export function videos(n: number, seed = 1): VideoSpec[] {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const pick = (gt: number, agree: number): number =>
    rand() < agree ? gt : 1 + Math.floor(rand() * 5);
  return Array.from({ length: n }, () => {
    const gt = 1 + Math.floor(rand() * 5);
    return { gt, base: pick(gt, 0.45), cand: pick(gt, 0.4) };
  });
}

/**
 * A report input built by the real core: metrics, verdict and summary from rows, the baseline file from
 * the baseline's rows (as write-baseline makes it).
 */
export function makeInput(
  specs: readonly VideoSpec[],
  over: { settings?: Partial<RunSettings>; baselineSettings?: Partial<RunSettings> } = {},
): ReportInput & { rows: ResultRow[] } {
  const rows = specs.map(resultRow);
  const baseRows = specs.map((v, i) => ({
    ...resultRow(v, i),
    pred_score: v.base,
    error: null,
  }));
  const settings = { ...SETTINGS, ...over.settings };
  const baseMetrics = computeMetrics(baseRows);
  const now = new Date('2026-01-02T03:04:05Z');
  const baseSummary = buildSummary({
    metrics: baseMetrics,
    replies: replyStats(baseRows),
    verdict: {
      decision: 'threshold',
      ...decideVerdict({
        metrics: baseMetrics,
        baseline: null,
        thresholds: { maxAccuracyDrop: 0.02, maxPearsonDrop: 0.02, maxErrorRate: 0.05 },
        numRows: specs.length,
        numSkipped: 0,
      }),
    },
    numRows: specs.length,
    skipped: [],
    duplicates: [],
    errorsByKind: {},
    complete: true,
    settings: { ...SETTINGS, ...over.baselineSettings },
    server: {
      base_url: 'http://127.0.0.1:8000/v1',
      vllm_version: '0.11.0',
      max_model_len: 16384,
      root: null,
    },
    startedAt: now,
    finishedAt: now,
    ...LATER_FIELDS,
  });
  const file = makeBaselineFile(baseSummary, baseRows, now);
  const baseline: BaselineData = {
    source: '.github/videophy2-baseline.json',
    kind: 'gate-baseline',
    accuracy: baseMetrics.accuracy,
    pearson: baseMetrics.pearson,
    parseRate: baseMetrics.parseRate,
    numSamples: baseMetrics.numSamples,
    createdAt: file.created_at,
    settings: file.summary.settings,
    predictions: file.predictions,
  };
  const metrics = computeMetrics(rows);
  const summary = buildSummary({
    metrics,
    replies: replyStats(rows),
    verdict: {
      decision: 'threshold',
      ...decideVerdict({
        metrics,
        baseline,
        thresholds: { maxAccuracyDrop: 0.02, maxPearsonDrop: 0.02, maxErrorRate: 0.05 },
        numRows: specs.length,
        numSkipped: 0,
      }),
    },
    numRows: specs.length,
    skipped: [],
    duplicates: [],
    errorsByKind: {},
    complete: true,
    settings,
    server: {
      base_url: 'http://127.0.0.1:8000/v1',
      vllm_version: '0.11.0',
      max_model_len: 16384,
      root: null,
    },
    startedAt: new Date('2026-01-02T03:00:00Z'),
    finishedAt: new Date('2026-01-02T03:12:34Z'),
    ...LATER_FIELDS,
    scoringS: 700,
  });
  return {
    summary,
    rows,
    baseline,
    links: {
      runUrl: 'https://github.com/acme/critic/actions/runs/42',
      artifactUrl: 'https://github.com/acme/critic/actions/runs/42/artifacts/7',
    },
    tag: 'videophy-gate',
  };
}
