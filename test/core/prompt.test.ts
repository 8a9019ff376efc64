import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePrompt } from '../../src/core/prompt.js';
import { buildRequestBody, defaultVision } from '../../src/core/request.js';
import { readPrompt } from '../../src/io/prompt-file.js';

const SAMPLING = { fps: 16, totalPixels: 6422528, maxTokens: 2048, temperature: 0, seed: 1, extraBody: {} };

describe('parsePrompt', () => {
  it('the bundled prompt is the recipe prompt byte for byte (../shared/data/video_reward.yaml)', () => {
    const bundled = readFileSync('prompts/video_reward.yaml');
    // SHA-256 of the published file (cosmos-cookbook assets/video_reward.yaml, 1,610 bytes).
    expect(createHash('sha256').update(bundled).digest('hex')).toBe(
      'bc325eea2422996bcb41463dd383c2f78fa87a69cc2ad7d8d78bed539b30a8a7',
    );
    // Where the project's shared/ is beside the clone (CI, developer machines), compare with it directly.
    const shared = '../shared/data/video_reward.yaml';
    if (existsSync(shared)) expect(bundled).toEqual(readFileSync(shared));
    const { prompt, path } = readPrompt(undefined);
    expect(path).toBe('prompts/video_reward.yaml');
    expect(prompt.systemPrompt).toBe('You are a helpful assistant.');
    expect(prompt.userPrompt).toMatch(
      /^You are a helpful video analyzer\..*Does this video adhere to the physical laws\?\n$/s,
    );
  });

  it('hashes the strings, not the formatting', () => {
    const a = parsePrompt('system_prompt: "S"\nuser_prompt: "U"\n', 'a.yaml');
    const b = parsePrompt("user_prompt: 'U'   # comment\nsystem_prompt: S\n", 'b.yaml');
    const c = parsePrompt('system_prompt: "S"\nuser_prompt: "U2"\n', 'c.yaml');
    expect(a.sha256).toBe(b.sha256);
    expect(a.sha256).not.toBe(c.sha256);
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('without a system_prompt key, the recipe falls back to its SYSTEM_PROMPT; null or empty means none', () => {
    // inference_videophy2.py: config.get('system_prompt', SYSTEM_PROMPT); create_conversation: `if system_prompt:`.
    expect(parsePrompt('user_prompt: "U"\n', 'p.yaml').systemPrompt).toBe(
      'You are a helpful assistant.',
    );
    expect(parsePrompt('user_prompt: "U"\nsystem_prompt:\n', 'p.yaml').systemPrompt).toBe('');
    expect(parsePrompt('user_prompt: "U"\nsystem_prompt: ""\n', 'p.yaml').systemPrompt).toBe('');
    const body = buildRequestBody('m', parsePrompt('user_prompt: "U"\n', 'p.yaml'), 'http://v', SAMPLING, defaultVision(SAMPLING));
    expect((body.messages as { role: string; content: unknown }[])[0]).toEqual({
      role: 'system',
      content: 'You are a helpful assistant.',
    });
    const none = buildRequestBody('m', parsePrompt('user_prompt: "U"\nsystem_prompt: ""\n', 'p.yaml'), 'http://v', SAMPLING, defaultVision(SAMPLING));
    expect((none.messages as { role: string }[]).map((m) => m.role)).toEqual(['user']);
  });

  it.each([
    ['system_prompt: "S"\n', /p\.yaml: missing key 'user_prompt' \(expected a string\)/],
    ['user_prompt: [1, 2]\n', /p\.yaml: 'user_prompt' must be a string, got a list/],
    ['user_prompt: "U"\nsystem_prompt: 3\n', /'system_prompt' must be a string, got number/],
    ['- a\n- b\n', /expected a mapping/],
    ['user_prompt: "U\n', /p\.yaml: invalid YAML/],
    ['user_prompt: "  "\n', /'user_prompt' is empty/],
  ])('refuses %j', (text, message) => {
    expect(() => parsePrompt(text, 'p.yaml')).toThrow(message);
  });

  it('a missing prompt file is named', () => {
    expect(() => readPrompt('nope/prompt.yaml')).toThrow(
      /cannot read prompt-file nope\/prompt\.yaml/,
    );
  });
});
