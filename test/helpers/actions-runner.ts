import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunnerResult {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  stepSummary: string;
  dir: string;
}

let root: string | undefined;

/** One temporary root per test process, removed when the process exits (runs leave files callers read). */
function runnerRoot(): string {
  if (!root) {
    const made = mkdtempSync(join(tmpdir(), 'videophy-runner-'));
    root = made;
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  return root;
}

/** Parse $GITHUB_OUTPUT as the runner does: `name<<DELIM\nvalue\nDELIM` blocks (and plain name=value lines). */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delim] = heredoc;
      const value: string[] = [];
      while (++i < lines.length && lines[i] !== delim) value.push(lines[i] ?? '');
      out[name ?? ''] = value.join('\n');
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

/**
 * Run a bundled entry (dist/index.js) the way the Actions runner does: inputs as INPUT_<NAME> variables
 * (upper-cased, hyphens kept), GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, an event payload, node24.
 */
export async function runAsActionsRunner(
  entry: string,
  inputs: Record<string, string>,
  opts: {
    env?: Record<string, string>;
    event?: unknown;
    /** Send a signal once the output so far matches (a cancelled job). */
    killAfter?: (stdout: string) => NodeJS.Signals | undefined;
    /** Polled every 50 ms: SIGKILL once true (a killed runner, for states not visible in the output). */
    killWhen?: () => boolean;
  } = {},
): Promise<RunnerResult> {
  const dir = mkdtempSync(join(runnerRoot(), 'run-'));
  const files = {
    output: join(dir, 'output'),
    summary: join(dir, 'summary.md'),
    event: join(dir, 'event.json'),
  };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  writeFileSync(files.event, JSON.stringify(opts.event ?? {}));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    RUNNER_TEMP: dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_WORKSPACE: process.cwd(),
    ...opts.env,
  };
  for (const [name, value] of Object.entries(inputs))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const child = spawn(process.execPath, [entry], { env, cwd: process.cwd() });
  let stdout = '';
  let stderr = '';
  let signalled = false;
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    const sig = !signalled ? opts.killAfter?.(stdout) : undefined;
    if (sig) {
      signalled = true;
      child.kill(sig);
    }
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const poll = opts.killWhen
    ? setInterval(() => {
        if (!signalled && opts.killWhen?.()) {
          signalled = true;
          child.kill('SIGKILL');
        }
      }, 50)
    : undefined;
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearInterval(poll);
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(files.output, 'utf8')),
    stepSummary: readFileSync(files.summary, 'utf8'),
    dir,
  };
}
