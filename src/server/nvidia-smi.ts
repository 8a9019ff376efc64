/**
 * Which GPUs served: `nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader,nounits`,
 * run only when it is on the PATH (a runner without it, or a CPU-only dry run, is not an error).
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface GpuInfo {
  name: string;
  driver: string;
  /** null when nvidia-smi reports [N/A]. */
  memory_total_mib: number | null;
}

export const NVIDIA_SMI_ARGS = [
  '--query-gpu=name,driver_version,memory.total',
  '--format=csv,noheader,nounits',
];

/** One GPU per line: `NVIDIA H100 80GB HBM3, 550.54.15, 81559`. The name is all before the last two fields. */
export function parseNvidiaSmi(text: string): GpuInfo[] {
  const gpus: GpuInfo[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const fields = line.split(',').map((f) => f.trim());
    if (fields.length < 3)
      throw new Error(`unexpected nvidia-smi line (want name, driver, memory): ${line}`);
    const memory = fields.pop() ?? '';
    const driver = fields.pop() ?? '';
    const mib = /^\d+$/.test(memory) ? Number(memory) : null;
    gpus.push({ name: fields.join(', '), driver, memory_total_mib: mib });
  }
  return gpus;
}

/** The executable `name` in a PATH string, or undefined. */
export function findOnPath(name: string, pathEnv: string): string | undefined {
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The GPUs, or undefined when nvidia-smi is not on `pathEnv`. Throws when it is there but fails. */
export function queryGpus(pathEnv: string, timeoutMs = 15_000): Promise<GpuInfo[] | undefined> {
  const smi = findOnPath('nvidia-smi', pathEnv);
  if (!smi) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    execFile(
      smi,
      NVIDIA_SMI_ARGS,
      { timeout: timeoutMs, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err) {
          const how = err.killed
            ? `no answer within ${timeoutMs / 1000} s`
            : typeof err.code === 'number'
              ? `exit code ${err.code}`
              : err.message;
          const said = (stderr.trim() || stdout.trim()).split('\n')[0]?.slice(0, 300);
          return reject(new Error(`${smi} failed (${how})${said ? `: ${said}` : ''}`));
        }
        try {
          resolve(parseNvidiaSmi(stdout));
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      },
    );
  });
}
