import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { mp4InfoFromFile } from '../../src/video-cache/file-source.js';
import { readMp4Info, type ByteSource } from '../../src/vision/mp4-info.js';
import {
  PROBE_ASSET,
  PROBE_DURATION_S,
  PROBE_META,
  probeRequests,
} from '../../src/vision/probe.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PROBE = join(ROOT, PROBE_ASSET);
const hasFfprobe = spawnSync('ffprobe', ['-version']).status === 0;
// .ci/run installs ffmpeg; elsewhere the cross-check is skipped, and says so.
if (!hasFfprobe) console.warn('mp4-info: ffprobe not found, the ffprobe cross-check is skipped');
const tmp = mkdtempSync(join(tmpdir(), 'mp4-info-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** An in-memory source that records which byte ranges were read. */
function memorySource(
  bytes: Uint8Array,
  name = 'memory.mp4',
): ByteSource & { reads: [number, number][] } {
  const reads: [number, number][] = [];
  return {
    name,
    byteLength: bytes.byteLength,
    reads,
    slice(start: number, end: number) {
      reads.push([start, end]);
      return Promise.resolve(bytes.slice(start, end).buffer);
    },
  };
}

function box(type: string, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + payload.byteLength);
  new DataView(out.buffer).setUint32(0, out.byteLength);
  out.set(new TextEncoder().encode(type), 4);
  out.set(payload, 8);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** Top-level boxes of a file: [type, start, size]. */
function topLevel(bytes: Uint8Array): { type: string; start: number; size: number }[] {
  const out = [];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let pos = 0; pos < bytes.byteLength;) {
    const size = dv.getUint32(pos);
    out.push({ type: new TextDecoder().decode(bytes.slice(pos + 4, pos + 8)), start: pos, size });
    pos += size;
  }
  return out;
}

describe('mp4-info on the shipped probe video', () => {
  it('reads frames, rate, size and duration', async () => {
    const info = await mp4InfoFromFile(PROBE);
    expect({
      numFrames: info.numFrames,
      sourceFps: info.sourceFps,
      width: info.width,
      height: info.height,
    }).toEqual(PROBE_META);
    expect(info.durationS).toBe(PROBE_DURATION_S);
    expect(info.codec).toMatch(/^avc1\.42/); // H.264 baseline
  });
  it.runIf(hasFfprobe)(
    'agrees with ffprobe (decoded frame count, average rate, size)',
    async () => {
      const res = spawnSync(
        'ffprobe',
        [
          '-v',
          'error',
          '-select_streams',
          'v:0',
          '-count_frames',
          '-show_entries',
          'stream=nb_read_frames,avg_frame_rate,width,height',
          '-of',
          'json',
          PROBE,
        ],
        { encoding: 'utf8' },
      );
      const s = (JSON.parse(res.stdout) as { streams: Record<string, string | number>[] })
        .streams[0]!;
      const [num, den] = String(s.avg_frame_rate).split('/').map(Number);
      const info = await mp4InfoFromFile(PROBE);
      expect(info.numFrames).toBe(Number(s.nb_read_frames));
      expect(info.sourceFps).toBe(num! / den!);
      expect([info.width, info.height]).toEqual([Number(s.width), Number(s.height)]);
    },
  );
  it('stays a few KB', async () => {
    expect((await readFile(PROBE)).byteLength).toBeLessThan(8 * 1024);
  });
});

describe('mp4-info reads only box headers and moov', () => {
  it('finds moov after mdat (no faststart) and never reads the media data', async () => {
    const bytes = new Uint8Array(await readFile(PROBE));
    const boxes = topLevel(bytes);
    const part = (t: string) => {
      const b = boxes.find((x) => x.type === t)!;
      return bytes.slice(b.start, b.start + b.size);
    };
    // moov last, as ffmpeg writes without +faststart; a big mdat in between.
    const mdat = box('mdat', new Uint8Array(1_000_000));
    const reordered = concat(part('ftyp'), mdat, part('moov'));
    const src = memorySource(reordered);
    const info = await readMp4Info(src);
    expect(info.numFrames).toBe(48);
    // Three box headers (16 bytes each), then ftyp and moov themselves; of mdat only its header.
    const bytesRead = src.reads.reduce(
      (n, [a, b]) => n + (Math.min(b, reordered.byteLength) - a),
      0,
    );
    expect(bytesRead).toBe(3 * 16 + part('ftyp').byteLength + part('moov').byteLength);
    const mdatStart = part('ftyp').byteLength;
    const mdatEnd = mdatStart + mdat.byteLength;
    const inMdat = src.reads.map(([a, b]) =>
      Math.max(0, Math.min(b, mdatEnd) - Math.max(a, mdatStart)),
    );
    expect(Math.max(...inMdat)).toBe(16);
  });
  it('names the file and what was expected for a non-MP4', async () => {
    const path = join(tmp, 'not-a-video.mp4');
    writeFileSync(path, '<html>404 Not Found</html>');
    await expect(mp4InfoFromFile(path)).rejects.toThrow(
      `${path}: not an MP4 file (first box "l>40", expected ftyp or moov)`,
    );
  });
  it('says when there is no moov (truncated download)', async () => {
    const bytes = new Uint8Array(await readFile(PROBE));
    const ftyp = topLevel(bytes).find((b) => b.type === 'ftyp')!;
    const src = memorySource(bytes.slice(0, ftyp.size), 'cut.mp4');
    await expect(readMp4Info(src)).rejects.toThrow('cut.mp4: no moov box');
  });
  it('says when the MP4 has no video track', async () => {
    const ftyp = box(
      'ftyp',
      concat(new TextEncoder().encode('isom'), new Uint8Array(4), new TextEncoder().encode('isom')),
    );
    const mvhd = new Uint8Array(100); // version 0: times, timescale 1000, duration 0, rate 1.0, volume 1.0, matrix
    const dv = new DataView(mvhd.buffer);
    dv.setUint32(12, 1000);
    dv.setUint32(20, 0x00010000);
    dv.setUint16(24, 0x0100);
    dv.setUint32(36, 0x00010000);
    dv.setUint32(52, 0x00010000);
    dv.setUint32(68, 0x40000000);
    dv.setUint32(96, 1);
    const moov = box('moov', box('mvhd', mvhd));
    await expect(readMp4Info(memorySource(concat(ftyp, moov), 'audio-only.mp4'))).rejects.toThrow(
      'audio-only.mp4: MP4 has no video track',
    );
  });
  it('names the path when the file cannot be opened', async () => {
    await expect(mp4InfoFromFile(join(tmp, 'missing.mp4'))).rejects.toThrow(
      `${join(tmp, 'missing.mp4')}: cannot open video`,
    );
  });
});

describe('the fidelity guard requests on the probe', () => {
  const probes = probeRequests();
  it('sample 48 vs 24 frames at fps 16 vs 8 and bind the small budget at both', () => {
    expect(probes.map((p) => [p.expected.nframes, p.expected.height, p.expected.width])).toEqual([
      [48, 256, 448],
      [48, 128, 224],
      [24, 256, 448],
      [24, 192, 320],
    ]);
  });
  it('expect four pairwise distinct token counts, far enough apart for the approximate timestamp tokens', () => {
    const visual = probes.map((p) => p.expected.visualTokens);
    expect(visual).toEqual([2688, 672, 1344, 720]);
    const tokens = probes.map((p) => p.videoTokens);
    expect(new Set(tokens).size).toBe(4);
    // Timestamp markers are the approximate part (~6 tokens per group, 24 or 12 groups): stay > 2 x 16 apart.
    const gaps = tokens.flatMap((a, i) => tokens.slice(i + 1).map((b) => Math.abs(a - b)));
    expect(Math.min(...gaps)).toBeGreaterThan(32);
  });
  it('tell a server whose transformers caps pixels per frame from one that does not', () => {
    const capped = probeRequests(undefined, { capPixelsPerFrame: true });
    expect(capped.map((p) => p.expected.visualTokens)).toEqual([2688, 2688, 1344, 1344]);
    // Same first and third answers, different second and fourth: the guard can name the behaviour.
    expect(capped.map((p, i) => p.videoTokens === probes[i]!.videoTokens)).toEqual([
      true,
      false,
      true,
      false,
    ]);
  });
});
