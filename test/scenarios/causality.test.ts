// The causality scenario: happens-before computed from a hand-built trace, each invariant on
// hand-built executions (a correct one, a Lamport stamp out of order, a vector that misses a
// causal edge or invents one, an out-of-causal-order delivery), and each variant's verdict under
// swarm faults.

import { describe, expect, test } from "vitest";
import { sweep, type ExecutionView, type Json, type TraceEvent } from "../../src/index.ts";
import causality from "../../scenarios/causality/index.ts";
import { eventsOf, happensBefore, type Workload } from "../../scenarios/causality/checks.ts";
import type { EventNote } from "../../scenarios/causality/process.ts";

const WORKLOAD: Workload = { processes: ["p1", "p2", "p3"], broadcasts: 1 };

type Step = readonly [node: string, note: EventNote];
const send = (node: string, seq: number, lamport: number, clock: number[]): Step => [node, { kind: "broadcast", from: node, seq, lamport, clock }];
const deliver = (node: string, from: string, seq: number, lamport: number, clock: number[]): Step => [node, { kind: "deliver", from, seq, lamport, clock }];

/** p1 broadcasts a; p2 delivers it, then broadcasts b; p3 delivers a, then b. p3 first broadcasts c, concurrent with p1's and p2's events. */
const CORRECT: readonly Step[] = [
  send("p1", 0, 1, [1, 0, 0]),
  send("p3", 0, 1, [0, 0, 1]),
  deliver("p2", "p1", 0, 2, [1, 1, 0]),
  send("p2", 0, 3, [1, 2, 0]),
  deliver("p3", "p1", 0, 2, [1, 0, 2]),
  deliver("p3", "p2", 0, 4, [1, 2, 3]),
];

function viewOf(steps: readonly Step[]): ExecutionView<Workload> {
  const trace: TraceEvent[] = steps.map(([node, note], index) => ({ kind: "note", timeMs: index, node, label: "event", value: note as unknown as Json }));
  return { variant: "causal", workload: WORKLOAD, trace, nodes: {}, endedAtMs: 0, state: <S>() => ({}) as S, notes: () => [] };
}

const check = (name: string, steps: readonly Step[]) => causality.invariants!.find((invariant) => invariant.name === name)!.check(viewOf(steps));
const messagesOf = (result: unknown) => (result as { message: string }[]).map((breach) => breach.message);

describe("causality: happens-before from the trace", () => {
  test("program order and broadcast → delivery, closed transitively; c is concurrent with p1's and p2's events", () => {
    const events = eventsOf(viewOf(CORRECT));
    expect(events.map((event) => event.name)).toEqual(["p1:send p1#0", "p3:send p3#0", "p2:deliver p1#0", "p2:send p2#0", "p3:deliver p1#0", "p3:deliver p2#0"]);
    const before = happensBefore(events);
    expect(before[0]![3]).toBe(true); // a → p2 delivers a → b
    expect(before[0]![5]).toBe(true);
    expect(before[1]![4]).toBe(true); // program order on p3
    expect(before[1]![2] || before[2]![1]).toBe(false); // c and p2's delivery of a: concurrent
    expect(before[3]![0]).toBe(false);
  });
});

describe("causality: invariants on hand-built executions", () => {
  test("the correct execution keeps every invariant", () => {
    for (const invariant of causality.invariants!) expect(invariant.check(viewOf(CORRECT))).toBeUndefined();
  });

  test("a delivery stamped without the message's Lamport time breaks lamport-order", () => {
    const steps = CORRECT.map((step, index) => (index === 2 ? deliver("p2", "p1", 0, 1, [1, 1, 0]) : step));
    expect(messagesOf(check("lamport-order", steps))[0]).toBe("lamport order broken: p1:send p1#0 happens before p2:deliver p1#0 but stamps 1 ≥ 1");
  });

  test("a vector that misses a causal edge, and one that invents it, break vector-exact", () => {
    const missed = CORRECT.map((step, index) => (index === 2 ? deliver("p2", "p1", 0, 2, [0, 1, 0]) : step));
    expect(messagesOf(check("vector-exact", missed))[0]).toBe("vector clock wrong: p1:send p1#0 happens before p2:deliver p1#0, but [1,0,0] is not < [0,1,0]");
    const invented = CORRECT.map((step, index) => (index === 1 ? send("p3", 0, 1, [0, 0, 0]) : step));
    expect(messagesOf(check("vector-exact", invented))).toContain("vector clock wrong: p3:send p3#0 is concurrent with p1:send p1#0, but [0,0,0] < [1,0,0]");
  });

  test("delivering b before a, whose broadcast happens before b's, breaks causal-delivery", () => {
    const swapped = [...CORRECT.slice(0, 4), deliver("p3", "p2", 0, 4, [1, 2, 2]), deliver("p3", "p1", 0, 5, [1, 2, 3])];
    expect(messagesOf(check("causal-delivery", swapped))).toEqual(["causal order broken: p3 delivered p2#0 before p1#0, whose broadcast happens before it"]);
    expect(check("lamport-order", swapped)).toBeUndefined();
  });
});

describe("causality: verdicts under swarm faults", () => {
  test("causal: every execution projects onto the reference over 300 seeds", () => {
    const result = sweep({ scenario: causality, variant: "causal", seedFrom: 0, seedCount: 300, faults: "swarm" });
    expect(result.divergences).toBe(0);
    expect(result.logicalTraces).toBe(1);
  });

  test.each([
    ["lamport-no-max", "lamport-order"],
    ["vector-no-merge", "vector-exact"],
    ["deliver-on-arrival", "causal-delivery"],
  ])("%s is caught within 50 seeds, naming %s", (variant, invariant) => {
    const result = sweep({ scenario: causality, variant, seedFrom: 0, seedCount: 50, faults: "swarm", stopAtFirstDivergence: true });
    expect(result.divergences).toBe(1);
    expect(result.firstDivergence!.violations.map((violation) => violation.invariant)).toContain(invariant);
  });
});
