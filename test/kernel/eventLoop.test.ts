// The event loop seen from a scenario (kernel/simulation.ts, kernel/context.ts), through
// `execute` and hand-made tapes: where budgets end an execution (an event at the limit still runs),
// what a handler's context gives it (its clock with its skew, its timers and their cancellation,
// a note without a value), what a handler may not do (a bad timer delay, a send to a node that does
// not exist, a label that is not a string), and why a message is dropped on arrival (its node is
// down, or a partition separates it from its sender).

import { describe, expect, test } from "vitest";
import { defineNode, defineScenario, execute, ScenarioError, type Json, type NodeContext } from "../../src/index.ts";
import type { TraceEvent } from "../../src/core/events.ts";
import { randomStream } from "../../src/core/random.ts";
import { Tape, type Decision } from "../../src/core/tape.ts";
import { TapeChooser } from "../../src/kernel/choosers.ts";
import { NAMED_PROFILES, type FaultProfile } from "../../src/world/faults.ts";

/** One node `a` (and a quiet `b`) whose start and timers run the given bodies. */
function single(start: (ctx: NodeContext) => void, timer: (ctx: NodeContext, name: string) => void = () => {}) {
  return defineScenario({
    name: "loop-fixture",
    description: "",
    variants: [{ name: "v", expect: "holds", description: "" }],
    workload: (): Json => null,
    nodes: () => ({
      a: defineNode({ init: () => ({}), start: (_state, ctx) => start(ctx), timer: (_state, ctx, name) => timer(ctx, name) }),
      b: defineNode({ init: () => ({}), message: (_state, ctx, from, message) => ctx.note("got", { from, message }) }),
    }),
    project: () => null,
  });
}

const NONE = NAMED_PROFILES.none!;
const tape = (decisions: Decision[]) => new TapeChooser(new Tape(decisions));
const kinds = (trace: readonly TraceEvent[]) => trace.map((event) => `${event.kind}@${event.timeMs}`);

describe("budgets", () => {
  test("an event due exactly at the time budget runs; the first one past it ends the execution", () => {
    const scenario = single((ctx) => {
      ctx.setTimer("at-limit", 100);
      ctx.setTimer("past-limit", 101);
    });
    const result = execute({ scenario, variant: "v", seed: 1, faults: { ...NONE, healAtMs: 50, faultEndMs: 50 }, limits: { virtualTimeMaxMs: 100 } });
    expect(result.endReason).toBe("time-budget");
    expect(result.trace.filter((event) => event.kind === "timer").map((event) => event.timeMs)).toEqual([100]);
    expect(result.endedAtMs).toBe(100);
  });

  test("the event budget ends the execution right after its last event", () => {
    // Six events: a's start, b's start, the heal (which leaves no trace), then three timers, one a millisecond.
    const scenario = single((ctx) => void ctx.setTimer("tick", 1), (ctx) => void ctx.setTimer("tick", 1));
    const result = execute({ scenario, variant: "v", seed: 1, faults: { ...NONE, healAtMs: 0, faultEndMs: 0 }, limits: { eventsMax: 6 } });
    expect(result.endReason).toBe("events-budget");
    expect(kinds(result.trace)).toEqual(["start@0", "start@0", "timer@1", "timer@2", "timer@3"]);
  });
});

describe("a handler's context", () => {
  test("now() is virtual time plus the node's skew", () => {
    const faults: FaultProfile = { ...NONE, clockSkewProbability: 0.5, clockSkewMaxMs: 30, faultStartMs: 0, faultEndMs: 10, tickMs: 10, healAtMs: 10 };
    const scenario = single((ctx) => void ctx.setTimer("read-clock", 40), (ctx) => ctx.note("now", ctx.now()));
    const result = execute({ scenario, variant: "v", seed: 1, faults, chooser: tape([{ kind: "skew", tick: 0, node: "a", value: 1 }, { kind: "skew-ms", tick: 0, node: "a", value: 55 }]) });
    // The skew is 55 - 30 = 25 ms, set at 0 ms; the timer fires at 40 ms.
    expect(result.trace).toContainEqual({ kind: "skew", timeMs: 0, node: "a", skewMs: 25 });
    expect(result.trace).toContainEqual({ kind: "note", timeMs: 40, node: "a", label: "now", value: 65 });
  });

  test("a cancelled timer never fires; the others fire in order, with their names and ids", () => {
    const scenario = single((ctx) => {
      const first = ctx.setTimer("first", 10);
      const second = ctx.setTimer("second", 5);
      ctx.setTimer("zero", 0);
      ctx.cancelTimer(first);
      ctx.note("ids", [first, second]);
    });
    const result = execute({ scenario, variant: "v", seed: 1, faults: "none" });
    const timers = result.trace.filter((event) => event.kind === "timer");
    expect(timers).toEqual([
      { kind: "timer", timeMs: 0, node: "a", name: "zero", timerId: 3 },
      { kind: "timer", timeMs: 5, node: "a", name: "second", timerId: 2 },
    ]);
    expect(result.trace).toContainEqual({ kind: "note", timeMs: 0, node: "a", label: "ids", value: [1, 2] });
  });

  test("a note without a value records null", () => {
    const result = execute({ scenario: single((ctx) => ctx.note("bare")), variant: "v", seed: 1, faults: "none" });
    expect(result.trace).toContainEqual({ kind: "note", timeMs: 0, node: "a", label: "bare", value: null });
  });

  test("each node's random stream is its own and draws the same for the same seed", () => {
    const scenario = single((ctx) => ctx.note("draw", ctx.random.below(1_000_000)));
    const draw = (seed: number) => execute({ scenario, variant: "v", seed, faults: "none" }).trace.find((event) => event.kind === "note");
    expect(draw(3)).toEqual(draw(3));
    expect(draw(3)).not.toEqual(draw(4));
  });
});

