import { describe, expect, it } from 'vitest';
import { judgeProbes } from '../../src/fidelity/judge.js';
import { probeRequests } from '../../src/vision/probe.js';

const probes = probeRequests();
const TEXT = 412; // the prompt's text part: the same in all four probes
const faithful = probes.map((p) => TEXT + p.videoTokens);

describe('judgeProbes', () => {
  it('the predicted differences: ok', () => {
    expect(judgeProbes(probes, { promptTokens: faithful })).toEqual([
      { level: 'ok', message: expect.stringMatching(/pixel differences exact/) as unknown },
    ]);
  });

  it('fps ignored (both fps cost the same): error naming the num_frames flag', () => {
    const t = [faithful[0], faithful[1], faithful[0], faithful[1]] as number[];
    const f = judgeProbes(probes, { promptTokens: t });
    expect(f.map((x) => x.level)).toEqual(['error']);
    expect(f[0]?.message).toMatch(/--media-io-kwargs '\{"video":\{"num_frames":-1\}\}'/);
  });

  it('pixel limits ignored: error', () => {
    const t = [faithful[0], faithful[0], faithful[2], faithful[2]] as number[];
    expect(judgeProbes(probes, { promptTokens: t })[0]).toMatchObject({
      level: 'error',
      message: expect.stringMatching(/ignores mm_processor_kwargs\.size/) as unknown,
    });
  });

  it('pixel differences off by one token: a warning with both numbers (the exact part)', () => {
    const t = [...faithful];
    t[1] = (t[1] ?? 0) + 1;
    const [f] = judgeProbes(probes, { promptTokens: t });
    expect(f?.level).toBe('warning');
    expect(f?.message).toContain(
      `predicts exactly ${(probes[0]?.videoTokens ?? 0) - (probes[1]?.videoTokens ?? 0)}`,
    );
  });

  it('fps differences within the marker tolerance pass; beyond it warn', () => {
    const groups = Math.abs((probes[0]?.expected.gridT ?? 0) - (probes[2]?.expected.gridT ?? 0));
    const within = [...faithful];
    within[2] = (within[2] ?? 0) - 2 * groups; // markers cost less than estimated, within 2 per group
    within[3] = (within[3] ?? 0) - 2 * groups;
    expect(judgeProbes(probes, { promptTokens: within })[0]?.level).toBe('ok');
    const beyond = [...faithful];
    beyond[2] = (beyond[2] ?? 0) - 2 * groups - 1;
    beyond[3] = (beyond[3] ?? 0) - 2 * groups - 1;
    expect(judgeProbes(probes, { promptTokens: beyond })[0]?.level).toBe('warning');
  });

  it('no usage: a warning, never an error', () => {
    expect(judgeProbes(probes, { promptTokens: [null, null, null, null] })).toEqual([
      { level: 'warning', message: expect.stringMatching(/no usage\.prompt_tokens/) as unknown },
    ]);
  });
});
