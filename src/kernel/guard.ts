// The runtime determinism guard. While an execution runs, ambient time, randomness and real
// timers (and crypto's randomness) throw, so a scenario (or a library it calls) cannot silently escape the seed.

import { NondeterminismError } from "../core/errors.ts";

let depth = 0;

function forbidden(what: string): never {
  throw new NondeterminismError(`${what} was called on the simulation path; use the node context (ctx.now, ctx.random, ctx.setTimer)`);
}

/** Runs `body` with Math.random, Date.now, new Date(), performance.now and real timers disabled. */ // determinism-ok: the guard that forbids it
export function withDeterminismGuard<T>(body: () => T): T {
  if (depth > 0) return body();
  const global = globalThis as Record<string, unknown>;
  const saved = {
    random: Math.random, // determinism-ok: the guard that forbids it
    Date: global.Date as DateConstructor,
    performanceNow: performance.now, // determinism-ok: the guard that forbids it
    setTimeout: global.setTimeout, // determinism-ok: the guard that forbids it
    setInterval: global.setInterval, // determinism-ok: the guard that forbids it
    setImmediate: global.setImmediate, // determinism-ok: the guard that forbids it
    getRandomValues: crypto.getRandomValues,
    randomUUID: crypto.randomUUID,
  };
  const RealDate = saved.Date;
  const GuardedDate = function (this: unknown, ...args: unknown[]) {
    if (args.length === 0) forbidden("new Date()"); // determinism-ok: the guard that forbids it
    if (!new.target) forbidden("Date()");
    return new (RealDate as unknown as new (...values: unknown[]) => Date)(...args);
  } as unknown as DateConstructor;
  Object.setPrototypeOf(GuardedDate, RealDate);
  (GuardedDate as { prototype: Date }).prototype = RealDate.prototype;
  (GuardedDate as { now: () => number }).now = () => forbidden("Date.now()"); // determinism-ok: the guard that forbids it
  depth++;
  Math.random = () => forbidden("Math.random()"); // determinism-ok: the guard that forbids it
  global.Date = GuardedDate;
  performance.now = () => forbidden("performance.now()"); // determinism-ok: the guard that forbids it
  global.setTimeout = () => forbidden("setTimeout()"); // determinism-ok: the guard that forbids it
  global.setInterval = () => forbidden("setInterval()"); // determinism-ok: the guard that forbids it
  global.setImmediate = () => forbidden("setImmediate()"); // determinism-ok: the guard that forbids it
  crypto.getRandomValues = () => forbidden("crypto.getRandomValues()");
  crypto.randomUUID = () => forbidden("crypto.randomUUID()");
  try {
    return body();
  } finally {
    depth--;
    Math.random = saved.random; // determinism-ok: the guard that forbids it
    global.Date = saved.Date;
    performance.now = saved.performanceNow; // determinism-ok: the guard that forbids it
    global.setTimeout = saved.setTimeout; // determinism-ok: the guard that forbids it
    global.setInterval = saved.setInterval; // determinism-ok: the guard that forbids it
    global.setImmediate = saved.setImmediate; // determinism-ok: the guard that forbids it
    crypto.getRandomValues = saved.getRandomValues;
    crypto.randomUUID = saved.randomUUID;
  }
}
