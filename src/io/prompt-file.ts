import { readFileSync } from 'node:fs';
import { bundledPath } from './bundled.js';
import { PromptError, parsePrompt, type Prompt } from '../core/prompt.js';

export const BUNDLED_PROMPT = 'prompts/video_reward.yaml';

export function readPrompt(path: string | undefined): { prompt: Prompt; path: string } {
  const file = path ?? bundledPath(BUNDLED_PROMPT);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new PromptError(`cannot read prompt-file ${file}: ${(e as Error).message}`);
  }
  return { prompt: parsePrompt(text, file), path: path ?? BUNDLED_PROMPT };
}
