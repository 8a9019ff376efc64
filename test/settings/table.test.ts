import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse.js';
import { parsePrompt } from '../../src/core/prompt.js';
import { buildRequestBody, defaultVision } from '../../src/core/request.js';
import type { Summary } from '../../src/core/summary.js';
import type { LoadedDataset } from '../../src/dataset/types.js';
import { settingsTable } from '../../src/report/sections/settings.js';
import { COMPARED_KEYS } from '../../src/settings/comparability.js';
import { FINGERPRINT_KEYS } from '../../src/settings/fingerprint.js';
import { runSettings } from '../../src/settings/run-settings.js';
import { canonicalJson, SETTINGS } from '../../src/settings/table.js';
import { VISION_RULE } from '../../src/vision/rule.js';

const dataset: LoadedDataset = {
  id: 'videophysics/videophy2_test',
  kind: 'hub',
  revision: 'main',
  resolvedRevision: 'c0ffee',
  split: 'test',
  files: [],
  columns: [],
  rows: [],
  notes: [],
} as unknown as LoadedDataset;

function settingsFor(inputs: Record<string, string>) {
  const config = parseConfig((n) => inputs[n] ?? '', {});
  const prompt = parsePrompt(
    readFileSync('prompts/video_reward.yaml', 'utf8'),
    'video_reward.yaml',
  );
  const template = buildRequestBody(
    'critic',
    prompt,
    'video',
    config.sampling,
    defaultVision(config.sampling),
  );
  return runSettings(
    config,
    dataset,
    prompt,
    'prompts/video_reward.yaml',
    'critic',
    template,
    VISION_RULE,
  );
}

describe('the settings table', () => {
  const base = { 'base-url': 'http://127.0.0.1:8000/v1', dataset: 'videophysics/videophy2_test' };

  it('the run record has every setting, in the order summary.json has always written them', () => {
    expect(Object.keys(settingsFor(base))).toEqual([
      'model',
      'dataset',
      'dataset_revision',
      'dataset_resolved_revision',
      'split',
      'video_column',
      'score_column',
      'prompt_file',
      'prompt_sha256',
      'parser',
      'vision_rule',
      'fps',
      'total_pixels',
      'max_tokens',
      'temperature',
      'sampling_seed',
      'extra_body',
      'request',
      'limit',
      'subset_seed',
    ]);
  });

  it('fps, max tokens, temperature and seed are read from the request as sent, after extra-body', () => {
    const s = settingsFor({
      ...base,
      'extra-body': '{"mm_processor_kwargs": {"fps": 4}, "max_completion_tokens": 64, "seed": 9}',
    });
    expect(s.fps).toBe(4);
    expect(s.max_tokens).toBe(64);
    expect(s.sampling_seed).toBe(9);
    expect(s.dataset_resolved_revision).toBe('c0ffee');
    expect(s.vision_rule).toBe(VISION_RULE);
    expect((s.request as { max_completion_tokens?: number }).max_completion_tokens).toBe(64);
  });

  it('the fingerprint is every setting but the prompt path; the comparison every blocking or reported one', () => {
    expect(FINGERPRINT_KEYS).toEqual(SETTINGS.map((r) => r.key).filter((k) => k !== 'prompt_file'));
    expect([...COMPARED_KEYS].sort()).toEqual(
      [
        'dataset',
        'dataset_revision',
        'split',
        'score_column',
        'prompt_sha256',
        'parser',
        'vision_rule',
        'fps',
        'total_pixels',
        'temperature',
        'sampling_seed',
        'max_tokens',
        'extra_body',
        'request',
        'vllm_version',
        'model',
      ].sort(),
    );
  });

  it('the report shows every setting the table gives a line, under its label', () => {
    const settings = settingsFor({ ...base, limit: '300' });
    const md = settingsTable({
      settings,
      server: { vllm_version: '0.11.0' },
    } as unknown as Summary);
    for (const r of SETTINGS) {
      if (r.line === null) continue;
      expect(md, r.key).toMatch(new RegExp(`^\\| ${r.line} \\|`, 'm'));
      if (r.label !== r.line) expect(md, r.key).toContain(`${r.label} `);
    }
    expect(md).toContain('| subset | limit 300, subset seed 0 |');
    expect(md).toContain(
      '| dataset | videophysics/videophy2\\_test, revision main, resolved c0ffee, split test |',
    );
  });

  it('canonicalJson: key order ignored at every depth, absent and null alike', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: undefined, e: null }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"e":null}]},"b":1}',
    );
    expect(canonicalJson(undefined)).toBe('null');
  });
});
