import type { BaselineData } from '../core/baseline.js';
import { readBaseline } from '../baseline/file.js';
import { plain } from '../report/terminal.js';
import { EXIT } from './eval.js';
import { parseCommand, type CommandSpec } from './flags.js';
import { UsageError, closest } from './usage-error.js';

export const BASELINE: CommandSpec = {
  name: 'baseline',
  usage: 'videophy-gate baseline show FILE [--json]',
  summary:
    "What a baseline holds, offline: its settings, metrics, per-video predictions and history. FILE is anything --baseline takes: a baseline file, a summary.json (ours or the recipe's) or a directory of the recipe's {i}.json files.",
  flags: [
    {
      name: 'json',
      type: 'boolean',
      description: 'Print it as JSON (predictions counted, not listed).',
    },
  ],
  positionals: { min: 2, max: 2 },
};

const num = (x: number | null | undefined, digits = 4): string =>
  typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '-';

/** Counts of the per-video predictions: what a paired comparison would have to work with. */
function predictionCounts(b: BaselineData): { videos: number; errors: number; unparsed: number } {
  const p = b.predictions ?? [];
  return {
    videos: p.length,
    errors: p.filter((x) => x.error === true).length,
    unparsed: p.filter((x) => x.error !== true && x.pred_score === null).length,
  };
}

export function describeBaseline(b: BaselineData): string {
  const lines = [
    `baseline ${plain(b.source, 200)} (${b.kind})${b.createdAt ? `, created ${plain(b.createdAt, 40)}` : ''}`,
  ];
  const s = b.settings;
  if (s) {
    lines.push(`model     ${plain(s.model, 120)}`);
    lines.push(
      `dataset   ${plain(s.dataset, 120)} @ ${plain(s.dataset_revision, 60)}${s.dataset_resolved_revision ? ` (${plain(s.dataset_resolved_revision, 60)})` : ''}, split ${plain(s.split, 40)}, columns ${plain(s.video_column, 40)}/${plain(s.score_column, 40)}${s.limit ? `, limit ${s.limit} (subset seed ${s.subset_seed})` : ''}`,
    );
    lines.push(
      `sampling  fps ${s.fps}, total_pixels ${s.total_pixels}, max_tokens ${s.max_tokens}, temperature ${s.temperature}, seed ${s.sampling_seed}${Object.keys(s.extra_body ?? {}).length > 0 ? `, extra_body ${plain(JSON.stringify(s.extra_body), 200)}` : ''}`,
    );
    lines.push(
      `prompt    ${plain(s.prompt_file, 120)} (sha256 ${plain(s.prompt_sha256, 64).slice(0, 12)}), parser ${plain(s.parser, 60)}${b.vllmVersion ? `, vLLM ${plain(b.vllmVersion, 40)}` : ''}`,
    );
  } else {
    lines.push('settings  not recorded (a comparison cannot check that runs were made alike)');
  }
  lines.push(
    `metrics   accuracy ${num(b.accuracy)}, pearson ${num(b.pearson)}, parse rate ${num(b.parseRate)}, ${b.numSamples} parsed`,
  );
  const c = predictionCounts(b);
  lines.push(
    c.videos > 0
      ? `videos    ${c.videos} per-video predictions (${c.errors} failed requests, ${c.unparsed} unparsed): paired comparison possible`
      : 'videos    no per-video predictions: comparisons use the threshold rule only',
  );
  const h = b.history ?? [];
  if (h.length > 0) {
    lines.push('', `history (${h.length} run${h.length > 1 ? 's' : ''}, oldest first):`);
    const rows = [
      ['created', 'model', 'accuracy', 'pearson', 'parsed', 'verdict'],
      ...h.map((e) => [
        plain(e.created_at, 30),
        plain(e.model, 60),
        num(e.accuracy),
        num(e.pearson_correlation),
        String(e.num_samples),
        plain(e.verdict, 20),
      ]),
    ];
    const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
    for (const r of rows)
      lines.push(
        `  ${r
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd()}`,
      );
  }
  return lines.join('\n');
}

/** `videophy-gate baseline show FILE`. */
export function baselineCommand(argv: string[]): number {
  const { values, positionals } = parseCommand(BASELINE, argv);
  const [sub, file = ''] = positionals;
  if (sub !== 'show')
    throw new UsageError(
      `unknown subcommand '${sub}' (${closest(sub ?? '', ['show']) ? 'did you mean show?' : 'the one there is: show'})`,
      BASELINE.name,
    );
  const b = readBaseline(file);
  if (!b) throw new Error(`no baseline at ${file}: the file or directory does not exist`);
  if (values.json === true) {
    console.log(JSON.stringify({ ...b, predictions: predictionCounts(b) }, null, 2));
  } else console.log(describeBaseline(b));
  return EXIT.ok;
}
