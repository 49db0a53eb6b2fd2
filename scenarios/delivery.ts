// Scenario `delivery`: the worked example of dsim's design brief.
//
// Protocol: a sender sends the messages 1..n (n is the size `messages`, 5 by default) to a
// receiver, which folds each message it receives into its value and keeps a durable log of what it
// received (append, fsync, then acknowledge).
// In the retrying variants the sender resends every unacknowledged message until acknowledged.
//
// Logical trace π: the receiver's value after heal and quiescence.
// Invariant: the value is made of sent messages only.
//
// Why `retry-set` projects every execution onto one logical trace: retries until acknowledged
// make loss irrelevant (every message arrives at least once); set union is commutative and
// idempotent, so arrival order and duplicates are irrelevant; the receiver acknowledges only what
// it fsynced, so a crash cannot lose an acknowledged message. Every variant below drops one of
// those three properties, and dsim catches it:
//   append     arrival order matters, loss matters                  (diverges)
//   sum        loss matters                                         (diverges)
//   set        loss matters                                         (diverges)
//   retry-sum  a retried or duplicated message is counted twice     (diverges)
//   retry-set  correct                                              (holds)

import { defineNode, defineScenario, type Json, type NodeContext } from "../src/index.ts";
import { cutTornTail } from "../src/kit/index.ts";

type Fold = "append" | "sum" | "set";

interface VariantShape {
  readonly fold: Fold;
  readonly retry: boolean;
}

const SHAPES: Record<string, VariantShape> = {
  append: { fold: "append", retry: false },
  sum: { fold: "sum", retry: false },
  set: { fold: "set", retry: false },
  "retry-sum": { fold: "sum", retry: true },
  "retry-set": { fold: "set", retry: true },
};

const RETRY_INTERVAL_MS = 20;
const LOG_FILE = "received.log";

interface Workload {
  readonly messages: readonly number[];
  readonly [key: string]: Json;
}

interface SenderState {
  readonly acknowledged: Set<number>;
}

function sender(workload: Workload, shape: VariantShape) {
  const sendUnacknowledged = (state: SenderState, ctx: NodeContext): void => {
    for (const value of workload.messages) if (!state.acknowledged.has(value)) ctx.send("receiver", { value });
    if (shape.retry && state.acknowledged.size < workload.messages.length) ctx.setTimer("retry", RETRY_INTERVAL_MS);
  };
  return defineNode<SenderState>({
    init: () => ({ acknowledged: new Set() }),
    start: sendUnacknowledged,
    recover: (state, ctx) => {
      if (shape.retry) sendUnacknowledged(state, ctx);
    },
    message: (state, _ctx, _from, message) => {
      state.acknowledged.add((message as { ack: number }).ack);
    },
    timer: sendUnacknowledged,
  });
}

interface ReceiverState {
  received: number[];
}

/** The receiver's value: its received messages folded in log order. */
export function foldValue(fold: Fold, received: readonly number[]): Json {
  switch (fold) {
    case "append":
      return [...received];
    case "sum":
      return received.reduce((total, value) => total + value, 0);
    case "set":
      return [...new Set(received)].sort((a, b) => a - b);
  }
}

/** Reads the durable log; a torn last line (no newline yet) was never acknowledged and is dropped. */
export function readLog(text: string | undefined): number[] {
  if (text === undefined) return [];
  const lines = text.split("\n");
  lines.pop();
  return lines.map(Number);
}

function receiver(shape: VariantShape) {
  return defineNode<ReceiverState>({
    init: (ctx) => {
      cutTornTail(ctx.disk, LOG_FILE);
      return { received: readLog(ctx.disk.read(LOG_FILE)) };
    },
    message: (state, ctx, from, message) => {
      const value = (message as { value: number }).value;
      const known = shape.fold === "set" && state.received.includes(value);
      if (!known) {
        ctx.disk.append(LOG_FILE, `${value}\n`);
        ctx.disk.fsync(LOG_FILE);
        state.received.push(value);
        ctx.note("received", value);
      }
      if (shape.retry) ctx.send(from, { ack: value });
    },
  });
}

export default defineScenario<Workload>({
  name: "delivery",
  description: "A sender sends 1..5 to a receiver over a lossy, reordering, duplicating network.",
  variants: [
    { name: "retry-set", expect: "holds", description: "Retries until acknowledged; the receiver folds by set union." },
    { name: "append", expect: "diverges", description: "Appends in arrival order: order and loss change the value.", seedBudget: 2000 },
    { name: "sum", expect: "diverges", description: "Adds every message it receives, no retry: loss changes the sum.", seedBudget: 2000 },
    { name: "set", expect: "diverges", description: "Folds by set union, no retry: loss changes the set.", seedBudget: 2000 },
    { name: "retry-sum", expect: "diverges", description: "Retries, but sums without deduplication: a retry counts twice.", seedBudget: 2000 },
  ],
  sizes: { messages: { default: 5, min: 1, max: 20, description: "how many messages the sender sends (1..n)" } },
  workload: (_random, sizes) => ({ messages: Array.from({ length: sizes.messages! }, (_, index) => index + 1) }),
  nodes: ({ variant, workload }) => {
    const shape = SHAPES[variant]!;
    return { sender: sender(workload, shape), receiver: receiver(shape) };
  },
  project: (view) => {
    const shape = SHAPES[view.variant]!;
    return { value: foldValue(shape.fold, view.state<ReceiverState>("receiver").received) };
  },
  invariants: [
    {
      name: "only-sent-values",
      description: "The receiver holds only values the sender sent.",
      check: (view) => {
        const sent = new Set(view.workload.messages);
        const strangers = view.state<ReceiverState>("receiver").received.filter((value) => !sent.has(value));
        return strangers.length === 0 ? undefined : `received values that were never sent: ${strangers.join(", ")}`;
      },
    },
  ],
});
