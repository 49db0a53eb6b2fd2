// The kit's typed timers: a payload and a kind come back typed from the timer's name; a one-shot
// timer is forgotten when it fires, a periodic one armed again; arming a name again moves it;
// cancel by kind or by payload; names the timers did not make are refused, not dispatched.

import { describe, expect, test } from "vitest";
import { armedTimers, defineTimers } from "../../src/kit/index.ts";
import type { NodeContext } from "../../src/index.ts";

/** A context that records what the timers did with setTimer and cancelTimer. */
function timerContext() {
  const set: { name: string; delayMs: number; id: number }[] = [];
  const cancelled: number[] = [];
  const ctx = {
    setTimer: (name: string, delayMs: number) => {
      set.push({ name, delayMs, id: set.length + 1 });
      return set.length;
    },
    cancelTimer: (id: number) => void cancelled.push(id),
  } as unknown as NodeContext;
  return { ctx, set, cancelled };
}

const timers = defineTimers<{ think: { operation: number }; heartbeat: null; retry: number }>();

describe("typed timers", () => {
  test("a one-shot timer's payload reaches its kind's handler, and the timer is forgotten", () => {
    const { ctx, set } = timerContext();
    const armed = armedTimers();
    timers.set(ctx, armed, "think", { operation: 3 }, 40);
    expect(set).toEqual([{ name: 'think {"operation":3}', delayMs: 40, id: 1 }]);
    expect(timers.isArmed(armed, "think")).toBe(true);
    const seen: number[] = [];
    const handled = timers.dispatch(ctx, armed, set[0]!.name, { think: ({ operation }) => seen.push(operation), heartbeat: () => seen.push(-1), retry: () => seen.push(-2) });
    expect(handled).toBe(true);
    expect(seen).toEqual([3]);
    expect(timers.isArmed(armed, "think")).toBe(false);
  });

  test("a periodic timer is armed again before its handler runs, which may cancel it", () => {
    const { ctx, set, cancelled } = timerContext();
    const armed = armedTimers();
    timers.every(ctx, armed, "heartbeat", null, 50, 5);
    expect(set[0]).toEqual({ name: "heartbeat every 50ms", delayMs: 5, id: 1 });
    expect(timers.decode(set[0]!.name)).toEqual({ kind: "heartbeat", payload: null, periodMs: 50 });
    let beats = 0;
    const handlers = { think: () => undefined, retry: () => undefined, heartbeat: () => void beats++ };
    timers.dispatch(ctx, armed, set[0]!.name, handlers);
    expect(set[1]).toEqual({ name: "heartbeat every 50ms", delayMs: 50, id: 2 });
    timers.dispatch(ctx, armed, set[1]!.name, { ...handlers, heartbeat: () => timers.cancel(ctx, armed, "heartbeat") });
    expect(beats).toBe(1);
    expect(cancelled).toEqual([3]);
    expect(timers.isArmed(armed, "heartbeat")).toBe(false);
  });

  test("arming the same kind and payload again moves the timer; cancel takes one payload or every one", () => {
    const { ctx, cancelled } = timerContext();
    const armed = armedTimers();
    timers.set(ctx, armed, "retry", 1, 10);
    timers.set(ctx, armed, "retry", 1, 20);
    expect(cancelled).toEqual([1]);
    timers.set(ctx, armed, "retry", 2, 10);
    timers.cancel(ctx, armed, "retry", 1);
    expect([timers.isArmed(armed, "retry", 1), timers.isArmed(armed, "retry", 2)]).toEqual([false, true]);
    timers.cancel(ctx, armed, "retry");
    expect(timers.isArmed(armed, "retry")).toBe(false);
  });

  test("a name these timers did not make is not dispatched; bad kinds and periods are refused", () => {
    const { ctx } = timerContext();
    const armed = armedTimers();
    const handlers = { think: () => expect.unreachable(), heartbeat: () => expect.unreachable(), retry: () => expect.unreachable() };
    expect(timers.dispatch(ctx, armed, "begin:3", handlers)).toBe(false);
    expect(timers.dispatch(ctx, armed, "other 1", handlers)).toBe(false);
    expect(timers.dispatch(ctx, armed, "retry {not json", handlers)).toBe(false);
    expect(() => defineTimers<{ "two words": null }>().set(ctx, armed, "two words", null, 1)).toThrow(/must be a word/);
    expect(() => timers.every(ctx, armed, "heartbeat", null, 0)).toThrow(/positive whole number/);
  });
});
