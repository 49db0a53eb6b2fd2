// A first dsim scenario, written by `dsim init`: a client pings a server until every ping is
// answered; the server keeps the ids it has seen in a durable record log (dsim/kit), so a crash
// forgets none it answered. π, the meaning of an execution: the ids the server saw, sorted.
// Variants: `retry` (correct: must hold on every seed) and `once` (a bug dsim must catch: a ping
// the network loses is never resent).
//
//   npx dsim typecheck ./scenario.ts                          type errors, file:line:column
//   npx dsim sweep ./scenario.ts --expect                     every variant behaves as declared
//   npx dsim run ./scenario.ts --variant once --seed 3 --trace
//
// The guide is docs/writing-scenarios.md in dsim's repository.

import { defineNode, defineScenario, type NodeContext } from "dsim";
import { appendRecords, armedTimers, defineTimers, recoverRecords, type ArmedTimers } from "dsim/kit";

interface Workload {
  readonly ids: readonly number[];
}

interface ClientState {
  readonly pending: Set<number>;
  readonly timers: ArmedTimers;
}

interface ServerState {
  readonly seen: Set<number>;
}

const RESEND_MS = 30;
const SEEN_LOG = "seen.log";
const timers = defineTimers<{ resend: null }>();

function pingPending(state: ClientState, ctx: NodeContext, variant: string): void {
  for (const id of state.pending) ctx.send("server", { ping: id });
  if (variant === "retry" && state.pending.size > 0) timers.set(ctx, state.timers, "resend", null, RESEND_MS);
}

export default defineScenario<Workload>({
  name: "ping",
  description: "A client pings a server until each ping is answered.",
  variants: [
    { name: "retry", expect: "holds", description: "Resends every unanswered ping every 30 ms." },
    { name: "once", expect: "diverges", description: "Never resends: a lost ping stays lost.", seedBudget: 500 },
  ],
  workload: (random) => ({ ids: [1, 2, 3].map((index) => index * 100 + random.below(100)) }),
  nodes: ({ variant, workload }) => ({
    client: defineNode<ClientState>({
      init: () => ({ pending: new Set(workload.ids), timers: armedTimers() }),
      start: (state, ctx) => pingPending(state, ctx, variant),
      recover: (state, ctx) => pingPending(state, ctx, variant),
      message: (state, _ctx, _from, message) => void state.pending.delete((message as { pong: number }).pong),
      timer: (state, ctx, name) => void timers.dispatch(ctx, state.timers, name, { resend: () => pingPending(state, ctx, variant) }),
    }),
    server: defineNode<ServerState>({
      init: (ctx) => ({ seen: new Set(recoverRecords<number>(ctx.disk, SEEN_LOG).records) }),
      message: (state, ctx, from, message) => {
        const id = (message as { ping: number }).ping;
        if (!state.seen.has(id)) {
          appendRecords(ctx.disk, SEEN_LOG, [id]); // fsynced before the pong: an answered ping is never forgotten
          state.seen.add(id);
        }
        ctx.send(from, { pong: id });
      },
    }),
  }),
  project: (view) => [...view.state<ServerState>("server").seen].sort((a, b) => a - b),
});
