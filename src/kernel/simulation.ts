// The simulation engine: one execution of a set of nodes under a fault profile. It owns virtual
// time, the event heap, the network, the disks and the physical trace. Nodes reach it only through
// their NodeContext; every nondeterministic choice is asked of the chooser.
//
// States of a node: down (before start, or crashed) → up (started or restarted) → down ...
// Kernel invariants, asserted here: time never goes backwards; a message is delivered at most
// once plus once per duplicate; nothing is delivered across a partition or to a down node.

import type { ExecutionLimits, Json, NodeContext, NodeId, NodeSpec } from "../scenario.ts";
import { SimulatedDisk, type DiskObserver } from "../disk/disk.ts";
import type { FaultProfile } from "../network/faults.ts";
import type { TraceEvent } from "../trace/events.ts";
import { PhysicalHasher } from "../trace/physical.ts";
import { assert } from "./assert.ts";
import type { Chooser, DeliveryChoice } from "./chooser.ts";
import { before, EventHeap } from "./heap.ts";
import { randomStream, type Random } from "./random.ts";
import { hashGlobalState } from "./stateHash.ts";

export type Delivery = { kind: "deliver"; timeMs: number; seq: number; node: NodeRuntime; from: NodeId; messageId: number; message: Json };

export type Pending =
  | { kind: "start"; timeMs: number; seq: number; node: NodeRuntime }
  | Delivery
  | { kind: "timer"; timeMs: number; seq: number; node: NodeRuntime; name: string; timerId: number; incarnation: number }
  | { kind: "restart"; timeMs: number; seq: number; node: NodeRuntime; incarnation: number }
  | { kind: "partition-end"; timeMs: number; seq: number; partitionId: number }
  | { kind: "fault-tick"; timeMs: number; seq: number }
  | { kind: "heal"; timeMs: number; seq: number };

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
  partitionGroup: number;
  /** Draws from the node's random stream so far: part of its state for the explorer's hash. */
  randomDraws: number;
}

export type EndReason = "quiescent" | "settled" | "events-budget" | "time-budget" | "handler-error";

export interface HandlerError {
  readonly node: NodeId;
  readonly timeMs: number;
  readonly message: string;
}

export interface SimulationOptions {
  readonly seed: number;
  readonly nodes: Record<NodeId, NodeSpec<any>>;
  readonly faults: FaultProfile;
  readonly chooser: Chooser;
  readonly limits: ExecutionLimits;
}

export class Simulation {
  readonly trace: TraceEvent[] = [];
  readonly nodeIds: readonly NodeId[];
  timeMs = 0;
  endReason: EndReason | undefined;
  handlerError: HandlerError | undefined;

  /** Every pending event but deliveries; deliveries wait in `inFlight`. Both share one `seq`. */
  private readonly heap = new EventHeap<Exclude<Pending, Delivery>>();
  private readonly inFlight = new EventHeap<Delivery>();
  /** The ready deliveries of the current step, built only when a chooser asks for them. */
  private readyDeliveries: Delivery[] | undefined;
  private readonly deliveryChoice: DeliveryChoice = {
    readyCount: () => this.collectReady().length,
    stateHash: () => this.stateHash(),
  };
  private readonly nodes = new Map<NodeId, NodeRuntime>();
  private readonly hasher = new PhysicalHasher();
  private readonly faults: FaultProfile;
  private readonly chooser: Chooser;
  private readonly limits: ExecutionLimits;
  private readonly deliveriesLeft = new Map<number, number>();
  private seq = 0;
  private nextMessageId = 1;
  private nextTimerId = 1;
  private partitionId = 0;
  private partitioned = false;
  private healed = false;

  constructor(options: SimulationOptions) {
    this.faults = options.faults;
    this.chooser = options.chooser;
    this.limits = options.limits;
    this.nodeIds = Object.keys(options.nodes);
    assert(this.nodeIds.length > 0, "a simulation needs at least one node");
    for (const id of this.nodeIds) {
      const node = this.createNode(id, options.nodes[id]!, options.seed);
      this.nodes.set(id, node);
      this.schedule({ kind: "start", timeMs: 0, seq: 0, node });
    }
    const faults = this.faults;
    const ticking = faults.crashProbability > 0 || faults.partitionProbability > 0 || faults.clockSkewProbability > 0;
    if (ticking && faults.faultStartMs < faults.faultEndMs) this.schedule({ kind: "fault-tick", timeMs: faults.faultStartMs, seq: 0 });
    this.schedule({ kind: "heal", timeMs: faults.healAtMs, seq: 0 });
  }

  get physicalHash(): string {
    return this.hasher.digest();
  }

  isUp(id: NodeId): boolean {
    return this.nodes.get(id)!.up;
  }

