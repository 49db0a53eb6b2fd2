// One process of the causality scenario: it broadcasts the workload's messages (one every few
// milliseconds) to every other process with the kit's reliable send, and delivers the others'
// broadcasts in causal order (Birman–Schiper–Stephenson): a message from j carrying delivery
// vector D is delivered once D[j] = delivered[j] + 1 and D[k] ≤ delivered[k] for every other k;
// until then it waits in a volatile buffer, unacknowledged, so its sender keeps resending it.
//
// Every broadcast and every delivery is an event, and ticks two clocks: a Lamport clock
// (broadcast: L + 1; delivery: max(L, L_m) + 1) and a vector clock over events (broadcast: own
// entry + 1; delivery: entrywise max with the message's, then own entry + 1). Each event is noted
// (`event`) with both stamps. The clocks, the delivery vector, what was delivered and the outbox
// are one durable record written with `Disk.replace` before the event is noted or anything is
// sent, so a restart resumes with them.
//
// A `Bug` changes one line: `lamport-no-max` ticks the Lamport clock without the message's stamp,
// `vector-no-merge` ticks the vector clock without merging the message's, `deliver-on-arrival`
// delivers every new message at once.

import { defineNode, type NodeContext } from "../../src/index.ts";
import { armedTimers, defineTimers, recordAcknowledgement, reliableSender, resendUnacknowledged, retryFired, RETRY_TIMER, type ArmedTimers, type Outbox, type ReliableSender } from "../../src/kit/index.ts";

export type Bug = "none" | "lamport-no-max" | "vector-no-merge" | "deliver-on-arrival";

export const STATE_FILE = "clocks.json";
export const EVENT_NOTE = "event";
const RETRY_MS = 40;
const THINK_MS_MAX = 30;

/** A vector over the processes, in the workload's order. */
export type Vector = readonly number[];

export type Broadcast = {
  readonly type: "broadcast";
  readonly from: string;
  readonly seq: number;
  /** The sender's delivery vector, its own entry counting this broadcast. */
  readonly deliveries: Vector;
  readonly lamport: number;
  readonly clock: Vector;
};

type Message = Broadcast | { readonly type: "ack"; readonly seq: number };

/** An event as noted: a broadcast or a delivery of message `from#seq`, with both stamps. */
export type EventNote = {
  readonly kind: "broadcast" | "deliver";
  readonly from: string;
  readonly seq: number;
  readonly lamport: number;
  readonly clock: Vector;
};

interface Durable {
  readonly lamport: number;
  readonly clock: Vector;
  readonly delivered: Vector;
  /** `from#seq` of every message delivered, in delivery order. */
  readonly deliveredIds: readonly string[];
  readonly outbox: readonly Broadcast[];
}

export interface ProcessState {
  durable: Durable;
  buffer: Broadcast[];
  readonly sender: ReliableSender;
  readonly timers: ArmedTimers;
}

const timers = defineTimers<{ broadcast: number }>();

const max = (one: Vector, other: Vector): Vector => one.map((value, index) => Math.max(value, other[index]!));
const bump = (vector: Vector, index: number): Vector => vector.map((value, at) => (at === index ? value + 1 : value));

/** Whether message `m` from process `j` is next in causal order for `delivered`. */
function causallyReady(delivered: Vector, m: Broadcast, j: number): boolean {
  return m.deliveries.every((count, k) => (k === j ? count === delivered[k]! + 1 : count <= delivered[k]!));
}

