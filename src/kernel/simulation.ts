// The event loop of one execution. It owns virtual time, the event heap, the nodes' lifecycles and
// the physical trace; the world it is handed (network, nemesis, disks) decides what goes wrong and
// acts through the WorldHost interface. Nodes reach the kernel only through their context; every
// nondeterministic choice is asked of the chooser.
//
// States of a node: down (before start, or crashed) → up (started or restarted) → down ...
// Kernel invariants, asserted here: time never goes backwards; a message is delivered at most once
// plus once per duplicate; nothing is delivered across a partition or to a down node; a node boots
// only when down.
//
// The JSON boundary: a payload (at send) and a note's value are checked to be JSON and copied,
// deep-frozen, once; the trace, the delivery and its duplicate all hold that copy, so no handler can
// reach back into the recorded trace or into another node's copy. A value that is not JSON is a
// scenario error (the user's line named), thrown out of the execution: not a handler error, not a
// verdict, even if the handler catches it. So is a determinism-guard hit.
//
// Crash points: the world may crash a node just before an effect inside a handler
// (world/crashPoints.ts); the node's context then ends the handler with a CrashSignal, caught here.
// A handler that catches the signal and goes on is a scenario error, like one that swallows a
// scenario error. The loop itself knows no fault kind.

import { assert, describeThrown, NondeterminismError, ScenarioError } from "../core/errors.ts";
import type { TraceEvent, WriteMode } from "../core/events.ts";
import { frozenJsonCopy, JsonProblem, type Json, type NodeId } from "../core/json.ts";
import { atScenarioFrame } from "../core/scenarioFrame.ts";
import type { ExecutionLimits, NodeSpec, Roles, StorageFaultDeclaration } from "../core/scenario.ts";
import type { Chooser, DeliveryChoice } from "../core/tape.ts";
import { CrashPoints } from "../world/crashPoints.ts";
import type { SimulatedDisk } from "../world/disk.ts";
import type { FaultProfile } from "../world/faults.ts";
import type { WorldHost } from "../world/host.ts";
import { Nemesis } from "../world/nemesis.ts";
import { Network } from "../world/network.ts";
import { StorageFaults } from "../world/storage.ts";
import { Context, type ContextHost } from "./context.ts";
import { CrashSignal } from "./crashSignal.ts";
import { beat } from "./heartbeat.ts";
import { before, EventHeap } from "./heap.ts";
import { PhysicalHasher } from "./physicalHash.ts";
import type { Delivery, EndReason, HandlerError, NodeRuntime, Pending, WorldEvent } from "./runtime.ts";
import { hashGlobalState } from "./stateHash.ts";

export type { EndReason, HandlerError } from "./runtime.ts";

export interface SimulationOptions {
  readonly seed: number;
  readonly nodes: Record<NodeId, NodeSpec<any>>;
  readonly faults: FaultProfile;
  readonly chooser: Chooser;
  readonly limits: ExecutionLimits;
  /** Who holds which role now, for the targeted nemeses (the scenario's `roles`, checked by the caller). */
  readonly roles?: () => Roles;
  /** The storage faults the scenario declares it survives, and where (Scenario.storageFaults). */
  readonly storageFaults?: StorageFaultDeclaration;
}

const NO_ROLES: Roles = Object.freeze({});

/** What the execution floor reads of a finished (or running) simulation. */
export interface SimulationState {
  readonly trace: readonly TraceEvent[];
  readonly nodeIds: readonly NodeId[];
  readonly timeMs: number;
  isUp(id: NodeId): boolean;
  stateOf(id: NodeId): unknown;
  diskOf(id: NodeId): SimulatedDisk;
}

export class Simulation implements WorldHost, ContextHost, SimulationState {
  readonly trace: TraceEvent[] = [];
  readonly nodeIds: readonly NodeId[];
  timeMs = 0;
  /** Events carried out so far, traced or not: what the event budget counts. */
  stepsRun = 0;
  endReason: EndReason | undefined;
  handlerError: HandlerError | undefined;
  /** The first scenario error of the execution: thrown again if a handler swallowed it. */
  private scenarioError: ScenarioError | undefined;

