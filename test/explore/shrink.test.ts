// Shrinking: a recorded tape replays exactly, and taking a decision off it leaves the others meaning
// the same; the shrinker takes a divergence down to the fewest faults (then events) that still break
// one invariant, never to more events than it started from. Built-in broken variants whose smallest
// failure is known shrink to it (idempotency's `naive`: one lost reply and one retry); the
// two-phase-commit fixture, whose failure needs exactly two faults, shrinks to exactly those two.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import delivery from "../../scenarios/delivery.ts";
import idempotency from "../../scenarios/idempotency/index.ts";
import type { Scenario } from "../../src/core/scenario.ts";
import { defineNode, defineScenario } from "../../src/index.ts";
import { brokenInvariants } from "../../src/explore/tally.ts";
import type { TraceEvent } from "../../src/core/events.ts";
import { DECISION_KINDS, EFFECT_DECISIONS, faultsOf, isChance, MESSAGE_DECISIONS, ORDER_DECISIONS, Tape, tapeFromJson, tapeToJson, TICK_DECISIONS, type Decision, type DecisionKind } from "../../src/core/tape.ts";
import { RandomChooser, RecordingChooser, TapeChooser } from "../../src/kernel/choosers.ts";
import { execute } from "../../src/execution/execute.ts";
import { searchBounded } from "../../src/explore/bounded.ts";
import { faultLines, jitterLines } from "../../src/explore/faultList.ts";
import { firstInvariant, shrink, withoutFaults, type ShrinkResult } from "../../src/explore/shrink/shrink.ts";
import { sweep } from "../../src/explore/sweep.ts";
import { parseFaultProfile, resolveFaults } from "../../src/world/faults.ts";
import twoPhaseCommit from "../fixtures/twoPhaseCommit.ts";

interface ShrinkCase {
  readonly scenario: Scenario<any>;
  readonly variant: string;
  /** What the single remaining fault must be (and what it leads to in the shrunk trace). */
  readonly expectFault: (faults: readonly Decision[], result: ShrinkResult) => void;
}

const faultEvents = (result: ShrinkResult) => result.shrunk.result.trace.filter((event) => event.kind === "drop" && event.reason === "fault");

const lostMessage = (faults: readonly Decision[]) => {
  expect(faults).toHaveLength(1);
  expect(faults[0]).toMatchObject({ kind: "drop", from: "sender", to: "receiver" });
};

const SHRINK_CASES: readonly ShrinkCase[] = [
  {
    scenario: idempotency,
    variant: "naive",
    expectFault: (faults, result) => {
      // A single lost reply, followed by one retry: the lost reply's operation is sent twice, every
      // other operation once.
      expect(faults).toHaveLength(1);
      expect(faults[0]).toMatchObject({ kind: "drop", from: "account", to: "client" });
      const lost = faultEvents(result)[0]!;
      const trace = result.shrunk.result.trace;
      const reply = trace.find((event): event is Extract<TraceEvent, { kind: "send" }> => event.kind === "send" && event.messageId === (lost as { messageId: number }).messageId);
      const lostOp = (reply!.message as { op: number }).op;
      const sends = new Map<number, number>();
      for (const event of trace) {
        if (event.kind === "send" && event.node === "client") {
          const op = (event.message as { op: number }).op;
          sends.set(op, (sends.get(op) ?? 0) + 1);
        }
      }
      for (const [op, count] of sends) expect(count, `operation ${op}`).toBe(op === lostOp ? 2 : 1);
    },
  },
  { scenario: delivery, variant: "sum", expectFault: lostMessage },
  { scenario: delivery, variant: "set", expectFault: lostMessage },
  // One message: order cannot matter, so what is left is a lost message.
  { scenario: delivery, variant: "append", expectFault: lostMessage },
  {
    scenario: delivery,
    variant: "retry-sum",
    expectFault: (faults) => {
      // An acknowledgement lost or late enough that the sender retries, or a duplicated message.
      expect(faults).toHaveLength(1);
      const fault = faults[0]!;
      if (fault.kind === "duplicate") expect(fault).toMatchObject({ from: "sender" });
      else expect(fault).toMatchObject({ from: "receiver", to: "sender" });
    },
  },
];

