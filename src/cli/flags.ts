import { parseArgs } from 'node:util';
import { UsageError, unknownFlag } from './usage-error.js';

/**
 * Flags are parsed with Node's own util.parseArgs (strict): no dependency, the same parser the action's
 * inputs table already fed, and its error codes let us word the messages for a CLI user. Help text is ours,
 * generated from the same specs, so a flag cannot be accepted and undocumented (or the reverse).
 */
export interface FlagSpec {
  name: string;
  type: 'string' | 'boolean';
  /** Placeholder in help, e.g. DIR (string flags). */
  value?: string;
  description: string;
  multiple?: boolean;
  /** Accepted but left out of this command's help (documented under another command). */
  hidden?: boolean;
}

export interface CommandSpec {
  name: string;
  /** The usage line after `usage: `. */
  usage: string;
  summary: string;
  about?: readonly string[];
  flags: readonly FlagSpec[];
  positionals?: { min: number; max: number };
  footer?: readonly string[];
}

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

export interface Parsed {
  values: FlagValues;
  positionals: string[];
}

export const HELP_FLAG: FlagSpec = {
  name: 'help',
  type: 'boolean',
  description: 'Show this help.',
};

/** `--help` or `-h` anywhere before a `--`: the command's help instead of a run. */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

function quoted(message: string): string | undefined {
  return /'([^']+)'/.exec(message)?.[1];
}

export function parseCommand(spec: CommandSpec, argv: string[]): Parsed {
  const options = Object.fromEntries(
    spec.flags.map((f) => [f.name, { type: f.type, ...(f.multiple ? { multiple: true } : {}) }]),
  );
  let parsed: { values: FlagValues; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true }) as Parsed;
  } catch (e) {
    const err = e as Error & { code?: string };
    const subject = quoted(err.message) ?? '';
    const flag = subject.split(' ')[0] ?? subject;
    switch (err.code) {
      case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
        throw unknownFlag(
          flag,
          spec.flags.map((f) => f.name),
          spec.name,
        );
      case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
        throw new UsageError(
          /does not take an argument/.test(err.message)
            ? `${flag} takes no value`
            : /ambiguous/.test(err.message)
              ? `${flag} needs a value (the next word starts with '-': write ${flag}=VALUE)`
              : `${flag} needs a value`,
          spec.name,
        );
      default:
        throw new UsageError(err.message, spec.name);
      case undefined:
        throw e;
    }
  }
  const { min, max } = spec.positionals ?? { min: 0, max: 0 };
  const n = parsed.positionals.length;
  if (n > max) {
    const extra = parsed.positionals[max] ?? '';
    throw new UsageError(
      max === 0
        ? `unexpected argument '${extra}' (${spec.name} takes flags only)`
        : `unexpected argument '${extra}'`,
      spec.name,
    );
  }
  if (n < min) throw new UsageError(`missing argument${min - n > 1 ? 's' : ''}`, spec.name);
  return parsed;
}

/** One column of flags, descriptions after a fixed indent (terminals wrap long lines themselves). */
export function helpText(spec: CommandSpec): string {
  const shown = [...spec.flags.filter((f) => !f.hidden), HELP_FLAG].filter(
    (f, i, all) => all.findIndex((g) => g.name === f.name) === i,
  );
  const label = (f: FlagSpec): string =>
    `--${f.name}${f.type === 'string' ? ` ${f.value ?? 'VALUE'}` : ''}`;
  const width = Math.min(28, Math.max(...shown.map((f) => label(f).length)));
  return [
    `usage: ${spec.usage}`,
    '',
    spec.summary,
    ...(spec.about && spec.about.length > 0 ? ['', ...spec.about] : []),
    '',
    'flags:',
    ...shown.map((f) => {
      const l = label(f);
      return l.length > width
        ? `  ${l}\n  ${' '.repeat(width)}  ${f.description}`
        : `  ${l.padEnd(width)}  ${f.description}`;
    }),
    ...(spec.footer && spec.footer.length > 0 ? ['', ...spec.footer] : []),
  ].join('\n');
}

/** What a usage error prints: the message, the usage line and where the help is. */
export function usageErrorText(spec: CommandSpec | undefined, message: string): string {
  if (!spec) return `videophy-gate: ${message}\nRun 'videophy-gate --help' for the commands.`;
  return `videophy-gate ${spec.name}: ${message}\nusage: ${spec.usage}\nRun 'videophy-gate ${spec.name} --help' for the flags.`;
}
