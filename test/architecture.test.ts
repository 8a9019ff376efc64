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

  it("src/'s folders form layers: no folder imports, through any chain, a folder that imports it", async () => {
    // One folder per concern reads as layers only if no two concerns need each other. Files at the root
    // of src/ are left out: entry points (main.ts, cli.ts, modes.ts) above everything, log.ts and version.ts
    // below everything.
    const graph = await madge('src', { fileExtensions: ['ts'], tsConfig: 'tsconfig.json' });
    const folderOf = (file: string): string | undefined =>
      file.includes('/') ? file.split('/')[0] : undefined;
    const uses = new Map<string, Set<string>>();
    for (const [file, deps] of Object.entries(graph.obj())) {
      const from = folderOf(file);
      if (!from) continue;
      for (const dep of deps) {
        const to = folderOf(dep);
        if (to && to !== from) uses.set(from, (uses.get(from) ?? new Set()).add(to));
      }
    }
    expect(uses.size).toBeGreaterThan(15);
    expect(folderCycles(uses)).toEqual([]);
    // The check itself can fail: a back edge is caught.
    expect(
      folderCycles(
        new Map([
          ['a', new Set(['b'])],
          ['b', new Set(['c'])],
          ['c', new Set(['a'])],
        ]),
      ),
    ).toEqual(['a -> b -> c -> a']);
  });

  it('the pure core does no I/O: src/core, src/stats, src/verdict, src/sequential, src/vision, src/report the pure part of src/sweep and src/gate/decide.ts import no I/O module', () => {
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
    // So does src/gate: its decide.ts (which rule decides a run) is pure among the pipelines.
    const pureFiles = [
      'sweep/checkpoints.ts',
      'sweep/select.ts',
      'sweep/summary.ts',
      'gate/decide.ts',
    ];
    offenders.push(...pureFiles.filter((f) => io.test(readFileSync(join('src', f), 'utf8'))));
    expect(offenders).toEqual([]);
    // The check itself can fail: an I/O module is caught.
    expect(io.test(readFileSync('src/io/json-file.ts', 'utf8'))).toBe(true);
  });
});

/** Every cycle of the folder graph found by a depth-first search, as "a -> b -> a" (one per back edge). */
function folderCycles(uses: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (folder: string): void => {
    state.set(folder, 'open');
    path.push(folder);
    for (const next of [...(uses.get(folder) ?? [])].sort()) {
      if (state.get(next) === 'open')
        cycles.push([...path.slice(path.indexOf(next)), next].join(' -> '));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(folder, 'done');
  };
  for (const folder of [...uses.keys()].sort()) if (!state.has(folder)) visit(folder);
  return cycles;
}
