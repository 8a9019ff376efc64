import { describe, expect, it } from 'vitest';
import type { SamplingSettings } from '../../src/config/config.js';
import {
  buildRequestBody as build,
  defaultVision,
  mergeBody,
  requestTemplate,
  sentSettings,
} from '../../src/core/request.js';

const buildRequestBody = (m: string, p: typeof prompt, url: string, ss: SamplingSettings) =>
  build(m, p, url, ss, defaultVision(ss));

const s: SamplingSettings = {
  fps: 16,
  totalPixels: 6422528,
  maxTokens: 2048,
  temperature: 0,
  seed: 1,
  extraBody: {},
};
const prompt = {
  systemPrompt: 'You are a helpful assistant.',
  userPrompt: 'Rate it.',
  sha256: 'x',
};

describe('buildRequestBody', () => {
  it('is the recipe request as vLLM expects it (vllm-protocol.md)', () => {
    expect(buildRequestBody('m', prompt, 'https://v.test/a.mp4', s)).toEqual({
      model: 'm',
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        {
          role: 'user',
          content: [
            { type: 'video_url', video_url: { url: 'https://v.test/a.mp4' } },
            { type: 'text', text: 'Rate it.' },
          ],
        },
      ],
      max_tokens: 2048,
      temperature: 0,
      seed: 1,
      top_p: 0.8,
      top_k: 20,
      repetition_penalty: 1.0,
      presence_penalty: 1.5,
      mm_processor_kwargs: {
        fps: 16,
        do_sample_frames: true,
        size: { shortest_edge: 131072, longest_edge: 2 * 6422528 },
      },
      media_io_kwargs: { video: { num_frames: -1 } },
    });
  });

  it('extra-body merges deeply and wins', () => {
    const body = buildRequestBody('m', prompt, 'u', {
      ...s,
      extraBody: {
        top_k: -1,
        mm_processor_kwargs: { fps: 2 },
        chat_template_kwargs: { enable_thinking: false },
      },
    });
    expect(body.top_k).toBe(-1);
    expect(body.mm_processor_kwargs).toEqual({
      fps: 2,
      do_sample_frames: true,
      size: { shortest_edge: 131072, longest_edge: 2 * 6422528 },
    });
    expect(body.chat_template_kwargs).toEqual({ enable_thinking: false });
    // What is recorded is what was sent, not the inputs.
    expect(sentSettings(body)).toMatchObject({
      fps: 2,
      max_tokens: 2048,
      longest_edge: 2 * 6422528,
    });
    const other = build(
      'm',
      prompt,
      'u',
      {
        ...s,
        extraBody: {
          max_completion_tokens: 64,
          temperature: 0.7,
          seed: 9,
          mm_processor_kwargs: { size: { longest_edge: 1e6 } },
        },
      },
      defaultVision(s),
    );
    expect(sentSettings(other)).toEqual({
      fps: 16,
      shortest_edge: 131072,
      longest_edge: 1e6,
      max_tokens: 64,
      temperature: 0.7,
      seed: 9,
    });
    expect(requestTemplate(other)).not.toHaveProperty('messages');
    expect(requestTemplate(other)).not.toHaveProperty('model');
    expect(requestTemplate(other)).toMatchObject({
      max_completion_tokens: 64,
      media_io_kwargs: { video: { num_frames: -1 } },
    });
  });

  it('no system message when the prompt has none; shortest edge never exceeds the pixel budget', () => {
    const body = buildRequestBody('m', { ...prompt, systemPrompt: '' }, 'u', {
      ...s,
      totalPixels: 1000,
    });
    expect((body.messages as unknown[]).length).toBe(1);
    expect(body.mm_processor_kwargs).toMatchObject({
      size: { shortest_edge: 2000, longest_edge: 2000 },
    });
  });

  it('mergeBody replaces arrays instead of merging them', () => {
    expect(mergeBody({ a: [1, 2], b: { c: 1 } }, { a: [3] })).toEqual({ a: [3], b: { c: 1 } });
  });
});
