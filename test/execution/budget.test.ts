// Budgets and settling: an execution that never quiesces is reported as a `budget` violation,
// never passed; `settled` ends an execution with endless timers once it holds after heal.

import { describe, expect, test } from "vitest";
import { defineNode, defineScenario, execute, NAMED_PROFILES } from "../../src/index.ts";

function heartbeat(settledAfterBeats: number | undefined) {
  return defineScenario({
    name: "heartbeat",
    description: "a node that beats forever",
    variants: [{ name: "default", expect: "holds", description: "" }],
    workload: () => null,
    nodes: () => ({
      a: defineNode<{ beats: number }>({
        init: () => ({ beats: 0 }),
        start: (_state, ctx) => void ctx.setTimer("beat", 100),
        recover: (_state, ctx) => void ctx.setTimer("beat", 100),
        timer: (state, ctx) => {
          state.beats++;
          ctx.setTimer("beat", 100);
        },
      }),
    }),
    project: () => null,
    ...(settledAfterBeats === undefined ? {} : { settled: (view) => view.state<{ beats: number }>("a").beats >= settledAfterBeats }),
  });
}

describe("budgets", () => {
  test("endless timers without `settled` hit the event budget and diverge", () => {
    const result = execute({ scenario: heartbeat(undefined), variant: "default", seed: 1, faults: "none", limits: { eventsMax: 500 } });
    expect(result.endReason).toBe("events-budget");
    expect(result.violations).toEqual([{ invariant: "budget", message: "the execution did not reach quiescence within 500 events" }]);
  });

  test("the virtual-time budget is reported the same way", () => {
    const result = execute({ scenario: heartbeat(undefined), variant: "default", seed: 1, faults: "none", limits: { virtualTimeMaxMs: 5_000 } });
    expect(result.endReason).toBe("time-budget");
    expect(result.violations[0]!.invariant).toBe("budget");
  });

  test("`settled` ends the execution after heal, without a violation", () => {
    const calm = execute({ scenario: heartbeat(15), variant: "default", seed: 1, faults: "none" });
    expect(calm.endReason).toBe("settled");
    expect(calm.violations).toEqual([]);
    expect(calm.endedAtMs).toBe(1500);
    for (let seed = 0; seed < 20; seed++) {
      const stormy = execute({ scenario: heartbeat(15), variant: "default", seed, faults: "heavy" });
      expect(stormy.endReason).toBe("settled");
      expect(stormy.endedAtMs).toBeGreaterThanOrEqual(1500);
    }
  });

  test("fault ticks count against the event budget though they leave no trace: no profile outruns it", () => {
    const faults = { ...NAMED_PROFILES.none!, name: "ticking", crashProbability: 0.001, tickMs: 1, faultEndMs: 1e9, healAtMs: 1e9 };
    const result = execute({ scenario: heartbeat(undefined), variant: "default", seed: 1, faults, limits: { eventsMax: 500, virtualTimeMaxMs: 1e9 } });
    expect(result.endReason).toBe("events-budget");
    expect(result.events).toBeLessThan(500);
    expect(result.violations).toEqual([{ invariant: "budget", message: "the execution did not reach quiescence within 500 events" }]);
  });

  test("a profile with a tick below 1 ms is refused, from the library as from a file", () => {
    const faults = { ...NAMED_PROFILES.none!, name: "tiny", crashProbability: 0.001, tickMs: 0.000001 };
    expect(() => execute({ scenario: heartbeat(undefined), variant: "default", seed: 1, faults })).toThrow(/'tickMs' is 0\.000001, must be ≥ 1/);
  });

  test("a `settled` that never holds is a budget violation naming the settled state", () => {
    const result = execute({ scenario: heartbeat(1e9), variant: "default", seed: 1, faults: "none", limits: { eventsMax: 300 } });
    expect(result.violations[0]!.message).toContain("its settled state");
  });
});
