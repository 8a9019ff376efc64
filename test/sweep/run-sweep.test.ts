import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCommandLine } from '../../src/server/index.js';
import { gateWith } from '../helpers/gate.js';
import { FAKE_VLLM_DIR } from '../helpers/processes.js';
import { CURVE, SAMPLE, readSweep, simulatedCheckpoints } from '../helpers/sweep.js';
import { useTmp } from '../helpers/tmp.js';

// The sweep in-process (runMode), each checkpoint served by the fake vllm as its own process group.
const tmp = useTmp();
const fakeVllm = formatCommandLine([process.execPath, join(FAKE_VLLM_DIR, 'vllm')]);

/** step_20 and step_40 of the test curve in a fresh directory, and the inputs that sweep them. */
function twoCheckpoints(): { root: string; inputs: Record<string, string> } {
  const root = tmp();
  simulatedCheckpoints(root, CURVE.slice(0, 2));
  return {
    root,
    inputs: {
      checkpoints: join(root, 'ckpts', 'step_*'),
      'vllm-command': fakeVllm,
      dataset: SAMPLE,
      'output-dir': join(root, 'out'),
      'server-timeout': '30',
    },
  };
}

describe('runSweep in-process', () => {
  it("update-baseline: the best becomes the baseline (made on main, none before); no checkpoint's own run writes one", async () => {
    const { root, inputs } = twoCheckpoints();
    const baseline = join(root, 'baseline.json');
    const { outcome, log } = await gateWith({ ...inputs, baseline, 'update-baseline': 'true' });
    expect(outcome.sweep?.best).toBe('step_40');
    expect(outcome.baselineWritten).toBe(baseline);
    const file = JSON.parse(readFileSync(baseline, 'utf8')) as {
      summary: { settings: { model: string } };
      history: unknown[];
      predictions: unknown[];
    };
    expect(file.summary.settings.model).toBe(join(root, 'ckpts', 'step_40'));
    expect(file.history).toHaveLength(1);
    expect(file.predictions).toHaveLength(300);
    // Each checkpoint was compared with no baseline (none existed), not with the one before it.
    expect(readSweep(join(root, 'out')).rows.map((r) => r.verdict)).toEqual([
      'no-baseline',
      'no-baseline',
    ]);
    expect(log.text()).not.toMatch(/does not exist/);
    expect(existsSync(join(root, 'out', 'step_20', 'sweep-entry.json'))).toBe(true);
  });

  it('an unwritable baseline target or a missing named baseline fails before any server starts', async () => {
    const { root, inputs } = twoCheckpoints();
    // A path under a regular file: no directory can be made there (not /proc: Node's recursive mkdir spins there).
    writeFileSync(join(root, 'a-file'), 'x');
    await expect(
      gateWith({ ...inputs, 'write-baseline': join(root, 'a-file', 'baseline.json') }),
    ).rejects.toThrow(/'write-baseline': cannot write the baseline to .*a-file\/baseline\.json/);
    await expect(gateWith({ ...inputs, baseline: join(root, 'nope.json') })).rejects.toThrow(
      /'baseline': .*nope\.json does not exist/,
    );
    expect(existsSync(join(root, 'out', 'step_20'))).toBe(false);
  });

  it('a changed setting (the baseline) makes a rerun score every checkpoint again; the same settings reuse all', async () => {
    const { root, inputs } = twoCheckpoints();
    await gateWith(inputs);
    const again = await gateWith(inputs);
    expect(again.log.text()).not.toMatch(/serving/);
    expect(readSweep(join(root, 'out')).rows.map((r) => r.reused)).toEqual([true, true]);
    const other = await gateWith({ ...inputs, 'max-accuracy-drop': '0.05' });
    expect(other.log.text().match(/: serving /g)).toHaveLength(2);
    expect(readSweep(join(root, 'out')).rows.map((r) => r.reused)).toEqual([false, false]);
  });
});
