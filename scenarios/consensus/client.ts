// A client of the replicated store: it runs its operations one at a time, each tagged with its
// client id and a sequence number, and retries until it has an answer: on a redirect it goes to
// the named leader, on a timeout to the next replica. Its progress is on its own disk (fsynced
// before each invocation and completion is noted), so a crashed client resumes the operation it
// had in flight, with the same sequence number, and notes each invocation and completion once.

import { defineNode, type Json, type NodeContext, type NodeId } from "../../src/index.ts";
import type { ClientMessage } from "./messages.ts";
import type { Command } from "./storage.ts";

export type ClientOperation =
  | { readonly op: "get"; readonly key: string; readonly thinkMs: number }
  | { readonly op: "put" | "append"; readonly key: string; readonly value: string; readonly thinkMs: number };

export const CLIENT_TIMING = { retryMs: 120 } as const;
const PROGRESS_FILE = "client.progress";

/** Durable: the operation in flight (invoked) or next to invoke. */
type Progress = { readonly operation: number; readonly invoked: boolean };

interface ClientState {
  progress: Progress;
  target: NodeId;
  retryTimer: number | undefined;
}

export function clientNode(replicas: readonly NodeId[], operations: readonly ClientOperation[]) {
  const save = (state: ClientState, ctx: NodeContext, progress: Progress) => {
    state.progress = progress;
    ctx.disk.replace(PROGRESS_FILE, JSON.stringify(progress));
  };

  const commandOf = (ctx: NodeContext, index: number): Command => {
    const { thinkMs: _thinkMs, ...operation } = operations[index]!;
    return { client: ctx.id, seq: index + 1, ...operation };
  };

  const send = (state: ClientState, ctx: NodeContext) => {
    if (state.retryTimer !== undefined) ctx.cancelTimer(state.retryTimer);
    ctx.send(state.target, { type: "request", command: commandOf(ctx, state.progress.operation) });
    state.retryTimer = ctx.setTimer("retry", CLIENT_TIMING.retryMs);
  };

  const next = (state: ClientState, ctx: NodeContext) => {
    if (state.progress.operation < operations.length) ctx.setTimer("think", operations[state.progress.operation]!.thinkMs);
  };

  return defineNode<ClientState>({
    init: (ctx) => {
      const text = ctx.disk.read(PROGRESS_FILE);
      const progress: Progress = text === undefined ? { operation: 0, invoked: false } : JSON.parse(text);
      return { progress, target: replicas[ctx.random.below(replicas.length)]!, retryTimer: undefined };
    },
    start: next,
    recover: (state, ctx) => (state.progress.invoked ? send(state, ctx) : next(state, ctx)),
    timer: (state, ctx, name) => {
      if (name === "think") {
        save(state, ctx, { operation: state.progress.operation, invoked: true });
        const { client: _client, seq: _seq, ...input } = commandOf(ctx, state.progress.operation);
        ctx.note("invoke", { operation: state.progress.operation, input });
        return send(state, ctx);
      }
      state.retryTimer = undefined;
      state.target = replicas[(replicas.indexOf(state.target) + 1) % replicas.length]!;
      send(state, ctx);
    },
    message: (state, ctx, _from, raw) => {
      const message = raw as ClientMessage;
      const { operation, invoked } = state.progress;
      if (!invoked || message.seq !== operation + 1) return; // a late answer to an operation already done
      if (message.type === "redirect") {
        if (message.leader === null || message.leader === state.target) return; // wait for the retry timer
        state.target = message.leader;
        return send(state, ctx);
      }
      if (state.retryTimer !== undefined) ctx.cancelTimer(state.retryTimer);
      state.retryTimer = undefined;
      save(state, ctx, { operation: operation + 1, invoked: false });
      ctx.note("complete", { operation, result: message.result as Json });
      next(state, ctx);
    },
  });
}
