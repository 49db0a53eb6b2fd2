// The client of the wal scenario, the scenario kit's client driver: it sends the workload's writes
// one at a time, with a think time between them, and resends the current one every
// RETRY_INTERVAL_MS until acknowledged. Its progress is durable, so after a crash of its own it
// resumes at the write it was waiting for.

import { clientNode } from "../../src/kit/index.ts";
import type { Workload, Write } from "./model.ts";

export const RETRY_INTERVAL_MS = 40;
export const THINK_MIN_MS = 5;
export const THINK_MAX_MS = 100;

export function client(workload: Workload) {
  return clientNode<Write, null>({
    operations: workload.writes,
    servers: ["store"],
    retryMs: RETRY_INTERVAL_MS,
    thinkMs: (ctx) => ctx.random.between(THINK_MIN_MS, THINK_MAX_MS),
    request: (call) => call.operation,
    // An acknowledgement names the write by its 1-based index.
    reply: (_ctx, message) => ({ index: (message as { acknowledged: number }).acknowledged - 1, output: null }),
  });
}
