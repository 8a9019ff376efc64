/** Strict UTF-8 decoding: a mis-encoded dataset must fail loudly, not turn captions into U+FFFD. */
import { DatasetError } from './types.js';

/** Decodes UTF-8 bytes, dropping a leading BOM; invalid bytes -> DatasetError with their offset. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    // ignoreBOM defaults to false, so the decoder itself strips a leading U+FEFF.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidOffset(bytes);
    const line = 1 + countByte(bytes, 0x0a, at);
    const hex = Array.from(bytes.subarray(at, at + 4), (b) => b.toString(16).padStart(2, '0'));
    throw new DatasetError(
      `${file}: invalid UTF-8 at byte offset ${at} (line ${line}, bytes ${hex.join(' ')}); ` +
        'save the file as UTF-8',
    );
  }
}

/** Drops a leading BOM from text that did not come through decodeUtf8. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Text of a reader's input: strings are taken as is (minus a BOM), bytes are decoded strictly. */
export function toText(input: string | Uint8Array, file: string): string {
  return typeof input === 'string' ? stripBom(input) : decodeUtf8(input, file);
}

/**
 * Offset of the first byte of the first invalid sequence, found with the platform decoder rather
 * than a hand-written validator: the shortest prefix that fails in streaming mode ends inside the
 * bad sequence, and the longest shorter prefix that decodes completely ends where it starts.
 */
function firstInvalidOffset(bytes: Uint8Array): number {
  const decodes = (n: number, stream: boolean): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, n), { stream });
      return true;
    } catch {
      return false;
    }
  };
  // Streaming decode tolerates a truncated tail, so a file that only ends mid-sequence passes.
  let failing = bytes.length + 1;
  if (!decodes(bytes.length, true)) {
    let lo = 0; // prefix of length lo decodes
    let hi = bytes.length; // prefix of length hi fails
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (decodes(mid, true)) lo = mid;
      else hi = mid;
    }
    failing = hi;
  }
  for (let m = failing - 1; m >= Math.max(0, failing - 4); m--) if (decodes(m, false)) return m;
  return Math.max(0, failing - 1);
}

function countByte(bytes: Uint8Array, value: number, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === value) n++;
  return n;
}
