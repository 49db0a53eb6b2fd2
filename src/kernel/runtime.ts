// The kernel's own records: a node at run time, and the events waiting in the heap. Shared by the
// event loop (simulation.ts) and the explorer's state hash (stateHash.ts).

import type { Json, NodeId } from "../core/json.ts";
import type { NodeContext, NodeSpec } from "../core/scenario.ts";
import type { SimulatedDisk } from "../world/disk.ts";
import type { CrashSignal } from "./crashSignal.ts";

export interface NodeRuntime {
  readonly id: NodeId;
  readonly spec: NodeSpec<unknown>;
  readonly disk: SimulatedDisk;
  readonly context: NodeContext;
  readonly cancelledTimers: Set<number>;
  state: unknown;
  up: boolean;
  /** Bumped at each crash; timers of an earlier incarnation never fire. */
  incarnation: number;
  skewMs: number;
  /** Draws from the node's random stream so far: part of its state for the explorer's hash. */
  randomDraws: number;
  /** Handler runs so far, over the node's whole life: the running one's number. */
  invocations: number;
  /** Effects (sends, disk operations) of the running handler so far. */
  effects: number;
  /** Set when the running handler was ended at a crash point, until the kernel catches the signal. */
  crashSignal: CrashSignal | undefined;
}

export type Delivery = { kind: "deliver"; timeMs: number; seq: number; node: NodeRuntime; from: NodeId; messageId: number; message: Json };

/** An event of the world (a fault tick, a partition's end, the heal), named by its label. */
export type WorldEvent = { kind: "world"; timeMs: number; seq: number; label: string; action: () => void };

export type Pending =
  | { kind: "start"; timeMs: number; seq: number; node: NodeRuntime }
  | Delivery
  | { kind: "timer"; timeMs: number; seq: number; node: NodeRuntime; name: string; timerId: number; incarnation: number }
  | { kind: "restart"; timeMs: number; seq: number; node: NodeRuntime; incarnation: number }
  | WorldEvent;

export type EndReason = "quiescent" | "settled" | "events-budget" | "time-budget" | "handler-error";

export interface HandlerError {
  readonly node: NodeId;
  readonly timeMs: number;
  /** What the handler threw. */
  readonly thrown: unknown;
  /** `Name: message` of it. */
  readonly message: string;
}