function firstDivergence(scenario: Scenario<any>, variant: string) {
  const result = sweep({ scenario, variant, seedFrom: 0, seedCount: 200, faults: "swarm", stopAtFirstDivergence: true });
  expect(result.firstDivergence).toBeDefined();
  return result.firstDivergence!;
}

describe("shrinking a sweep's first divergence", () => {
  for (const testCase of SHRINK_CASES) {
    it(`${testCase.scenario.name}/${testCase.variant} shrinks to one fault that breaks the invariant it broke first`, () => {
      const first = firstDivergence(testCase.scenario, testCase.variant);
      const result = shrink({ scenario: testCase.scenario, variant: testCase.variant, seed: first.seed, workloadSeed: 0, faults: first.faults });
      expect(result.original.result.physicalHash).toBe(first.physicalHash);
      expect(result.invariant).toBe(firstInvariant(first.violations));
      expect(result.shrunk.result.violations.map((violation) => violation.invariant)).toContain(result.invariant);
      expect(result.original.faultCount).toBeGreaterThan(1);
      expect(result.shrunk.faultCount).toBe(1);
      expect(result.shrunk.result.events).toBeLessThanOrEqual(result.original.result.events);
      testCase.expectFault(faultsOf(result.shrunk.tape), result);
      // The shrunk tape replays the shrunk execution exactly, at the sizes it shrank to.
      const replayed = execute({ scenario: testCase.scenario, variant: testCase.variant, seed: first.seed, faults: first.faults, sizes: result.shrunk.result.sizes, chooser: new TapeChooser(result.shrunk.tape) });
      expect(replayed.physicalHash).toBe(result.shrunk.result.physicalHash);
    });
  }

  it("takes a scenario's sizes down where the failure allows: delivery's sum needs one message", () => {
    const sizes = { messages: 4 };
    const seed = [...Array(200).keys()].find((candidate) => execute({ scenario: delivery, variant: "sum", seed: candidate, faults: resolveFaults("heavy", candidate), sizes }).verdict === "diverges")!;
    const result = shrink({ scenario: delivery, variant: "sum", seed, workloadSeed: 0, faults: resolveFaults("heavy", seed), sizes });
    expect(result.original.result.sizes).toEqual(sizes);
    expect(result.shrunk.result.sizes).toEqual({ messages: 1 });
    expect(result.shrunk.result.trace.filter((event) => event.kind === "send")).toHaveLength(1);
  });

  it("refuses an execution that holds: there is nothing to shrink", () => {
    expect(() => shrink({ scenario: delivery, variant: "retry-set", seed: 0, workloadSeed: 0, faults: resolveFaults("heavy", 0) })).toThrow(/nothing to shrink/);
  });

  it("never ends with more events than it started from, and counts exactly the faults it lists", () => {
    fc.assert(
      fc.property(fc.nat(300), fc.constantFrom("sum", "append", "retry-sum"), (seed, variant) => {
        const faults = resolveFaults("heavy", seed);
        if (execute({ scenario: delivery, variant, seed, faults }).verdict === "holds") return;
        const result = shrink({ scenario: delivery, variant, seed, faults, executionsMax: 200 });
        expect(result.shrunk.result.events).toBeLessThanOrEqual(result.original.result.events);
        expect(faultLines(result.shrunk.tape, result.shrunk.result)).toHaveLength(result.shrunk.faultCount);
      }),
      { numRuns: 12 },
    );
  });
});

