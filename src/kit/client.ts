// A client driver, the scenario kit's node for "a client runs the workload's operations one at a
// time and retries each until it is answered": what the built-in idempotency, wal and consensus
// clients each wrote by hand.
//
// For each operation, in order: think (`thinkMs`), then call it: record the call durably (the
// client's own record log), note `call`, and send its request; resend it every `retryMs` until an
// answer for it arrives, moving to the next server each time (one that does not answer may be
// down or cut off), or at once to the server a redirect names. The answer is recorded durably,
// noted as `return`, and the next operation begins. Every request of an operation carries the
// same idempotency key (`call.key`, also `call.index`), so a server can answer a retry from what
// it recorded instead of applying it again. A client that crashes resumes from its log: a call in
// flight is sent again with the same key (and not noted twice), a finished one is not repeated.
//
// The `call` and `return` notes are the history a linearizability checker reads:
// `clientHistory(view.notes, …)` turns them into its operations.

import type { Operation as HistoryOperation } from "../check/sequentialModel.ts";
import type { Json, NodeId } from "../core/json.ts";
import type { NodeContext, NodeSpec, NoteRecord } from "../core/scenario.ts";
import { appendRecords, recoverRecords } from "./recordLog.ts";
import { armedTimers, defineTimers, type ArmedTimers } from "./timers.ts";

/** The note a client records when it calls an operation (value: `CallNote`). */
export const CALL_NOTE = "call";
/** The note a client records when an operation returns (value: `ReturnNote`). */
export const RETURN_NOTE = "return";
/** The file of the client's record log. */
export const CLIENT_LOG_FILE = "client.log";

/** One call of an operation: its place in the workload and the idempotency key its requests carry. */
export interface Call<Operation extends Json> {
  readonly client: NodeId;
  readonly index: number;
  /** `client#index`: the same in every request of this call, retries and resends after a crash included. */
  readonly key: string;
  readonly operation: Operation;
}

/** What a server's message means to the client: the answer to call `index`, or a redirect to another server. */
export type ClientReply<Output extends Json> =
  | { readonly index: number; readonly output: Output }
  | { readonly index: number; readonly redirect: NodeId | null };

export interface ClientSpec<Operation extends Json, Output extends Json> {
  /** The operations to call, in order (the client's part of the workload). */
  readonly operations: readonly Operation[];
  /** The servers it may send to: the first, or with several, one drawn from the node's stream at each start. */
  readonly servers: readonly NodeId[];
  /** How long to wait for an answer before sending again. */
  readonly retryMs: number;
  /** How long the client thinks before calling operation `index` (may draw from ctx.random). */
  thinkMs(ctx: NodeContext, index: number): number;
  /** The request that carries a call to a server. */
  request(call: Call<Operation>): Json;
  /** What a message from a server answers, or undefined when it is not an answer. May note what it saw. */
  reply(ctx: NodeContext, message: Json): ClientReply<Output> | undefined;
}

export interface CallNote {
  readonly [key: string]: Json;
  readonly index: number;
  readonly key: string;
  readonly operation: Json;
}

export interface ReturnNote {
  readonly [key: string]: Json;
  readonly index: number;
  readonly output: Json;
}

/** The client's state: the operation it is on (calls.length once done), whether it called it, its server. */
export interface ClientState {
  next: number;
  called: boolean;
  server: NodeId;
  readonly timers: ArmedTimers;
}

/** Whether a client has every answer (for a scenario's `settled`). */
export function clientDone(state: ClientState | undefined, operationCount: number): boolean {
  return state !== undefined && state.next >= operationCount;
}

type ProgressRecord = { readonly called: number } | { readonly returned: number };

const timers = defineTimers<{ think: number; retry: number }>();

