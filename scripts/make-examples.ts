/**
 * Regenerates examples/: the demo's sample (300 synthetic rows in the real VideoPhy-2 schema) and its
 * baseline, made by the real gate against the simulator answering at accuracy 0.40 (seed 0).
 * Run: npm run examples
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAnswerKey } from '../src/cli/answer-key.js';
import { parseConfig } from '../src/config/parse.js';
import { runGate } from '../src/gate/index.js';
import { consoleLogger } from '../src/run/logger.js';
import { startSimulator } from '../src/simulator/index.js';
import { syntheticRows, toCsv } from './synthetic.js';

const sample = 'examples/videophy2-sample.csv';
writeFileSync(sample, toCsv(syntheticRows(300, 7)));
const sim = await startSimulator({
  answerKey: await loadAnswerKey(sample),
  accuracy: 0.4,
  seed: 0,
});
try {
  const inputs: Record<string, string> = {
    'base-url': sim.baseUrl,
    dataset: sample,
    baseline: 'examples/none.json',
    'output-dir': mkdtempSync(join(tmpdir(), 'videophy-examples-')),
    'write-baseline': 'examples/baseline.json',
  };
  const outcome = await runGate(
    parseConfig((n) => inputs[n] ?? '', {}),
    { log: consoleLogger() },
  );
  console.log(outcome.report);
} finally {
  await sim.close();
}