describe("shrinking toward one invariant", () => {
  const seed = 0;
  const faults = resolveFaults("swarm", seed);

  it("keeps the named invariant broken, whatever else holds", () => {
    const original = execute({ scenario: idempotency, variant: "naive", seed, faults });
    const broken = new Set(original.violations.map((violation) => violation.invariant));
    expect(broken.has("logical-trace") && broken.has("balance")).toBe(true);
    for (const invariant of ["logical-trace", "balance"]) {
      const result = shrink({ scenario: idempotency, variant: "naive", seed, faults, invariant });
      expect(result.invariant).toBe(invariant);
      expect(result.shrunk.result.violations.map((violation) => violation.invariant)).toContain(invariant);
    }
  });

  it("keeps broken the invariant it shrinks toward, where a smaller execution breaks only another", () => {
    // Losing one message breaks `loses-nothing`; `loses-at-most-one` needs two lost. A shrinker
    // that kept any divergence would stop at one lost message, whichever invariant it was asked for.
    const original = execute({ scenario: LOSSY, variant: "v", seed: LOSSY_SEED, faults: DROPS_ONLY });
    expect(brokenInvariants(original.violations)).toEqual(["logical-trace", "loses-at-most-one", "loses-nothing"]);
    const byDefault = shrink({ scenario: LOSSY, variant: "v", seed: LOSSY_SEED, faults: DROPS_ONLY });
    const toward = (invariant: string) => shrink({ scenario: LOSSY, variant: "v", seed: LOSSY_SEED, faults: DROPS_ONLY, invariant });
    for (const [result, invariant, faults] of [[byDefault, "loses-at-most-one", 2], [toward("loses-at-most-one"), "loses-at-most-one", 2], [toward("loses-nothing"), "loses-nothing", 1]] as const) {
      expect(result.invariant).toBe(invariant);
      expect(brokenInvariants(result.shrunk.result.violations)).toContain(invariant);
      expect(result.shrunk.faultCount, invariant).toBe(faults);
    }
    expect(brokenInvariants(toward("loses-nothing").shrunk.result.violations)).not.toContain("loses-at-most-one");
  });

  it("refuses an invariant the execution does not break, naming those it does", () => {
    expect(() => shrink({ scenario: idempotency, variant: "naive", seed, faults, invariant: "one-result-per-operation" })).toThrow(/does not break 'one-result-per-operation' \(it breaks: .*balance/);
  });
});

describe("jitter is not a fault", () => {
  it("a reorder by latency jitter alone shrinks to no fault, with the jitter listed apart", () => {
    // Two messages; the first one's latency jitter (9 ms) lets the second overtake it.
    const faults = { ...resolveFaults("light", 0), dropProbability: 0, duplicateProbability: 0, delayProbability: 0, partitionProbability: 0, crashProbability: 0, clockSkewProbability: 0 };
    const schedule = new Tape([{ kind: "latency", from: "sender", to: "receiver", n: 1, value: 9 }]);
    const sizes = { messages: 2 };
    const result = shrink({ scenario: delivery, variant: "append", seed: 0, faults, sizes, schedule });
    expect(result.shrunk.faultCount).toBe(0);
    expect(faultLines(result.shrunk.tape, result.shrunk.result)).toEqual([]);
    const jitter = jitterLines(result.shrunk.tape, result.shrunk.result);
    expect(jitter.length).toBeGreaterThan(0);
    expect(jitter[0]).toMatch(/sender→receiver #1 \(message \d+\) \+\d ms latency jitter/);
  });

  it("a delay no longer than the network's jitter is replaced by jitter", () => {
    const faults = { ...resolveFaults("light", 0), dropProbability: 0, duplicateProbability: 0, delayProbability: 0.5, partitionProbability: 0, crashProbability: 0, clockSkewProbability: 0 };
    const schedule = new Tape([{ kind: "delay", from: "sender", to: "receiver", n: 1, value: 1 }, { kind: "delay-ms", from: "sender", to: "receiver", n: 1, value: 3 }]);
    const result = shrink({ scenario: delivery, variant: "append", seed: 0, faults, sizes: { messages: 2 }, schedule });
    expect(result.original.faultCount).toBe(1);
    expect(result.shrunk.faultCount).toBe(0);
    expect(result.shrunk.freeCount).toBeGreaterThan(0);
  });
});

/** A sender sends 1..6 once, no retry: each lost message is one fault, and two invariants count them. */
const LOSSY = defineScenario({
  name: "lossy",
  description: "six messages sent once",
  variants: [{ name: "v", expect: "diverges", description: "" }],
  workload: () => null,
  nodes: () => ({
    sender: defineNode<null>({ init: () => null, start: (_state, ctx) => { for (let value = 1; value <= 6; value++) ctx.send("receiver", value); } }),
    receiver: defineNode<{ received: number }>({ init: () => ({ received: 0 }), message: (state) => void state.received++ }),
  }),
  project: (view) => view.state<{ received: number }>("receiver").received,
  invariants: [
    { name: "loses-at-most-one", description: "", check: (view) => (view.state<{ received: number }>("receiver").received >= 5 ? undefined : "two or more lost") },
    { name: "loses-nothing", description: "", check: (view) => (view.state<{ received: number }>("receiver").received === 6 ? undefined : "one or more lost") },
  ],
});
const DROPS_ONLY = { ...resolveFaults("none", 0), name: "drops", dropProbability: 0.5 };
/** The first seed that loses at least three of the six. */
const LOSSY_SEED = [...Array(50).keys()].find((seed) => (execute({ scenario: LOSSY, variant: "v", seed, faults: DROPS_ONLY }).logical as number) <= 3)!;

/** Drops and crashes between handlers only, no jitter and no delays: the fixture's failure then needs exactly two faults. */
const TWO_PHASE_FAULTS = parseFaultProfile(
  { base: "heavy", latencyJitterMs: 0, delayProbability: 0, duplicateProbability: 0, partitionProbability: 0, clockSkewProbability: 0, tornWriteProbability: 0, crashPointProbability: 0 },
  "two-phase-commit test",
);

describe("a failure that needs exactly two faults", () => {
  /** Seeds of the fixture's broken variant that diverge with at least ten faults. */
  const manyFaultSeeds = [...Array(200).keys()].filter((seed) => {
    const recorder = new RecordingChooser(new RandomChooser(seed));
    const result = execute({ scenario: twoPhaseCommit, variant: "forgetful", seed, faults: TWO_PHASE_FAULTS, chooser: recorder });
    return result.verdict === "diverges" && faultsOf(recorder.tape()).length >= 10;
  });

  it("has none with fewer: the bounded search finds no failure with one fault, and one with two", () => {
    const bounded = searchBounded({ scenario: twoPhaseCommit, variant: "forgetful", seed: 0, faults: TWO_PHASE_FAULTS, faultsMax: 2, invariant: "atomicity" });
    expect(bounded.levels.slice(0, 2)).toEqual([{ faults: 0, schedules: 1, complete: true }, expect.objectContaining({ faults: 1, complete: true })]);
    expect(bounded.counterexample?.faults).toBe(2);
    expect(bounded.faultsLowerBound).toBe(2);
  });

  it("shrinks from ten faults or more to exactly a lost COMMIT and a coordinator crash", () => {
    expect(manyFaultSeeds.length).toBeGreaterThanOrEqual(3);
    for (const seed of manyFaultSeeds.slice(0, 3)) {
      const result = shrink({ scenario: twoPhaseCommit, variant: "forgetful", seed, faults: TWO_PHASE_FAULTS });
      expect(result.original.faultCount, `seed ${seed}`).toBeGreaterThanOrEqual(10);
      expect(result.invariant).toBe("atomicity");
      const faults = faultsOf(result.shrunk.tape);
      expect(faults.map((fault) => fault.kind).sort(), `seed ${seed}`).toEqual(["crash", "drop"]);
      const drop = faults.find((fault) => fault.kind === "drop")!;
      const crash = faults.find((fault) => fault.kind === "crash")!;
      expect(drop).toMatchObject({ from: "coordinator" });
      expect(crash).toMatchObject({ node: "coordinator" });
      // What was lost is a COMMIT, and the crash comes after it, before its resend.
      const trace = result.shrunk.result.trace;
      const lost = trace.find((event) => event.kind === "drop" && event.reason === "fault") as Extract<TraceEvent, { kind: "drop" }>;
      const sent = trace.find((event) => event.kind === "send" && event.messageId === lost.messageId) as Extract<TraceEvent, { kind: "send" }>;
      expect(sent.message).toMatchObject({ type: "commit" });
      const crashed = trace.find((event) => event.kind === "crash")!;
      expect(crashed.timeMs).toBeGreaterThan(lost.timeMs);
      // The search from below proved it a shortest one.
      expect(result.faultsLowerBound).toBe(2);
    }
  });
});

describe("the decision kinds", () => {
  it("every kind is in the table, and a magnitude's owner is a fault of the same subject", () => {
    const kinds: readonly DecisionKind[] = [...MESSAGE_DECISIONS, ...TICK_DECISIONS, ...EFFECT_DECISIONS, ...ORDER_DECISIONS];
    expect(Object.keys(DECISION_KINDS).sort()).toEqual([...kinds].sort());
    for (const kind of kinds) {
      const info = DECISION_KINDS[kind];
      if (info.role === "magnitude") {
        expect(isChance(info.owner!), kind).toBe(true);
        expect(DECISION_KINDS[info.owner!].subject, kind).toBe(info.subject);
      }
      if (info.role === "free") expect(info.owner, kind).toBeUndefined();
      if (info.relief !== undefined) expect(DECISION_KINDS[info.relief].role, kind).toBe("free");
    }
  });
});

describe("the schedule tape", () => {
  it("replaying a recorded execution's tape reproduces its physical trace (any seed, any profile)", () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.constantFrom("light", "heavy", "swarm"), fc.constantFrom("retry-sum", "retry-set", "append"), (seed, profile, variant) => {
        const faults = resolveFaults(profile, seed);
        const recorder = new RecordingChooser(new RandomChooser(seed));
        const recorded = execute({ scenario: delivery, variant, seed, faults, chooser: recorder });
        const tape = tapeFromJson(JSON.parse(JSON.stringify(tapeToJson(recorder.tape()))), "test");
        const chooser = new TapeChooser(tape);
        const replayed = execute({ scenario: delivery, variant, seed, faults, chooser });
        expect(replayed.physicalHash).toBe(recorded.physicalHash);
        expect(chooser.unused()).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it("taking a decision off the tape leaves every other decision meaning the same message", () => {
    // Drop the 2nd and the 4th message the sender sends; then take the first drop off.
    const drop = (n: number): Decision => ({ kind: "drop", from: "sender", to: "receiver", n, value: 1 });
    const faults = { ...resolveFaults("none", 0), dropProbability: 0.5 };
    const droppedValues = (tape: Tape) => {
      const trace = execute({ scenario: delivery, variant: "sum", seed: 0, faults, chooser: new TapeChooser(tape) }).trace;
      const sent = new Map(trace.flatMap((event) => (event.kind === "send" ? [[event.messageId, (event.message as { value: number }).value] as const] : [])));
      return trace.flatMap((event) => (event.kind === "drop" && event.reason === "fault" ? [sent.get(event.messageId)] : []));
    };
    const both = new Tape([drop(2), drop(4)]);
    expect(droppedValues(both)).toEqual([2, 4]);
    expect(droppedValues(both.without([drop(2)]))).toEqual([4]);
  });

  it("answers what it holds (a magnitude clamped to the range asked), the gentlest answer elsewhere, and reports what was never asked", () => {
    const tape = new Tape([
      { kind: "drop", from: "a", to: "b", n: 1, value: 1 },
      { kind: "delay-ms", from: "a", to: "b", n: 1, value: 90 },
      { kind: "crash", tick: 3, node: "a", value: 1 },
    ]);
    const chooser = new TapeChooser(tape);
    expect(chooser.chance({ kind: "drop", from: "a", to: "b", n: 1 })).toBe(true);
    expect(chooser.below({ kind: "delay-ms", from: "a", to: "b", n: 1 }, 10)).toBe(9);
    expect(chooser.chance({ kind: "drop", from: "a", to: "b", n: 2 })).toBe(false);
    expect(chooser.below({ kind: "restart-ms", tick: 3, node: "a" }, 50)).toBe(0);
    expect(chooser.unused()).toEqual([{ kind: "crash", tick: 3, node: "a", value: 1 }]);
  });

  it("keeps one decision per question, drops gentlest answers, and lists them in a canonical order", () => {
    const tape = new Tape([
      { kind: "skew-ms", tick: 2, node: "b", value: 5 },
      { kind: "drop", from: "a", to: "b", n: 1, value: 1 },
      { kind: "drop", from: "a", to: "b", n: 1, value: 0 },
      { kind: "latency", from: "a", to: "b", n: 2, value: 3 },
    ]);
    expect(tape.size).toBe(2);
    expect(new Tape([...tape.decisions()].reverse()).decisions()).toEqual(tape.decisions());
  });

  it("reads a replay file's schedule back, and rejects a bad entry with the one line naming it", () => {
    const tape = new Tape([{ kind: "torn-bytes", tick: 4, node: "s", file: "wal.log", value: 17 }, { kind: "order", point: 2, value: 1 }]);
    expect(tapeFromJson(tapeToJson(tape), "f").decisions()).toEqual(tape.decisions());
    expect(() => tapeFromJson([{ kind: "drop", from: "a", to: "b", n: 1, value: 2 }], "f")).toThrow(/f: schedule\[0\]: a 'drop' decision's value is 0 or 1/);
    expect(() => tapeFromJson([{ kind: "meteor", value: 1 }], "f")).toThrow(/unknown decision kind "meteor"/);
    expect(() => tapeFromJson([{ kind: "crash", tick: -1, node: "a", value: 1 }], "f")).toThrow(/'tick' must be an integer ≥ 0/);
    expect(() => tapeFromJson("drop?1", "f")).toThrow(/'schedule' must be a list/);
  });

  it("taking a fault off takes the magnitudes drawn for it, a crash's torn writes with it", () => {
    const crash: Decision = { kind: "crash", tick: 3, node: "s", value: 1 };
    const torn: Decision = { kind: "torn", tick: 3, node: "s", file: "wal.log", value: 1 };
    const tornBytes: Decision = { kind: "torn-bytes", tick: 3, node: "s", file: "wal.log", value: 3 };
    const restart: Decision = { kind: "restart-ms", tick: 3, node: "s", value: 40 };
    const skew: Decision = { kind: "skew", tick: 3, node: "s", value: 1 };
    const skewMs: Decision = { kind: "skew-ms", tick: 3, node: "s", value: 12 };
    const otherCrash: Decision = { kind: "crash", tick: 3, node: "t", value: 1 };
    const otherRestart: Decision = { kind: "restart-ms", tick: 3, node: "t", value: 7 };
    const tape = new Tape([crash, torn, tornBytes, restart, skew, skewMs, otherCrash, otherRestart]);
    expect(faultsOf(tape)).toHaveLength(4);
    expect(withoutFaults(tape, [crash]).decisions()).toEqual(new Tape([skew, skewMs, otherCrash, otherRestart]).decisions());
    expect(withoutFaults(tape, [torn]).decisions()).toEqual(new Tape([crash, restart, skew, skewMs, otherCrash, otherRestart]).decisions());
  });
});
