// The client of the idempotency scenario: it sends the workload's operations one at a time, with
// a think time between them, and resends the current one every RETRY_INTERVAL_MS until answered.
// It cannot tell "not applied" from "applied, reply lost", so a retry is its only move. Its own
// progress (how many operations were answered) is durable, so a crash of the client resumes at
// the operation it was waiting for, with the same id.

import { defineNode, type NodeContext } from "../../src/index.ts";
import type { Reply, Request } from "./account.ts";
import type { Workload } from "./model.ts";

export const RETRY_INTERVAL_MS = 60;
export const THINK_MIN_MS = 5;
export const THINK_MAX_MS = 100;
const PROGRESS_FILE = "answered";

export interface ClientState {
  /** The index of the operation the client waits for (operations.length once done). */
  current: number;
  retryTimer: number | undefined;
}

/** Answered operations, one line each; a torn last line was not answered yet. */
function readProgress(text: string | undefined): number {
  return text === undefined ? 0 : text.split("\n").length - 1;
}

export function client(workload: Workload) {
  const send = (state: ClientState, ctx: NodeContext): void => {
    const request: Request = { op: state.current, operation: workload.operations[state.current]! };
    ctx.send("account", request);
    state.retryTimer = ctx.setTimer("retry", RETRY_INTERVAL_MS);
  };
  const think = (state: ClientState, ctx: NodeContext): void => {
    if (state.current < workload.operations.length) ctx.setTimer("think", ctx.random.between(THINK_MIN_MS, THINK_MAX_MS));
  };
  return defineNode<ClientState>({
    init: (ctx) => ({ current: readProgress(ctx.disk.read(PROGRESS_FILE)), retryTimer: undefined }),
    start: think,
    recover: (state, ctx) => {
      if (state.current < workload.operations.length) send(state, ctx);
    },
    message: (state, ctx, _from, message) => {
      const { op, result } = message as Reply;
      ctx.note("reply", { op, result });
      if (op !== state.current) return;
      ctx.disk.append(PROGRESS_FILE, `${op}\n`);
      ctx.disk.fsync(PROGRESS_FILE);
      ctx.cancelTimer(state.retryTimer!);
      state.current++;
      think(state, ctx);
    },
    timer: (state, ctx) => send(state, ctx),
  });
}
