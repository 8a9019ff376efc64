import { afterEach } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';

/** `start()` a simulator for the current test; every one started is force-closed after the test. */
export function useSimulators(): (
  ...args: Parameters<typeof startSimulator>
) => Promise<Simulator> {
  const sims: Simulator[] = [];
  afterEach(async () => {
    await Promise.all(sims.splice(0).map((s) => s.close({ force: true })));
  });
  return async (...args) => {
    const sim = await startSimulator(...args);
    sims.push(sim);
    return sim;
  };
}
