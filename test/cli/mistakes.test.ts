import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/server/free-port.js';
import { writeDataset } from '../helpers/gate.js';
import { useSimulators } from '../helpers/simulators.js';
import { useTmp } from '../helpers/tmp.js';
import { cli } from '../helpers/cli.js';

const tmp = useTmp();
const simulator = useSimulators();

/** The usual mistakes of issue 12, typed as a user types them: exit status and the first line read. */
describe('the usual mistakes on the command line', () => {
  it('--fps 8 after --fps 16 keeps the finished results (moved aside, nothing deleted)', async () => {
    const dir = tmp();
    const { path, key } = writeDataset(dir, 20);
    const sim = await simulator({ answerKey: key });
    const args = [
      'eval',
      '--base-url',
      sim.baseUrl,
      '--dataset',
      path,
      '--output-dir',
      join(dir, 'out'),
    ];
    expect((await cli(args)).code).toBe(0);
    const before = readFileSync(join(dir, 'out', 'results.jsonl'), 'utf8');
    const again = await cli([...args, '--fps', '8']);
    expect(again.code).toBe(0);
    expect(again.stdout + again.stderr).toMatch(
      /made with other settings \(fps: 16 -> 8.*moved to .*previous/,
    );
    const [aside = ''] = readdirSync(join(dir, 'out', 'previous'));
    expect(readFileSync(join(dir, 'out', 'previous', aside, 'results.jsonl'), 'utf8')).toBe(before);
  });

  it('a mistyped --baseline is an error with its remedy, not a silent no-baseline pass', async () => {
    const dir = tmp();
    const { path, key } = writeDataset(dir, 5);
    const sim = await simulator({ answerKey: key });
    const r = await cli([
      'eval',
      '--base-url',
      sim.baseUrl,
      '--dataset',
      path,
      '--baseline',
      join(dir, '.github/videophy2-basline.json'),
      '--output-dir',
      join(dir, 'out'),
    ]);
    expect(r.code).toBe(2);
    expect(r.firstError).toMatch(
      /--baseline: .*videophy2-basline\.json does not exist\. Check the path/,
    );
    // No verdict was produced: the summary says the run did not finish, never "pass".
    expect(JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8'))).toMatchObject({
      verdict: 'error',
      state: 'running',
    });
  });

  it('a --base-url without /v1: the 404 names the path asked for and suggests .../v1', async () => {
    const dir = tmp();
    const { path, key } = writeDataset(dir, 5);
    const sim = await simulator({ answerKey: key });
    const r = await cli(['eval', '--base-url', sim.url, '--dataset', path, '--output-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.firstError).toMatch(
      new RegExp(
        `GET ${sim.url.replace(/\./g, '\\.')}/models answered HTTP 404.*did you mean --base-url ${sim.url.replace(/\./g, '\\.')}/v1\\?`,
      ),
    );
  });

  it('the default Hub dataset with no network: the remedies named', async () => {
    const dir = tmp();
    const sim = await simulator({});
    const r = await cli(
      ['eval', '--base-url', sim.baseUrl, '--output-dir', dir, '--cache-dir', join(dir, 'hub')],
      {
        HF_ENDPOINT: `http://127.0.0.1:${await freePort()}`,
      },
    );
    expect(r.code).toBe(2);
    expect(r.firstError).toMatch(
      /cannot reach the Hugging Face Hub .*HF_HUB_OFFLINE=1.*HF_ENDPOINT.*local file as the dataset/,
    );
  });

  it('--checkpoint with --base-url, and a --checkpoint path that is not there: errors before vLLM starts', async () => {
    const dir = tmp();
    const both = await cli([
      'eval',
      '--base-url',
      'http://127.0.0.1:8000/v1',
      '--checkpoint',
      './ckpt',
    ]);
    expect(both.code).toBe(2);
    expect(both.firstError).toMatch(/--checkpoint and --base-url are both set/);
    const { path } = writeDataset(dir, 3);
    const missing = await cli([
      'eval',
      '--checkpoint',
      join(dir, 'outputs/step_40'),
      '--vllm-command',
      join(dir, 'no-such-vllm'),
      '--dataset',
      path,
      '--output-dir',
      join(dir, 'out'),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.firstError).toMatch(/--checkpoint: .*step_40 does not exist \(a local path/);
    expect(existsSync(join(dir, 'out', 'vllm-server.log'))).toBe(false);
  });
});
