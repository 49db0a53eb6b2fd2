// The JSON boundary, in the kernel and the execution: a payload, a note, the workload and π's
// result are JSON or the execution is a scenario error naming node, event and path (never a
// verdict); a send delivers one frozen copy, so no handler reaches back into the recorded trace or
// into a duplicate; the scenario's own mistakes outside handlers (nodes() returning no nodes, a
// reference that breaks its own invariant) are scenario errors too.

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { computeReference, defineNode, defineScenario, execute, ScenarioError, type Json, type NodeContext, type Scenario } from "../../src/index.ts";
import { NAMED_PROFILES } from "../../src/world/faults.ts";
import { buriedNotJson } from "../fixtures/notJson.ts";
import { propertyOptions } from "../fixtures/propertyRuns.ts";

const DUPLICATING = { ...NAMED_PROFILES.none!, name: "duplicating", duplicateProbability: 1 };

/** Runs an execution and returns what it threw (or fails the test if it gave a verdict). */
function thrownBy(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("the execution gave a verdict");
}

/** A scenario whose node `a` does `act` when it starts, and whose π is `project`. */
function acting(act: (ctx: NodeContext) => void, project: () => Json = () => null): Scenario<Json> {
  return defineScenario({
    name: "acting",
    description: "",
    variants: [{ name: "v", expect: "holds", description: "" }],
    workload: (): Json => null,
    nodes: () => ({ a: defineNode({ init: () => ({}), start: (_state, ctx) => act(ctx) }), b: defineNode({ init: () => ({}) }) }),
    project,
  });
}

describe("messages cross as frozen copies", () => {
  /** A sender sends `{ balances: [10, 20] }` once; the receiver writes 999 into what it is handed. */
  function mutatingReceiver(catchesItsError: boolean) {
    return defineScenario({
      name: "mutating-receiver",
      description: "",
      variants: [{ name: "v", expect: "holds", description: "" }],
      workload: () => null,
      nodes: () => ({
        sender: defineNode({ init: () => ({}), start: (_state, ctx) => ctx.send("receiver", { balances: [10, 20] }) }),
        receiver: defineNode({
          init: () => ({}),
          message: (_state, ctx, _from, message) => {
            const balances = (message as { balances: number[] }).balances;
            if (!catchesItsError) balances[0] = 999;
            else {
              try {
                balances[0] = 999;
              } catch {
                // the write failed: carry on with what was sent
              }
            }
            ctx.note("first-balance", balances[0]!);
          },
        }),
      }),
      project: () => null,
    });
  }

  test("a receiver that mutates what it was handed cannot rewrite the send, the delivery or the duplicate", () => {
    const result = execute({ scenario: mutatingReceiver(true), variant: "v", seed: 1, faults: DUPLICATING });
    const carried = result.trace.filter((event) => event.kind === "send" || event.kind === "deliver");
    expect(carried.map((event) => event.kind)).toEqual(["send", "deliver", "deliver"]);
    for (const event of carried) expect((event as { message: Json }).message).toEqual({ balances: [10, 20] });
    expect(result.trace.filter((event) => event.kind === "note").map((event) => (event as { value: Json }).value)).toEqual([10, 10]);
  });

  test("the write itself throws in the handler: the receiver's bug, reported as its handler error", () => {
    const result = execute({ scenario: mutatingReceiver(false), variant: "v", seed: 1, faults: "none" });
    expect(result.violations[0]).toMatchObject({ invariant: "handler-error" });
    expect(result.violations[0]!.message).toContain("receiver threw at");
    expect(result.trace.find((event) => event.kind === "send")).toMatchObject({ message: { balances: [10, 20] } });
  });

  test("a sender that changes an object after sending it changes nothing that was sent", () => {
    const scenario = acting((ctx) => {
      const message = { count: 1 };
      ctx.send("b", message);
      message.count = 2;
      ctx.note("counted", message);
      message.count = 3;
    });
    const result = execute({ scenario, variant: "v", seed: 1, faults: "none" });
    const send = result.trace.find((event) => event.kind === "send");
    const note = result.trace.find((event) => event.kind === "note");
    expect(send).toMatchObject({ message: { count: 1 } });
    expect(note).toMatchObject({ value: { count: 2 } });
  });
});

