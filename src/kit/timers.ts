// Typed timers, the scenario kit's answer to timer names parsed by hand ("begin:3"): a node
// declares its timer kinds and each kind's payload type, arms a timer with a payload (once, or
// every so often), and its timer handler dispatches on the kind with the payload typed.
//
//   const timers = defineTimers<{ think: { operation: number }; heartbeat: null }>();
//   timers.set(ctx, state.timers, "think", { operation: 3 }, 40);
//   timers.every(ctx, state.timers, "heartbeat", null, 50);
//   timer: (state, ctx, name) => timers.dispatch(ctx, state.timers, name, {
//     think: ({ operation }) => invoke(state, ctx, operation),
//     heartbeat: () => broadcast(state, ctx),
//   }),
//
// A timer's name carries its kind, its period and its payload (`think {"operation":3}`,
// `heartbeat every 50ms`), so the trace reads plainly and nothing but the name is needed to
// dispatch it. The armed timers (name → timer id) are plain data in the node's state, volatile
// like every timer: a crash forgets both. Arming a timer whose name is armed moves it (the earlier
// one is cancelled), so there is one timer per kind and payload.

import { canonicalJson } from "../core/hash.ts";
import type { Json } from "../core/json.ts";
import type { NodeContext } from "../core/scenario.ts";

/** Each timer kind's payload type (`null` for none): `{ think: { operation: number }; retry: null }`. */
export type TimerKinds = { readonly [kind: string]: Json };

/** A node's armed timers, timer name → timer id: keep one in the node's state. */
export type ArmedTimers = Record<string, number>;

export function armedTimers(): ArmedTimers {
  return {};
}

/** A timer event read back: its kind and payload, and its period if it is periodic. */
export type FiredTimer<Kinds extends TimerKinds> = {
  readonly [Kind in keyof Kinds & string]: { readonly kind: Kind; readonly payload: Kinds[Kind]; readonly periodMs: number | undefined };
}[keyof Kinds & string];

/** One handler per kind, given the payload: a kind left out does not compile. */
export type TimerHandlers<Kinds extends TimerKinds> = { readonly [Kind in keyof Kinds & string]: (payload: Kinds[Kind]) => void };

export interface Timers<Kinds extends TimerKinds> {
  /** Arms a timer of `kind` with `payload` that fires once, `delayMs` from now. */
  set<Kind extends keyof Kinds & string>(ctx: NodeContext, armed: ArmedTimers, kind: Kind, payload: Kinds[Kind], delayMs: number): void;
  /** Arms a timer that fires every `periodMs` (the first time `firstDelayMs` from now) until cancelled. */
  every<Kind extends keyof Kinds & string>(ctx: NodeContext, armed: ArmedTimers, kind: Kind, payload: Kinds[Kind], periodMs: number, firstDelayMs?: number): void;
  /** Cancels the armed timers of `kind`, or only the one with `payload` when it is given. */
  cancel<Kind extends keyof Kinds & string>(ctx: NodeContext, armed: ArmedTimers, kind: Kind, payload?: Kinds[Kind]): void;
  /** Whether a timer of `kind` (with `payload`, when given) is armed. */
  isArmed<Kind extends keyof Kinds & string>(armed: ArmedTimers, kind: Kind, payload?: Kinds[Kind]): boolean;
  /** A timer name read back, or undefined when it is not one these timers make. */
  decode(name: string): FiredTimer<Kinds> | undefined;
  /**
   * Handles a timer event: a one-shot timer is forgotten, a periodic one armed again (before its
   * handler runs, so the handler may cancel it), then the handler of its kind gets the payload.
   * Returns false, and calls nothing, for a name that is not one of these kinds.
   */
  dispatch(ctx: NodeContext, armed: ArmedTimers, name: string, handlers: TimerHandlers<Kinds>): boolean;
}

/** A kind is a word: letters, digits, `-`, `_`, `.`, starting with a letter. */
const KIND = /^[A-Za-z][\w.-]*$/;
/** `kind`, `kind every 50ms`, `kind {"payload":1}`, `kind every 50ms 3`. */
const NAME = /^([A-Za-z][\w.-]*)(?: every (\d+)ms)?(?: (.+))?$/;

function nameOf(kind: string, payload: Json, periodMs?: number): string {
  if (!KIND.test(kind)) throw new TypeError(`timer kind '${kind}' must be a word (letters, digits, -, _ and .), starting with a letter`);
  const period = periodMs === undefined ? "" : ` every ${periodMs}ms`;
  return `${kind}${period}${payload === null ? "" : ` ${canonicalJson(payload)}`}`;
}

function decodeName(name: string): { kind: string; payload: Json; periodMs: number | undefined } | undefined {
  const match = NAME.exec(name);
  if (match === null) return undefined;
  let payload: Json = null;
  if (match[3] !== undefined) {
    try {
      payload = JSON.parse(match[3]) as Json;
    } catch {
      return undefined;
    }
  }
  return { kind: match[1]!, payload, periodMs: match[2] === undefined ? undefined : Number(match[2]) };
}

function arm(ctx: NodeContext, armed: ArmedTimers, name: string, delayMs: number): void {
  const earlier = armed[name];
  if (earlier !== undefined) ctx.cancelTimer(earlier);
  armed[name] = ctx.setTimer(name, delayMs);
}

/** The names armed for `kind` (and `payload`, when given), in the order they were armed. */
function armedNames(armed: ArmedTimers, kind: string, payload: Json | undefined): string[] {
  const wanted = payload === undefined ? undefined : canonicalJson(payload);
  return Object.keys(armed).filter((name) => {
    const decoded = decodeName(name);
    return decoded !== undefined && decoded.kind === kind && (wanted === undefined || canonicalJson(decoded.payload) === wanted);
  });
}

/** Typed timers for the kinds (and payload types) a node declares. */
export function defineTimers<Kinds extends TimerKinds>(): Timers<Kinds> {
  return {
    set: (ctx, armed, kind, payload, delayMs) => arm(ctx, armed, nameOf(kind, payload), delayMs),
    every: (ctx, armed, kind, payload, periodMs, firstDelayMs = periodMs) => {
      if (!Number.isSafeInteger(periodMs) || periodMs < 1) throw new TypeError(`timer '${kind}': a period must be a positive whole number of ms, got ${periodMs}`);
      arm(ctx, armed, nameOf(kind, payload, periodMs), firstDelayMs);
    },
    cancel: (ctx, armed, kind, payload) => {
      for (const name of armedNames(armed, kind, payload)) {
        ctx.cancelTimer(armed[name]!);
        delete armed[name];
      }
    },
    isArmed: (armed, kind, payload) => armedNames(armed, kind, payload).length > 0,
    decode: (name) => decodeName(name) as FiredTimer<Kinds> | undefined,
    dispatch: (ctx, armed, name, handlers) => {
      const fired = decodeName(name);
      if (fired === undefined || !Object.hasOwn(handlers, fired.kind)) return false;
      if (fired.periodMs === undefined) delete armed[name];
      else armed[name] = ctx.setTimer(name, fired.periodMs);
      (handlers[fired.kind as keyof Kinds & string] as (payload: Json) => void)(fired.payload);
      return true;
    },
  };
}
