// The floor every throughput is quoted against: a bare binary-heap event loop that pushes and pops
// events by (time, seq) and does no work per event. Absolute speeds drift between runs on these
// machines; the ratio of dsim to this floor, measured in the same process, does not.

import { EventHeap } from "../src/kernel/heap.ts";

const QUEUE_DEPTH = 16;

/** What a bench times by: the wall clock, or the CPU time this process spent (user + system). */
export type BenchClock = "wall" | "cpu";

/** The clock's reading in milliseconds. CPU time is the steadier on a machine other processes share. */
export function clockMs(clock: BenchClock): number {
  if (clock === "wall") return performance.now();
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Runs `eventCount` pop/push steps and returns events per second (by the wall clock unless told). */
export function floorEventsPerSecond(eventCount: number, clock: BenchClock = "wall"): number {
  const heap = new EventHeap<{ timeMs: number; seq: number }>();
  let seq = 0;
  for (let index = 0; index < QUEUE_DEPTH; index++) heap.push({ timeMs: index, seq: seq++ });
  const startedMs = clockMs(clock);
  for (let index = 0; index < eventCount; index++) {
    const event = heap.pop()!;
    heap.push({ timeMs: event.timeMs + 1 + (index % 7), seq: seq++ });
  }
  const elapsedMs = clockMs(clock) - startedMs;
  return eventCount / (elapsedMs / 1000);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
