// Bytes allocated per execution of the kernel bench's sweep (delivery, every variant, swarm
// faults): a measure that does not move with the machine's load, unlike a throughput. Node has no
// running count of allocated bytes, so this runs the sweep in a child process started with
// `--trace-gc-nvp` (V8 prints each collection's heap size before and after): the bytes allocated
// between two marks are the growth of the live heap plus everything each collection in between
// freed. The child warms up and collects everything first, so the JIT's own allocation and module loading are not counted.
//
//   node --import tsx bench/allocation.ts [seedsPerVariant]

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { getHeapStatistics } from "node:v8";
import { sweep } from "../src/index.ts";
import delivery from "../scenarios/delivery.ts";

const CHILD_FLAG = "--allocation-child";
const DEFAULT_SEEDS_PER_VARIANT = 1000;
const WARM_UP_SEEDS_PER_VARIANT = 300;
const MARK = "@@allocation";

export interface AllocationResult {
  readonly executions: number;
  readonly events: number;
  readonly bytes: number;
  readonly bytesPerExecution: number;
  readonly bytesPerEvent: number;
  readonly collections: number;
}

function sweepAll(seedCount: number, seedFrom: number): { executions: number; events: number } {
  let executions = 0;
  let events = 0;
  for (const variant of delivery.variants) {
    const result = sweep({ scenario: delivery, variant: variant.name, seedFrom, seedCount, faults: "swarm" });
    executions += result.outcomes.length;
    events += result.events;
  }
  return { executions, events };
}

function child(seedCount: number): void {
  sweepAll(WARM_UP_SEEDS_PER_VARIANT, 0);
  // A full collection first, so that no garbage of the warm-up is freed (and counted) in the window.
  (globalThis as { gc?: () => void }).gc!();
  console.log(`${MARK} start used=${getHeapStatistics().used_heap_size}`);
  const { executions, events } = sweepAll(seedCount, 0);
  console.log(`${MARK} end used=${getHeapStatistics().used_heap_size} executions=${executions} events=${events}`);
}

const field = (line: string, name: string): number => Number(new RegExp(`\\b${name}=(\\d+)`).exec(line)?.[1] ?? Number.NaN);

/** Runs the sweep in a child process under `--trace-gc-nvp` and counts what it allocated. */
export function measureAllocation(seedsPerVariant = DEFAULT_SEEDS_PER_VARIANT): AllocationResult {
  const script = fileURLToPath(import.meta.url);
  const run = spawnSync(process.execPath, [...process.execArgv, "--trace-gc-nvp", "--expose-gc", script, CHILD_FLAG, String(seedsPerVariant)], { encoding: "utf8", maxBuffer: 1 << 30 });
  if (run.status !== 0) throw new Error(`the allocation child failed (${run.status}): ${run.stderr}`);
  let started = false;
  let startUsed = 0;
  let freed = 0;
  let collections = 0;
  for (const line of run.stdout.split("\n")) {
    if (line.startsWith(`${MARK} start`)) {
      started = true;
      startUsed = field(line, "used");
    } else if (line.startsWith(`${MARK} end`)) {
      const executions = field(line, "executions");
      const events = field(line, "events");
      const bytes = field(line, "used") - startUsed + freed;
      return { executions, events, bytes, bytesPerExecution: bytes / executions, bytesPerEvent: bytes / events, collections };
    } else if (started && line.includes("total_size_before=")) {
      freed += field(line, "total_size_before") - field(line, "total_size_after");
      collections++;
    }
  }
  throw new Error("the allocation child printed no end mark");
}

export function printAllocation(result: AllocationResult): void {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log(
    `  bytes allocated per execution ${kb(result.bytesPerExecution)}, per event ${Math.round(result.bytesPerEvent)} B ` +
      `(${result.executions} executions, ${result.events} events, ${result.collections} collections; --trace-gc-nvp, load-independent)`,
  );
}

if (process.argv[2] === CHILD_FLAG) child(Number(process.argv[3]));
else if (import.meta.url === `file://${process.argv[1]}`) printAllocation(measureAllocation(process.argv[2] === undefined ? undefined : Number(process.argv[2])));
