// Shrinking: a recorded tape replays exactly, and taking a decision off it leaves the others meaning
// the same; the shrinker takes a sweep's first divergence down to the fewest faults that still break
// the same invariants. One case per broken variant whose smallest failure is known: idempotency's
// `naive` must shrink to one lost reply and one retry.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import delivery from "../../scenarios/delivery.ts";
import idempotency from "../../scenarios/idempotency/index.ts";
import type { Scenario } from "../../src/core/scenario.ts";
import type { TraceEvent } from "../../src/core/events.ts";
import { faultsOf, Tape, tapeFromJson, tapeToJson, type Decision } from "../../src/core/tape.ts";
import { RandomChooser, RecordingChooser, TapeChooser } from "../../src/kernel/choosers.ts";
import { execute } from "../../src/execution/execute.ts";
import { shrink, withoutFaults, type ShrinkResult } from "../../src/explore/shrink.ts";
import { sweep } from "../../src/explore/sweep.ts";
import { resolveFaults } from "../../src/world/faults.ts";

interface ShrinkCase {
  readonly scenario: Scenario<any>;
  readonly variant: string;
  /** What the single remaining fault must be (and what it leads to in the shrunk trace). */
  readonly expectFault: (faults: readonly TraceEvent[], result: ShrinkResult) => void;
}

const droppedMessage = (faults: readonly TraceEvent[]) => {
  expect(faults).toHaveLength(1);
  expect(faults[0]).toMatchObject({ kind: "drop", reason: "fault", from: "sender" });
};

const SHRINK_CASES: readonly ShrinkCase[] = [
  {
    scenario: idempotency,
    variant: "naive",
    expectFault: (faults, result) => {
      // A single lost reply, followed by one retry: the lost reply's operation is sent twice, every
      // other operation once.
      expect(faults).toHaveLength(1);
      expect(faults[0]).toMatchObject({ kind: "drop", reason: "fault", node: "client", from: "account" });
      const trace = result.shrunk.result.trace;
      const lost = faults[0]!.kind === "drop" ? faults[0]!.messageId : -1;
      const reply = trace.find((event): event is Extract<TraceEvent, { kind: "send" }> => event.kind === "send" && event.messageId === lost);
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
  { scenario: delivery, variant: "sum", expectFault: droppedMessage },
  { scenario: delivery, variant: "set", expectFault: droppedMessage },
  {
    scenario: delivery,
    variant: "append",
    expectFault: (faults, result) => {
      // One lost message, or one message delayed past the next: by a delay fault or by the
      // network's latency jitter alone, which leaves no fault event.
      if (faults.length === 1) expect(faults[0]).toMatchObject({ kind: "drop", reason: "fault" });
      else {
        expect(faults).toHaveLength(0);
        expect(result.delayedMessages).toHaveLength(1);
      }
    },
  },
  {
    scenario: delivery,
    variant: "retry-sum",
    expectFault: (faults, result) => {
      // A duplicated message, or a lost acknowledgement that makes the sender retry; or no fault
      // at all: latency jitter alone can delay an acknowledgement past the sender's retry timer.
      if (faults.length === 0) {
        expect(result.delayedMessages.length).toBeGreaterThan(0);
        return;
      }
      expect(faults).toHaveLength(1);
      const fault = faults[0]!;
      if (fault.kind === "drop") expect(fault).toMatchObject({ reason: "fault", from: "receiver" });
      else expect(fault.kind).toBe("duplicate");
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
    it(`${testCase.scenario.name}/${testCase.variant} shrinks to one fault that breaks the same invariants`, () => {
      const first = firstDivergence(testCase.scenario, testCase.variant);
      const result = shrink({ scenario: testCase.scenario, variant: testCase.variant, seed: first.seed, workloadSeed: 0, faults: first.faults });
      expect(result.original.result.physicalHash).toBe(first.physicalHash);
      expect(result.shrunk.result.verdict).toBe("diverges");
      expect(result.invariants).toEqual([...new Set(first.violations.map((violation) => violation.invariant))].sort());
      // At most one fault: a reorder may need none, the network's latency jitter suffices.
      expect(result.shrunk.faultCount).toBeLessThanOrEqual(1);
      expect(result.original.faultCount).toBeGreaterThan(1);
      testCase.expectFault(result.faultEvents, result);
      // The shrunk tape replays the shrunk execution exactly.
      const replayed = execute({ scenario: testCase.scenario, variant: testCase.variant, seed: first.seed, faults: first.faults, chooser: new TapeChooser(result.shrunk.tape) });
      expect(replayed.physicalHash).toBe(result.shrunk.result.physicalHash);
    });
  }

  it("shrinks at the sizes it is given (a replay file's), not the scenario's defaults", () => {
    const sizes = { messages: 3 };
    const seed = [...Array(200).keys()].find((candidate) => execute({ scenario: delivery, variant: "sum", seed: candidate, faults: resolveFaults("heavy", candidate), sizes }).verdict === "diverges")!;
    const result = shrink({ scenario: delivery, variant: "sum", seed, workloadSeed: 0, faults: resolveFaults("heavy", seed), sizes });
    expect(result.shrunk.result.verdict).toBe("diverges");
    expect(result.shrunk.result.sizes).toEqual(sizes);
    expect(result.shrunk.result.trace.filter((event) => event.kind === "send")).toHaveLength(3);
  });

  it("refuses an execution that holds: there is nothing to shrink", () => {
    expect(() => shrink({ scenario: delivery, variant: "retry-set", seed: 0, workloadSeed: 0, faults: resolveFaults("heavy", 0) })).toThrow(/nothing to shrink/);
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
