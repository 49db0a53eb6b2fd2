// Outcomes that may legitimately vary: a scenario's `admissible` relation and the `allowedOutcomes`
// helper, judged on hand-built logical traces (each rule shown failing), then through executions
// and sweeps of a small scenario whose meaning depends on the seed (a coin toss).

import { describe, expect, test } from "vitest";
import { ScenarioError } from "../../src/core/errors.ts";
import { hashJson } from "../../src/core/hash.ts";
import { judgeLogical } from "../../src/execution/verdict.ts";
import { allowedOutcomes, defineNode, defineScenario, execute, sweep, type Admissible, type Json } from "../../src/index.ts";

const reference = (logical: Json) => ({ logical, logicalHash: hashJson(logical) });

/** A scenario with nothing but an `admissible` relation, for judgeLogical. */
function judgedBy(admissible: Admissible<any> | undefined) {
  return defineScenario({
    name: "judged",
    description: "",
    variants: [{ name: "v", expect: "holds", description: "" }],
    workload: () => ({ votes: ["yes", "no"] }),
    nodes: () => ({}),
    project: () => null,
    ...(admissible === undefined ? {} : { admissible }),
  });
}

describe("allowedOutcomes", () => {
  const sides = allowedOutcomes<{ readonly sides: readonly string[] }>((workload) => workload.sides.map((side) => ({ side, tosses: 1 })));
  const workload = { sides: ["heads", "tails"] };

  test("admits exactly the outcomes it builds from the workload, whatever the key order", () => {
    expect(sides({ tosses: 1, side: "tails" }, null, workload)).toBeNull();
    expect(sides({ side: "heads", tosses: 1 }, null, workload)).toBeNull();
    expect(sides({ side: "heads", tosses: 1 }, null, { sides: ["tails"] })).not.toBeNull();
  });

  test("the reason names the nearest allowed outcome and how the trace differs from it", () => {
    expect(sides({ side: "edge", tosses: 1 }, null, workload)).toBe('not one of the 2 allowed outcomes; nearest: $.side: expected "heads", seen "edge"');
    expect(sides({ side: "tails", tosses: 2 }, null, workload)).toBe("not one of the 2 allowed outcomes; nearest: $.tosses: expected 1, seen 2");
  });

  test("builds the outcomes once per workload and reference, not once per execution", () => {
    let builds = 0;
    const counted = allowedOutcomes<{ readonly n: number }>((workload) => {
      builds++;
      return [workload.n];
    });
    for (let k = 0; k < 5; k++) counted(1, null, { n: 1 });
    counted(2, null, { n: 2 });
    expect(builds).toBe(2);
  });

  test("an empty list admits nothing and says so", () => {
    expect(allowedOutcomes(() => [])(1, null, null)).toBe("no outcome is allowed for this workload");
  });
});

describe("judging a logical trace", () => {
  test("by default, anything but the reference is inadmissible, with the differences", () => {
    expect(judgeLogical(judgedBy(undefined), { n: 1 }, reference({ n: 1 }), null)).toBeUndefined();
    expect(judgeLogical(judgedBy(undefined), { n: 2 }, reference({ n: 1 }), null)).toBe("differs from the reference: $.n: expected 1, seen 2");
  });

  test("the reference is always admissible: the relation is asked only about other traces", () => {
    const never: Admissible = () => "never";
    expect(judgeLogical(judgedBy(never), { n: 1 }, reference({ n: 1 }), null)).toBeUndefined();
    expect(judgeLogical(judgedBy(never), { n: 2 }, reference({ n: 1 }), null)).toBe("not admissible: never");
  });

  test("the relation sees the trace, the reference's trace and the workload", () => {
    const seen: unknown[] = [];
    const recording: Admissible = (logical, referenceLogical, workload) => void seen.push({ logical, referenceLogical, workload });
    expect(judgeLogical(judgedBy(recording), 2, reference(1), { w: 3 })).toBeUndefined();
    expect(seen).toEqual([{ logical: 2, referenceLogical: 1, workload: { w: 3 } }]);
  });

  test("a relation that throws makes the trace inadmissible, never admissible", () => {
    const throws: Admissible = () => {
      throw new Error("boom");
    };
    expect(judgeLogical(judgedBy(throws), 2, reference(1), null)).toBe("admissible() threw: Error: boom");
  });

  test("a relation that returns something other than a reason or null is a scenario error", () => {
    const boolean = (() => false) as unknown as Admissible;
    expect(() => judgeLogical(judgedBy(boolean), 2, reference(1), null)).toThrow(ScenarioError);
    expect(() => judgeLogical(judgedBy(boolean), 2, reference(1), null)).toThrow(/admissible\(\) returned false/);
  });
});

