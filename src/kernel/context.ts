// A node's window on the world: everything a handler may do goes through here (send, timers, disk,
// clock, random stream, notes). It holds no state of its own but the node's lazily made stream.

import type { Json, NodeId } from "../core/json.ts";
import { randomStream, type Random } from "../core/random.ts";
import type { NodeContext } from "../core/scenario.ts";
import { SimulatedDisk, type DiskObserver } from "../world/disk.ts";
import type { NodeRuntime } from "./runtime.ts";

/** What a context needs of the kernel. */
export interface ContextHost {
  readonly timeMs: number;
  send(from: NodeRuntime, to: NodeId, message: Json): void;
  setTimer(node: NodeRuntime, name: string, delayMs: number): number;
  note(node: NodeRuntime, label: string, value: Json): void;
  written(node: NodeRuntime, file: string, mode: "write" | "append", bytes: number): void;
  synced(node: NodeRuntime, file: string): void;
}

export class Context implements NodeContext, DiskObserver {
  readonly disk: SimulatedDisk;
  node!: NodeRuntime;
  private stream: Random | undefined;

  constructor(
    private readonly host: ContextHost,
    readonly id: NodeId,
    readonly peers: readonly NodeId[],
    private readonly seed: number,
  ) {
    this.disk = new SimulatedDisk(this);
  }

  /** The node's stream, made on first use (most nodes of small scenarios never draw). */
  get random(): Random {
    return (this.stream ??= randomStream(this.seed, `node:${this.id}`, () => this.node.randomDraws++));
  }

  now(): number {
    return this.host.timeMs + this.node.skewMs;
  }

  send(to: NodeId, message: Json): void {
    this.host.send(this.node, to, message);
  }

  setTimer(name: string, delayMs: number): number {
    return this.host.setTimer(this.node, name, delayMs);
  }

  cancelTimer(timerId: number): void {
    this.node.cancelledTimers.add(timerId);
  }

  note(label: string, value?: Json): void {
    this.host.note(this.node, label, value ?? null);
  }

  written(file: string, mode: "write" | "append", bytes: number): void {
    this.host.written(this.node, file, mode, bytes);
  }

  synced(file: string): void {
    this.host.synced(this.node, file);
  }
}
