import { createHash } from 'node:crypto';
import { load } from 'js-yaml';

export interface Prompt {
  systemPrompt: string;
  userPrompt: string;
  /**
   * SHA-256 of the two strings (canonical JSON), not of the file: reformatting the YAML keeps the hash,
   * changing a character of either prompt changes it. Runs are comparable only under the same hash.
   */
  sha256: string;
}

/**
 * cosmos-reason2 `cosmos_reason2_utils/text.py` SYSTEM_PROMPT: the recipe's `load_prompt_config` uses it when
 * the file has no `system_prompt` key (`config.get('system_prompt', SYSTEM_PROMPT)`). A key that is present
 * but null or empty means no system message at all (`create_conversation` adds one only `if system_prompt`).
 */
export const RECIPE_SYSTEM_PROMPT = 'You are a helpful assistant.';

export class PromptError extends Error {
  override name = 'PromptError';
}

/** Parse a prompt YAML file's text ({system_prompt, user_prompt}, as the recipe's video_reward.yaml). */
export function parsePrompt(text: string, file: string): Prompt {
  let doc: unknown;
  try {
    doc = load(text);
  } catch (e) {
    throw new PromptError(
      `prompt file ${file}: invalid YAML (${(e as Error).message.split('\n')[0]})`,
    );
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new PromptError(
      `prompt file ${file}: expected a mapping with system_prompt and user_prompt`,
    );
  }
  const rec = doc as Record<string, unknown>;
  const field = (key: string, required: boolean): string => {
    const v = rec[key];
    if (v === undefined || v === null) {
      if (required)
        throw new PromptError(`prompt file ${file}: missing key '${key}' (expected a string)`);
      return v === undefined && key === 'system_prompt' ? RECIPE_SYSTEM_PROMPT : '';
    }
    if (typeof v !== 'string') {
      throw new PromptError(
        `prompt file ${file}: '${key}' must be a string, got ${Array.isArray(v) ? 'a list' : typeof v}`,
      );
    }
    return v;
  };
  const userPrompt = field('user_prompt', true);
  if (userPrompt.trim() === '')
    throw new PromptError(`prompt file ${file}: 'user_prompt' is empty`);
  const systemPrompt = field('system_prompt', false);
  const sha256 = createHash('sha256')
    .update(JSON.stringify({ system_prompt: systemPrompt, user_prompt: userPrompt }))
    .digest('hex');
  return { systemPrompt, userPrompt, sha256 };
}
