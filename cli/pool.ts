/**
 * A bounded-concurrency pool: at most `concurrency` workers in flight, and one failure does not stop the others.
 * Secrets Manager's write quota is 50 TPS combined (aws-facts.md §5.3); 8 in flight stays well under it.
 */

/** Concurrency when `--concurrency` is not given. */
export const DEFAULT_CONCURRENCY = 8;

/** Runs `worker` over `items` with at most `concurrency` at once; results keep `items`' order. */
export async function runPool<T, R>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T, index: number) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer; got ${concurrency}`);
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      try {
        results[index] = { status: 'fulfilled', value: await worker(items[index] as T, index) };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return results;
}
