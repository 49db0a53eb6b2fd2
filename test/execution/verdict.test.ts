// The verdict of one execution on hand-built scenarios, one per branch of verdict.ts that is not a
// plain pass: π that throws (a projection-error, never admissible, and no logical-trace violation on
// top of it), an invariant that throws (a violation under its own name; the other invariants still
// run), a handler error, π or an invariant returning something that is not allowed (a scenario
// error, never a verdict, with a message saying what it returned), a scenario error raised inside
// π, an invariant or `admissible` passed through as one, the budget messages (events or virtual
// time), and judgeLogical's exact reasons (every difference from the reference, `admissible`'s own).

import { describe, expect, test } from "vitest";
import { defineScenario, execute, hashJson, ScenarioError, type Invariant, type Json } from "../../src/index.ts";
import type { ExecutionView } from "../../src/core/scenario.ts";
import { checkExecution, judgeLogical } from "../../src/execution/verdict.ts";
import { countingScenario } from "../fixtures/countingScenario.ts";


const run = (scenario: ReturnType<typeof countingScenario>) => execute({ scenario, variant: "v", seed: 0, faults: "none" });

const holds: Invariant<null> = { name: "holds", description: "", check: () => undefined };
const countsThree: Invariant<null> = { name: "counts-three", description: "", check: (view) => (view.notes("count").length === 3 ? undefined : "not three") };

describe("π that throws", () => {
  test("is a projection-error, the logical trace is null and inadmissible, and no logical-trace violation is added", () => {
    const result = run(countingScenario({ project: () => { throw new TypeError("π broke"); }, invariants: [countsThree] }));
    expect(result.violations).toEqual([{ invariant: "projection-error", message: "π threw: TypeError: π broke" }]);
    expect(result.verdict).toBe("diverges");
    expect(result.logical).toBeNull();
    expect(result.admissible).toBe(false);
  });

  test("the invariants are still judged after it", () => {
    const never: Invariant<null> = { name: "never", description: "", check: () => "broken anyway" };
    const result = run(countingScenario({ project: () => { throw new Error("no"); }, invariants: [holds, never] }));
    expect(result.violations.map((violation) => violation.invariant)).toEqual(["projection-error", "never"]);
  });

  test("a scenario error raised inside π stays a scenario error", () => {
    expect(() => run(countingScenario({ project: () => { throw new ScenarioError("π was handed a broken world"); } }))).toThrow(ScenarioError);
  });

  test("π returning something that is not JSON is a scenario error, never hashed", () => {
    expect(() => run(countingScenario({ project: () => new Set([1]) as unknown as Json }))).toThrow(/π \(project\) returned a logical trace that is not JSON/);
  });
});

describe("an invariant that throws", () => {
  test("breaks that invariant, with what it threw, and the others are still judged", () => {
    const throwing: Invariant<null> = { name: "throwing", description: "", check: () => { throw new RangeError("index 9 out of range"); } };
    const never: Invariant<null> = { name: "never", description: "", check: () => ["first", "second"] };
    const result = run(countingScenario({ invariants: [holds, throwing, countsThree, never] }));
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
    expect(() => run(countingScenario({ invariants: [odd] }))).toThrow(/invariant 'odd' must return undefined when it holds.*it returned number 42/);
    const listOfNumbers: Invariant<null> = { name: "numbers", description: "", check: () => [1] as unknown as string[] };
    expect(() => run(countingScenario({ invariants: [listOfNumbers] }))).toThrow(/it returned a list holding something other than messages/);
    const badBreach: Invariant<null> = { name: "bad-breach", description: "", check: () => ({ message: "m", traceIndex: 1.5 }) };
    expect(() => run(countingScenario({ invariants: [badBreach] }))).toThrow(/invariant 'bad-breach' must return/);
  });

  test("an empty list of messages holds", () => {
    const none: Invariant<null> = { name: "none", description: "", check: () => [] };
    expect(run(countingScenario({ invariants: [none] })).verdict).toBe("holds");
  });
});

describe("a handler that throws", () => {
  test("is a handler-error naming node, time and what it threw; the execution ends there", () => {
    const result = run(countingScenario({ handlerThrows: true, invariants: [countsThree] }));
    expect(result.endReason).toBe("handler-error");
    expect(result.violations).toEqual([{ invariant: "handler-error", message: "a threw at 0 ms: RangeError: handler gave up" }]);
  });
});

