import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/parse.js';
import type { GateOutcome } from '../../src/gate/index.js';
import { runMode } from '../../src/modes.js';
import { outcomeReport } from '../../src/publish/report-input.js';
import { syntheticRows, toCsv } from '../../scripts/synthetic.js';
import { recordingLogger } from './logger.js';

/** A synthetic dataset file in the real schema and its answer key (for the simulator). */
export function writeDataset(
  dir: string,
  n: number,
  seed = 1,
): { path: string; key: Map<string, number> } {
  const rows = syntheticRows(n, seed);
  const path = join(dir, 'videophy2.csv');
  writeFileSync(path, toCsv(rows));
  return { path, key: new Map(rows.map((r) => [r.video_url ?? '', Number(r.pc)])) };
}

/** Run the gate in-process with inputs as the action takes them. */
export async function gateWith(inputs: Record<string, string>, signal?: AbortSignal) {
  const log = recordingLogger();
  const all: Record<string, string> = { 'server-timeout': '5', 'request-timeout': '5', ...inputs };
  const outcome = await runMode(
    parseConfig((n) => all[n] ?? '', {}),
    { log, signal },
  );
  return { outcome, log };
}

/** The report main.ts would render for an outcome (default comment tag, no workflow links). */
export function reportOf(outcome: Pick<GateOutcome, 'summary' | 'rows' | 'baseline'>): string {
  return outcomeReport(
    { commentTag: 'videophy-gate', github: { apiUrl: 'https://api.github.com', workspace: '.' } },
    outcome,
  ).markdown;
}
