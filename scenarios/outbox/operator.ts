// The operator of the outbox scenario: once the poison order's cause is fixed, it asks the
// consumer to replay its dead-letter queue, every REPLAY_INTERVAL_MS until the consumer answers
// that every poison order of the workload has been shipped by a replay (the dead letter may not
// be there yet, and a request or its answer may be lost). It gives up after REPLAY_REQUESTS_MAX
// requests in one life, so a dead letter that never comes cannot keep an execution running.

import { defineNode } from "../../src/index.ts";
import type { Workload } from "./model.ts";

export const REPLAY_START_MS = 200;
export const REPLAY_INTERVAL_MS = 100;
export const REPLAY_REQUESTS_MAX = 100;

export interface OperatorState {
  done: boolean;
  requests: number;
}

export function operator(workload: Workload) {
  const poison = workload.orders.flatMap((order, index) => (order.poison ? [index] : []));
  return defineNode<OperatorState>({
    init: () => ({ done: false, requests: 0 }),
    start: (_, ctx) => void ctx.setTimer("replay", REPLAY_START_MS),
    recover: (_, ctx) => void ctx.setTimer("replay", REPLAY_START_MS),
    message: (state, _ctx, _from, message) => {
      const { orders } = message as { orders: number[] };
      if (poison.every((index) => orders.includes(index))) state.done = true;
    },
    timer: (state, ctx) => {
      if (state.done || state.requests >= REPLAY_REQUESTS_MAX) return;
      state.requests++;
      ctx.send("consumer", { type: "replay" });
      ctx.setTimer("replay", REPLAY_INTERVAL_MS);
    },
  });
}
