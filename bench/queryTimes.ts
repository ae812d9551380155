/** Query latency for the search benchmarks: each query timed over several rounds, as p50 and p95. */

/** The value at fraction `p` of an ascending list. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number;
}

/** Runs every query `rounds` times and gives the median and the 95th percentile in milliseconds. */
export function queryTimes(
  queries: readonly string[],
  run: (q: string) => unknown,
  rounds: number,
): { p50: number; p95: number } {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++)
    for (const q of queries) {
      const start = performance.now();
      run(q);
      times.push(performance.now() - start);
    }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
}
