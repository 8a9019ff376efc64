import { describe, expect, it } from 'vitest';
import type { RunSettings } from '../../src/core/summary.js';
import { compareSettings, formatComparability } from '../../src/settings/comparability.js';
import { settings } from '../helpers/settings.js';

/** The typical run (helpers/settings.ts), with an extra body and a request that record fps and pixel limits. */
const SETTINGS: RunSettings = {
  ...settings,
  model: 'critic',
  dataset_resolved_revision: 'a'.repeat(40),
  extra_body: {
    top_p: 0.8,
    top_k: 20,
    mm_processor_kwargs: { fps: 16, size: { shortest_edge: 131072 } },
  },
  request: { max_tokens: 2048, mm_processor_kwargs: { fps: 16, size: { longest_edge: 12845056 } } },
};
const VLLM = { baseline: '0.11.0', candidate: '0.11.0' };

describe('compareSettings', () => {
  it('finds nothing when the runs were scored alike', () => {
    const c = compareSettings(SETTINGS, { ...SETTINGS }, { vllmVersion: VLLM });
    expect(c).toMatchObject({ comparable: true, differences: [], unverified: [] });
  });

  const table: { what: string; change: Partial<RunSettings>; key: string }[] = [
    { what: 'another dataset', change: { dataset: 'local.csv' }, key: 'dataset' },
    {
      what: 'another resolved revision',
      change: { dataset_resolved_revision: 'b'.repeat(40) },
      key: 'dataset_revision',
    },
    { what: 'another split', change: { split: 'train' }, key: 'split' },
    { what: 'another score column', change: { score_column: 'sa' }, key: 'score_column' },
    { what: 'another prompt', change: { prompt_sha256: 'e'.repeat(64) }, key: 'prompt_sha256' },
    { what: 'another parser', change: { parser: 'answer-tag' }, key: 'parser' },
    { what: 'another vision rule', change: { vision_rule: 'other-v9' }, key: 'vision_rule' },
    {
      what: 'another request body as sent',
      change: {
        request: {
          max_tokens: 2048,
          mm_processor_kwargs: { fps: 16, size: { longest_edge: 6422528 } },
        },
      },
      key: 'request',
    },
    { what: 'another fps', change: { fps: 8 }, key: 'fps' },
    { what: 'another pixel budget', change: { total_pixels: 1000000 }, key: 'total_pixels' },
    { what: 'another temperature', change: { temperature: 0.7 }, key: 'temperature' },
    { what: 'another sampling seed', change: { sampling_seed: 2 }, key: 'sampling_seed' },
    { what: 'another max tokens', change: { max_tokens: 512 }, key: 'max_tokens' },
    {
      what: 'a nested extra_body value',
      change: {
        extra_body: {
          top_p: 0.8,
          top_k: 20,
          mm_processor_kwargs: { fps: 16, size: { shortest_edge: 1 } },
        },
      },
      key: 'extra_body',
    },
  ];
  for (const { what, change, key } of table) {
    it(`${what} is a blocking difference (${key})`, () => {
      const c = compareSettings(SETTINGS, { ...SETTINGS, ...change }, { vllmVersion: VLLM });
      expect(c.comparable).toBe(false);
      expect(c.differences.map((d) => [d.key, d.blocking])).toEqual([[key, true]]);
    });
  }

  it('compares the resolved commit when both have one, else the requested revision', () => {
    // 'main' then and a pinned sha now that resolve to the same commit: same data
    const pinned = { ...SETTINGS, dataset_revision: 'a'.repeat(40) };
    expect(compareSettings(SETTINGS, pinned, { vllmVersion: VLLM }).differences).toEqual([]);
    // no resolved commit on one side (older baseline): the requested revisions decide
    const old = { ...SETTINGS, dataset_resolved_revision: null, dataset_revision: 'v1.0' };
    expect(compareSettings(old, SETTINGS, { vllmVersion: VLLM }).differences).toEqual([
      { key: 'dataset_revision', baseline: 'v1.0', candidate: 'main', blocking: true },
    ]);
  });

  it('compares extra_body deeply, ignoring key order', () => {
    const reordered = {
      ...SETTINGS,
      extra_body: {
        mm_processor_kwargs: { size: { shortest_edge: 131072 }, fps: 16 },
        top_k: 20,
        top_p: 0.8,
      },
    };
    expect(compareSettings(SETTINGS, reordered, { vllmVersion: VLLM }).differences).toEqual([]);
  });

  it('never counts the subset (limit, subset seed) as a difference, but reports it', () => {
    const subset = { ...SETTINGS, limit: 300, subset_seed: 7 };
    const c = compareSettings(SETTINGS, subset, { vllmVersion: VLLM });
    expect(c.comparable).toBe(true);
    expect(c.differences).toEqual([]);
    expect(c.subset).toEqual({
      baseline: { limit: 0, subset_seed: 0 },
      candidate: { limit: 300, subset_seed: 7 },
    });
    expect(formatComparability(c)).toEqual([
      'Subset: candidate 300 videos, subset seed 7; baseline all videos (runs are compared on the videos both scored).',
    ]);
  });

  it('blocks on another vLLM version; a model name differs without blocking unless asked', () => {
    const c = compareSettings(
      SETTINGS,
      { ...SETTINGS, model: 'critic-step80' },
      { vllmVersion: { baseline: '0.10.2', candidate: '0.11.0' } },
    );
    expect(c.comparable).toBe(false);
    expect(c.differences).toEqual([
      // In the settings table's order (model first), the vLLM version last.
      { key: 'model', baseline: 'critic', candidate: 'critic-step80', blocking: false },
      { key: 'vllm_version', baseline: '0.10.2', candidate: '0.11.0', blocking: true },
    ]);
    const named = compareSettings(
      SETTINGS,
      { ...SETTINGS, model: 'critic-step80' },
      { vllmVersion: VLLM },
    );
    expect(named.comparable).toBe(true);
    expect(
      compareSettings(
        SETTINGS,
        { ...SETTINGS, model: 'x' },
        { vllmVersion: VLLM, modelMustMatch: true },
      ).comparable,
    ).toBe(false);
  });

  it('lists what the baseline does not record as unverified (a recipe summary has no settings)', () => {
    const c = compareSettings(undefined, SETTINGS, { vllmVersion: { candidate: '0.11.0' } });
    expect(c.comparable).toBe(true);
    expect(c.unverified).toHaveLength(16);
    expect(c.subset.baseline).toEqual({ limit: null, subset_seed: null });
    const partial = compareSettings({ ...SETTINGS, parser: undefined }, SETTINGS);
    expect(partial.unverified).toEqual(['parser', 'vllm_version']);
  });

  it('a baseline recorded before the vision rule existed was made under the old rule: blocking', () => {
    const old: Partial<RunSettings> = { ...SETTINGS, vision_rule: undefined, request: undefined };
    const c = compareSettings(old, SETTINGS, { vllmVersion: VLLM });
    expect(c.comparable).toBe(false);
    expect(c.differences).toEqual([
      {
        key: 'vision_rule',
        baseline: 'longest-edge-total-pixels-v0',
        candidate: 'recipe-frame-budget-v1',
        blocking: true,
      },
    ]);
    expect(c.unverified).toEqual(['request']);
  });

  it('formats a refusal that names every difference', () => {
    const c = compareSettings(
      SETTINGS,
      { ...SETTINGS, fps: 8, prompt_sha256: 'e'.repeat(64), model: 'new', limit: 300 },
      { vllmVersion: { baseline: '0.11.0', candidate: null } },
    );
    expect(formatComparability(c)).toEqual([
      'The candidate was not scored like the baseline, so the numbers are not comparable (2 differences):',
      `- prompt_sha256: baseline ${'f'.repeat(64)}, candidate ${'e'.repeat(64)}`,
      '- fps: baseline 16, candidate 8',
      'Score both the same way (or make a new baseline with these settings), or set allow-incomparable: true to compare anyway.',
      'Also different (does not prevent the comparison):',
      '- model: baseline critic, candidate new',
      'Not recorded by both runs, so not checked: vllm_version.',
      'Subset: candidate 300 videos, subset seed 0; baseline all videos (runs are compared on the videos both scored).',
    ]);
  });
});
