/**
 * Regenerates examples/: the demo's sample (300 synthetic rows in the real VideoPhy-2 schema), its baseline
 * (the real gate against the simulator answering at accuracy 0.40, seed 0), and comment.md: the pull-request
 * comment of the demo's candidate (accuracy 0.42, the same seed: the same checkpoint, slightly better) against that baseline, as GitHub would show it.
 * Run: npm run examples
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAnswerKey } from '../src/cli/answer-key.js';
import { parseConfig } from '../src/config/parse.js';
import { runGate } from '../src/gate/index.js';
import { reportInput } from '../src/publish/report-input.js';
import { renderComment } from '../src/report/index.js';
import { consoleLogger } from '../src/run/logger.js';
import { startSimulator } from '../src/simulator/index.js';
import { syntheticRows, toCsv } from './synthetic.js';

const sample = 'examples/videophy2-sample.csv';
writeFileSync(sample, toCsv(syntheticRows(300, 7)));
const answerKey = await loadAnswerKey(sample);
const log = consoleLogger();

async function run(accuracy: number, seed: number, inputs: Record<string, string>) {
  const sim = await startSimulator({ answerKey, accuracy, seed, latencyMs: { min: 5, max: 40 } });
  try {
    const all: Record<string, string> = {
      'base-url': sim.baseUrl,
      dataset: sample,
      'output-dir': mkdtempSync(join(tmpdir(), 'videophy-examples-')),
      ...inputs,
    };
    const config = parseConfig((n) => all[n] ?? '', {
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'OWNER/critic-training',
      GITHUB_RUN_ID: '1234567890',
    });
    return { config, outcome: await runGate(config, { log }) };
  } finally {
    await sim.close();
  }
}

await run(0.4, 0, { 'write-baseline': 'examples/baseline.json' });
const { config, outcome } = await run(0.42, 0, { baseline: 'examples/baseline.json' });
writeFileSync(
  'examples/comment.md',
  `${renderComment(reportInput(config, outcome.summary, outcome.rows, outcome.baseline))}\n`,
);
console.log(outcome.report);