// A coin tossed at start, from the node's own seeded stream: the outcome depends on the seed, so a
// correct execution may mean heads or tails. `fair` only ever lands on a side; `edgy` lands on its
// edge one time in ten.
interface Coin {
  side: string;
}

function coin(options: { readonly admissible: boolean }) {
  return defineScenario<{ readonly sides: readonly string[] }>({
    name: "coin",
    description: "a coin toss",
    variants: [
      { name: "fair", expect: "holds", description: "" },
      { name: "edgy", expect: "diverges", description: "" },
    ],
    workload: () => ({ sides: ["heads", "tails"] }),
    nodes: ({ variant, workload }) => ({
      tosser: defineNode<Coin>({
        init: () => ({ side: "" }),
        start: (state, ctx) => {
          state.side = variant === "edgy" && ctx.random.below(10) === 0 ? "edge" : ctx.random.pick(workload.sides);
        },
      }),
    }),
    project: (view) => ({ side: view.state<Coin>("tosser").side }),
    ...(options.admissible ? { admissible: allowedOutcomes<{ readonly sides: readonly string[] }>((workload) => workload.sides.map((side) => ({ side }))) } : {}),
  });
}

describe("executions and sweeps of a scenario whose meaning varies", () => {
  test("an execution reports whether its logical trace is admissible, and why not", () => {
    const scenario = coin({ admissible: true });
    const results = Array.from({ length: 40 }, (_, seed) => execute({ scenario, variant: "edgy", seed, faults: "none" }));
    const edge = results.find((result) => (result.logical as { side: string }).side === "edge")!;
    expect(edge.admissible).toBe(false);
    expect(edge.violations).toEqual([{ invariant: "logical-trace", message: 'not admissible: not one of the 2 allowed outcomes; nearest: $.side: expected "heads", seen "edge"' }]);
    const sides = results.filter((result) => result !== edge && (result.logical as { side: string }).side !== "edge");
    expect(new Set(sides.map((result) => (result.logical as { side: string }).side))).toEqual(new Set(["heads", "tails"]));
    for (const result of sides) expect(result).toMatchObject({ admissible: true, verdict: "holds", violations: [] });
  });

  test("without `admissible`, the same correct coin diverges whenever it lands on the other side", () => {
    const result = sweep({ scenario: coin({ admissible: false }), variant: "fair", seedCount: 40, faults: "none" });
    expect(result.logicalTraces).toBe(2);
    expect(result).toMatchObject({ admissibleLogicalTraces: 1, inadmissibleLogicalTraces: 1 });
    expect(result.divergences).toBeGreaterThan(0);
  });

  test("with it, the correct coin holds over a sweep; both outcomes are counted, both admissible", () => {
    const result = sweep({ scenario: coin({ admissible: true }), variant: "fair", seedCount: 40, faults: "none" });
    expect(result).toMatchObject({ logicalTraces: 2, admissibleLogicalTraces: 2, inadmissibleLogicalTraces: 0, divergences: 0, invariants: [] });
  });

  test("the broken coin is caught: three distinct traces, one inadmissible, tallied under logical-trace", () => {
    const result = sweep({ scenario: coin({ admissible: true }), variant: "edgy", seedCount: 40, faults: "none" });
    expect(result).toMatchObject({ logicalTraces: 3, admissibleLogicalTraces: 2, inadmissibleLogicalTraces: 1 });
    expect(result.divergences).toBeGreaterThan(0);
    expect(result.invariants).toEqual([{ invariant: "logical-trace", seeds: result.divergences, firstSeed: result.firstDivergence!.seed }]);
  });
});
