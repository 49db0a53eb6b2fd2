// The runtime determinism guard. While an execution runs, ambient time, randomness and real
// timers (and crypto's randomness) throw, so a scenario (or a library it calls) cannot silently escape the seed.

export class NondeterminismError extends Error {
  override name = "NondeterminismError";
}

let depth = 0;

function forbidden(what: string): never {
  throw new NondeterminismError(`${what} was called on the simulation path; use the node context (ctx.now, ctx.random, ctx.setTimer)`);
}

/** Runs `body` with Math.random, Date.now, new Date(), performance.now and real timers disabled. */
export function withDeterminismGuard<T>(body: () => T): T {
  if (depth > 0) return body();
  const global = globalThis as Record<string, unknown>;
  const saved = {
    random: Math.random,
    Date: global.Date as DateConstructor,
    performanceNow: performance.now,
    setTimeout: global.setTimeout,
    setInterval: global.setInterval,
    setImmediate: global.setImmediate,
    getRandomValues: crypto.getRandomValues,
    randomUUID: crypto.randomUUID,
  };
  const RealDate = saved.Date;
  const GuardedDate = function (this: unknown, ...args: unknown[]) {
    if (args.length === 0) forbidden("new Date()");
    if (!new.target) forbidden("Date()");
    return new (RealDate as unknown as new (...values: unknown[]) => Date)(...args);
  } as unknown as DateConstructor;
  Object.setPrototypeOf(GuardedDate, RealDate);
  (GuardedDate as { prototype: Date }).prototype = RealDate.prototype;
  (GuardedDate as { now: () => number }).now = () => forbidden("Date.now()");
  depth++;
  Math.random = () => forbidden("Math.random()");
  global.Date = GuardedDate;
  performance.now = () => forbidden("performance.now()");
  global.setTimeout = () => forbidden("setTimeout()");
  global.setInterval = () => forbidden("setInterval()");
  global.setImmediate = () => forbidden("setImmediate()");
  crypto.getRandomValues = () => forbidden("crypto.getRandomValues()");
  crypto.randomUUID = () => forbidden("crypto.randomUUID()");
  try {
    return body();
  } finally {
    depth--;
    Math.random = saved.random;
    global.Date = saved.Date;
    performance.now = saved.performanceNow;
    global.setTimeout = saved.setTimeout;
    global.setInterval = saved.setInterval;
    global.setImmediate = saved.setImmediate;
    crypto.getRandomValues = saved.getRandomValues;
    crypto.randomUUID = saved.randomUUID;
  }
}
