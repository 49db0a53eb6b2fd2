// The client of the wal scenario: it sends the workload's writes one at a time, with a think time
// between them, and resends the current one every RETRY_INTERVAL_MS until acknowledged. Its
// progress is durable, so after a crash of its own it resumes at the write it was waiting for.

import { defineNode, type NodeContext } from "../../src/index.ts";
import type { Workload } from "./model.ts";

export const RETRY_INTERVAL_MS = 40;
export const THINK_MIN_MS = 5;
export const THINK_MAX_MS = 100;
const PROGRESS_FILE = "acknowledged";

export interface ClientState {
  /** The 1-based index of the write the client waits for (writes.length + 1 once done). */
  current: number;
  retryTimer: number | undefined;
}

export function client(workload: Workload) {
  const done = (state: ClientState): boolean => state.current > workload.writes.length;
  const send = (state: ClientState, ctx: NodeContext): void => {
    ctx.send("store", workload.writes[state.current - 1]!);
    state.retryTimer = ctx.setTimer("retry", RETRY_INTERVAL_MS);
  };
  const think = (state: ClientState, ctx: NodeContext): void => {
    if (!done(state)) ctx.setTimer("think", ctx.random.between(THINK_MIN_MS, THINK_MAX_MS));
  };
  return defineNode<ClientState>({
    // One line per acknowledged write; a torn last line was not acknowledged yet.
    init: (ctx) => ({ current: (ctx.disk.read(PROGRESS_FILE) ?? "").split("\n").length, retryTimer: undefined }),
    start: think,
    recover: (state, ctx) => {
      if (!done(state)) send(state, ctx);
    },
    message: (state, ctx, _from, message) => {
      const index = (message as { acknowledged: number }).acknowledged;
      if (index !== state.current) return;
      ctx.disk.append(PROGRESS_FILE, `${index}\n`);
      ctx.disk.fsync(PROGRESS_FILE);
      ctx.cancelTimer(state.retryTimer!);
      state.current++;
      think(state, ctx);
    },
    timer: (state, ctx) => send(state, ctx),
  });
}