  /** Every pending event but deliveries; deliveries wait in `inFlight`. Both share one `seq`. */
  private readonly heap = new EventHeap<Exclude<Pending, Delivery>>();
  private readonly inFlight = new EventHeap<Delivery>();
  /** The ready deliveries of the current step, built only when a chooser asks for them. */
  private readyDeliveries: Delivery[] | undefined;
  /** Order decisions asked so far: the next one's key. */
  private orderPoints = 0;
  private readonly nodes = new Map<NodeId, NodeRuntime>();
  private readonly hasher = new PhysicalHasher();
  private readonly chooser: Chooser;
  private readonly limits: ExecutionLimits;
  private readonly network: Network;
  private readonly nemesis: Nemesis;
  readonly crashPoints: CrashPoints;
  readonly storage: StorageFaults;
  /** Deliveries each message has left, by message id (ids run 1, 2, ...: an array, not a Map, which was 2% of a delivery sweep). */
  private readonly deliveriesLeft: number[] = [0];
  private readonly rolesOf: (() => Roles) | undefined;
  private seq = 0;
  private nextMessageId = 1;
  private nextTimerId = 1;

  constructor(options: SimulationOptions) {
    beat();
    this.chooser = options.chooser;
    this.limits = options.limits;
    this.rolesOf = options.roles;
    this.nodeIds = Object.keys(options.nodes);
    assert(this.nodeIds.length > 0, "a simulation needs at least one node");
    for (const id of this.nodeIds) {
      const node = this.createNode(id, options.nodes[id]!, options.seed);
      this.nodes.set(id, node);
      this.schedule({ kind: "start", timeMs: 0, seq: 0, node });
    }
    this.network = new Network(options.faults, this.chooser, this.nodeIds);
    this.nemesis = new Nemesis(this, this.network, options.faults, this.chooser);
    this.crashPoints = new CrashPoints(this, options.faults, this.chooser);
    this.storage = new StorageFaults(this, options.faults, this.chooser, options.storageFaults);
    this.nemesis.arm();
    this.storage.arm();
  }

  get physicalHash(): string {
    return this.hasher.digest();
  }

