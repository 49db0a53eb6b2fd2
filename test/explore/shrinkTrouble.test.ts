// Shrinking keeps only candidates that diverge the same way: a candidate schedule on which the
// scenario itself breaks (here: a timer that reads the wall clock on a path that neither the
// reference nor the diverging execution takes) is no candidate, and does not end the shrink.

import { describe, expect, test } from "vitest";
import { defineNode, defineScenario, execute, shrink } from "../../src/index.ts";
import { NAMED_PROFILES } from "../../src/world/faults.ts";

const LOSSY = { ...NAMED_PROFILES.none!, name: "lossy", dropProbability: 0.7 };

/**
 * Two messages, no retry: losing both diverges. The receiver reads Date.now() when exactly one
 * arrived, which only a schedule with one of the two drops taken off reaches.
 */
const scenario = defineScenario({
  name: "clock-on-a-middle-path",
  description: "",
  variants: [{ name: "v", expect: "diverges", description: "" }],
  workload: () => null,
  nodes: () => ({
    sender: defineNode({ init: () => null, start: (_state, ctx) => ["a", "b"].forEach((text) => ctx.send("receiver", text)) }),
    receiver: defineNode<{ seen: string[] }>({
      init: () => ({ seen: [] }),
      start: (_state, ctx) => void ctx.setTimer("check", 50),
      message: (state, _ctx, _from, message) => void state.seen.push(message as string),
      timer: (state) => {
        if (state.seen.length === 1) Date.now();
      },
    }),
  }),
  project: (view) => view.state<{ seen: string[] }>("receiver").seen.length,
});

describe("shrinking around the scenario's own errors", () => {
  test("a candidate that trips the guard is skipped; the shrink ends with the same divergence", () => {
    let seed = 0;
    for (; seed < 200; seed++) {
      const result = execute({ scenario, variant: "v", seed, faults: LOSSY });
      if (result.trace.filter((event) => event.kind === "drop").length === 2) break;
    }
    expect(seed).toBeLessThan(200);
    const shrunk = shrink({ scenario, variant: "v", seed, faults: LOSSY });
    expect(shrunk.invariant).toBe("logical-trace");
    expect(shrunk.shrunk.faultCount).toBe(2);
  });
});