  stateOf(id: NodeId): unknown {
    return this.nodes.get(id)!.state;
  }

  diskOf(id: NodeId): SimulatedDisk {
    return this.nodes.get(id)!.disk;
  }

  get isHealed(): boolean {
    return this.healed;
  }

  /** Runs until quiescence, `settled` after heal, a budget, or a handler error. */
  run(settled?: () => boolean): EndReason {
    const { eventsMax, virtualTimeMaxMs } = this.limits;
    for (;;) {
      const next = this.nextEvent();
      if (next === undefined) return (this.endReason = "quiescent");
      if (next.timeMs > virtualTimeMaxMs) return (this.endReason = "time-budget");
      // A delivery the chooser moved ahead of earlier ones runs now, not back at its due time.
      const atMs = next.kind === "deliver" ? Math.max(next.timeMs, this.timeMs) : next.timeMs;
      assert(atMs >= this.timeMs, `time went backwards: ${atMs} < ${this.timeMs}`);
      this.timeMs = atMs;
      this.carryOut(next);
      if (this.handlerError !== undefined) return (this.endReason = "handler-error");
      if (this.trace.length >= eventsMax) return (this.endReason = "events-budget");
      if (this.healed && settled !== undefined && settled()) return (this.endReason = "settled");
    }
  }

  /**
   * The next event: the earliest by (time, seq), except that when it is a delivery and another is
   * in flight the chooser picks which ready delivery runs (0, the earliest, unless it reorders).
   */
  private nextEvent(): Pending | undefined {
    const other = this.heap.peek();
    const delivery = this.inFlight.peek();
    if (delivery === undefined || (other !== undefined && before(other, delivery))) return this.heap.pop();
    if (this.inFlight.size === 1 || this.chooser.nextDelivery === undefined) return this.inFlight.pop();
    const index = this.chooser.nextDelivery(this.deliveryChoice);
    const ready = this.readyDeliveries;
    this.readyDeliveries = undefined;
    if (index === 0) return this.inFlight.pop();
    assert(ready !== undefined && Number.isInteger(index) && index > 0 && index < ready.length, `chooser picked delivery ${index} of ${ready?.length ?? "unasked"}`);
    const chosen = ready[index]!;
    assert(this.inFlight.remove(chosen), "the chosen delivery is in flight");
    return chosen;
  }

  /** The distinct ready deliveries, earliest first (see DeliveryChoice.readyCount). */
  private collectReady(): readonly Delivery[] {
    if (this.readyDeliveries !== undefined) return this.readyDeliveries;
    const other = this.heap.peek();
    const candidates = this.inFlight.toArray().filter((delivery) => other === undefined || before(delivery, other));
    candidates.sort((a, b) => (before(a, b) ? -1 : 1));
    const ready: Delivery[] = [];
    for (const delivery of candidates) {
      const previous = ready[ready.length - 1];
      const copy = previous !== undefined && previous.messageId === delivery.messageId && previous.timeMs === delivery.timeMs;
      if (!copy) ready.push(delivery);
    }
    return (this.readyDeliveries = ready);
  }

  /** The canonical hash of the global state (see DeliveryChoice.stateHash). Off the hot path. */
  stateHash(): string {
    const { timeMs, healed, partitioned, trace } = this;
    return hashGlobalState({ timeMs, healed, partitioned, trace, nodes: [...this.nodes.values()], others: this.heap.toArray(), deliveries: this.inFlight.toArray() });
  }

  private createNode(id: NodeId, spec: NodeSpec<unknown>, seed: number): NodeRuntime {
    const peers = Object.freeze(this.nodeIds.filter((other) => other !== id));
    const context = new Context(this, id, peers, seed);
    const node: NodeRuntime = {
      id, spec, context,
      disk: context.disk,
      cancelledTimers: new Set(),
      state: undefined,
      up: false,
      incarnation: 0,
      skewMs: 0,
      partitionGroup: 0,
      randomDraws: 0,
    };
    context.node = node;
    return node;
  }

  private schedule(event: Pending): void {
    (event as { seq: number }).seq = this.seq++;
    if (event.kind === "deliver") this.inFlight.push(event);
    else this.heap.push(event);
  }

  /** @internal Records a carried-out event in the trace and the running hash. */
  record(event: TraceEvent): void {
    this.trace.push(event);
    this.hasher.add(event);
  }

  private carryOut(event: Pending): void {
    switch (event.kind) {
      case "start":
        return this.boot(event.node, "start");
      case "restart":
        if (!event.node.up && event.node.incarnation === event.incarnation) this.boot(event.node, "restart");
        return;
      case "deliver":
        return this.deliver(event);
      case "timer": {
        const node = event.node;
        if (!node.up || node.incarnation !== event.incarnation || node.cancelledTimers.delete(event.timerId)) return;
        this.record({ kind: "timer", timeMs: this.timeMs, node: node.id, name: event.name, timerId: event.timerId });
        return this.invoke(node, (spec, state, ctx) => spec.timer?.(state, ctx, event.name));
      }
      case "partition-end":
        if (this.partitioned && event.partitionId === this.partitionId) this.endPartition();
        return;
      case "fault-tick":
        return this.faultTick();
      case "heal":
        return this.heal();
    }
  }

