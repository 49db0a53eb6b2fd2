// Scenario definitions are checked when loaded: an unknown field (with a "did you mean"), a wrong
// type, a bad variant or size is one line of bad input (a UsageError, exit 2) naming the field.

import { describe, expect, test } from "vitest";
import { UsageError } from "../../src/index.ts";
import { validateScenario } from "../../src/explore/loader.ts";
import { closestName } from "../../src/core/didYouMean.ts";
import delivery from "../../scenarios/delivery.ts";

const GOOD = {
  name: "good",
  description: "",
  variants: [{ name: "v", expect: "holds", description: "" }],
  workload: () => null,
  nodes: () => ({}),
  project: () => null,
};

function problemOf(definition: unknown): string {
  try {
    validateScenario(definition, "scenario file 'x.ts'");
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("the definition was accepted");
}

describe("validateScenario", () => {
  test("accepts a complete definition and every built-in", () => {
    expect(validateScenario(GOOD, "x")).toBe(GOOD);
    expect(validateScenario({ ...GOOD, settled: undefined, invariants: [] }, "x")).toBeDefined();
    expect(validateScenario(delivery, "delivery")).toBe(delivery);
  });

  const cases: ReadonlyArray<readonly [string, unknown, string]> = [
    ["a misspelled field, with a suggestion", { ...GOOD, invariant: [] }, "scenario file 'x.ts': the scenario has an unknown field 'invariant' (did you mean 'invariants'?)"],
    ["an unknown field far from every known one", { ...GOOD, colour: "red" }, "the scenario has an unknown field 'colour' (its fields:"],
    ["a missing function", { ...GOOD, project: undefined }, "the scenario needs 'project'"],
    ["a field of the wrong type", { ...GOOD, nodes: {} }, "the scenario: 'nodes' must be a function, got object"],
    ["a name that is not a string", { ...GOOD, name: 7 }, "the scenario: 'name' must be a non-empty string, got 7"],
    ["no variants", { ...GOOD, variants: [] }, "the scenario: 'variants' needs at least one variant"],
    ["a bad expectation", { ...GOOD, variants: [{ name: "v", expect: "hold", description: "" }] }, `variant 'v': 'expect' must be "holds" or "diverges", got "hold"`],
    ["a misspelled variant field", { ...GOOD, variants: [{ name: "v", expect: "diverges", description: "", seedbudget: 5 }] }, "variant 'v' has an unknown field 'seedbudget' (did you mean 'seedBudget'?)"],
    ["a bad seed budget", { ...GOOD, variants: [{ name: "v", expect: "diverges", description: "", seedBudget: 0 }] }, "variant 'v': 'seedBudget' must be a positive integer, got 0"],
    ["a variant declared twice", { ...GOOD, variants: [GOOD.variants[0], GOOD.variants[0]] }, "variant 'v' is declared twice"],
    ["an invariant without a check", { ...GOOD, invariants: [{ name: "i", description: "" }] }, "invariant 'i' needs 'check'"],
    ["a size out of its range", { ...GOOD, sizes: { messages: { default: 9, min: 1, max: 5, description: "" } } }, "size 'messages' needs min ≤ default ≤ max, got min 1, default 9, max 5"],
    ["a size that is not an integer", { ...GOOD, sizes: { messages: { default: 1.5, min: 1, max: 5, description: "" } } }, "size 'messages': 'default' must be a non-negative integer, got 1.5"],
    ["a size no option can name", { ...GOOD, sizes: { "2x": { default: 1, min: 1, max: 5, description: "" } } }, "size '2x': a size's name starts with a letter"],
    ["a misspelled limit", { ...GOOD, limits: { eventMax: 10 } }, "limits has an unknown field 'eventMax' (did you mean 'eventsMax'?)"],
    ["not an object", [GOOD], "the scenario must be an object, got a list"],
  ];
  for (const [what, definition, message] of cases) {
    test(`rejects ${what}`, () => {
      expect(problemOf(definition)).toContain(message);
    });
  }

  test("each message is one line", () => {
    for (const [, definition] of cases) expect(problemOf(definition)).not.toContain("\n");
  });
});

describe("did you mean", () => {
  test("suggests the nearest name within two edits, and nothing beyond", () => {
    expect(closestName("invariant", ["invariants", "variants"])).toBe("invariants");
    expect(closestName("Workload", ["workload", "nodes"])).toBe("workload");
    expect(closestName("colour", ["name", "nodes"])).toBeUndefined();
  });
});
