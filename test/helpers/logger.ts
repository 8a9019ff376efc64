import type { Logger } from '../../src/log.js';

/** A Logger that records every line, for assertions on what a user would read. */
export function recordingLogger(): Logger & { lines: string[]; text: () => string } {
  const lines: string[] = [];
  const at = (level: string) => (m: string) => void lines.push(`${level}: ${m}`);
  return {
    lines,
    text: () => lines.join('\n'),
    info: at('info'),
    notice: at('notice'),
    warning: at('warning'),
    error: at('error'),
    debug: at('debug'),
  };
}
