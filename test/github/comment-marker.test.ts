import { describe, expect, it } from 'vitest';
import { commentMarker } from '../../src/github/comment-marker.js';

describe('commentMarker', () => {
  it('is an HTML comment no tag can end early, and distinct per tag', () => {
    expect(commentMarker('videophy-gate')).toBe('<!-- videophy-gate: videophy-gate -->');
    expect(commentMarker('a --> b')).toBe('<!-- videophy-gate: a%20--%3E%20b -->');
    expect(commentMarker('ab').includes(commentMarker('a'))).toBe(false);
  });
});
