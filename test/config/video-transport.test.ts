import { describe, expect, it } from 'vitest';
import { parseVideoTransport } from '../../src/config/video-transport.js';

describe('parseVideoTransport', () => {
  it('accepts url, file, data (url when empty) and names the input otherwise', () => {
    expect(parseVideoTransport('')).toBe('url');
    expect(parseVideoTransport(' FILE ')).toBe('file');
    expect(parseVideoTransport('data')).toBe('data');
    expect(() => parseVideoTransport('base64')).toThrow(
      "'video-transport' input must be one of url, file, data, but got 'base64'",
    );
  });
});
