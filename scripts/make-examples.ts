/**
 * Regenerates examples/: the demo's sample (300 synthetic rows in the real VideoPhy-2 schema), its baseline
 * (the real gate against the simulator answering at accuracy 0.40, seed 0), and the pull-request comments
 * of the demo's two candidates against that baseline, as GitHub would show them: comment.md (the baseline's
 * checkpoint changed on 25% of the videos, accuracy +0.07 expected) and comment-regression.md (the same
 * with -0.05; `demo --regress`). See DEMO_PAIR in src/cli/demo.ts. Last, comment-sweep.md (make-sweep-example.ts,
 * `demo --sweep`; it serves its checkpoints with dist/: build first).
 * Run: npm run examples
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAnswerKey } from '../src/cli/answer-key.js';
import { DEMO_BASE, DEMO_PAIR } from '../src/cli/demo.js';
import { parseConfig } from '../src/config/parse.js';
import { runGate } from '../src/gate/index.js';
import { reportInput } from '../src/publish/report-input.js';
import { renderComment } from '../src/report/index.js';
import { consoleLogger } from '../src/log.js';
import { startSimulator, type SimulatorOptionsInput } from '../src/simulator/index.js';
import { makeSweepExample } from './make-sweep-example.js';
import { syntheticRows, toCsv } from './synthetic.js';

const sample = 'examples/videophy2-sample.csv';
writeFileSync(sample, toCsv(syntheticRows(300, 7)));
const answerKey = await loadAnswerKey(sample);
const log = consoleLogger();

async function run(sim0: SimulatorOptionsInput, inputs: Record<string, string>) {
  const sim = await startSimulator({ answerKey, ...sim0, latencyMs: { min: 5, max: 40 } });
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

await run(DEMO_BASE, { 'write-baseline': 'examples/baseline.json' });
for (const [file, pair] of [
  ['examples/comment.md', DEMO_PAIR.improve],
  ['examples/comment-regression.md', DEMO_PAIR.regress],
] as const) {
  const { config, outcome } = await run(
    { ...DEMO_BASE, pair },
    { baseline: 'examples/baseline.json', 'fail-on-regression': 'false' },
  );
  writeFileSync(
    file,
    `${renderComment(reportInput(config, outcome.summary, outcome.rows, outcome.baseline))}\n`,
  );
  console.log(`${file}: ${outcome.summary.verdict}`);
}
await makeSweepExample();
