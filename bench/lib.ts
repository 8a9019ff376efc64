/** Shared pieces of the benchmark: simulator processes and measured runs of the bundled CLI. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface SimProcess {
  baseUrl: string;
  child: ChildProcess;
}

/** A simulator in its own process, so its CPU is not the client's. */
export async function startSimProcess(args: string[]): Promise<SimProcess> {
  const child = spawn(process.execPath, ['dist/cli/index.js', 'simulate', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /at (http:\/\/\S+\/v1)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  return { baseUrl, child };
}

export interface Measure {
  code: number;
  wall_s: number;
  cpu_s: number;
  max_rss_mb: number;
  stdout_tail: string;
  stderr_tail: string;
}

/** `videophy-gate eval` as a child process, measured by getrusage (bench/measure.py). */
export function measureEval(
  flags: Record<string, string>,
  outputDir: string,
): Measure & { summary: Record<string, unknown> } {
  // A fresh directory: the same settings in a used one would resume instead of scoring.
  rmSync(outputDir, { recursive: true, force: true });
  const args = ['dist/cli/index.js', 'eval', '--output-dir', outputDir];
  for (const [k, v] of Object.entries(flags)) args.push(`--${k}`, v);
  const r = spawnSync('python3', ['bench/measure.py', process.execPath, ...args], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`measure failed: ${r.stderr}`);
  const m = JSON.parse(r.stdout) as Measure;
  if (m.code !== 0) throw new Error(`gate exited ${m.code}: ${m.stderr_tail}${m.stdout_tail}`);
  const summary = JSON.parse(readFileSync(join(outputDir, 'summary.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  return { ...m, summary };
}

/**
 * One client of bench/client-load.ts alone in a child process (bundled by ncc on first use, so neither a
 * TypeScript loader nor the other client is in its CPU time or heap), measured by getrusage.
 */
export function measureClient(
  client: 'raw' | 'openai',
  baseUrl: string,
  urlsFile: string,
  concurrency: number,
): Measure {
  const bundle = join('.bench', 'client-load', 'index.js');
  if (!built) {
    const b = spawnSync(
      'npx',
      [
        'ncc',
        'build',
        'bench/client-load.ts',
        '-o',
        join('.bench', 'client-load'),
        '--transpile-only',
      ],
      { encoding: 'utf8' },
    );
    if (b.status !== 0) throw new Error(`ncc build of bench/client-load.ts failed: ${b.stderr}`);
    built = true;
  }
  const r = spawnSync(
    'python3',
    ['bench/measure.py', process.execPath, bundle, client, baseUrl, urlsFile, String(concurrency)],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`measure failed: ${r.stderr}`);
  const m = JSON.parse(r.stdout) as Measure;
  const counts = JSON.parse(m.stdout_tail.trim() || '{}') as { ok?: number; failed?: number };
  if (m.code !== 0 || counts.failed !== 0)
    throw new Error(
      `client-load ${client} exited ${m.code} (${m.stdout_tail.trim()}): ${m.stderr_tail}`,
    );
  return m;
}
let built = false;