export function processNode(processes: readonly string[], broadcasts: number, bug: Bug) {
  const indexOf = (id: string): number => processes.indexOf(id);
  const outboxOf = (state: ProcessState): Outbox => ({ count: state.durable.outbox.length, messageAt: (seq) => state.durable.outbox[seq]!, retryMs: RETRY_MS });

  const record = (state: ProcessState, ctx: NodeContext, durable: Durable, event: EventNote): void => {
    ctx.disk.replace(STATE_FILE, JSON.stringify(durable));
    state.durable = durable;
    ctx.note(EVENT_NOTE, { ...event });
  };

  const think = (state: ProcessState, ctx: NodeContext): void => {
    const next = state.durable.outbox.length;
    if (next < broadcasts) timers.set(ctx, state.timers, "broadcast", next, 1 + ctx.random.below(THINK_MS_MAX));
  };

  const broadcast = (state: ProcessState, ctx: NodeContext, seq: number): void => {
    const { lamport, clock, delivered, deliveredIds, outbox } = state.durable;
    if (seq !== outbox.length) return;
    const me = indexOf(ctx.id);
    const message: Broadcast = { type: "broadcast", from: ctx.id, seq, deliveries: bump(delivered, me), lamport: lamport + 1, clock: bump(clock, me) };
    record(state, ctx, { lamport: message.lamport, clock: message.clock, delivered: message.deliveries, deliveredIds, outbox: [...outbox, message] }, { kind: "broadcast", from: ctx.id, seq, lamport: message.lamport, clock: message.clock });
    resendUnacknowledged(state.sender, ctx, outboxOf(state));
    think(state, ctx);
  };

  const deliver = (state: ProcessState, ctx: NodeContext, m: Broadcast): void => {
    const { lamport, clock, delivered, deliveredIds, outbox } = state.durable;
    const me = indexOf(ctx.id);
    const stamp = bug === "lamport-no-max" ? lamport + 1 : Math.max(lamport, m.lamport) + 1;
    const merged = bump(bug === "vector-no-merge" ? clock : max(clock, m.clock), me);
    record(state, ctx, { lamport: stamp, clock: merged, delivered: bump(delivered, indexOf(m.from)), deliveredIds: [...deliveredIds, `${m.from}#${m.seq}`], outbox }, { kind: "deliver", from: m.from, seq: m.seq, lamport: stamp, clock: merged });
    ctx.send(m.from, { type: "ack", seq: m.seq });
  };

  /** Delivers every buffered message that is ready, until none is. */
  const drain = (state: ProcessState, ctx: NodeContext): void => {
    for (;;) {
      const ready = state.buffer.findIndex((m) => bug === "deliver-on-arrival" || causallyReady(state.durable.delivered, m, indexOf(m.from)));
      if (ready < 0) return;
      const [m] = state.buffer.splice(ready, 1);
      deliver(state, ctx, m!);
    }
  };

  /** Whether `m` was delivered already. */
  const seen = (state: ProcessState, m: Broadcast): boolean => state.durable.deliveredIds.includes(`${m.from}#${m.seq}`);

  return defineNode<ProcessState>({
    init: (ctx) => {
      const text = ctx.disk.read(STATE_FILE);
      const zero = processes.map(() => 0);
      const durable: Durable = text === undefined || text === "" ? { lamport: 0, clock: zero, delivered: zero, deliveredIds: [], outbox: [] } : (JSON.parse(text) as Durable);
      return { durable, buffer: [], sender: reliableSender(), timers: armedTimers() };
    },
    start: think,
    recover: (state, ctx) => {
      resendUnacknowledged(state.sender, ctx, outboxOf(state));
      think(state, ctx);
    },
    timer: (state, ctx, name) => {
      if (name === RETRY_TIMER) return retryFired(state.sender, ctx, outboxOf(state));
      timers.dispatch(ctx, state.timers, name, { broadcast: (seq) => broadcast(state, ctx, seq) });
    },
    message: (state, ctx, from, raw) => {
      const message = raw as Message;
      if (message.type === "ack") return recordAcknowledgement(state.sender, from, message.seq);
      if (seen(state, message)) return ctx.send(from, { type: "ack", seq: message.seq });
      if (!state.buffer.some((m) => m.from === message.from && m.seq === message.seq)) state.buffer.push(message);
      drain(state, ctx);
    },
  });
}
