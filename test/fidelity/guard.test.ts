import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse.js';
import { runGate } from '../../src/gate/index.js';
import {
  startSimulator,
  type Simulator,
  type SimulatorOptionsInput,
} from '../../src/simulator/index.js';
import { syntheticRows, toCsv } from '../../scripts/synthetic.js';
import { recordingLogger } from '../helpers/logger.js';
import { useTmp } from '../helpers/tmp.js';

const tmp = useTmp();
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close({ force: true });
  sim = undefined;
});

/** The whole gate against a simulated server of the given kind, over HTTP. */
async function gate(simOpts: SimulatorOptionsInput, inputs: Record<string, string> = {}) {
  const dir = tmp();
  const rows = syntheticRows(20, 3);
  writeFileSync(join(dir, 'd.csv'), toCsv(rows));
  sim = await startSimulator({ record: true, ...simOpts });
  const all: Record<string, string> = {
    'base-url': sim.baseUrl,
    dataset: join(dir, 'd.csv'),
    'output-dir': join(dir, 'out'),
    'server-timeout': '5',
    ...inputs,
  };
  const log = recordingLogger();
  const run = runGate(
    parseConfig((n) => all[n] ?? '', {}),
    { log },
  );
  return { run, log, dir, sim };
}

const scoredRequests = (s: Simulator) =>
  s.recorded.filter((b) => !JSON.stringify(b).includes('data:video/mp4;base64,')).length;

describe('the fidelity guard, over HTTP, before the first scored video', () => {
  it('a faithful server passes: the probe tokens move exactly as the ported processor says', async () => {
    const { run, log } = await gate({});
    const outcome = await run;
    const [record] = outcome.summary.server.fidelity ?? [];
    expect(record).toMatchObject({ level: 'ok' });
    // Pixel differences are exact: same frames, other sizes.
    const [a = 0, b = 0, c = 0, d = 0] = (record?.prompt_tokens ?? []) as number[];
    const [ea = 0, eb = 0, ec = 0, ed = 0] = record?.expected_video_tokens ?? [];
    expect(a - b).toBe(ea - eb);
    expect(c - d).toBe(ec - ed);
    expect(a - c).toBe(ea - ec);
    expect(log.text()).toMatch(/Fidelity check .*samples frames at the requested fps/);
    expect(outcome.summary.num_videos).toBe(20);
  });

  it('a server that samples 32 frames whatever fps is asked: a configuration error naming the flag, nothing scored', async () => {
    const { run, sim: s, dir } = await gate({ videoFrames: 32 });
    await expect(run).rejects.toThrow(
      /ignores the requested fps: .*Start vLLM with --media-io-kwargs '\{"video":\{"num_frames":-1\}\}'/,
    );
    expect(scoredRequests(s)).toBe(0);
    // No verdict: summary.json still says the run never finished.
    expect(JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8'))).toMatchObject({
      verdict: 'error',
      state: 'running',
    });
  });

  it('a server that keeps its own pixel limits: a configuration error, nothing scored', async () => {
    const { run, sim: s } = await gate({ ignoreRequestSize: true });
    await expect(run).rejects.toThrow(/ignores mm_processor_kwargs\.size/);
    expect(scoredRequests(s)).toBe(0);
  });

  it('an extra-body fps cannot make the probes alike (the probe values are set last)', async () => {
    const { run } = await gate({}, { 'extra-body': '{"mm_processor_kwargs": {"fps": 4}}' });
    const outcome = await run;
    expect(outcome.summary.server.fidelity?.[0]?.level).toBe('ok');
    // ...and the run records the fps it sent, not the input's.
    expect(outcome.summary.settings.fps).toBe(4);
  });

  it('a probe the server cannot answer: a configuration error with its message and the likely flag, nothing scored', async () => {
    const { run, sim: s } = await gate({ faults: { badVideoUrlSubstrings: ['data:video/mp4'] } });
    await expect(run).rejects.toThrow(
      /^fidelity check: .* could not answer the probe request \(fps 16, .*\): HTTP 400: Failed to load video.*--media-io-kwargs/,
    );
    expect(scoredRequests(s)).toBe(0);
  });

  it('a server that reports no usage: a warning, the run goes on', async () => {
    const { run, log } = await gate({ reportUsage: false });
    const outcome = await run;
    expect(outcome.summary.server.fidelity?.[0]?.level).toBe('warning');
    expect(log.text()).toMatch(/warning: Fidelity check .*no usage\.prompt_tokens/);
    expect(outcome.summary.num_videos).toBe(20);
  });

  it('a vLLM older than the timestamp fix gets a warning naming the release to upgrade to', async () => {
    const { run, log } = await gate({ version: '0.11.0' });
    await run;
    expect(log.text()).toMatch(
      /warning: vLLM 0\.11\.0 predates the Qwen3-VL timestamp fix .*0\.11\.1/,
    );
  });

  it('fidelity-check: false sends no probe', async () => {
    const { run, sim: s } = await gate({ videoFrames: 32 }, { 'fidelity-check': 'false' });
    const outcome = await run;
    expect(outcome.summary.server.fidelity).toBeUndefined();
    expect(s.recorded.length).toBe(scoredRequests(s));
  });
});
