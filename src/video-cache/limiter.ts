/**
 * At most `max` tasks running at once, the rest started in call order as slots free up. Small on purpose
 * (p-limit's shape): the cache needs nothing more, and nesting two limiters could deadlock.
 */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function createLimiter(max: number): Limiter {
  if (!Number.isSafeInteger(max) || max < 1)
    throw new TypeError(`limiter: concurrency must be a whole number >= 1, got ${max}`);
  let active = 0;
  const queue: (() => void)[] = [];
  const startNext = (): void => {
    if (active >= max) return;
    const run = queue.shift();
    if (!run) return;
    active++;
    run();
  };
  return <T>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push(() => {
        // Promise.resolve().then() turns a task that throws synchronously into a rejection too.
        Promise.resolve()
          .then(task)
          .then(resolve, reject)
          .finally(() => {
            active--;
            startNext();
          });
      });
      startNext();
    });
}
