// The runtime determinism guard: ambient time, randomness and real-time scheduling, caught where a
// scenario (or a library it calls) reaches for them. Installed once per thread, the first time it
// is used: each guarded function is replaced by a wrapper that passes through to the original
// unless the guard is on. `new Date()` and `Date()` are guarded by swapping the global Date while // determinism-ok: names what the guard forbids
// the guard is on (a permanent swap would change `new Date().constructor` for everyone). // determinism-ok: names what the guard forbids
//
//   armed (withDeterminismGuard, while an execution runs): a call throws a NondeterminismError that
//     names the user's line; a call the scenario caught and swallowed is thrown again when the
//     guarded body returns, so catching it cannot turn it into a pass.
//   recording (recordingAmbientCalls, while a scenario module loads): a call passes through, and
//     the first one made from the user's code is recorded, for the message of the check that
//     compares two loads of the module (explore/stableDefinition.ts).
//
// Guarded: Math.random, Date.now, new Date() and Date() without arguments, performance.now, // determinism-ok: names what the guard forbids
// process.hrtime and process.hrtime.bigint, setTimeout, setInterval, setImmediate (global and // determinism-ok: names what the guard forbids
// node:timers), queueMicrotask (work queued there runs outside the virtual clock), the global
// crypto's getRandomValues and randomUUID, and node:crypto's randomBytes, randomUUID, randomInt,
// randomFill, randomFillSync and getRandomValues.

import { createRequire, syncBuiltinESMExports } from "node:module";
import { NondeterminismError } from "../core/errors.ts";
import { atScenarioFrame, scenarioFrameOf } from "../core/scenarioFrame.ts";

/** A call to an ambient source recorded while a module loaded: what, and the user's line. */
export interface AmbientCall {
  readonly what: string;
  readonly frame: string;
}

type Mode = "off" | "armed" | "recording";

let mode: Mode = "off";
let firstHit: NondeterminismError | undefined;
let firstRecorded: AmbientCall | undefined;
let installed = false;

const ADVICE = "use the node context (ctx.now, ctx.random, ctx.setTimer) or the workload's random";

function touched(what: string): void {
  if (mode === "off") return;
  const probe = new Error(what);
  if (mode === "recording") {
    const frame = scenarioFrameOf(probe);
    if (firstRecorded === undefined && frame !== undefined) firstRecorded = { what, frame };
    return;
  }
  const hit = new NondeterminismError(`${what} was called while an execution ran${atScenarioFrame(probe)}; ${ADVICE}`);
  firstHit ??= hit;
  throw hit;
}

type Method = (this: unknown, ...args: unknown[]) => unknown;

/** Replaces owner[key] by a wrapper that reports the call, then calls the original. */
function guardMethod(owner: Record<string, unknown>, key: string, what: string): void {
  const original = owner[key];
  if (typeof original !== "function") return;
  const wrapper = function (this: unknown, ...args: unknown[]): unknown {
    touched(what);
    return (original as Method).apply(this, args);
  };
  // name, length, util.promisify.custom, process.hrtime.bigint: the wrapper looks like the original. // determinism-ok: names what the guard forbids
  for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(original))) {
    if (name !== "prototype") Object.defineProperty(wrapper, name, descriptor);
  }
  for (const symbol of Object.getOwnPropertySymbols(original)) Object.defineProperty(wrapper, symbol, Object.getOwnPropertyDescriptor(original, symbol)!);
  // Some are getters (node:crypto's getRandomValues) or live on a prototype (the global crypto's).
  const own = Object.getOwnPropertyDescriptor(owner, key);
  if (own !== undefined && own.configurable === false) {
    if (own.writable === true) owner[key] = wrapper;
    return;
  }
  Object.defineProperty(owner, key, { value: wrapper, writable: true, configurable: true, enumerable: own?.enumerable ?? false });
}

const RealDate = Date;

