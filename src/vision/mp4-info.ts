/**
 * Video metadata of an MP4 (frame count, rate, size) read from its `moov` box alone, so a ranged-read
 * source (an HTTP Range reader, later) costs a few small reads, not the whole file. The box walk is ours
 * (headers only: 8 or 16 bytes per top-level box); `moov` is parsed by mp4box (gpac's MP4Box.js).
 */
import { createFile, MP4BoxBuffer, type Movie } from 'mp4box';
import type { VideoMeta } from './types.js';

/** Random access to a file's bytes; `name` is used in error messages. */
export interface ByteSource {
  readonly name: string;
  readonly byteLength: number;
  slice(start: number, end: number): Promise<ArrayBuffer>;
}

export interface Mp4Info extends VideoMeta {
  /** Media duration of the video track (mdhd duration / timescale). */
  durationS: number;
  /** The sample entry's codec string, e.g. "avc1.42c015". */
  codec: string;
}

/** A moov larger than this is not a short clip's; refuse rather than buffer it. */
const MAX_MOOV_BYTES = 64 * 1024 * 1024;
/** Top-level boxes that may precede moov in a well-formed file. */
const TOP_LEVEL = new Set([
  'ftyp',
  'moov',
  'mdat',
  'free',
  'skip',
  'wide',
  'pdin',
  'uuid',
  'meta',
  'styp',
  'sidx',
]);

interface BoxHeader {
  type: string;
  start: number;
  size: number;
}

async function boxHeader(src: ByteSource, start: number): Promise<BoxHeader> {
  const head = new DataView(await src.slice(start, Math.min(start + 16, src.byteLength)));
  if (head.byteLength < 8) {
    throw new Error(
      `${src.name}: truncated box header at byte ${start} (file is ${src.byteLength} bytes)`,
    );
  }
  const type = String.fromCharCode(
    head.getUint8(4),
    head.getUint8(5),
    head.getUint8(6),
    head.getUint8(7),
  );
  let size = head.getUint32(0);
  if (size === 1) {
    if (head.byteLength < 16)
      throw new Error(`${src.name}: truncated 64-bit box size at byte ${start}`);
    size = Number(head.getBigUint64(8));
  } else if (size === 0) {
    size = src.byteLength - start;
  }
  if (size < 8)
    throw new Error(
      `${src.name}: box "${type}" at byte ${start} claims ${size} bytes, expected >= 8`,
    );
  return { type, start, size };
}

/** Locate ftyp and moov by walking the top-level box headers. */
async function findBoxes(src: ByteSource): Promise<{ ftyp?: BoxHeader; moov: BoxHeader }> {
  let ftyp: BoxHeader | undefined;
  let pos = 0;
  for (let i = 0; pos < src.byteLength && i < 10_000; i++) {
    const box = await boxHeader(src, pos);
    if (i === 0 && !TOP_LEVEL.has(box.type)) {
      throw new Error(
        `${src.name}: not an MP4 file (first box "${box.type}", expected ftyp or moov)`,
      );
    }
    if (box.type === 'ftyp') ftyp = box;
    if (box.type === 'moov') {
      if (box.start + box.size > src.byteLength) {
        throw new Error(
          `${src.name}: moov box runs past the end of the file (truncated download?)`,
        );
      }
      if (box.size > MAX_MOOV_BYTES)
        throw new Error(`${src.name}: moov box of ${box.size} bytes, expected < 64 MiB`);
      return ftyp ? { ftyp, moov: box } : { moov: box };
    }
    pos = box.start + box.size;
  }
  throw new Error(`${src.name}: no moov box (not an MP4 file, or a fragmented/streaming one)`);
}

function parseMovie(name: string, bytes: ArrayBuffer): Movie {
  const file = createFile();
  let movie: Movie | undefined;
  let failure: string | undefined;
  file.onReady = (info) => {
    movie = info;
  };
  file.onError = (module, message) => {
    failure = `${module}: ${message}`;
  };
  file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(bytes, 0));
  file.flush();
  if (!movie)
    throw new Error(`${name}: could not parse the moov box${failure ? ` (${failure})` : ''}`);
  return movie;
}

/**
 * Metadata of the first video track. sourceFps = sample count / media duration, the average rate that
 * torchcodec (exact mode) and OpenCV report for a constant-frame-rate file.
 */
export async function readMp4Info(src: ByteSource): Promise<Mp4Info> {
  const { ftyp, moov } = await findBoxes(src);
  // Feed mp4box just ftyp + moov, back to back: it needs nothing else for track metadata.
  const parts = [ftyp, moov].filter((b): b is BoxHeader => b !== undefined);
  const chunks = await Promise.all(parts.map((b) => src.slice(b.start, b.start + b.size)));
  const joined = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    joined.set(new Uint8Array(c), at);
    at += c.byteLength;
  }
  const movie = parseMovie(src.name, joined.buffer);
  const track = movie.videoTracks[0];
  if (!track)
    throw new Error(
      `${src.name}: MP4 has no video track (tracks: ${movie.tracks.map((t) => t.type ?? '?').join(', ') || 'none'})`,
    );
  if (!(track.timescale > 0) || !(track.duration > 0) || !(track.nb_samples > 0)) {
    throw new Error(
      `${src.name}: video track ${track.id} has ${track.nb_samples} samples over ${track.duration}/${track.timescale} s, expected positive values`,
    );
  }
  const durationS = track.duration / track.timescale;
  return {
    numFrames: track.nb_samples,
    sourceFps: track.nb_samples / durationS,
    width: track.video?.width ?? track.track_width,
    height: track.video?.height ?? track.track_height,
    durationS,
    codec: track.codec,
  };
}
