// Benchmark of the exhaustive explorer: schedules (complete paths counted through the pruned
// graph) and executions (re-runs from the start) per second, on the design brief's worked example
// and on a retrying receiver under duplicates and one drop. Beside each, the floor: a bare
// binary-heap event loop over as many events as the search's finished executions carried out.
// Run: node --import tsx bench/explore.bench.ts   (medians of RUNS runs)

import delivery from "../scenarios/delivery.ts";
import { exploreExhaustively, type ExhaustiveRequest } from "../src/explore/exhaustive.ts";
import { EventHeap } from "../src/kernel/heap.ts";

const RUNS = 5;

const CASES: readonly { readonly name: string; readonly request: ExhaustiveRequest }[] = [
  { name: "delivery/append   n=5 drops", request: { scenario: delivery, variant: "append" } },
  { name: "delivery/sum      n=5 drops", request: { scenario: delivery, variant: "sum" } },
  { name: "delivery/set      n=3 drops dups", request: { scenario: delivery, variant: "set", sizes: { messages: 3 }, duplicates: true } },
  {
    name: "delivery/retry-set n=3 drop≤1 dup≤1",
    request: { scenario: delivery, variant: "retry-set", sizes: { messages: 3 }, dropsMax: 1, duplicates: true, duplicatesMax: 1 },
  },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The floor: push and pop `eventCount` events by (time, seq), no work per event. */
function floorEventsPerSecond(eventCount: number): number {
  const startedMs = performance.now();
  const heap = new EventHeap<{ timeMs: number; seq: number }>();
  let seq = 0;
  heap.push({ timeMs: 0, seq: seq++ });
  for (let done = 0; done < eventCount; done++) {
    const event = heap.pop()!;
    heap.push({ timeMs: event.timeMs + 1 + (done % 7), seq: seq++ });
  }
  return eventCount / ((performance.now() - startedMs) / 1000);
}

// Warm-up, untimed: the JIT compiles the heap loop and the engine before anything is measured.
floorEventsPerSecond(1_000_000);
for (const { request } of CASES) exploreExhaustively(request);

for (const { name, request } of CASES) {
  const schedulesPerSecond: number[] = [];
  const executionsPerSecond: number[] = [];
  const eventsPerSecond: number[] = [];
  const floors: number[] = [];
  let schedules = 0;
  let executions = 0;
  for (let run = 0; run < RUNS; run++) {
    const startedMs = performance.now();
    const result = exploreExhaustively(request);
    const seconds = (performance.now() - startedMs) / 1000;
    schedules = result.schedules;
    executions = result.executions;
    schedulesPerSecond.push(result.schedules / seconds);
    executionsPerSecond.push(result.executions / seconds);
    eventsPerSecond.push(result.events / seconds);
    floors.push(floorEventsPerSecond(result.events));
  }
  const events = median(eventsPerSecond);
  const floor = median(floors);
  console.log(
    `${name.padEnd(38)} ${String(schedules).padStart(6)} schedules ${String(executions).padStart(6)} executions  ` +
      `${Math.round(median(schedulesPerSecond))} schedules/s  ${Math.round(median(executionsPerSecond))} executions/s  ` +
      `${Math.round(events)} events/s  floor ${Math.round(floor)} events/s  ratio ${(events / floor).toFixed(4)}`,
  );
}