describe("what is not JSON is a scenario error, never a verdict", () => {
  test("a payload names the node, the event, the path and the user's line", () => {
    const error = thrownBy(() => execute({ scenario: acting((ctx) => ctx.send("b", { balances: [1, 2, new Set([3])] } as never)), variant: "v", seed: 1 }));
    expect(error).toBeInstanceOf(ScenarioError);
    expect(error.message).toMatch(/^the fault-free reference of acting\/v \(workload seed 0\): a: the message sent to b is not JSON: \$\.balances\[2\] is a Set \(at test\/kernel\/boundary\.test\.ts:\d+:\d+\)$/);
  });

  test("a note's value, and a handler that swallows the error does not hide it", () => {
    const error = thrownBy(() =>
      execute({
        scenario: acting((ctx) => {
          try {
            ctx.note("applied", { amount: NaN });
          } catch {
            // swallowed
          }
        }),
        variant: "v",
        seed: 1,
      }),
    );
    expect(error).toBeInstanceOf(ScenarioError);
    expect(error.message).toContain("a: note 'applied' is not JSON: $.amount is NaN");
  });

  test("the workload (and it reaches the nodes frozen)", () => {
    const bad = thrownBy(() => execute({ scenario: { ...acting(() => {}), workload: () => ({ accounts: new Map() }) as never }, variant: "v", seed: 1 }));
    expect(bad).toBeInstanceOf(ScenarioError);
    expect(bad.message).toContain("workload() returned a value that is not JSON: $.accounts is a Map");
    let frozen: boolean | undefined;
    const scenario = defineScenario({
      name: "frozen-workload",
      description: "",
      variants: [{ name: "v", expect: "holds", description: "" }],
      workload: () => ({ ids: [1, 2] }),
      nodes: ({ workload }) => ({ a: defineNode({ init: () => ((frozen = Object.isFrozen(workload) && Object.isFrozen(workload.ids)), {}) }) }),
      project: () => null,
    });
    execute({ scenario, variant: "v", seed: 1, faults: "none" });
    expect(frozen).toBe(true);
  });

  test("π returning a Set or a cycle", () => {
    expect(thrownBy(() => execute({ scenario: acting(() => {}, () => new Set([1]) as never), variant: "v", seed: 1 })).message).toContain("π (project) returned a logical trace that is not JSON: $ is a Set");
    const cyclic = (): Json => {
      const state: Record<string, unknown> = { balances: [1] };
      state.self = state;
      return state as Json;
    };
    const error = thrownBy(() => execute({ scenario: acting(() => {}, cyclic), variant: "v", seed: 1 }));
    expect(error).toBeInstanceOf(ScenarioError);
    expect(error.message).toContain("$.self is a cycle (back to $)");
  });

  test("property: any value that is not JSON, as a payload, a note or π's result, is a scenario error naming its path", () => {
    const places = fc.constantFrom("payload", "note", "projection");
    fc.assert(
      fc.property(buriedNotJson, places, fc.nat({ max: 1000 }), ({ value, path, found }, place, seed) => {
        // ctx.note(label) has an optional value: an absent one (undefined) is recorded as null.
        fc.pre(!(place === "note" && path === "$" && found === "undefined"));
        const scenario =
          place === "payload" ? acting((ctx) => ctx.send("b", value as Json))
          : place === "note" ? acting((ctx) => ctx.note("seen", value as Json))
          : acting(() => {}, () => value as Json);
        const error = thrownBy(() => execute({ scenario, variant: "v", seed }));
        expect(error).toBeInstanceOf(ScenarioError);
        expect(error.message).toContain(`is not JSON: ${path} is ${found}`);
      }),
      propertyOptions(150),
    );
  });
});

describe("the scenario's other mistakes", () => {
  test("nodes() returning no nodes names the scenario, not a bug in dsim", () => {
    const error = thrownBy(() => execute({ scenario: { ...acting(() => {}), name: "empty", nodes: () => ({}) }, variant: "v", seed: 1 }));
    expect(error).toBeInstanceOf(ScenarioError);
    expect(error.message).toBe("the fault-free reference of empty/v (workload seed 0): nodes() returned no nodes: an execution needs at least one");
  });

  test("a misspelled handler in a node spec", () => {
    const misspelled = { ...acting(() => {}), nodes: () => ({ a: { init: () => ({}), messages: () => {} } as never }) };
    expect(thrownBy(() => execute({ scenario: misspelled, variant: "v", seed: 1 })).message).toContain("node 'a' has an unknown field 'messages' (did you mean 'message'?)");
  });

  test("workload() that throws names the step and the user's line", () => {
    const error = thrownBy(() => execute({ scenario: { ...acting(() => {}), workload: () => { throw new RangeError("no accounts"); } }, variant: "v", seed: 1 }));
    expect(error).toBeInstanceOf(ScenarioError);
    expect(error.message).toMatch(/workload\(\) threw RangeError: no accounts \(at test\/kernel\/boundary\.test\.ts:\d+:\d+\)$/);
  });

  test("an invariant that returns a boolean is a scenario error, not a crash", () => {
    const scenario = { ...acting(() => {}), invariants: [{ name: "truthy", description: "", check: () => true as never }] };
    expect(thrownBy(() => execute({ scenario, variant: "v", seed: 1 })).message).toContain("invariant 'truthy' must return undefined when it holds");
  });

  test("a `holds` variant whose fault-free reference breaks its own invariant is a scenario error; a `diverges` one's bug may show without faults", () => {
    const breaking = (expect: "holds" | "diverges") => ({
      ...acting(() => {}),
      variants: [{ name: "v", expect, description: "" }],
      invariants: [{ name: "never-holds", description: "", check: () => "broken from the start" }],
    });
    const error = thrownBy(() => computeReference({ scenario: breaking("holds"), variant: "v", workloadSeed: 0, sizes: {}, faults: "none", limits: {} }));
    expect(error).toBeInstanceOf(ScenarioError);
    expect(error.message).toContain("breaks its own invariant 'never-holds': broken from the start");
    const caught = execute({ scenario: breaking("diverges"), variant: "v", seed: 1 });
    expect(caught.violations).toEqual([{ invariant: "never-holds", message: "broken from the start" }]);
  });
});
