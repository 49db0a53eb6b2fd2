// An invariant may say where it broke: a Breach's traceIndex reaches the violation (and from there
// the failure page's "jump to where it broke"); plain messages keep working beside it.

import { describe, expect, test } from "vitest";
import { execute, type Invariant } from "../../src/index.ts";
import { countingScenario } from "../fixtures/countingScenario.ts";

const counter = (invariants: readonly Invariant<null>[]) => countingScenario({ project: () => null, invariants });

describe("where an invariant broke", () => {
  test("a Breach carries its trace index into the violation; a string has none", () => {
    const noTwos: Invariant<null> = {
      name: "no-twos",
      description: "",
      check: (view) => view.notes("count").filter((note) => note.value === 2).map((note) => ({ message: "a two", traceIndex: note.traceIndex })),
    };
    const plain: Invariant<null> = { name: "plain", description: "", check: () => ["first", { message: "second" }] };
    const result = execute({ scenario: counter([noTwos, plain]), variant: "v", seed: 0, faults: "none" });
    const two = result.trace.findIndex((event) => event.kind === "note" && event.value === 2);
    expect(two).toBeGreaterThan(0);
    expect(result.violations).toEqual([
      { invariant: "no-twos", message: "a two", traceIndex: two },
      { invariant: "plain", message: "first" },
      { invariant: "plain", message: "second" },
    ]);
  });

  test("a single Breach, not in a list, counts too", () => {
    const single: Invariant<null> = { name: "single", description: "", check: () => ({ message: "broke", traceIndex: 0 }) };
    const result = execute({ scenario: counter([single]), variant: "v", seed: 0, faults: "none" });
    expect(result.violations).toEqual([{ invariant: "single", message: "broke", traceIndex: 0 }]);
    expect(result.verdict).toBe("diverges");
  });
});
