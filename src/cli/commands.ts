import { gateFlags } from './args.js';
import { BASELINE } from './baseline-show.js';
import { COMPARE } from './compare.js';
import { EXPORT_RECIPE } from './export-recipe.js';
import type { CommandSpec } from './flags.js';
import { SIMULATE_FLAGS } from './simulate-help.js';

const EXIT_STATUS =
  'Exit status: 0 pass, improvement, inconclusive or no-baseline; 1 regression (with --fail-on-regression true, the default); 2 error or a mistyped command; 130 interrupted by Ctrl-C, 143 by SIGTERM (rerun the same command to resume).';

export const EVAL: CommandSpec = {
  name: 'eval',
  usage: 'videophy-gate eval (--base-url URL | --checkpoint PATH) [flags]',
  summary:
    "Score a vLLM-served video critic on VideoPhy-2 and compare it with a baseline: the action's run, with every input as a flag of the same name.",
  about: [
    'The terminal gets a compact report ending in one line, `verdict: <verdict> (exit <status>)`; the PR',
    "comment's markdown goes to report.md next to summary.json in --output-dir.",
  ],
  flags: gateFlags('eval'),
  footer: [
    EXIT_STATUS,
    'Environment: HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE (Hub datasets), NO_COLOR.',
  ],
};

export const SWEEP: CommandSpec = {
  name: 'sweep',
  usage: 'videophy-gate sweep CHECKPOINT|PATTERN... [--select-by accuracy|pearson] [flags]',
  summary:
    "A checkpoint sweep (the action's checkpoints input): each checkpoint served, scored and stopped in turn, results in --output-dir/<name>; the best by --select-by is compared with the baseline, and the report shows which checkpoints the paired tests cannot tell from it.",
  about: [
    'Quote a glob pattern so the shell leaves it to the sweep (matches are sorted by step number). A rerun',
    'skips finished checkpoints and resumes a half-done one. Every eval flag is accepted.',
  ],
  flags: gateFlags('eval'),
  positionals: { min: 0, max: Number.MAX_SAFE_INTEGER },
  footer: [EXIT_STATUS],
};

export const MERGE: CommandSpec = {
  name: 'merge',
  usage: 'videophy-gate merge DIR... [--output-dir merged] [--baseline FILE] [flags]',
  summary:
    "Combine the results directories of sharded runs (--shard i/n) into one summary and verdict (the action's mode merge).",
  about: ['Every eval flag is accepted; those that matter here are listed.'],
  flags: gateFlags('merge'),
  positionals: { min: 0, max: Number.MAX_SAFE_INTEGER },
  footer: [EXIT_STATUS],
};

export const COMMENT: CommandSpec = {
  name: 'comment',
  usage: 'videophy-gate comment [DIR] [--baseline FILE] [flags]',
  summary:
    "The report of a run that already finished, from its results directory (the action's mode comment; default DIR: --output-dir). Writes report.md into DIR; posting the comment is the action's part.",
  about: ['Every eval flag is accepted; those that matter here are listed.'],
  flags: gateFlags('comment'),
  positionals: { min: 0, max: 1 },
  footer: [EXIT_STATUS],
};

export const SIMULATE: CommandSpec = {
  name: 'simulate',
  usage: 'videophy-gate simulate [--port 8000] [--accuracy 0.4] [--answer-key FILE] [flags]',
  summary:
    'A vLLM stand-in for dry runs without a GPU: the same endpoints, errors and request checks, answers that are a deterministic function of the video URL, latency, capacity and faults. Runs until Ctrl-C.',
  flags: SIMULATE_FLAGS,
};

export const SERVE: CommandSpec = {
  name: 'serve',
  usage: 'videophy-gate serve CHECKPOINT [vllm serve flags]',
  summary:
    "The simulator behind vLLM's command line, so --vllm-command videophy-gate dry-runs the checkpoint mode. vLLM flags it models (--host, --port, --served-model-name, --max-model-len, --seed, --api-key, --reasoning-parser) are used, the simulate flags pass through, other vLLM flags are ignored.",
  flags: [],
};

export const DEMO: CommandSpec = {
  name: 'demo',
  usage:
    'videophy-gate demo [--regress] [--checkpoint | --sweep] [--stop-early] [--output-dir demo-results]',
  summary:
    'The whole gate on the bundled sample (real schema, synthetic rows) against the simulator, compared with the bundled baseline (a simulated checkpoint at accuracy 0.40). The candidate is that checkpoint changed on 25% of the videos, as a next checkpoint of the same training run: accuracy +0.07 expected.',
  flags: [
    {
      name: 'regress',
      type: 'boolean',
      description:
        'A worse next checkpoint (accuracy -0.08 expected): a regression, exit status 1.',
    },
    {
      name: 'stop-early',
      type: 'boolean',
      description:
        'Score in the seeded look order and stop once the verdict is certain (the input stop-early).',
    },
    {
      name: 'checkpoint',
      type: 'boolean',
      description:
        'Checkpoint mode: the gate starts `videophy-gate serve` as its vLLM, waits for it and stops it.',
    },
    {
      name: 'sweep',
      type: 'boolean',
      description:
        "A checkpoint sweep: five simulated checkpoints step_20 ... step_100 whose accuracy rises, then declines (the recipe's curve), each served by the gate in turn; the best is compared with the baseline.",
    },
    {
      name: 'output-dir',
      type: 'string',
      value: 'DIR',
      description: 'Where the results go; emptied first (default: demo-results).',
    },
  ],
};

export const COMMANDS: readonly CommandSpec[] = [
  EVAL,
  SWEEP,
  SIMULATE,
  SERVE,
  DEMO,
  MERGE,
  COMMENT,
  COMPARE,
  BASELINE,
  EXPORT_RECIPE,
];

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'videophy-gate: score a vLLM-served video critic on VideoPhy-2 and compare it with a baseline.',
    '',
    'usage: videophy-gate <command> [flags]   (videophy-gate <command> --help for its flags)',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.usage.replace(/^videophy-gate /, '')}`),
    '',
    'other: --help, --version',
    EXIT_STATUS,
  ].join('\n');
}
