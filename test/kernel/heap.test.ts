// The event heap pops in (time, seq) order: exactly a stable sort of what was pushed.

import { expect, test } from "vitest";
import fc from "fast-check";
import { EventHeap } from "../../src/kernel/heap.ts";

test("pops come out sorted by (timeMs, seq), interleaved with pushes", () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.boolean())), (steps) => {
      const heap = new EventHeap<{ timeMs: number; seq: number }>();
      const model: { timeMs: number; seq: number }[] = [];
      let seq = 0;
      for (const [timeMs, popAfter] of steps) {
        const item = { timeMs, seq: seq++ };
        heap.push(item);
        model.push(item);
        if (popAfter) {
          model.sort((a, b) => a.timeMs - b.timeMs || a.seq - b.seq);
          expect(heap.pop()).toBe(model.shift());
        }
      }
      model.sort((a, b) => a.timeMs - b.timeMs || a.seq - b.seq);
      for (const expected of model) expect(heap.pop()).toBe(expected);
      expect(heap.pop()).toBeUndefined();
      expect(heap.size).toBe(0);
    }),
  );
});

test("remove takes out exactly the item given (by identity), and the rest still pop in order", () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 40 }), fc.nat(), (times, pick) => {
      const heap = new EventHeap<{ timeMs: number; seq: number }>();
      const items = times.map((timeMs, seq) => ({ timeMs, seq }));
      for (const item of items) heap.push(item);
      const removed = items[pick % items.length]!;
      expect(heap.remove({ ...removed })).toBe(false);
      expect(heap.remove(removed)).toBe(true);
      expect(heap.remove(removed)).toBe(false);
      expect(heap.size).toBe(items.length - 1);
      const rest = items.filter((item) => item !== removed).sort((a, b) => a.timeMs - b.timeMs || a.seq - b.seq);
      expect(heap.toArray()).toHaveLength(rest.length);
      for (const expected of rest) expect(heap.pop()).toBe(expected);
      expect(heap.peek()).toBeUndefined();
    }),
  );
});

test("toArray is a copy: changing it leaves the heap as it was", () => {
  const heap = new EventHeap<{ timeMs: number; seq: number }>();
  heap.push({ timeMs: 1, seq: 0 });
  heap.toArray().length = 0;
  expect(heap.size).toBe(1);
});
