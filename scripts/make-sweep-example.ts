/**
 * examples/comment-sweep.md: the pull-request comment of `demo --sweep` as GitHub would show it. Five
 * simulated checkpoints of one training run (DEMO_SWEEP in src/cli/demo.ts) in the recipe's layout, each
 * served by the gate itself (`videophy-gate serve` from dist/: build first), swept and compared with
 * examples/baseline.json. Called by make-examples.ts; also runnable alone (tsx scripts/make-sweep-example.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { demoSweepInputs } from '../src/cli/demo.js';
import { parseConfig } from '../src/config/parse.js';
import { runMode } from '../src/modes.js';
import { reportInput } from '../src/publish/report-input.js';
import { renderComment } from '../src/report/index.js';
import { consoleLogger } from '../src/log.js';

/** Under demo-results/ (ignored by git), so the comment shows the recipe's relative layout. */
const RUN = 'demo-results/outputs/videophy2_sft/20251201/safetensors';

export async function makeSweepExample(): Promise<void> {
  rmSync(RUN, { recursive: true, force: true });
  const inputs: Record<string, string> = {
    ...demoSweepInputs(RUN, 'examples/videophy2-sample.csv', resolve('dist/cli/index.js')),
    dataset: 'examples/videophy2-sample.csv',
    baseline: 'examples/baseline.json',
    'output-dir': mkdtempSync(join(tmpdir(), 'videophy-examples-sweep-')),
  };
  const config = parseConfig((n) => inputs[n] ?? '', {
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'OWNER/critic-training',
    GITHUB_RUN_ID: '1234567890',
  });
  const outcome = await runMode(config, { log: consoleLogger() });
  const input = reportInput(config, outcome.summary, outcome.rows, outcome.baseline, outcome.sweep);
  writeFileSync('examples/comment-sweep.md', `${renderComment(input)}\n`);
  console.log(`examples/comment-sweep.md: ${outcome.summary.verdict}, best ${outcome.sweep?.best}`);
  rmSync(RUN, { recursive: true, force: true });
}

if (process.argv[1] && resolve(process.argv[1]) === resolve('scripts/make-sweep-example.ts'))
  await makeSweepExample();