  get isHealed(): boolean {
    return this.nemesis.healed;
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

  /**
   * Runs until quiescence, `settled` after heal, a budget, or a handler error. Every event carried
   * out counts against the event budget, those that leave no trace too (a fault tick, the heal, a
   * cancelled timer), so no fault profile can keep an execution running inside its budgets.
   */
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
      this.stepsRun++;
      this.carryOut(next);
      if (this.handlerError !== undefined) return (this.endReason = "handler-error");
      if (this.stepsRun >= eventsMax) return (this.endReason = "events-budget");
      if (this.nemesis.healed && settled !== undefined && settled()) return (this.endReason = "settled");
    }
  }

  /**
   * The next event: the earliest by (time, seq), except that when it is a delivery and another is
   * in flight a chooser that decides order picks which ready delivery runs (0, the earliest, unless
   * it reorders).
   */
  private nextEvent(): Pending | undefined {
    const other = this.heap.peek();
    const delivery = this.inFlight.peek();
    if (delivery === undefined || (other !== undefined && before(other, delivery))) return this.heap.pop();
    if (this.inFlight.size === 1 || this.chooser.order === undefined) return this.inFlight.pop();
    const index = this.chooser.order({ kind: "order", point: this.orderPoints++ }, (this.deliveryChoice ??= this.newDeliveryChoice()));
    const ready = this.readyDeliveries;
    this.readyDeliveries = undefined;
    if (index === 0) return this.inFlight.pop();
    assert(ready !== undefined && Number.isInteger(index) && index > 0 && index < ready.length, `chooser picked delivery ${index} of ${ready?.length ?? "unasked"}`);
    const chosen = ready[index]!;
    assert(this.inFlight.remove(chosen), "the chosen delivery is in flight");
    return chosen;
  }

  /** Made on the first order question: a seeded run asks none (two closures per execution saved). */
  private deliveryChoice: DeliveryChoice | undefined;

  private newDeliveryChoice(): DeliveryChoice {
    return { readyCount: () => this.collectReady().length, stateHash: () => this.stateHash() };
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
    return hashGlobalState({
      timeMs: this.timeMs,
      healed: this.nemesis.healed,
      partitioned: this.network.partitioned,
      groupOf: (node) => this.network.groupOf(node),
      trace: this.trace,
      nodes: [...this.nodes.values()],
      others: this.heap.toArray(),
      deliveries: this.inFlight.toArray(),
    });
  }

  private createNode(id: NodeId, spec: NodeSpec<unknown>, seed: number): NodeRuntime {
    const peers = Object.freeze(this.nodeIds.filter((other) => other !== id));
    const context = new Context(this, id, peers, seed);
    const node: NodeRuntime = {
      id, spec, context,
      disk: context.store,
      cancelledTimers: new Set(),
      state: undefined,
      up: false,
      incarnation: 0,
      skewMs: 0,
      randomDraws: 0,
      invocations: 0,
      effects: 0,
      crashSignal: undefined,
    };
    context.node = node;
    return node;
  }

  private schedule(event: Pending): void {
    (event as { seq: number }).seq = this.seq++;
    if (event.kind === "deliver") this.inFlight.push(event);
    else this.heap.push(event);
  }

  /** Records a carried-out event in the trace and the running hash. */
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
        this.deliver(event);
        this.spareDeliveries.push(event);
        return;
      case "timer": {
        const node = event.node;
        if (!node.up || node.incarnation !== event.incarnation || node.cancelledTimers.delete(event.timerId)) return;
        this.record({ kind: "timer", timeMs: this.timeMs, node: node.id, name: event.name, timerId: event.timerId });
        return this.invoke(node, "timer", event.name, null);
      }
      case "world":
        event.action();
        this.spareWorldEvents.push(event);
        return;
    }
  }

  private boot(node: NodeRuntime, kind: "start" | "restart"): void {
    assert(!node.up, `${node.id} booted while up`);
    node.up = true;
    node.cancelledTimers.clear();
    this.record({ kind, timeMs: this.timeMs, node: node.id });
    this.invoke(node, kind, "", null);
  }

  /**
   * Runs one handler of the node: `start`/`restart` (init, then start or recover), `timer` (named
   * `name`), or `message` (from `name`). The handler is named, not passed as a closure: a closure
   * per handler run (about 15 per delivery execution) was allocation and, under tsx, a renaming.
   */
  private invoke(node: NodeRuntime, handler: "start" | "restart" | "timer" | "message", name: string, message: Json): void {
    node.invocations++;
    node.effects = 0;
    const { spec, context } = node;
    try {
      switch (handler) {
        case "start":
        case "restart":
          node.state = spec.init(context);
          if (handler === "start") spec.start?.(node.state, context);
          else spec.recover?.(node.state, context);
          break;
        case "timer":
          spec.timer?.(node.state, context, name);
          break;
        case "message":
          spec.message?.(node.state, context, name, message);
          break;
      }
    } catch (thrown) {
      if (this.scenarioError !== undefined) throw this.scenarioError;
      if (thrown instanceof NondeterminismError || thrown instanceof ScenarioError) throw thrown;
      if (thrown instanceof CrashSignal && thrown === node.crashSignal) {
        node.crashSignal = undefined;
        return;
      }
      if (node.crashSignal === undefined) {
        const message = describeThrown(thrown);
        this.record({ kind: "error", timeMs: this.timeMs, node: node.id, message });
        this.handlerError = { node: node.id, timeMs: this.timeMs, thrown, message };
      }
    }
    if (node.crashSignal !== undefined) this.swallowedCrash(node, node.crashSignal);
    if (this.scenarioError !== undefined) throw this.scenarioError;
  }

  /** A handler caught the signal that ended it at a crash point, and went on: the scenario's error, at the effect's line. */
  private swallowedCrash(node: NodeRuntime, signal: CrashSignal): never {
    node.crashSignal = undefined;
    const { invocation, effect } = signal.point;
    const where = atScenarioFrame(signal.where);
    const error = new ScenarioError(
      `${node.id}: a handler caught dsim's crash-point signal and went on (the node crashed just before its ${signal.effect}${where}, effect ${invocation}.${effect}); ` +
        "a catch must rethrow what it does not recognise, as the signal is not an Error",
    );
    throw (this.scenarioError ??= error);
  }

  /** The value's frozen JSON copy; a value that is not JSON is a scenario error naming node, event and path. */
  private crossing(value: unknown, node: NodeRuntime, event: string): Json {
    const copy = frozenJsonCopy(value);
    return copy instanceof JsonProblem ? this.failScenario(`${node.id}: ${event} is not JSON: ${copy.describe()}`) : copy;
  }

  /** Throws a scenario error at the user's line (the first one again, if a handler swallowed it). */
  private failScenario(message: string): never {
    const error = new ScenarioError(message);
    error.message += atScenarioFrame(error);
    throw (this.scenarioError ??= error);
  }

  send(from: NodeRuntime, to: NodeId, payload: Json): void {
    const target = this.nodes.get(to);
    if (target === undefined) throw new TypeError(`${from.id} sent to unknown node '${to}'`);
    const message = this.crossing(payload, from, `the message sent to ${to}`);
    if (!from.up) return;
    const messageId = this.nextMessageId++;
    this.deliveriesLeft.push(0); // its slot, so the array stays packed when the message is dropped
    this.record({ kind: "send", timeMs: this.timeMs, node: from.id, to, messageId, message });
    const fate = this.network.transmit(from.id, to, this.timeMs);
    if (fate.dropped) {
      this.record({ kind: "drop", timeMs: this.timeMs, node: to, from: from.id, messageId, reason: "fault" });
      return;
    }
    const duplicateDelayMs = fate.duplicateDelayMs;
    this.scheduleDelivery(this.timeMs + fate.delayMs, target, from.id, messageId, message);
    if (duplicateDelayMs >= 0) {
      this.record({ kind: "duplicate", timeMs: this.timeMs, node: from.id, to, messageId });
      this.scheduleDelivery(this.timeMs + duplicateDelayMs, target, from.id, messageId, message);
    }
    this.deliveriesLeft[messageId] = duplicateDelayMs >= 0 ? 2 : 1;
  }

  /** Deliveries carried out, filled in again for the next ones, as world events are (see spareWorldEvents). */
  private readonly spareDeliveries: Delivery[] = [];

  private scheduleDelivery(timeMs: number, node: NodeRuntime, from: NodeId, messageId: number, message: Json): void {
    const spare = this.spareDeliveries.pop();
    if (spare === undefined) return this.schedule({ kind: "deliver", timeMs, seq: 0, node, from, messageId, message });
    spare.timeMs = timeMs;
    spare.node = node;
    spare.from = from;
    spare.messageId = messageId;
    spare.message = message;
    this.schedule(spare);
  }

  private deliver(event: Delivery): void {
    const left = this.deliveriesLeft[event.messageId] ?? 0;
    assert(left > 0, `message ${event.messageId} delivered more often than sent plus duplicated`);
    this.deliveriesLeft[event.messageId] = left - 1;
    const node = event.node;
    const dropReason = !node.up ? "down" : this.network.separated(event.from, node.id) ? "partition" : undefined;
    if (dropReason !== undefined) {
      this.record({ kind: "drop", timeMs: this.timeMs, node: node.id, from: event.from, messageId: event.messageId, reason: dropReason });
      return;
    }
    this.record({ kind: "deliver", timeMs: this.timeMs, node: node.id, from: event.from, messageId: event.messageId, message: event.message });
    this.invoke(node, "message", event.from, event.message);
  }

  setTimer(node: NodeRuntime, name: string, delayMs: number): number {
    if (!(delayMs >= 0) || !Number.isFinite(delayMs)) throw new RangeError(`timer '${name}' needs a finite delay ≥ 0, got ${delayMs}`);
    const timerId = this.nextTimerId++;
    this.schedule({ kind: "timer", timeMs: this.timeMs + delayMs, seq: 0, node, name, timerId, incarnation: node.incarnation });
    return timerId;
  }

  note(node: NodeRuntime, label: string, value: Json): void {
    if (typeof label !== "string") this.failScenario(`${node.id}: a note's label must be a string, got ${typeof label}`);
    this.record({ kind: "note", timeMs: this.timeMs, node: node.id, label, value: this.crossing(value, node, `note '${label}'`) });
  }

  written(node: NodeRuntime, file: string, mode: WriteMode, bytes: number): void {
    this.record({ kind: "write", timeMs: this.timeMs, node: node.id, file, mode, bytes });
  }

  synced(node: NodeRuntime, file: string): void {
    this.record({ kind: "fsync", timeMs: this.timeMs, node: node.id, file });
  }

  // The world's side (WorldHost).

  crash(id: NodeId): void {
    const node = this.nodes.get(id)!;
    assert(node.up, `${id} crashed while down`);
    node.up = false;
    node.incarnation++;
    node.state = undefined;
    this.record({ kind: "crash", timeMs: this.timeMs, node: id });
  }

  restartAfter(id: NodeId, delayMs: number): void {
    const node = this.nodes.get(id)!;
    this.schedule({ kind: "restart", timeMs: this.timeMs + delayMs, seq: 0, node, incarnation: node.incarnation });
  }

  restartNow(id: NodeId): void {
    this.boot(this.nodes.get(id)!, "restart");
  }

  setSkewMs(id: NodeId, skewMs: number): void {
    this.nodes.get(id)!.skewMs = skewMs;
  }

  roles(): Roles {
    return this.rolesOf?.() ?? NO_ROLES;
  }

  at(timeMs: number, label: string, action: () => void): void {
    const spare = this.spareWorldEvents.pop();
    if (spare === undefined) return this.schedule({ kind: "world", timeMs, seq: 0, label, action });
    spare.timeMs = timeMs;
    spare.label = label;
    spare.action = action;
    this.schedule(spare);
  }

  /**
   * World events carried out, which `at` fills in again: fault and storage ticks come every tickMs,
   * and a new event for each was 5 KB of a delivery execution's 60 KB. Nothing holds an event once
   * carried out (the heap popped it, the ready deliveries are dropped at each step, the trace
   * records its own events, a handler is handed the message, not its envelope).
   */
  private readonly spareWorldEvents: WorldEvent[] = [];
}
