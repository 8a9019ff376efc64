import { describe, expect, it } from 'vitest';
import type { RunSettings } from '../../src/core/summary.js';
import { settings } from '../helpers/settings.js';
import { canonicalJson } from '../../src/settings/table.js';
import {
  describeChanges,
  diffSettings,
  settingsFingerprint,
} from '../../src/settings/fingerprint.js';

describe('settingsFingerprint', () => {
  it('is a sha256 hex that ignores key order and the prompt file path', () => {
    const fp = settingsFingerprint(settings);
    expect(fp).toMatch(/^[0-9a-f]{64}$/);
    const reordered = Object.fromEntries(Object.entries(settings).reverse()) as RunSettings;
    reordered.extra_body = {
      chat_template_kwargs: { enable_thinking: false },
      top_k: 20,
      top_p: 0.8,
    };
    reordered.prompt_file = '/elsewhere/prompt.yaml';
    expect(settingsFingerprint(reordered)).toBe(fp);
  });

  it.each([
    ['model', 'other/model'],
    ['dataset_revision', 'v2'],
    ['dataset_resolved_revision', null],
    ['video_column', 'url'],
    ['prompt_sha256', 'e'.repeat(64)],
    ['parser', 'recipe-v2'],
    ['fps', 8],
    ['total_pixels', 1],
    ['max_tokens', 16],
    ['temperature', 0.7],
    ['sampling_seed', 2],
    ['extra_body', {}],
    ['limit', 300],
    ['subset_seed', 1],
  ] as const)('changes with %s', (key, value) => {
    expect(settingsFingerprint({ ...settings, [key]: value })).not.toBe(
      settingsFingerprint(settings),
    );
  });
});

describe('diffSettings', () => {
  it('is empty for equal settings and names each changed key, inside extra_body too', () => {
    expect(diffSettings(settings, { ...settings, prompt_file: 'x' })).toEqual([]);
    const changed = {
      ...settings,
      model: 'other/model',
      fps: 8,
      extra_body: { ...settings.extra_body, top_p: 0.9, chat_template_kwargs: {} },
    };
    const diff = diffSettings(settings, changed);
    expect(diff.map((c) => c.key)).toEqual([
      'model',
      'fps',
      'extra_body.chat_template_kwargs.enable_thinking',
      'extra_body.top_p',
    ]);
    expect(describeChanges(diff)).toBe(
      'model: "nvidia/Cosmos-Reason2-8B" -> "other/model"; fps: 16 -> 8; extra_body.chat_template_kwargs.enable_thinking: false -> null; extra_body.top_p: 0.8 -> 0.9',
    );
  });

  it('reads settings of an older summary with keys missing as null', () => {
    const older: Partial<RunSettings> = { ...settings };
    delete older.dataset_resolved_revision;
    expect(diffSettings(older, settings)).toEqual([
      { key: 'dataset_resolved_revision', before: null, after: 'abc123' },
    ]);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined, b: null }] })).toBe(
      '{"a":[{"b":null,"d":2}],"b":1}',
    );
  });
});
