import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Files that ship beside the code (prompts/, examples/): the module is in src/ during development and in
 * dist/ or dist/cli/ in the bundle, so walk up from it to the folder that holds `relPath`.
 */
export function bundledPath(
  relPath: string,
  from = dirname(fileURLToPath(import.meta.url)),
): string {
  let dir = from;
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, relPath);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(
    `bundled file ${relPath} not found above ${from}: the installation is incomplete`,
  );
}
