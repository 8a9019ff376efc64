/**
 * An MP4's bytes over HTTP Range requests, for reading its `moov` box (src/vision/mp4-info.ts) without
 * downloading the video: a VideoPhy-2 video's moov is a few KB, the video a few MB. The first request
 * fetches the head (where a "faststart" file keeps moov) and learns the size from Content-Range; later
 * slices outside it are fetched as asked. A server that ignores Range (200 with the whole body) is refused
 * rather than read whole.
 */
import type { ByteSource } from '../vision/mp4-info.js';

const HEAD_BYTES = 64 * 1024;

export interface RangeOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

async function get(url: string, start: number, end: number, o: RangeOptions): Promise<Response> {
  const timeout = AbortSignal.timeout(o.timeoutMs ?? 30_000);
  const res = await fetch(url, {
    headers: { range: `bytes=${start}-${end - 1}` },
    redirect: 'follow',
    signal: o.signal ? AbortSignal.any([o.signal, timeout]) : timeout,
  });
  if (res.status !== 206) {
    await res.body?.cancel();
    throw new Error(
      `${url}: answered HTTP ${res.status} to a Range request${res.status === 200 ? ' (the server does not serve byte ranges)' : ''}`,
    );
  }
  return res;
}

/** A ByteSource over `url`; the head is fetched now (it also gives the size). */
export async function httpByteSource(url: string, o: RangeOptions = {}): Promise<ByteSource> {
  const first = await get(url, 0, HEAD_BYTES, o);
  const total = /\/(\d+)\s*$/.exec(first.headers.get('content-range') ?? '')?.[1];
  if (total === undefined) {
    await first.body?.cancel();
    throw new Error(`${url}: a 206 answer without the total size in Content-Range`);
  }
  const head = new Uint8Array(await first.arrayBuffer());
  const byteLength = Number(total);
  return {
    name: url,
    byteLength,
    async slice(start: number, end: number): Promise<ArrayBuffer> {
      const stop = Math.min(end, byteLength);
      if (stop <= start) return new ArrayBuffer(0);
      if (stop <= head.byteLength) return head.slice(start, stop).buffer;
      const res = await get(url, start, stop, o);
      return res.arrayBuffer();
    },
  };
}
