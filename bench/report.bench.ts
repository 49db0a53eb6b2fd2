// Benchmark of the failure page: generating the HTML of a 10,000-event execution (Raft, 3
// replicas, 4 clients, swarm faults, the diverging variant commit-on-first-ack) must take under a
// second and give a page under 2 MB. Beside the time is a floor measured in the same process:
// JSON.stringify of the same trace, the least any page embedding the trace must do.
//
// Run: node --import tsx bench/report.bench.ts

import { execute, type ExecutionResult } from "../src/index.ts";
import { computeReference } from "../src/execution/execute.ts";
import { failurePage } from "../src/report/html/failurePage.ts";
import { consensus } from "../scenarios/consensus/index.ts";
import { median } from "./floor.ts";

const EVENTS_WANTED = 10_000;
/** The most operations per client tried (the size's declared maximum is larger). */
const OPERATIONS_MAX = 200;
const REPEATS = 5;
const TIME_TARGET_MS = 1000;
const SIZE_TARGET_BYTES = 2 * 1024 * 1024;

/**
 * The first seed's diverging execution of at least EVENTS_WANTED events: 4 clients, more operations
 * each until one is. The sizes are given, not drawn: under swarm faults undeclared sizes are drawn
 * per seed, which once made this loop grow a workload no execution used, for ever.
 */
function longExecution(): { result: ExecutionResult; reference: ReturnType<typeof computeReference> } {
  const limits = { eventsMax: 10_000_000, virtualTimeMaxMs: 1e9 };
  for (let operations = 20; operations <= OPERATIONS_MAX; operations += 5) {
    const sizes = { clients: 4, operations };
    const reference = computeReference({ scenario: consensus, variant: "commit-on-first-ack", workloadSeed: 0, sizes, faults: "none", limits });
    for (let seed = 0; seed < 20; seed++) {
      const result = execute({ scenario: consensus, variant: "commit-on-first-ack", seed, sizes, faults: "swarm", limits }, reference);
      if (result.events >= EVENTS_WANTED && result.verdict === "diverges") return { result, reference };
    }
  }
  throw new Error(`no diverging consensus/commit-on-first-ack execution of ${EVENTS_WANTED} events with up to ${OPERATIONS_MAX} operations per client`);
}

function timeMs(run: () => void): number {
  const startedMs = performance.now();
  run();
  return performance.now() - startedMs;
}

export function runReportBench(): void {
  const { result, reference } = longExecution();
  let html = "";
  const render = () => void (html = failurePage({ result, reference: reference.logical, replay: "dsim replay bench.replay.json" }));
  render(); // warm-up
  const pageMs = median(Array.from({ length: REPEATS }, () => timeMs(render)));
  const floorMs = median(Array.from({ length: REPEATS }, () => timeMs(() => JSON.stringify(result.trace))));
  const bytes = Buffer.byteLength(html);
  const verdict = (ok: boolean) => (ok ? "ok" : "OVER TARGET");
  console.log(`report: failure page of a ${result.events.toLocaleString("en")}-event execution (consensus commit-on-first-ack seed ${result.seed}, ${result.verdict}), median of ${REPEATS}`);
  console.log(`  page   ${pageMs.toFixed(1)} ms  (target < ${TIME_TARGET_MS} ms: ${verdict(pageMs < TIME_TARGET_MS)})`);
  console.log(`  floor  ${floorMs.toFixed(1)} ms  (JSON.stringify of the trace)`);
  console.log(`  ratio  page/floor = ${(pageMs / floorMs).toFixed(2)}`);
  console.log(`  size   ${(bytes / 1024 / 1024).toFixed(2)} MB  (target < 2 MB: ${verdict(bytes < SIZE_TARGET_BYTES)})`);
}

if (import.meta.url === `file://${process.argv[1]}`) runReportBench();
