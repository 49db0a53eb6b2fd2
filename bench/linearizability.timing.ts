// Timing for the linearizability benchmarks (linearizability.bench.ts, porcupine.bench.ts): the
// median of several runs of one piece of work, in milliseconds.

import { median } from "./floor.ts";

export function medianMs(run: () => void, repeats: number): number {
  const times: number[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    const startedMs = performance.now();
    run();
    times.push(performance.now() - startedMs);
  }
  return median(times);
}
