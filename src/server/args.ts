/**
 * The `vllm serve` command line, pure: the user's `vllm-args` as words (config/shell-words.ts), the
 * recipe's flags added unless the user set them, secrets masked for logs and summaries.
 */
import { flagName, splitArgs } from '../config/shell-words.js';
import { maskSecrets } from '../log.js';

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
