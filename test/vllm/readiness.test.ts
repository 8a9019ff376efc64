import { describe, expect, it } from 'vitest';
import { pollReadiness, type ProbeResult } from '../../src/vllm/readiness.js';

/** A probe answering from a script, one answer per call (the last one repeats). */
const scripted = (answers: ProbeResult[]) => {
  let calls = 0;
  return {
    probe: () => Promise.resolve(answers[Math.min(calls++, answers.length - 1)] as ProbeResult),
    calls: () => calls,
  };
};
const no: ProbeResult = { ready: false, detail: 'HTTP 503' };
const yes: ProbeResult = { ready: true, detail: 'answered 200' };
const refused: ProbeResult = { ready: false, detail: 'ECONNREFUSED', refused: true };

describe('pollReadiness: the one readiness loop', () => {
  it('probes until ready, reporting each probe that was not', async () => {
    const p = scripted([no, no, yes]);
    const seen: string[] = [];
    const r = await pollReadiness({
      probe: p.probe,
      timeoutS: 10,
      pollMs: 1,
      onNotReady: (_, probe) => seen.push(probe.detail),
    });
    expect(r).toMatchObject({ ready: true, detail: 'answered 200' });
    expect(p.calls()).toBe(3);
    expect(seen).toEqual(['HTTP 503', 'HTTP 503']);
  });

  it('gives up at the timeout with the last detail', async () => {
    const r = await pollReadiness({ probe: scripted([no]).probe, timeoutS: 0.05, pollMs: 5 });
    expect(r).toMatchObject({ ready: false, reason: 'timeout', detail: 'HTTP 503' });
  });

  it('a stop reason (the process exited) ends the wait, even when the port answers 200', async () => {
    let exited = false;
    const p = scripted([no, yes]);
    const r = await pollReadiness({
      probe: async () => {
        const a = await p.probe();
        if (a.ready) exited = true; // someone else answers on the port after our process died
        return a;
      },
      timeoutS: 10,
      pollMs: 1,
      stopIf: () => (exited ? 'vLLM exited' : undefined),
    });
    expect(r).toMatchObject({ ready: false, reason: 'stopped', detail: 'vLLM exited' });
  });

  it('refused connections give up after the grace period only when one is set', async () => {
    const r = await pollReadiness({
      probe: scripted([refused]).probe,
      timeoutS: 10,
      pollMs: 5,
      refusedGraceS: 0.03,
    });
    expect(r).toMatchObject({ ready: false, reason: 'refused' });
    expect(r.ready === false && r.refusedS).toBeGreaterThanOrEqual(0.03);
    const noGrace = await pollReadiness({
      probe: scripted([refused]).probe,
      timeoutS: 0.05,
      pollMs: 5,
    });
    expect(noGrace).toMatchObject({ ready: false, reason: 'timeout' });
  });

  it('cancellation and a wake-up cut the pause short', async () => {
    const ac = new AbortController();
    const p = scripted([no]);
    const waiting = pollReadiness({
      probe: p.probe,
      timeoutS: 60,
      pollMs: 60_000,
      signal: ac.signal,
    });
    setTimeout(() => ac.abort(), 20);
    expect(await waiting).toMatchObject({ ready: false, reason: 'cancelled' });
    let ended = false;
    let wake: () => void = () => undefined;
    const woken = pollReadiness({
      probe: scripted([no]).probe,
      timeoutS: 60,
      pollMs: 60_000,
      wake: new Promise<void>((r) => (wake = r)),
      stopIf: () => (ended ? 'exited' : undefined),
    });
    setTimeout(() => {
      ended = true;
      wake();
    }, 20);
    expect(await woken).toMatchObject({ ready: false, reason: 'stopped', detail: 'exited' });
  });
});
