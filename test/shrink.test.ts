// Shrinking: recorded decisions replay exactly; the shrinker takes a sweep's first divergence down
// to the fewest faults that still break the same invariants. One case per broken variant whose
// smallest failure is known: idempotency's `naive` must shrink to one lost reply and one retry.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import delivery from "../scenarios/delivery.ts";
import idempotency from "../scenarios/idempotency/index.ts";
import type { Scenario } from "../src/scenario.ts";
import type { TraceEvent } from "../src/trace/events.ts";
import { RandomChooser, RecordingChooser, ReplayChooser, type Decision } from "../src/kernel/chooser.ts";
import { execute } from "../src/explore/execute.ts";
import { faultPositions, shrink, withoutFaults, type ShrinkResult } from "../src/explore/shrink.ts";
import { sweep } from "../src/explore/sweep.ts";
import { resolveFaults } from "../src/network/faults.ts";
import { decodeDecisions, encodeDecisions } from "../src/report/replayFile.ts";

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
    expectFault: (faults) => {
      // A duplicated message, or a lost acknowledgement that makes the sender retry.
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
      // The shrunk decisions replay the shrunk execution exactly.
      const replayed = execute({ scenario: testCase.scenario, variant: testCase.variant, seed: first.seed, faults: first.faults, chooser: new ReplayChooser(result.shrunk.decisions) });
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

describe("recorded decisions", () => {
  it("replaying a recorded execution reproduces its physical trace (any seed, any profile)", () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.constantFrom("light", "heavy", "swarm"), fc.constantFrom("retry-sum", "retry-set", "append"), (seed, profile, variant) => {
        const faults = resolveFaults(profile, seed);
        const recorder = new RecordingChooser(new RandomChooser(seed));
        const recorded = execute({ scenario: delivery, variant, seed, faults, chooser: recorder });
        const replayed = execute({ scenario: delivery, variant, seed, faults, chooser: new ReplayChooser(decodeDecisions(encodeDecisions(recorder.decisions), "test")) });
        expect(replayed.physicalHash).toBe(recorded.physicalHash);
      }),
      { numRuns: 40 },
    );
  });

  it("answers the gentlest choice once the record runs out, and where it does not fit the question", () => {
    const chooser = new ReplayChooser([
      { kind: "drop", question: "chance", value: 1 },
      { kind: "delay", question: "below", value: 90 },
      { kind: "crash", question: "chance", value: 1 },
    ]);
    expect(chooser.chance("drop", 0.5)).toBe(true);
    expect(chooser.below("delay", 10)).toBe(9); // clamped to the range asked
    expect(chooser.chance("drop", 0.5)).toBe(false); // the record holds a crash next: kept for it
    expect(chooser.below("restart", 50)).toBe(0);
    expect(chooser.chance("crash", 0.5)).toBe(true);
    expect(chooser.chance("crash", 0.5)).toBe(false);
    expect(chooser.below("skew", 7)).toBe(0);
  });

  it("encodes decisions as one line with runs, and rejects a bad token", () => {
    const decisions: Decision[] = [
      ...Array.from({ length: 3 }, (): Decision => ({ kind: "drop", question: "chance", value: 0 })),
      { kind: "delay", question: "chance", value: 1 },
      { kind: "delay", question: "below", value: 37 },
    ];
    const text = encodeDecisions(decisions);
    expect(text).toBe("drop?0*3 delay?1 delay=37");
    expect(decodeDecisions(text, "test")).toEqual(decisions);
    expect(() => decodeDecisions("drop?2", "f")).toThrow(/chance decision is 0 or 1/);
    expect(() => decodeDecisions("meteor?1", "f")).toThrow(/bad decision 'meteor\?1'/);
  });

  it("removing a fault removes the magnitudes drawn for it, a crash's torn writes with it", () => {
    const decisions: Decision[] = [
      { kind: "crash", question: "chance", value: 1 },
      { kind: "torn", question: "chance", value: 1 },
      { kind: "torn", question: "below", value: 3 },
      { kind: "restart", question: "below", value: 40 },
      { kind: "skew", question: "chance", value: 1 },
      { kind: "skew", question: "below", value: 12 },
    ];
    expect(faultPositions(decisions)).toEqual([0, 1, 4]);
    expect(withoutFaults(decisions, [0])).toEqual([{ kind: "crash", question: "chance", value: 0 }, ...decisions.slice(4)]);
    expect(withoutFaults(decisions, [1])).toEqual([decisions[0], { kind: "torn", question: "chance", value: 0 }, ...decisions.slice(3)]);
  });
});
