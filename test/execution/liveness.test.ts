// Liveness: a scenario's `eventually` properties are watched from the final heal on; one that never
// holds before the execution ends is a violation under its own name, one that holds once is not.

import { describe, expect, test } from "vitest";
import { defineNode, defineScenario, execute, NAMED_PROFILES } from "../../src/index.ts";

/** A node that beats `beats` times, 100 ms apart; the scenario says it must eventually reach 3. */
function beater() {
  return defineScenario<null>({
    name: "beater",
    description: "a node that must eventually beat three times",
    variants: [
      { name: "three", expect: "holds", description: "beats three times" },
      { name: "two", expect: "diverges", description: "stops after two beats" },
    ],
    workload: () => null,
    nodes: ({ variant }) => ({
      a: defineNode<{ beats: number }>({
        init: () => ({ beats: 0 }),
        start: (_state, ctx) => void ctx.setTimer("beat", 100),
        timer: (state, ctx) => {
          state.beats++;
          if (state.beats < (variant === "three" ? 3 : 2)) ctx.setTimer("beat", 100);
        },
      }),
    }),
    project: () => null,
    eventually: [{ name: "three-beats", description: "a beats three times", check: (view) => (view.state<{ beats: number }>("a").beats >= 3 ? undefined : `a beat ${view.state<{ beats: number }>("a").beats} times`) }],
  });
}

describe("eventually", () => {
  test("a property that never holds after the final heal is a violation under its own name", () => {
    const result = execute({ scenario: beater(), variant: "two", seed: 1, faults: "none" });
    expect(result.verdict).toBe("diverges");
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]!.invariant).toBe("three-beats");
    expect(result.violations[0]!.message).toMatch(/never held: the execution ended \(quiescent\) at \d+ ms without it holding since the final heal at 1000 ms; last: a beat 2 times/);
  });

  test("a property that holds after the heal is no violation", () => {
    expect(execute({ scenario: beater(), variant: "three", seed: 1, faults: "none" }).violations).toEqual([]);
  });

  test("an execution that ends before the final heal says so", () => {
    const faults = { ...NAMED_PROFILES.none!, name: "late", faultEndMs: 5000, healAtMs: 5000 };
    const result = execute({ scenario: beater(), variant: "two", seed: 1, faults, limits: { virtualTimeMaxMs: 2000 } });
    expect(result.violations.find((violation) => violation.invariant === "three-beats")?.message).toMatch(/before the final heal at 5000 ms/);
  });
});
