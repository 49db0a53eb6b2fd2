// The verdict of one execution on hand-built scenarios, one per branch of verdict.ts that is not a
// plain pass: π that throws (a projection-error, never admissible, and no logical-trace violation on
// top of it), an invariant that throws (a violation under its own name; the other invariants still
// run), a handler error, π or an invariant returning something that is not allowed (a scenario
// error, never a verdict), and a scenario error raised inside π passed through as one.

import { describe, expect, test } from "vitest";
import { defineNode, defineScenario, execute, ScenarioError, type Invariant, type Json } from "../../src/index.ts";

/** One node that notes 1, 2, 3 at start (and throws at start when asked); π and invariants given. */
function scenarioWith(options: { project?: () => Json; invariants?: readonly Invariant<null>[]; handlerThrows?: boolean }) {
  return defineScenario({
    name: "judged",
    description: "a node that notes 1, 2, 3",
    // Declared broken: these break without faults too, which a `holds` variant's reference may not.
    variants: [{ name: "v", expect: "diverges", description: "" }],
    workload: () => null,
    nodes: () => ({
      a: defineNode<null>({
        init: () => null,
        start: (_state, ctx) => {
          for (const value of [1, 2, 3]) ctx.note("count", value);
          if (options.handlerThrows === true) throw new RangeError("handler gave up");
        },
      }),
    }),
    project: options.project ?? ((view) => view.notes("count").map((note) => note.value)),
    invariants: options.invariants ?? [],
  });
}

const run = (scenario: ReturnType<typeof scenarioWith>) => execute({ scenario, variant: "v", seed: 0, faults: "none" });

const holds: Invariant<null> = { name: "holds", description: "", check: () => undefined };
const countsThree: Invariant<null> = { name: "counts-three", description: "", check: (view) => (view.notes("count").length === 3 ? undefined : "not three") };

describe("π that throws", () => {
  test("is a projection-error, the logical trace is null and inadmissible, and no logical-trace violation is added", () => {
    const result = run(scenarioWith({ project: () => { throw new TypeError("π broke"); }, invariants: [countsThree] }));
    expect(result.violations).toEqual([{ invariant: "projection-error", message: "π threw: TypeError: π broke" }]);
    expect(result.verdict).toBe("diverges");
    expect(result.logical).toBeNull();
    expect(result.admissible).toBe(false);
  });

  test("the invariants are still judged after it", () => {
    const never: Invariant<null> = { name: "never", description: "", check: () => "broken anyway" };
    const result = run(scenarioWith({ project: () => { throw new Error("no"); }, invariants: [holds, never] }));
    expect(result.violations.map((violation) => violation.invariant)).toEqual(["projection-error", "never"]);
  });

  test("a scenario error raised inside π stays a scenario error", () => {
    expect(() => run(scenarioWith({ project: () => { throw new ScenarioError("π was handed a broken world"); } }))).toThrow(ScenarioError);
  });

  test("π returning something that is not JSON is a scenario error, never hashed", () => {
    expect(() => run(scenarioWith({ project: () => new Set([1]) as unknown as Json }))).toThrow(/π \(project\) returned a logical trace that is not JSON/);
  });
});

describe("an invariant that throws", () => {
  test("breaks that invariant, with what it threw, and the others are still judged", () => {
    const throwing: Invariant<null> = { name: "throwing", description: "", check: () => { throw new RangeError("index 9 out of range"); } };
    const never: Invariant<null> = { name: "never", description: "", check: () => ["first", "second"] };
    const result = run(scenarioWith({ invariants: [holds, throwing, countsThree, never] }));
    expect(result.violations).toEqual([
      { invariant: "throwing", message: "the check threw: RangeError: index 9 out of range" },
      { invariant: "never", message: "first" },
      { invariant: "never", message: "second" },
    ]);
    expect(result.verdict).toBe("diverges");
    // The logical trace itself is the reference's: only the invariants broke.
    expect(result.admissible).toBe(true);
    expect(result.logical).toEqual([1, 2, 3]);
  });

  test("one that returns something other than nothing, messages or breaches is a scenario error naming it", () => {
    const odd: Invariant<null> = { name: "odd", description: "", check: () => 42 as unknown as string };
    expect(() => run(scenarioWith({ invariants: [odd] }))).toThrow(/invariant 'odd' must return undefined when it holds.*it returned number 42/);
    const listOfNumbers: Invariant<null> = { name: "numbers", description: "", check: () => [1] as unknown as string[] };
    expect(() => run(scenarioWith({ invariants: [listOfNumbers] }))).toThrow(/it returned a list holding something other than messages/);
    const badBreach: Invariant<null> = { name: "bad-breach", description: "", check: () => ({ message: "m", traceIndex: 1.5 }) };
    expect(() => run(scenarioWith({ invariants: [badBreach] }))).toThrow(/invariant 'bad-breach' must return/);
  });

  test("an empty list of messages holds", () => {
    const none: Invariant<null> = { name: "none", description: "", check: () => [] };
    expect(run(scenarioWith({ invariants: [none] })).verdict).toBe("holds");
  });
});

describe("a handler that throws", () => {
  test("is a handler-error naming node, time and what it threw; the execution ends there", () => {
    const result = run(scenarioWith({ handlerThrows: true, invariants: [countsThree] }));
    expect(result.endReason).toBe("handler-error");
    expect(result.violations).toEqual([{ invariant: "handler-error", message: "a threw at 0 ms: RangeError: handler gave up" }]);
  });
});
