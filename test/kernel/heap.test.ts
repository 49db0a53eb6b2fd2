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