/** The global Date while the guard is on: `new Date(value)` works, `new Date()` and `Date()` do not. */ // determinism-ok: names what the guard forbids
const GuardedDate = function (this: unknown, ...args: unknown[]) {
  if (!new.target) {
    touched("Date()");
    return RealDate();
  }
  if (args.length === 0) touched("new Date()"); // determinism-ok: the guard that forbids it
  return Reflect.construct(RealDate, args, new.target) as Date;
} as unknown as DateConstructor;
Object.setPrototypeOf(GuardedDate, RealDate);
(GuardedDate as { prototype: Date }).prototype = RealDate.prototype;

function install(): void {
  if (installed) return;
  installed = true;
  const global = globalThis as unknown as Record<string, unknown>;
  const require = createRequire(import.meta.url);
  guardMethod(Math as unknown as Record<string, unknown>, "random", "Math.random()"); // determinism-ok: the guard that forbids it
  guardMethod(RealDate as unknown as Record<string, unknown>, "now", "Date.now()"); // determinism-ok: the guard that forbids it
  guardMethod(performance as unknown as Record<string, unknown>, "now", "performance.now()"); // determinism-ok: the guard that forbids it
  guardMethod(process as unknown as Record<string, unknown>, "hrtime", "process.hrtime()"); // determinism-ok: the guard that forbids it
  guardMethod(process.hrtime as unknown as Record<string, unknown>, "bigint", "process.hrtime.bigint()"); // determinism-ok: the guard that forbids it
  const timers = require("node:timers") as Record<string, unknown>;
  for (const name of ["setTimeout", "setInterval", "setImmediate"]) { // determinism-ok: the guard that forbids them
    guardMethod(global, name, `${name}()`);
    guardMethod(timers, name, `${name}()`);
  }
  guardMethod(global, "queueMicrotask", "queueMicrotask()");
  const webCrypto = global.crypto as Record<string, unknown> | undefined;
  if (webCrypto !== undefined) for (const name of ["getRandomValues", "randomUUID"]) guardMethod(webCrypto, name, `crypto.${name}()`);
  const nodeCrypto = require("node:crypto") as Record<string, unknown>;
  for (const name of ["randomBytes", "randomUUID", "randomInt", "randomFill", "randomFillSync", "getRandomValues"]) guardMethod(nodeCrypto, name, `crypto.${name}()`);
  // `import { randomUUID } from "node:crypto"` reads the module's ES exports: bring them up to date.
  syncBuiltinESMExports();
}

function enter(next: Mode): Mode {
  install();
  const previous = mode;
  mode = next;
  (globalThis as { Date: DateConstructor }).Date = GuardedDate;
  return previous;
}

function leave(previous: Mode): void {
  mode = previous;
  if (previous === "off") (globalThis as { Date: DateConstructor }).Date = RealDate;
}

/**
 * Runs `body` with ambient time, randomness and real-time scheduling forbidden: a call throws a
 * NondeterminismError, and one that `body` caught is thrown when it returns (or in place of what it
 * threw after). Nested calls share the outermost guard.
 */
export function withDeterminismGuard<T>(body: () => T): T {
  if (mode === "armed") return body();
  const previous = enter("armed");
  firstHit = undefined;
  try {
    const value = body();
    if (firstHit !== undefined) throw firstHit;
    return value;
  } catch (thrown) {
    throw firstHit ?? thrown;
  } finally {
    firstHit = undefined;
    leave(previous);
  }
}

/** Runs `body` (a module's import) recording the first ambient call made from the user's code. */
export async function recordingAmbientCalls<T>(body: () => Promise<T>): Promise<{ readonly value: T; readonly ambient: AmbientCall | undefined }> {
  const previous = enter("recording");
  firstRecorded = undefined;
  try {
    const value = await body();
    return { value, ambient: firstRecorded };
  } finally {
    firstRecorded = undefined;
    leave(previous);
  }
}
