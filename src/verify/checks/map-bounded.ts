/**
 * Runs `fn` over `items` with at most `limit` at once, keeping the input order in the results. `onSettled` hears of
 * each result as soon as it and every result before it are in, so a reader sees them in a stable order, early.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
  onSettled?: (result: R, index: number) => void,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  const done: boolean[] = new Array(items.length).fill(false);
  let next = 0;
  let reported = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
      done[i] = true;
      while (reported < items.length && done[reported]) {
        onSettled?.(results[reported]!, reported);
        reported++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
