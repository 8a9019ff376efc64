import { describe, expect, it } from 'vitest';
import { parseVersion, timestampWarning } from '../../src/fidelity/version.js';

describe('the Qwen3-VL timestamp fix (vLLM PR #27104)', () => {
  it.each([
    ['0.10.2', true],
    ['0.11.0', true],
    ['v0.11.0', true],
    ['0.11.1', false],
    ['0.11.1rc2', false],
    ['0.12.0+cu129', false],
    ['1.0', false],
  ])('vLLM %s: warned %s', (version, warned) => {
    expect(timestampWarning(version) !== null).toBe(warned);
  });

  it('unknown versions are not warned about (nothing to compare)', () => {
    expect(timestampWarning(null)).toBeNull();
    expect(timestampWarning('main')).toBeNull();
    expect(parseVersion('0.9')).toEqual([0, 9, 0]);
  });

  it('the warning names the fix and the remedy', () => {
    expect(timestampWarning('0.11.0')).toMatch(
      /PR #27104, first released in 0\.11\.1.*Upgrade vLLM/,
    );
  });
});
