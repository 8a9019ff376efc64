import { INPUTS } from '../config/inputs.js';
import type { FlagSpec } from './flags.js';
import { OUTPUT_FLAGS } from './output.js';
import { flagsInMessage } from './usage-error.js';

/**
 * `videophy-gate eval --base-url URL --limit 300 ...`: every action input is a flag of the same name, so the
 * CLI and the action share one Config parser and one set of defaults.
 */
const VALUE_NAMES: Record<string, string> = {
  'base-url': 'URL',
  checkpoint: 'PATH|ID',
  dataset: 'ID|FILE',
  baseline: 'FILE|DIR',
  'output-dir': 'DIR',
  'write-baseline': 'FILE',
  'prompt-file': 'FILE',
  'video-cache': 'DIR',
  'cache-dir': 'DIR',
  'results-dirs': 'DIRS',
  limit: 'N',
  concurrency: 'N|auto',
  shard: 'I/N',
};

/** From the default: true|false for a switch, N for a number, VALUE otherwise. */
function placeholder(def: string): string {
  if (def === 'true' || def === 'false') return 'true|false';
  if (def !== '' && Number.isFinite(Number(def))) return 'N';
  return 'VALUE';
}

const inputFlag = (name: string, hidden: boolean): FlagSpec => {
  const i = INPUTS.find((x) => x.name === name);
  if (!i) throw new Error(`internal: unknown input '${name}'`);
  return {
    name: i.name,
    type: 'string',
    value: VALUE_NAMES[i.name] ?? placeholder(i.default),
    // The table speaks of inputs (`unless update-baseline writes it`); the CLI's help of flags.
    description: `${flagsInMessage(i.description)}${i.default && !i.default.startsWith('${{') ? ` (default: ${i.default})` : ''}`,
    hidden,
  };
};

/** What merge, comment and compare decide with: the baseline and the decision rule. */
export const DECISION_INPUTS = [
  'baseline',
  'decision',
  'alpha',
  'max-accuracy-drop',
  'max-pearson-drop',
  'min-accuracy',
  'min-pearson',
  'fail-on-regression',
  'fail-on-inconclusive',
  'allow-incomparable',
  'max-error-rate',
] as const;

const SHOWN: Record<'eval' | 'merge' | 'comment', readonly string[] | 'all'> = {
  eval: 'all',
  merge: [
    'results-dirs',
    'output-dir',
    ...DECISION_INPUTS,
    'update-baseline',
    'write-baseline',
    'baseline-history',
  ],
  comment: ['results-dirs', 'output-dir', ...DECISION_INPUTS],
};

/**
 * The flags of a gate command: every input is accepted by each (one Config parser), the help of merge and
 * comment shows those that matter there. `mode` is the command itself outside eval.
 */
export function gateFlags(command: 'eval' | 'merge' | 'comment'): FlagSpec[] {
  const shown = SHOWN[command];
  return [
    ...INPUTS.map((i) =>
      inputFlag(i.name, shown !== 'all' && (!shown.includes(i.name) || i.name === 'mode')),
    ),
    ...OUTPUT_FLAGS,
  ];
}

/** The decision flags as compare takes them. */
export function decisionFlags(): FlagSpec[] {
  return DECISION_INPUTS.map((n) => inputFlag(n, false));
}
