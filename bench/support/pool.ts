/**
 * Runs `task(0…count-1)` with at most `concurrency` in flight, and stops starting new ones once `deadline`
 * (a performance.now() instant) has passed. Returns how many were started.
 */
export async function pool(
  count: number,
  concurrency: number,
  deadline: number,
  task: (i: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < count && performance.now() < deadline) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return next;
}
