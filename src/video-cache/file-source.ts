/** MP4 metadata of a video on disk (the video cache's files): the moov reader of src/vision over positional reads. */
import { open } from 'node:fs/promises';
import { readMp4Info, type ByteSource, type Mp4Info } from '../vision/mp4-info.js';

/** A ByteSource over a file on disk (positional reads; the handle is closed by `close`). */
export async function fileByteSource(
  path: string,
): Promise<ByteSource & { close(): Promise<void> }> {
  const handle = await open(path, 'r').catch((e: unknown) => {
    throw new Error(`${path}: cannot open video (${e instanceof Error ? e.message : String(e)})`);
  });
  const { size } = await handle.stat();
  return {
    name: path,
    byteLength: size,
    async slice(start: number, end: number): Promise<ArrayBuffer> {
      const buf = new Uint8Array(Math.max(0, Math.min(end, size) - start));
      if (buf.byteLength > 0) await handle.read(buf, 0, buf.byteLength, start);
      return buf.buffer;
    },
    close: () => handle.close(),
  };
}

/** Metadata of an MP4 file on disk. */
export async function mp4InfoFromFile(path: string): Promise<Mp4Info> {
  const src = await fileByteSource(path);
  try {
    return await readMp4Info(src);
  } finally {
    await src.close();
  }
}
