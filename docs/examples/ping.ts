// A complete small scenario, written the way a user writes one outside dsim's repository.
// Protocol: a client pings a server until it hears a pong; the server counts distinct pings in a
// durable log. π: the server's set of pinged ids. Variants: `retry` (holds), `once` (diverges:
// a lost ping is never resent).
// Run it: node bin/dsim.js sweep ./docs/examples/ping.ts --seeds 200

import { defineNode, defineScenario, type NodeContext } from "../../src/index.ts";
import { cutTornTail } from "../../src/kit/index.ts";

interface ClientState {
  readonly pending: Set<number>;
}

function pingPending(state: ClientState, ctx: NodeContext, variant: string): void {
  for (const id of state.pending) ctx.send("server", { ping: id });
  if (variant === "retry" && state.pending.size > 0) ctx.setTimer("resend", 30);
}

interface ServerState {
  readonly seen: Set<number>;
}

export default defineScenario<{ ids: number[] }>({
  name: "ping",
  description: "A client pings a server until each ping is answered.",
  variants: [
    { name: "retry", expect: "holds", description: "Resends every unanswered ping every 30 ms." },
    { name: "once", expect: "diverges", description: "Never retries: a lost ping stays lost.", seedBudget: 500 },
  ],
  workload: (random) => ({ ids: [1, 2, 3].map((index) => index * 100 + random.below(100)) }),
  nodes: ({ variant, workload }) => ({
    client: defineNode<ClientState>({
      init: () => ({ pending: new Set(workload.ids) }),
      start: (state, ctx) => pingPending(state, ctx, variant),
      recover: (state, ctx) => pingPending(state, ctx, variant),
      message: (state, _ctx, _from, message) => void state.pending.delete((message as { pong: number }).pong),
      timer: (state, ctx) => pingPending(state, ctx, variant),
    }),
    server: defineNode<ServerState>({
      // The log is one id per line. A crash between an append and its fsync may tear the last line:
      // it was never answered, and recovery cuts it off before the next append glues onto it.
      init: (ctx) => {
        cutTornTail(ctx.disk, "seen");
        return { seen: new Set((ctx.disk.read("seen") ?? "").split("\n").slice(0, -1).map(Number)) };
      },
      message: (state, ctx, from, message) => {
        const id = (message as { ping: number }).ping;
        if (!state.seen.has(id)) {
          ctx.disk.append("seen", `${id}\n`);
          ctx.disk.fsync("seen");
          state.seen.add(id);
        }
        ctx.send(from, { pong: id });
      },
    }),
  }),
  project: (view) => [...view.state<ServerState>("server").seen].sort((a, b) => a - b),
});
