/**
 * The `vllm serve` command line, pure: split the user's `vllm-args` like a shell splits words (without a
 * shell), add the recipe's flags unless the user set them, and mask secrets for logs and summaries.
 */
import { maskSecrets } from '../log.js';

/** What a shell would expand or interpret; we run no shell, so passing it on literally would surprise. */
const SHELL_OPERATORS = new Set([';', '|', '&', '<', '>', '(', ')', '`']);
const EXPANSION = /^\$[A-Za-z_{(0-9]/;

const around = (text: string, i: number): string =>
  JSON.stringify(text.slice(Math.max(0, i - 15), i + 15));

/**
 * Split `text` into words as a POSIX shell does, with no expansion and no shell: whitespace (newlines
 * too: a YAML block of arguments is one command) separates words; `#` at the start of a word comments
 * out the rest of the line; '...' is literal; "..." is literal except that a backslash escapes
 * $ ` " \ and newline; a backslash outside quotes escapes the next character (backslash-newline joins
 * lines). Anything a shell would expand or interpret ($VAR, $(...), `...`, ~/, ; | & < > ( )) is an
 * error instead of a silent difference: quote it with '...' to pass it on literally. Positions in
 * errors count from 1.
 */
export function splitArgs(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0)
        throw new Error(`unterminated single quote at position ${i + 1}: ${around(text, i)}`);
      word += text.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      const open = i;
      inWord = true;
      for (i++; ; i++) {
        if (i >= text.length)
          throw new Error(
            `unterminated double quote at position ${open + 1}: ${around(text, open)}`,
          );
        const d = text[i] ?? '';
        if (d === '"') break;
        if (d === '\\' && i + 1 < text.length && '$`"\\\n'.includes(text[i + 1] ?? '')) {
          if (text[i + 1] !== '\n') word += text[i + 1];
          i++;
        } else if ((d === '$' && EXPANSION.test(text.slice(i, i + 2))) || d === '`') {
          throw new Error(
            `${d === '`' || text[i + 1] === '(' ? 'command substitution' : 'variable expansion'} at position ${i + 1} is not supported (no shell runs): ${around(text, i)}; write the value itself, or use '...' to pass it literally`,
          );
        } else word += d;
      }
    } else if (c === '\\') {
      if (i + 1 >= text.length)
        throw new Error(`trailing backslash at position ${i + 1}: nothing to escape`);
      if (text[i + 1] !== '\n') {
        word += text[i + 1];
        inWord = true;
      }
      i++;
    } else if (c === '#' && !inWord) {
      // A comment, as in a shell: lets a multi-line vllm-args block explain itself.
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end - 1;
    } else if (c === '~' && !inWord) {
      throw new Error(
        `'~' at position ${i + 1} would be your home directory in a shell, but no shell runs: ${around(text, i)}; write the full path`,
      );
    } else if (SHELL_OPERATORS.has(c) || (c === '$' && EXPANSION.test(text.slice(i, i + 2)))) {
      throw new Error(
        `'${c}' at position ${i + 1} is shell syntax, and no shell runs: ${around(text, i)}; quote it ('...') to pass it literally`,
      );
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** `--max_model_len=5` -> `--max-model-len` (vLLM accepts underscores in flag names too). */
function flagName(arg: string): string | undefined {
  if (!arg.startsWith('--') || arg.length < 3) return undefined;
  const eq = arg.indexOf('=');
  return (eq > 0 ? arg.slice(0, eq) : arg).replace(/_/g, '-');
}

/** The value of `--flag VALUE` or `--flag=VALUE` in argv (the last occurrence wins, as in argparse). */
export function flagValue(argv: readonly string[], flag: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (flagName(arg) !== flag) continue;
    const eq = arg.indexOf('=');
    value = eq > 0 ? arg.slice(eq + 1) : argv[i + 1];
  }
  return value;
}

/** Flags the action itself must control: where the server listens, what it serves and under which name. */
const OWNED_FLAGS: Record<string, string> = {
  '--host': 'the action serves on 127.0.0.1 and talks to it there',
  '--port': 'the action picks a free loopback port itself',
  '--served-model-name': "the action names the model; set the 'model' input instead",
  '--model': "the checkpoint is the 'checkpoint' input",
};

/** The recipe's server flags (Cosmos Reason 2, VideoPhy-2): the video's own frames, 16k context. */
export const RECIPE_FLAGS: readonly (readonly [string, string])[] = [
  ['--max-model-len', '16384'],
  // Without it the server's frame count wins over the per-request fps and numbers leave the recipe.
  ['--media-io-kwargs', '{"video":{"num_frames":-1}}'],
];

export interface VllmCommandOptions {
  /** `vllm-command`, split like `vllm-args` (so `uv run vllm` or `python -m vllm.entrypoints.cli.main` work). */
  command: string;
  /** Local path or Hub model id. */
  checkpoint: string;
  port: number;
  servedModelName: string;
  /** `splitArgs(vllm-args)`; a recipe flag set here replaces the default. */
  extraArgs: readonly string[];
  /** The local video cache, so `file://` videos under it are allowed. */
  videoCacheDir?: string;
  seed: number;
}

/**
 * The full argv (argv[0] is the executable): `<command> serve <checkpoint> --host 127.0.0.1 --port P
 * --served-model-name NAME`, then the defaults (`--seed S`, the recipe flags, `--allowed-local-media-path
 * DIR`) that `extraArgs` does not set itself, then `extraArgs`. With `--config FILE` in extraArgs the
 * seed and recipe defaults are left out, since command-line flags would override the user's file.
 */
export function vllmCommandLine(opts: VllmCommandOptions): string[] {
  const command = splitArgs(opts.command);
  if (command.length === 0) throw new Error('vllm-command is empty');
  if (!opts.checkpoint.trim()) throw new Error('checkpoint is empty');
  const userFlags = new Set(
    opts.extraArgs.map(flagName).filter((f): f is string => f !== undefined),
  );
  for (const [flag, why] of Object.entries(OWNED_FLAGS)) {
    if (userFlags.has(flag)) throw new Error(`vllm-args must not set ${flag}: ${why}`);
  }
  const usesConfigFile = userFlags.has('--config');
  const defaults: (readonly [string, string])[] = usesConfigFile
    ? []
    : [['--seed', String(opts.seed)], ...RECIPE_FLAGS];
  if (opts.videoCacheDir) defaults.push(['--allowed-local-media-path', opts.videoCacheDir]);
  return [
    ...command,
    'serve',
    opts.checkpoint,
    '--host',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--served-model-name',
    opts.servedModelName,
    ...defaults.filter(([flag]) => !userFlags.has(flag)).flat(),
    ...opts.extraArgs,
  ];
}

/** Flags whose value is a credential. */
export const SECRET_FLAGS: readonly string[] = ['--api-key', '--hf-token'];

/** argv with credentials replaced by *** (`--api-key V`, `--api-key=V`, `--hf-token`, and every given secret). */
export function maskArgs(
  argv: readonly string[],
  secrets: readonly (string | undefined)[] = [],
): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const flag = flagName(arg);
    if (flag && SECRET_FLAGS.includes(flag)) {
      const eq = arg.indexOf('=');
      if (eq > 0) out.push(`${arg.slice(0, eq)}=***`);
      else {
        out.push(arg);
        if (i + 1 < argv.length) {
          out.push('***');
          i++;
        }
      }
    } else out.push(maskSecrets(arg, secrets));
  }
  return out;
}

/** One line a user can paste into a shell: words quoted with '...' when they need it. */
export function formatCommandLine(argv: readonly string[]): string {
  return argv
    .map((w) =>
      // *** is a mask, shown as is: the line is for reading, a masked line cannot run anyway.
      /^[A-Za-z0-9_\-./:=@%+,]+$/.test(w.split('***').join('')) || w === '***'
        ? w
        : `'${w.replace(/'/g, `'\\''`)}'`,
    )
    .join(' ');
}