describe("the budget message names the budget that ran out", () => {
  // A hand-built finished simulation: 51 events run, 5000 ms of virtual time reached.
  const ended = (endReason: "events-budget" | "time-budget") => ({ handlerError: undefined, endReason, trace: [], timeMs: 5000, stepsRun: 51 });
  const view = { variant: "v", workload: null, trace: [], nodes: {}, endedAtMs: 5000, state: () => null, notes: () => [] } as unknown as ExecutionView<null>;
  const scenario = countingScenario({ project: () => null });

  test("virtual time for the time budget, events for the event budget", () => {
    expect(checkExecution(scenario, ended("time-budget"), view, undefined).violations).toEqual([
      { invariant: "budget", message: "the execution did not reach quiescence within 5000 ms of virtual time" },
    ]);
    expect(checkExecution(scenario, ended("events-budget"), view, undefined).violations).toEqual([
      { invariant: "budget", message: "the execution did not reach quiescence within 51 events" },
    ]);
  });
});

describe("a scenario error raised inside an invariant", () => {
  test("stays a scenario error, never a violation", () => {
    const misused: Invariant<null> = { name: "misused", description: "", check: () => { throw new ScenarioError("the invariant asked for a node that does not exist"); } };
    expect(() => run(countingScenario({ invariants: [misused] }))).toThrow(/the invariant asked for a node that does not exist/);
    expect(() => run(countingScenario({ invariants: [misused] }))).toThrow(ScenarioError);
  });
});

describe("what an invariant returns", () => {
  const returning = (value: unknown): Invariant<null> => ({ name: "odd", description: "", check: () => value as string });

  test("null, an object without a string message, or a list holding one is a scenario error saying what it was", () => {
    expect(() => run(countingScenario({ invariants: [returning(null)] }))).toThrow(/invariant 'odd' must return undefined when it holds, else a message, a \{ message, traceIndex \} or a list of them; it returned null$/);
    expect(() => run(countingScenario({ invariants: [returning({ message: 5 })] }))).toThrow(/; it returned an object$/);
    expect(() => run(countingScenario({ invariants: [returning({ text: "broken" })] }))).toThrow(/; it returned an object$/);
    expect(() => run(countingScenario({ invariants: [returning(["fine", null])] }))).toThrow(/; it returned a list holding something other than messages$/);
    expect(() => run(countingScenario({ invariants: [returning(true)] }))).toThrow(/; it returned boolean true$/);
  });

  test("a breach carries its trace index only when it names one", () => {
    const result = run(countingScenario({ invariants: [returning([{ message: "at two", traceIndex: 2 }, { message: "nowhere" }, "plain"])] }));
    expect(result.violations).toStrictEqual([
      { invariant: "odd", message: "at two", traceIndex: 2 },
      { invariant: "odd", message: "nowhere" },
      { invariant: "odd", message: "plain" },
    ]);
  });
});

describe("judgeLogical", () => {
  const reference = { logical: { a: 1, b: 1 }, logicalHash: hashJson({ a: 1, b: 1 }) };
  const withAdmissible = (admissible?: (logical: Json, reference: Json) => unknown) =>
    defineScenario({ ...countingScenario({}), name: "judged", ...(admissible === undefined ? {} : { admissible: admissible as () => string | null }) });

  test("without `admissible`, every difference from the reference is named, separated by '; '", () => {
    expect(judgeLogical(withAdmissible(), { a: 2, b: 3 }, reference, null)).toBe("differs from the reference: $.a: expected 1, seen 2; $.b: expected 1, seen 3");
    expect(judgeLogical(withAdmissible(), { a: 1, b: 1 }, reference, null)).toBeUndefined();
  });

  test("`admissible` accepting (null), refusing (its reason) and throwing (what it threw)", () => {
    expect(judgeLogical(withAdmissible(() => null), { a: 2, b: 1 }, reference, null)).toBeUndefined();
    expect(judgeLogical(withAdmissible(() => "a went up"), { a: 2, b: 1 }, reference, null)).toBe("not admissible: a went up");
    expect(judgeLogical(withAdmissible(() => { throw new RangeError("no order"); }), { a: 2, b: 1 }, reference, null)).toBe("admissible() threw: RangeError: no order");
  });

  test("a scenario error raised inside `admissible` stays a scenario error", () => {
    const raising = withAdmissible(() => { throw new ScenarioError("admissible was handed a broken workload"); });
    expect(() => judgeLogical(raising, { a: 2, b: 1 }, reference, null)).toThrow(ScenarioError);
  });

  test("`admissible` returning something other than null or a reason is a scenario error quoting it", () => {
    const suffix = "; return null when the logical trace is admissible, else the reason it is not";
    expect(() => judgeLogical(withAdmissible(() => ({ ok: false })), { a: 2, b: 1 }, reference, null)).toThrow(new ScenarioError(`judged: admissible() returned {"ok":false}${suffix}`));
    // JSON.stringify has no text for a symbol: it is quoted as String() writes it.
    expect(() => judgeLogical(withAdmissible(() => Symbol("why")), { a: 2, b: 1 }, reference, null)).toThrow(new ScenarioError(`judged: admissible() returned Symbol(why)${suffix}`));
  });
});