describe("what a handler may not do", () => {
  test.each([
    [-1, "timer 'bad' needs a finite delay ≥ 0, got -1"],
    [NaN, "timer 'bad' needs a finite delay ≥ 0, got NaN"],
    [Infinity, "timer 'bad' needs a finite delay ≥ 0, got Infinity"],
  ])("a timer delay of %s is the handler's error", (delayMs, message) => {
    const result = execute({ scenario: single((ctx) => void ctx.setTimer("bad", delayMs)), variant: "v", seed: 1, faults: "none" });
    expect(result.endReason).toBe("handler-error");
    expect(result.trace.find((event) => event.kind === "error")).toMatchObject({ node: "a", message: expect.stringContaining(message) });
  });

  test("a send to a node that does not exist is the handler's error, and nothing is sent", () => {
    const result = execute({ scenario: single((ctx) => ctx.send("nobody", 1)), variant: "v", seed: 1, faults: "none" });
    expect(result.endReason).toBe("handler-error");
    expect(result.trace.find((event) => event.kind === "error")).toMatchObject({ node: "a", message: expect.stringContaining("a sent to unknown node 'nobody'") });
    expect(result.trace.some((event) => event.kind === "send")).toBe(false);
  });

  test("a note whose label is not a string is a scenario error naming the node", () => {
    expect(() => execute({ scenario: single((ctx) => ctx.note(5 as never, 1)), variant: "v", seed: 1, faults: "none" })).toThrow(ScenarioError);
    expect(() => execute({ scenario: single((ctx) => ctx.note(5 as never, 1)), variant: "v", seed: 1, faults: "none" })).toThrow(/a: a note's label must be a string, got number/);
  });
});

describe("a message lost on arrival", () => {
  test("to a node that is down: dropped as down, not delivered", () => {
    const faults: FaultProfile = { ...NONE, crashProbability: 0.5, faultStartMs: 0, faultEndMs: 10, tickMs: 10, healAtMs: 500, restartMinMs: 100, restartMaxMs: 100, latencyMs: 5 };
    const scenario = single((ctx) => void ctx.setTimer("send", 1), (ctx) => ctx.send("b", "hello"));
    const result = execute({ scenario, variant: "v", seed: 1, faults, chooser: tape([{ kind: "crash", tick: 0, node: "b", value: 1 }]) });
    expect(result.trace.filter((event) => event.node === "b" || event.kind === "send").map((event) => `${event.kind}@${event.timeMs}`)).toEqual([
      "start@0", "crash@0", "send@1", "drop@6", "restart@100",
    ]);
    expect(result.trace.find((event) => event.kind === "drop")).toEqual({ kind: "drop", timeMs: 6, node: "b", from: "a", messageId: 1, reason: "down" });
  });

  test("across a partition: dropped as partition; after the partition ends, delivered", () => {
    const faults: FaultProfile = { ...NONE, partitionProbability: 0.5, partitionMinMs: 20, partitionMaxMs: 20, faultStartMs: 0, faultEndMs: 10, tickMs: 10, healAtMs: 500, latencyMs: 5 };
    const scenario = single((ctx) => {
      ctx.setTimer("early", 1);
      ctx.setTimer("late", 30);
    }, (ctx, name) => ctx.send("b", name));
    const chooser = tape([{ kind: "partition", tick: 0, value: 1 }, { kind: "partition-cut", tick: 0, value: 0 }]);
    const result = execute({ scenario, variant: "v", seed: 1, faults, chooser });
    // Cut 0 + 1 = 0b1: b (the node after a) is on the other side, from 0 to 20 ms.
    expect(kinds(result.trace.filter((event) => ["partition", "heal", "drop", "deliver"].includes(event.kind)))).toEqual(["partition@0", "drop@6", "heal@20", "deliver@35"]);
    expect(result.trace.find((event) => event.kind === "drop")).toMatchObject({ node: "b", from: "a", reason: "partition" });
  });

  test("a duplicated message is delivered twice, each copy at its own delay", () => {
    const faults: FaultProfile = { ...NONE, duplicateProbability: 0.5, delayMaxMs: 50, latencyMs: 5 };
    const chooser = tape([{ kind: "duplicate", from: "a", to: "b", n: 1, value: 1 }, { kind: "duplicate-ms", from: "a", to: "b", n: 1, value: 12 }]);
    const result = execute({ scenario: single((ctx) => ctx.send("b", "x")), variant: "v", seed: 1, faults, chooser });
    expect(kinds(result.trace.filter((event) => event.kind !== "start" && event.kind !== "note"))).toEqual(["send@0", "duplicate@0", "deliver@5", "deliver@17"]);
  });
});

describe("more of the loop's edges", () => {
  test("`settled` is asked only after the heal: a scenario settled from the start ends at the heal", () => {
    const scenario = { ...single((ctx) => void ctx.setTimer("beat", 100), (ctx) => void ctx.setTimer("beat", 100)), settled: () => true };
    const result = execute({ scenario, variant: "v", seed: 1, faults: { ...NONE, faultEndMs: 450, healAtMs: 450 } });
    expect(result.endReason).toBe("settled");
    expect(result.endedAtMs).toBe(450);
  });

  test("a duplicate with no delay at all is still delivered, beside the original", () => {
    const faults: FaultProfile = { ...NONE, latencyMs: 0, duplicateProbability: 0.5 };
    const chooser = tape([{ kind: "duplicate", from: "a", to: "b", n: 1, value: 1 }]);
    const result = execute({ scenario: single((ctx) => ctx.send("b", "x")), variant: "v", seed: 1, faults, chooser });
    expect(kinds(result.trace.filter((event) => event.kind === "deliver" || event.kind === "duplicate"))).toEqual(["duplicate@0", "deliver@0", "deliver@0"]);
  });

  test("a node that is down sends nothing, even through a context another node kept", () => {
    let kept: NodeContext | undefined;
    const scenario = defineScenario({
      name: "kept-context",
      description: "",
      variants: [{ name: "v", expect: "holds", description: "" }],
      workload: (): Json => null,
      nodes: () => ({
        a: defineNode({ init: (ctx) => ((kept = ctx), {}) }),
        b: defineNode({ init: (ctx) => (ctx.setTimer("use-a", 30), {}), timer: () => kept!.send("b", "from a's context") }),
      }),
      project: () => null,
    });
    const faults: FaultProfile = { ...NONE, crashProbability: 0.5, faultStartMs: 0, faultEndMs: 10, tickMs: 10, healAtMs: 500, restartMinMs: 100, restartMaxMs: 100 };
    const result = execute({ scenario, variant: "v", seed: 1, faults, chooser: tape([{ kind: "crash", tick: 0, node: "a", value: 1 }]) });
    expect(result.trace.filter((event) => event.kind === "send")).toEqual([]);
  });

  test("π sees a crashed node down, its volatile state gone, until it restarts", () => {
    const scenario = defineScenario({
      name: "crashed-view",
      description: "",
      variants: [{ name: "v", expect: "holds", description: "" }],
      workload: (): Json => null,
      nodes: () => ({ a: defineNode({ init: () => ({ counter: 1 }) }), b: defineNode({ init: () => ({ counter: 2 }) }) }),
      project: (view) => Object.fromEntries(Object.entries(view.nodes).map(([id, node]) => [id, { up: node.up, state: (node.state as Json | undefined) ?? "gone" }])),
    });
    const faults: FaultProfile = { ...NONE, crashProbability: 0.5, faultStartMs: 0, faultEndMs: 10, tickMs: 10, healAtMs: 500, restartMinMs: 100, restartMaxMs: 100 };
    const crashed = execute({ scenario, variant: "v", seed: 1, faults, chooser: tape([{ kind: "crash", tick: 0, node: "b", value: 1 }]), limits: { virtualTimeMaxMs: 50 } });
    expect(crashed.logical).toEqual({ a: { up: true, state: { counter: 1 } }, b: { up: false, state: "gone" } });
    const restarted = execute({ scenario, variant: "v", seed: 1, faults, chooser: tape([{ kind: "crash", tick: 0, node: "b", value: 1 }]) });
    expect(restarted.logical).toEqual({ a: { up: true, state: { counter: 1 } }, b: { up: true, state: { counter: 2 } } });
  });

  test("golden value (determinism across versions): a node's random stream is the seed's stream named node:<id>", () => {
    const scenario = single((ctx) => ctx.note("draws", [ctx.random.below(1_000_000), ctx.random.below(1_000_000)]));
    const reference = randomStream(9, "node:a");
    const note = execute({ scenario, variant: "v", seed: 9, faults: "none" }).trace.find((event) => event.kind === "note");
    expect(note).toMatchObject({ value: [reference.below(1_000_000), reference.below(1_000_000)] });
  });
});