/** The node of one client driving `spec.operations` against `spec.servers`. */
export function clientNode<Operation extends Json, Output extends Json>(spec: ClientSpec<Operation, Output>): NodeSpec<ClientState> {
  if (spec.servers.length === 0) throw new TypeError("a client needs at least one server");
  const callOf = (ctx: NodeContext, index: number): Call<Operation> => ({ client: ctx.id, index, key: `${ctx.id}#${index}`, operation: spec.operations[index]! });

  const send = (state: ClientState, ctx: NodeContext): void => {
    ctx.send(state.server, spec.request(callOf(ctx, state.next)));
    timers.set(ctx, state.timers, "retry", state.next, spec.retryMs);
  };

  const think = (state: ClientState, ctx: NodeContext): void => {
    if (state.next < spec.operations.length) timers.set(ctx, state.timers, "think", state.next, spec.thinkMs(ctx, state.next));
  };

  const call = (state: ClientState, ctx: NodeContext, index: number): void => {
    if (index !== state.next || state.called) return;
    appendRecords(ctx.disk, CLIENT_LOG_FILE, [{ called: index }]);
    state.called = true;
    const { key, operation } = callOf(ctx, index);
    ctx.note(CALL_NOTE, { index, key, operation } satisfies CallNote);
    send(state, ctx);
  };

  const retry = (state: ClientState, ctx: NodeContext, index: number): void => {
    if (index !== state.next || !state.called) return;
    state.server = spec.servers[(spec.servers.indexOf(state.server) + 1) % spec.servers.length]!;
    send(state, ctx);
  };

  return {
    init: (ctx) => {
      let next = 0;
      let called = false;
      for (const record of recoverRecords<ProgressRecord>(ctx.disk, CLIENT_LOG_FILE).records) {
        if ("returned" in record) [next, called] = [record.returned + 1, false];
        else called = record.called === next;
      }
      const server = spec.servers.length === 1 ? spec.servers[0]! : spec.servers[ctx.random.below(spec.servers.length)]!;
      return { next, called, server, timers: armedTimers() };
    },
    start: think,
    recover: (state, ctx) => (state.called ? send(state, ctx) : think(state, ctx)),
    timer: (state, ctx, name) => {
      timers.dispatch(ctx, state.timers, name, { think: (index) => call(state, ctx, index), retry: (index) => retry(state, ctx, index) });
    },
    message: (state, ctx, _from, message) => {
      const answer = spec.reply(ctx, message);
      if (answer === undefined || answer.index !== state.next || !state.called) return; // not for the call in flight
      if ("redirect" in answer) {
        if (answer.redirect === null || answer.redirect === state.server) return; // wait for the retry
        state.server = answer.redirect;
        return send(state, ctx);
      }
      timers.cancel(ctx, state.timers, "retry");
      appendRecords(ctx.disk, CLIENT_LOG_FILE, [{ returned: state.next }]);
      ctx.note(RETURN_NOTE, { index: state.next, output: answer.output } satisfies ReturnNote);
      state.next++;
      state.called = false;
      think(state, ctx);
    },
  };
}

/**
 * The history of the clients' calls and returns, for the linearizability checker: one operation
 * per call (a client that was never answered leaves it open), its input made from the operation
 * the client called, its output the answer it was given.
 */
export function clientHistory<Input, Output>(
  notes: (label: string) => readonly NoteRecord[],
  describe: { readonly input: (operation: Json) => Input; readonly output: (output: Json) => Output },
): HistoryOperation<Input, Output>[] {
  const calls = new Map<string, { client: NodeId; input: Input; callMs: number; returnMs?: number; output?: Output }>();
  for (const note of notes(CALL_NOTE)) {
    const { index, operation } = note.value as CallNote;
    calls.set(`${note.node}#${index}`, { client: note.node, input: describe.input(operation), callMs: note.timeMs });
  }
  for (const note of notes(RETURN_NOTE)) {
    const { index, output } = note.value as ReturnNote;
    const record = calls.get(`${note.node}#${index}`);
    if (record === undefined) continue; // a return without its call: the checker has nothing to place it against
    record.returnMs = note.timeMs;
    record.output = describe.output(output);
  }
  return [...calls.values()].map(({ client, input, callMs, returnMs, output }) => (returnMs === undefined ? { client, input, callMs } : { client, input, output: output as Output, callMs, returnMs }));
}
