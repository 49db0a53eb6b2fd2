// The global state's hash (kernel/stateHash.ts) over hand-built pending events: the explorer meets
// only some of them at an order point (a node's start never is pending there), but the function's
// promise covers them all. Events that differ in what the future depends on (kind, time, node,
// timer, incarnation, label, where a delivery falls among them) hash apart; the order the heap
// happens to list them in, and their seq numbers as such, do not count.

import { describe, expect, test } from "vitest";
import type { NodeId } from "../../src/core/json.ts";
import type { Delivery, NodeRuntime, Pending } from "../../src/kernel/runtime.ts";
import { hashGlobalState, type GlobalState } from "../../src/kernel/stateHash.ts";

type Other = Exclude<Pending, Delivery>;

/** The only field of a node runtime the pending events' hash reads. */
const runtime = (id: NodeId): NodeRuntime => ({ id }) as unknown as NodeRuntime;
const a = runtime("a");
const b = runtime("b");

function hashOf(others: readonly Other[], deliveries: readonly Delivery[] = []): string {
  const global: GlobalState = { timeMs: 0, healed: false, partitioned: false, groupOf: () => 0, nodes: [], others, deliveries, trace: [] };
  return hashGlobalState(global);
}

const start = (node: NodeRuntime, timeMs = 0, seq = 0): Other => ({ kind: "start", timeMs, seq, node });
const restart = (node: NodeRuntime, incarnation: number, timeMs = 0, seq = 0): Other => ({ kind: "restart", timeMs, seq, node, incarnation });
const world = (label: string, timeMs = 0, seq = 0): Other => ({ kind: "world", timeMs, seq, label, action: () => {} });
const timer = (node: NodeRuntime, name: string, timerId: number, timeMs = 0, seq = 0): Other => ({
  kind: "timer", timeMs, seq, node, name, timerId, incarnation: 0,
});
const deliver = (timeMs: number, seq: number): Delivery => ({ kind: "deliver", timeMs, seq, node: b, from: "a", messageId: 0, message: "m" });

describe("pending events that differ hash apart", () => {
  test.each([
    ["a start at another node", [start(a)], [start(b)]],
    ["a start and a restart of the same node", [start(a)], [restart(a, 0)]],
    ["a restart at another node", [restart(a, 1)], [restart(b, 1)]],
    ["a restart into another incarnation", [restart(a, 1)], [restart(a, 2)]],
    ["world events by their label", [world("fault-tick")], [world("heal")]],
    ["a world event and a start", [world("a")], [start(a)]],
    ["a timer at another node", [timer(a, "t", 1)], [timer(b, "t", 1)]],
    ["the same events at another time", [start(a, 0)], [start(a, 5)]],
    ["which node starts first", [start(a, 0, 0), start(b, 0, 1)], [start(b, 0, 0), start(a, 0, 1)]],
  ])("%s", (_what, one, other) => {
    expect(hashOf(one)).not.toBe(hashOf(other));
  });

  test("a delivery due before an event at its own time, and the same delivery due after it", () => {
    // Same events, same delivery: only the seq order between them differs, which decides which
    // of the two is ready first.
    const first = hashOf([world("tick", 5, 2)], [deliver(5, 1)]);
    const second = hashOf([world("tick", 5, 2)], [deliver(5, 3)]);
    expect(first).not.toBe(second);
  });
});

describe("the heap's own bookkeeping does not count", () => {
  test("the same pending events listed in any order hash equal", () => {
    const events = [start(a, 0, 0), restart(b, 1, 3, 1), world("tick", 7, 2), timer(a, "t", 4, 9, 3)];
    const reversed = [...events].reverse();
    const shuffled = [events[2]!, events[0]!, events[3]!, events[1]!];
    expect(hashOf(reversed)).toBe(hashOf(events));
    expect(hashOf(shuffled)).toBe(hashOf(events));
  });

  test("seq numbers count only through the order they give", () => {
    expect(hashOf([start(a, 0, 0), start(b, 0, 1)])).toBe(hashOf([start(a, 0, 10), start(b, 0, 20)]));
    expect(hashOf([world("tick", 5, 2)], [deliver(5, 3)])).toBe(hashOf([world("tick", 5, 20)], [deliver(5, 30)]));
  });
});
