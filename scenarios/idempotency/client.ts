// The client of the idempotency scenario, the scenario kit's client driver: it sends the
// workload's operations one at a time, with a think time between them, and resends the current
// one every RETRY_INTERVAL_MS until answered. It cannot tell "not applied" from "applied, reply
// lost", so a retry is its only move. Every request carries the operation's index as its stable
// id; the driver's progress is durable, so a crash of the client resumes at the operation it was
// waiting for, with the same id. Every reply it sees, late ones included, is noted as "reply".

import { clientNode } from "../../src/kit/index.ts";
import type { Reply, Request } from "./account.ts";
import type { Operation, Result } from "./model.ts";
import type { Workload } from "./model.ts";

export const RETRY_INTERVAL_MS = 60;
export const THINK_MIN_MS = 5;
export const THINK_MAX_MS = 100;

export function client(workload: Workload) {
  return clientNode<Operation, Result>({
    operations: workload.operations,
    servers: ["account"],
    retryMs: RETRY_INTERVAL_MS,
    thinkMs: (ctx) => ctx.random.between(THINK_MIN_MS, THINK_MAX_MS),
    request: (call): Request => ({ op: call.index, operation: call.operation }),
    reply: (ctx, message) => {
      const { op, result } = message as Reply;
      ctx.note("reply", { op, result });
      return { index: op, output: result };
    },
  });
}
