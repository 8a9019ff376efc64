import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { VideoMeta, VisionRequest } from '../../src/vision/types.js';

/** One result as test/vision/oracle.py reports it (labels are Python's own f"{t:.1f}"). */
export interface OracleFrames {
  nframes: number;
  height: number;
  width: number;
  gridT: number;
  visualTokens: number;
  timestamps: number[];
  labels: string[];
  beforeProcessor?: { height: number; width: number };
}

const ORACLE = fileURLToPath(new URL('./oracle.py', import.meta.url));

/** Run the independent Python port on many cases at once (one process for the whole grid). */
export function oracle(input: {
  recipe?: { meta: VideoMeta; fps: number; totalPixels: number }[];
  server?: { meta: VideoMeta; request: VisionRequest }[];
}): { recipe: OracleFrames[]; server: OracleFrames[] } {
  const res = spawnSync('python3', [ORACLE], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (res.error) throw new Error(`python3 is needed for the vision oracle: ${res.error.message}`);
  if (res.status !== 0) throw new Error(`test/vision/oracle.py failed: ${res.stderr}`);
  return JSON.parse(res.stdout) as { recipe: OracleFrames[]; server: OracleFrames[] };
}
