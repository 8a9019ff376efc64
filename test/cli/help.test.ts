import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { INPUTS } from '../../src/config/inputs.js';
import { SIMULATOR_FLAG_NAMES } from '../../src/simulator/args.js';
import { cli } from '../helpers/cli.js';

const NAMES = [
  'eval',
  'sweep',
  'simulate',
  'serve',
  'demo',
  'merge',
  'comment',
  'compare',
  'baseline',
  'export-recipe',
];

describe('videophy-gate <command> --help', () => {
  it.each(NAMES)('%s --help prints its usage line first and exits 0', async (name) => {
    const r = await cli([name, '--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(new RegExp(`^usage: videophy-gate ${name}\\b`));
    expect(r.stdout).toContain('--help');
    // `help <command>` and `-h` are the same text.
    expect((await cli(['help', name])).stdout).toBe(r.stdout);
    expect((await cli([name, '-h'])).stdout).toBe(r.stdout);
  });

  it('--help wins over other (even wrong) flags: help is what a confused user asked for', async () => {
    const r = await cli(['demo', '--regres', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: videophy-gate demo/);
  });

  it('the top-level help lists every command and exits 0; no command at all is exit 2', async () => {
    expect(COMMANDS.map((c) => c.name).sort()).toEqual([...NAMES].sort());
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const name of NAMES) expect(r.stdout).toMatch(new RegExp(`^  ${name} +${name}\\b`, 'm'));
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.firstError).toMatch(/^videophy-gate: score a vLLM-served video critic/);
  });

  it('eval --help documents every action input as a flag', async () => {
    const r = await cli(['eval', '--help']);
    for (const i of INPUTS) expect(r.stdout).toMatch(new RegExp(`^  --${i.name}\\b`, 'm'));
    expect(r.stdout).toMatch(/^ {2}--json\b/m);
    expect(r.stdout).toMatch(/^ {2}--quiet\b/m);
  });

  it('simulate --help documents exactly the flags the simulator parses', async () => {
    const r = await cli(['simulate', '--help']);
    const documented = [...r.stdout.matchAll(/^ {2}--([a-z-]+)/gm)].map((m) => `--${m[1]}`);
    expect(documented.filter((f) => f !== '--help').sort()).toEqual(
      [...SIMULATOR_FLAG_NAMES].sort(),
    );
  });

  it('serve CHECKPOINT --help is help too (as with vllm serve), not a server started', async () => {
    const r = await cli(['serve', 'some/checkpoint', '--port', '0', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: videophy-gate serve CHECKPOINT/);
  });
});