  private boot(node: NodeRuntime, kind: "start" | "restart"): void {
    assert(!node.up, `${node.id} booted while up`);
    node.up = true;
    node.cancelledTimers.clear();
    this.record({ kind, timeMs: this.timeMs, node: node.id });
    this.invoke(node, (spec, _state, ctx) => {
      node.state = spec.init(ctx);
      if (kind === "start") spec.start?.(node.state, ctx);
      else spec.recover?.(node.state, ctx);
    });
  }

  private invoke(node: NodeRuntime, body: (spec: NodeSpec<unknown>, state: unknown, ctx: NodeContext) => void): void {
    try {
      body(node.spec, node.state, node.context);
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      this.record({ kind: "error", timeMs: this.timeMs, node: node.id, message });
      this.handlerError = { node: node.id, timeMs: this.timeMs, message };
    }
  }

  private inFaultWindow(): boolean {
    return this.timeMs >= this.faults.faultStartMs && this.timeMs < this.faults.faultEndMs;
  }

  /** @internal */
  send(from: NodeRuntime, to: NodeId, message: Json): void {
    const target = this.nodes.get(to);
    if (target === undefined) throw new TypeError(`${from.id} sent to unknown node '${to}'`);
    if (!from.up) return;
    const messageId = this.nextMessageId++;
    this.record({ kind: "send", timeMs: this.timeMs, node: from.id, to, messageId, message });
    const faults = this.faults;
    const chooser = this.chooser;
    const faulty = this.inFaultWindow();
    if (faulty && faults.dropProbability > 0 && chooser.chance("drop", faults.dropProbability)) {
      this.record({ kind: "drop", timeMs: this.timeMs, node: to, from: from.id, messageId, reason: "fault" });
      return;
    }
    let copies = 1;
    let delayMs = faults.latencyMs;
    if (faults.latencyJitterMs > 0) delayMs += chooser.below("latency", faults.latencyJitterMs + 1);
    if (faulty && faults.delayProbability > 0 && chooser.chance("delay", faults.delayProbability)) {
      delayMs += 1 + chooser.below("delay", Math.max(1, faults.delayMaxMs));
    }
    this.schedule({ kind: "deliver", timeMs: this.timeMs + delayMs, seq: 0, node: target, from: from.id, messageId, message });
    if (faulty && faults.duplicateProbability > 0 && chooser.chance("duplicate", faults.duplicateProbability)) {
      copies++;
      this.record({ kind: "duplicate", timeMs: this.timeMs, node: from.id, to, messageId });
      const copyDelayMs = faults.latencyMs + chooser.below("duplicate", Math.max(faults.delayMaxMs, faults.latencyMs) + 1);
      this.schedule({ kind: "deliver", timeMs: this.timeMs + copyDelayMs, seq: 0, node: target, from: from.id, messageId, message });
    }
    this.deliveriesLeft.set(messageId, copies);
  }

  private deliver(event: Extract<Pending, { kind: "deliver" }>): void {
    const left = this.deliveriesLeft.get(event.messageId) ?? 0;
    assert(left > 0, `message ${event.messageId} delivered more often than sent plus duplicated`);
    if (left === 1) this.deliveriesLeft.delete(event.messageId);
    else this.deliveriesLeft.set(event.messageId, left - 1);
    const node = event.node;
    const sender = this.nodes.get(event.from)!;
    const dropReason = !node.up ? "down" : this.partitioned && sender.partitionGroup !== node.partitionGroup ? "partition" : undefined;
    if (dropReason !== undefined) {
      this.record({ kind: "drop", timeMs: this.timeMs, node: node.id, from: event.from, messageId: event.messageId, reason: dropReason });
      return;
    }
    this.record({ kind: "deliver", timeMs: this.timeMs, node: node.id, from: event.from, messageId: event.messageId, message: event.message });
    this.invoke(node, (spec, state, ctx) => spec.message?.(state, ctx, event.from, event.message));
  }

  /** @internal */
  setTimer(node: NodeRuntime, name: string, delayMs: number): number {
    if (!(delayMs >= 0) || !Number.isFinite(delayMs)) throw new RangeError(`timer '${name}' needs a finite delay ≥ 0, got ${delayMs}`);
    const timerId = this.nextTimerId++;
    this.schedule({ kind: "timer", timeMs: this.timeMs + delayMs, seq: 0, node, name, timerId, incarnation: node.incarnation });
    return timerId;
  }

