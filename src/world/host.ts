// What the world (network, nemesis, disks) may ask of the kernel that hosts it. The kernel owns
// virtual time, the event heap, node lifecycles and the trace; the world decides what goes wrong
// and when, and acts only through this interface. A new fault kind is a change to the world and
// the fault profile, not to the event loop.

import type { TraceEvent } from "../core/events.ts";
import type { NodeId } from "../core/json.ts";
import type { Roles } from "../core/scenario.ts";
import type { SimulatedDisk } from "./disk.ts";

export interface WorldHost {
  /** Every node, in the order they start. */
  readonly nodeIds: readonly NodeId[];
  /** The current virtual time. */
  readonly timeMs: number;
  isUp(node: NodeId): boolean;
  diskOf(node: NodeId): SimulatedDisk;
  /** Takes an up node down: its volatile state and its timers are gone; records the crash. */
  crash(node: NodeId): void;
  /** Schedules the restart of a node that is down, `delayMs` from now. */
  restartAfter(node: NodeId, delayMs: number): void;
  /** Boots a node that is down, now. */
  restartNow(node: NodeId): void;
  /** Sets the offset of the node's clock from virtual time. */
  setSkewMs(node: NodeId, skewMs: number): void;
  record(event: TraceEvent): void;
  /** Who holds which role now (the scenario's `roles`, checked), for the targeted nemeses; {} when it names none. */
  roles(): Roles;
  /** Runs `action` at `timeMs` as an event of its own; `label` stands for it in the state hash. */
  at(timeMs: number, label: string, action: () => void): void;
}
