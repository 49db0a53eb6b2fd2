// The physical hash on hand-built events: equal traces hash equally, and changing any one field of
// any kind of event (or the order of two events) changes the hash. A field the hasher skipped would
// let two different physical executions count as one in a sweep's distinct physical traces.

import { describe, expect, test } from "vitest";
import type { TraceEvent } from "../../src/core/events.ts";
import { PhysicalHasher } from "../../src/kernel/physicalHash.ts";

const hashOf = (trace: readonly TraceEvent[]): string => {
  const hasher = new PhysicalHasher();
  for (const event of trace) hasher.add(event);
  return hasher.digest();
};

/** One event of every kind, each field with a value some other event does not share. */
const EVENTS: readonly TraceEvent[] = [
  { kind: "start", timeMs: 0, node: "a" },
  { kind: "send", timeMs: 1, node: "a", to: "b", messageId: 1, message: { value: 1 } },
  { kind: "duplicate", timeMs: 2, node: "a", to: "b", messageId: 1 },
  { kind: "drop", timeMs: 3, node: "b", from: "a", messageId: 1, reason: "fault" },
  { kind: "deliver", timeMs: 4, node: "b", from: "a", messageId: 1, message: { value: 1 } },
  { kind: "timer", timeMs: 5, node: "a", name: "retry", timerId: 3 },
  { kind: "crash", timeMs: 6, node: "b" },
  { kind: "restart", timeMs: 7, node: "b" },
  { kind: "partition", timeMs: 8, node: "*", groups: [["a"], ["b", "c"]] },
  { kind: "heal", timeMs: 9, node: "*" },
  { kind: "skew", timeMs: 10, node: "c", skewMs: -12 },
  { kind: "write", timeMs: 11, node: "a", file: "log", mode: "append", bytes: 4 },
  { kind: "fsync", timeMs: 12, node: "a", file: "log" },
  { kind: "torn", timeMs: 13, node: "a", file: "log", keptBytes: 2, lostBytes: 2 },
  { kind: "note", timeMs: 14, node: "c", label: "applied", value: [1, null] },
  { kind: "error", timeMs: 15, node: "c", message: "boom" },
  { kind: "crash-point", timeMs: 16, node: "b", invocation: 4, effect: 2, before: "append", target: "log" },
  { kind: "corrupt", timeMs: 17, node: "a", file: "snapshot", offset: 9, bit: 3 },
  { kind: "lost-fsync", timeMs: 18, node: "c", invocation: 6, effect: 1, file: "wal" },
  { kind: "misdirect", timeMs: 19, node: "a", invocation: 7, effect: 3, file: "log", offset: 12, intendedOffset: 20, bytes: 5 },
];

/** Every event that differs from `event` in exactly one field (the message a deliver carries aside). */
function oneFieldOff(event: TraceEvent): TraceEvent[] {
  const changed: TraceEvent[] = [];
  for (const [field, value] of Object.entries(event)) {
    if (field === "kind") continue;
    // A delivery is named by its message id; its payload is the send's, hashed there.
    if (event.kind === "deliver" && field === "message") continue;
    const other =
      typeof value === "number" ? value + 1
      : field === "reason" ? (value === "fault" ? "partition" : "fault")
      : field === "mode" ? (value === "append" ? "write" : "append")
      : typeof value === "string" ? `${value}x`
      : field === "groups" ? [["a", "b"], ["c"]]
      : field === "value" ? [1, 0]
      : { value: 2 };
    changed.push({ ...event, [field]: other } as TraceEvent);
  }
  return changed;
}

describe("the physical hash", () => {
  test("equal traces hash equally, built in another process's order of object keys too", () => {
    const reordered = EVENTS.map((event) => Object.fromEntries(Object.entries(event).reverse()) as unknown as TraceEvent);
    expect(hashOf(reordered)).toBe(hashOf(EVENTS));
  });

  test.each(EVENTS.map((event) => [event.kind, event] as const))("every field of a %s event counts", (_kind, event) => {
    const base = hashOf([event]);
    const variants = oneFieldOff(event);
    expect(variants.length).toBeGreaterThan(1);
    for (const variant of variants) expect(hashOf([variant]), JSON.stringify(variant)).not.toBe(base);
  });

  test("the kind counts: events with the same fields but another kind differ", () => {
    const seen = new Set(["crash", "restart", "start"].map((kind) => hashOf([{ kind, timeMs: 1, node: "a" } as TraceEvent])));
    expect(seen.size).toBe(3);
  });

  test("order counts, and so does every event", () => {
    const swapped = [EVENTS[1]!, EVENTS[0]!, ...EVENTS.slice(2)];
    expect(hashOf(swapped)).not.toBe(hashOf(EVENTS));
    for (let index = 0; index < EVENTS.length; index++) {
      expect(hashOf(EVENTS.filter((_, other) => other !== index)), EVENTS[index]!.kind).not.toBe(hashOf(EVENTS));
    }
  });

  test("partition groups are hashed with their boundaries: [[a],[b,c]] is not [[a,b],[c]]", () => {
    const cut = (groups: string[][]): TraceEvent => ({ kind: "partition", timeMs: 1, node: "*", groups });
    expect(hashOf([cut([["a"], ["b", "c"]])])).not.toBe(hashOf([cut([["a", "b"], ["c"]])]));
  });
});