  private faultTick(): void {
    const faults = this.faults;
    const chooser = this.chooser;
    const count = this.nodeIds.length;
    if (!this.partitioned && count > 1 && faults.partitionProbability > 0 && chooser.chance("partition", faults.partitionProbability)) {
      this.startPartition();
    }
    if (faults.crashProbability > 0) {
      for (const node of this.nodes.values()) {
        if (node.up && chooser.chance("crash", faults.crashProbability)) this.crash(node);
      }
    }
    if (faults.clockSkewProbability > 0) {
      for (const node of this.nodes.values()) {
        if (!chooser.chance("skew", faults.clockSkewProbability)) continue;
        const spanMs = 2 * faults.clockSkewMaxMs + 1;
        node.skewMs = chooser.below("skew", spanMs) - faults.clockSkewMaxMs;
        this.record({ kind: "skew", timeMs: this.timeMs, node: node.id, skewMs: node.skewMs });
      }
    }
    const nextMs = this.timeMs + faults.tickMs;
    if (nextMs < faults.faultEndMs) this.schedule({ kind: "fault-tick", timeMs: nextMs, seq: 0 });
  }

  /** Splits the nodes into two non-empty groups: node 0 stays in group 0, a drawn cut moves others. */
  private startPartition(): void {
    const nodes = [...this.nodes.values()];
    const mask = 1 + this.chooser.below("partition", 2 ** (nodes.length - 1) - 1);
    nodes.forEach((node, index) => (node.partitionGroup = index > 0 && (mask >> (index - 1)) & 1 ? 1 : 0));
    this.partitioned = true;
    this.partitionId++;
    const groups = [0, 1].map((group) => nodes.filter((node) => node.partitionGroup === group).map((node) => node.id));
    this.record({ kind: "partition", timeMs: this.timeMs, node: "*", groups });
    const spanMs = this.faults.partitionMaxMs - this.faults.partitionMinMs + 1;
    const durationMs = this.faults.partitionMinMs + this.chooser.below("partition", spanMs);
    this.schedule({ kind: "partition-end", timeMs: this.timeMs + durationMs, seq: 0, partitionId: this.partitionId });
  }

  private endPartition(): void {
    this.partitioned = false;
    for (const node of this.nodes.values()) node.partitionGroup = 0;
    this.record({ kind: "heal", timeMs: this.timeMs, node: "*" });
  }

  private crash(node: NodeRuntime): void {
    node.up = false;
    node.incarnation++;
    node.state = undefined;
    this.record({ kind: "crash", timeMs: this.timeMs, node: node.id });
    const tornWriteProbability = this.faults.tornWriteProbability;
    const torn = node.disk.crash((_file, limit) =>
      tornWriteProbability > 0 && this.chooser.chance("torn", tornWriteProbability) ? this.chooser.below("torn", limit) : undefined,
    );
    for (const tear of torn) this.record({ kind: "torn", timeMs: this.timeMs, node: node.id, ...tear });
    const spanMs = this.faults.restartMaxMs - this.faults.restartMinMs + 1;
    const downMs = this.faults.restartMinMs + this.chooser.below("restart", spanMs);
    this.schedule({ kind: "restart", timeMs: this.timeMs + downMs, seq: 0, node, incarnation: node.incarnation });
  }

  /** The heal time: the network is whole again and every crashed node restarts. */
  private heal(): void {
    this.healed = true;
    if (this.partitioned) this.endPartition();
    for (const node of this.nodes.values()) if (!node.up) this.boot(node, "restart");
  }
}

/** A node's window on the world: everything a handler may do goes through here. */
class Context implements NodeContext, DiskObserver {
  readonly disk: SimulatedDisk;
  node!: NodeRuntime;
  private stream: Random | undefined;

  constructor(
    private readonly simulation: Simulation,
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
    return this.simulation.timeMs + this.node.skewMs;
  }

  send(to: NodeId, message: Json): void {
    this.simulation.send(this.node, to, message);
  }

  setTimer(name: string, delayMs: number): number {
    return this.simulation.setTimer(this.node, name, delayMs);
  }

  cancelTimer(timerId: number): void {
    this.node.cancelledTimers.add(timerId);
  }

  note(label: string, value?: Json): void {
    this.simulation.record({ kind: "note", timeMs: this.simulation.timeMs, node: this.id, label, value: value ?? null });
  }

  written(file: string, mode: "write" | "append", bytes: number): void {
    this.simulation.record({ kind: "write", timeMs: this.simulation.timeMs, node: this.id, file, mode, bytes });
  }

  synced(file: string): void {
    this.simulation.record({ kind: "fsync", timeMs: this.simulation.timeMs, node: this.id, file });
  }
}
