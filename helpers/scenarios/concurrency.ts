/**
 * `fn` over `items`, at most `limit` calls in flight, results in the items' order. For independent
 * requests a spec makes to one target: side by side they finish sooner than one after another,
 * and the limit keeps a real server from seeing a burst.
 */
export async function mapConcurrently<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let taken = 0;
  const lane = async (): Promise<void> => {
    for (let i = taken++; i < items.length; i = taken++) results[i] = await fn(items[i]!, i);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return results;
}
