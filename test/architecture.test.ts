import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import madge from 'madge';
import { describe, expect, it } from 'vitest';

/**
 * The tree's shape, checked: no module imports itself back through others (type-only imports included: a
 * type cycle still means two modules that cannot be read apart). madge resolves the `.js` specifiers of our
 * ESM sources to their `.ts` files through tsconfig.json.
 */
describe('architecture', () => {
  it('src/ has no import cycles', async () => {
    const graph = await madge('src', { fileExtensions: ['ts'], tsConfig: 'tsconfig.json' });
    expect(Object.keys(graph.obj()).length).toBeGreaterThan(150);
    expect(graph.circular()).toEqual([]);
  });

  it('the pure core does no I/O: src/core, src/stats, src/verdict, src/sequential, src/vision, src/report and the pure part of src/sweep import no I/O module', () => {
    // madge leaves Node's built-in modules out of its graph, so these imports are read from the sources.
    const io = /from '(node:)?(fs|fs\/promises|net|http|https|child_process|dgram|worker_threads)'/;
    const pure = ['core', 'stats', 'verdict', 'sequential', 'vision', 'report'];
    const offenders = pure.flatMap((folder) =>
      readdirSync(join('src', folder), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .filter((f) => io.test(readFileSync(join('src', folder, f), 'utf8')))
        .map((f) => `${folder}/${f}`),
    );
    // src/sweep keeps its I/O (running, merging, reusing) apart from the pure pick, names and summary.
    const pureFiles = ['sweep/checkpoints.ts', 'sweep/select.ts', 'sweep/summary.ts'];
    offenders.push(...pureFiles.filter((f) => io.test(readFileSync(join('src', f), 'utf8'))));
    expect(offenders).toEqual([]);
    // The check itself can fail: an I/O module is caught.
    expect(io.test(readFileSync('src/io/json-file.ts', 'utf8'))).toBe(true);
  });
});
