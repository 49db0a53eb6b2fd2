// A node's window on the world: everything a handler may do goes through here (send, timers, disk,
// clock, random stream, notes). It holds no state of its own but the node's lazily made stream.
//
// Each send and disk change of a handler is an effect, numbered within the handler's run: the
// world's crash points and its storage faults on appends and fsyncs are keyed by it. Before a send, write, append, fsync or replace
// the context asks the world whether the node crashes there; if it does, the context ends the
// handler by throwing a CrashSignal, which the kernel catches (simulation.ts). The signal is not an
// Error; a handler that catches it anyway and goes on is a scenario error, found when the handler
// returns (and any effect it tries after the catch throws the signal again).

import type { Disk } from "../core/disk.ts";
import type { EffectKind, WriteMode } from "../core/events.ts";
import type { Json, NodeId } from "../core/json.ts";
import { randomStream, type Random } from "../core/random.ts";
import type { NodeContext } from "../core/scenario.ts";
import type { CrashPoints, EffectPoint } from "../world/crashPoints.ts";
import type { StorageFaults } from "../world/storage.ts";
import { SimulatedDisk, type DiskObserver } from "../world/disk.ts";
import { CrashSignal } from "./crashSignal.ts";
import type { NodeRuntime } from "./runtime.ts";

/** What a context needs of the kernel. */
export interface ContextHost {
  readonly timeMs: number;
  readonly crashPoints: CrashPoints;
  readonly storage: StorageFaults;
  send(from: NodeRuntime, to: NodeId, message: Json): void;
  setTimer(node: NodeRuntime, name: string, delayMs: number): number;
  note(node: NodeRuntime, label: string, value: Json): void;
  written(node: NodeRuntime, file: string, mode: WriteMode, bytes: number): void;
  synced(node: NodeRuntime, file: string): void;
}

export class Context implements NodeContext, DiskObserver {
  /** The node's disk as the world holds it: no effects counted (π, hashing, the world). */
  readonly store: SimulatedDisk;
  /** The node's disk as its handlers see it: every operation an effect. */
  readonly disk: Disk;
  node!: NodeRuntime;
  private stream: Random | undefined;
  /**
   * The effect a handler is at, filled in again at each effect: the world reads it only while it
   * decides that effect (the crash signal keeps a copy). A new one per effect was ~1 KB of a
   * delivery execution.
   */
  private readonly point: { readonly node: NodeId; invocation: number; effect: number };

  constructor(
    private readonly host: ContextHost,
    readonly id: NodeId,
    readonly peers: readonly NodeId[],
    private readonly seed: number,
  ) {
    this.point = { node: id, invocation: 0, effect: 0 };
    this.store = new SimulatedDisk(this);
    const store = this.store;
    const context = this;
    // Methods, not arrow properties: a context is made per node per execution, and under tsx each
    // arrow property is renamed when made. They use no `this`, so `const { read } = ctx.disk` works.
    this.disk = {
      read(file) {
        return store.read(file);
      },
      write(file, content) {
        context.crashPoint("write", file);
        store.write(file, content);
      },
      append(file, data) {
        host.storage.append(context.crashPoint("append", file), store, file, data);
      },
      fsync(file) {
        host.storage.fsync(context.crashPoint("fsync", file), store, file);
      },
      replace(file, content) {
        context.crashPoint("replace", file);
        store.replace(file, content);
      },
      files() {
        return store.files();
      },
    };
  }

  /** The node's stream, made on first use (most nodes of small scenarios never draw). */
  get random(): Random {
    return (this.stream ??= randomStream(this.seed, `node:${this.id}`, () => this.node.randomDraws++));
  }

  now(): number {
    return this.host.timeMs + this.node.skewMs;
  }

  send(to: NodeId, message: Json): void {
    this.crashPoint("send", to);
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

  written(file: string, mode: WriteMode, bytes: number): void {
    this.host.written(this.node, file, mode, bytes);
  }

  synced(file: string): void {
    this.host.synced(this.node, file);
  }

  /**
   * The next effect of the running handler, where the node may crash instead: then the handler ends
   * here. After a swallowed crash signal, the signal again.
   */
  private crashPoint(effect: EffectKind, target: string): EffectPoint {
    const node = this.node;
    if (node.crashSignal !== undefined) throw node.crashSignal;
    const point = this.point;
    point.invocation = node.invocations;
    point.effect = ++node.effects;
    if (this.host.crashPoints.crashesBefore(point, effect, target)) throw (node.crashSignal = new CrashSignal({ ...point }, effect));
    return point;
  }
}
