import { describe, expect, it } from 'vitest';
import type { ChatOutcome } from '../../src/vllm/client.js';
import { EndpointPool, type EndpointClient } from '../../src/scoring/endpoint-pool.js';
import { WorkQueue } from '../../src/scoring/dispatch.js';
import { evalItems } from '../helpers/rows.js';

const items = (n: number) => evalItems(n, (i) => `v${i}`);
const client: EndpointClient = {
  chat: () => Promise.reject(new Error('not called')),
  probe: () => Promise.resolve({ ready: true, detail: 'ok' }),
};
const failure: ChatOutcome = {
  ok: false,
  error: { kind: 'http_5xx', status: 500, message: 'x' },
  latencyMs: 1,
};

describe('WorkQueue', () => {
  it('hands out videos in order while endpoints have free slots, then waits', () => {
    const pool = new EndpointPool([{ name: 'a', client }], 2);
    const q = new WorkQueue(items(3), pool);
    const sent: number[] = [];
    for (;;) {
      const s = q.take(0);
      if (s.kind !== 'send') break;
      sent.push(s.item.index);
      s.endpoint.inFlight++;
    }
    expect(sent).toEqual([0, 1]);
    expect(q.take(0).kind).toBe('wait');
  });

  it('a video given back goes first, and only to an endpoint that has not tried it', () => {
    const pool = new EndpointPool(
      [
        { name: 'a', client },
        { name: 'b', client },
      ],
      1,
    );
    const [a, b] = pool.endpoints;
    const q = new WorkQueue(items(3), pool);
    const first = q.take(0);
    expect(first).toMatchObject({ kind: 'send', item: { index: 0 } });
    const e0 = first.kind === 'send' ? first.endpoint : undefined;
    expect(q.retry(items(1)[0]!, e0!, failure)).toBe(true);
    const again = q.take(0);
    expect(again).toMatchObject({ kind: 'send', item: { index: 0 } });
    expect(again.kind === 'send' && again.endpoint).toBe(e0 === a ? b : a);
  });

  it('when every live endpoint has tried a video, its last failure is recorded', () => {
    const pool = new EndpointPool(
      [
        { name: 'a', client },
        { name: 'b', client },
      ],
      4,
    );
    const [a, b] = pool.endpoints;
    const q = new WorkQueue(items(2), pool);
    const video = items(1)[0]!;
    q.take(0); // video 0 out
    expect(q.retry(video, a!, failure)).toBe(true);
    pool.takeOut(b!, 'gone');
    // b is out, a has tried it: nobody is left to try video 0.
    expect(q.take(0)).toEqual({ kind: 'record', item: video, failure });
    expect(q.take(0)).toMatchObject({ kind: 'send', item: { index: 1 } });
    expect(q.retry(video, a!, failure)).toBe(false);
  });
});

describe('EndpointPool failure policy', () => {
  const pool2 = (probeReady: boolean) => {
    const c: EndpointClient = {
      ...client,
      probe: () => Promise.resolve({ ready: probeReady, detail: probeReady ? 'ok' : 'refused' }),
    };
    return new EndpointPool(
      [
        { name: 'a', client: c },
        { name: 'b', client: c },
      ],
      4,
    );
  };

  it('404 and refused credentials take the endpoint out; the video may go elsewhere', async () => {
    for (const status of [404, 401, 403]) {
      const pool = pool2(true);
      const heard: string[] = [];
      const action = await pool.judgeFailure(
        pool.endpoints[0]!,
        { kind: 'http_4xx', status, message: 'm' },
        (e, reason) => heard.push(`${e.name}: ${reason}`),
      );
      expect(action).toBe('endpoint-gone');
      expect(pool.live().map((e) => e.name)).toEqual(['b']);
      expect(pool.removed).toHaveLength(1);
      expect(heard[0]).toMatch(status === 404 ? /^a: answered 404/ : /^a: refused the credentials/);
    }
  });

  it('a connection failure probes the server: out when the probe fails, a maybe when it answers', async () => {
    const dead = pool2(false);
    expect(
      await dead.judgeFailure(
        dead.endpoints[0]!,
        { kind: 'connection', message: 'ECONNRESET' },
        () => {},
      ),
    ).toBe('endpoint-gone');
    expect(dead.removed[0]?.reason).toMatch(
      /stopped answering mid-run \(ECONNRESET; health probe: refused\)/,
    );
    const alive = pool2(true);
    expect(
      await alive.judgeFailure(alive.endpoints[0]!, { kind: 'timeout', message: 't' }, () => {}),
    ).toBe('maybe-endpoint');
    expect(alive.removed).toEqual([]);
  });

  it('a 4xx or an unavailable video is the video’s; 8 failures in a row take an endpoint out while others remain', async () => {
    const pool = pool2(true);
    const [a] = pool.endpoints;
    expect(
      await pool.judgeFailure(a!, { kind: 'http_4xx', status: 400, message: 'm' }, () => {}),
    ).toBe('video');
    expect(await pool.judgeFailure(a!, { kind: 'video_unavailable', message: 'm' }, () => {})).toBe(
      'video',
    );
    for (let i = 0; i < 8; i++) a!.completed(failure, i);
    expect(await pool.judgeFailure(a!, { kind: 'http_5xx', message: 'm' }, () => {})).toBe(
      'maybe-endpoint',
    );
    expect(pool.removed[0]).toEqual({ name: 'a', reason: '8 requests in a row failed (last: m)' });
    // The last endpoint is never taken out for failing: the error budget decides then.
    const b = pool.endpoints[1]!;
    for (let i = 0; i < 8; i++) b.completed(failure, i);
    await pool.judgeFailure(b, { kind: 'http_5xx', message: 'm' }, () => {});
    expect(pool.live()).toEqual([b]);
  });
});
