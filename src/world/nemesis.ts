// The nemesis: the faults that strike nodes and the network as a whole, drawn at every fault tick
// inside each fault window (a profile's phases: world/faults.ts), a heal at the end of each window
// but the last, and the final heal at healAtMs.
//
// At each tick, in this order: the network may split in two (when it is whole), each up node may
// crash (losing what it had not fsynced, perhaps keeping a torn prefix of it, and restarting after
// a drawn delay), each node's clock skew may change, and the targeted nemeses (targeted.ts) draw.
// At a heal every partition ends and every node that is down restarts. Each decision is asked of
// the chooser about its tick, node and file; ticks are numbered from 0 across the windows.

import type { NodeId } from "../core/json.ts";
import type { Chooser } from "../core/tape.ts";
import { faultWindows, type FaultProfile, type FaultWindow } from "./faults.ts";
import type { WorldHost } from "./host.ts";
import type { Network } from "./network.ts";
import { TargetedNemesis, type NemesisActions } from "./targeted.ts";
import { fileTickQuestion, nodeTickQuestion, tickQuestion } from "./questions.ts";

export class Nemesis {
  private tick = 0;
  private partitionId = 0;
  private healedNow = false;
  private readonly targeted: TargetedNemesis | undefined;

  constructor(
    private readonly host: WorldHost,
    private readonly network: Network,
    private readonly profile: FaultProfile,
    private readonly chooser: Chooser,
  ) {
    if (TargetedNemesis.on(profile)) {
      const actions = new TargetedActions(host, network, this);
      const targeted = new TargetedNemesis(host, actions, profile, chooser);
      network.sendListener = targeted;
      this.targeted = targeted;
    }
  }

  /** True once the heal time has passed: the network is whole and every node was restarted. */
  get healed(): boolean {
    return this.healedNow;
  }

  /** Schedules each window's first fault tick (if any fault is drawn per tick), the heals between windows, and the final heal. */
  arm(): void {
    const profile = this.profile;
    const ticking = profile.crashProbability > 0 || profile.partitionProbability > 0 || profile.clockSkewProbability > 0 || this.targeted !== undefined;
    const windows = faultWindows(profile);
    this.windows = windows;
    windows.forEach((window, index) => {
      if (ticking && window.startMs < window.endMs) this.host.at(window.startMs, "fault-tick", this.tickAction);
      if (index < windows.length - 1) this.host.at(window.endMs, "phase-heal", () => this.heal(false));
    });
    this.host.at(profile.healAtMs, "heal", () => this.heal(true));
  }

  /** The fault windows, and the one whose ticks run now (ticks run in window order, one pending at a time). */
  private windows: readonly FaultWindow[] = [];
  private windowIndex = 0;
  /**
   * One action for every fault tick, made once: a closure per tick was a fifth of an execution's
   * allocation. Bound, not an arrow field: under tsx a named closure is renamed when made.
   */
  private readonly tickAction = this.onTick.bind(this);

  private onTick(): void {
    const { host, profile, chooser } = this;
    // The tick that starts a window (scheduled by arm) runs at or after the end of the current one.
    while (host.timeMs >= this.windows[this.windowIndex]!.endMs) this.windowIndex++;
    const window = this.windows[this.windowIndex]!;
    const tick = this.tick++;
    if (!this.network.partitioned && host.nodeIds.length > 1 && profile.partitionProbability > 0 && chooser.chance(tickQuestion("partition", tick), profile.partitionProbability)) {
      this.split(tick);
    }
    if (profile.crashProbability > 0) {
      for (const node of host.nodeIds) {
        if (host.isUp(node) && chooser.chance(nodeTickQuestion("crash", tick, node), profile.crashProbability)) this.crash(node, tick);
      }
    }
    if (profile.clockSkewProbability > 0) {
      for (const node of host.nodeIds) {
        if (!chooser.chance(nodeTickQuestion("skew", tick, node), profile.clockSkewProbability)) continue;
        const skewMs = chooser.below(nodeTickQuestion("skew-ms", tick, node), 2 * profile.clockSkewMaxMs + 1) - profile.clockSkewMaxMs;
        host.setSkewMs(node, skewMs);
        host.record({ kind: "skew", timeMs: host.timeMs, node, skewMs });
      }
    }
    this.targeted?.onTick(tick);
    const nextMs = host.timeMs + profile.tickMs;
    if (nextMs < window.endMs) host.at(nextMs, "fault-tick", this.tickAction);
  }

  /** Splits the nodes into two non-empty groups: the first node stays in group 0, a drawn cut moves others. */
  private split(tick: number): void {
    const { host, profile, chooser } = this;
    const mask = 1 + chooser.below(tickQuestion("partition-cut", tick), 2 ** (host.nodeIds.length - 1) - 1);
    const durationMs = () => profile.partitionMinMs + chooser.below(tickQuestion("partition-ms", tick), profile.partitionMaxMs - profile.partitionMinMs + 1);
    this.partition((_node, index) => (index > 0 && (mask >> (index - 1)) & 1 ? 1 : 0), durationMs);
  }

  /** Splits the network into the groups given (0 or 1), records it, and ends it after the duration (a number, or drawn after the split is recorded); returns its id. */
  private partition(groupOf: (node: NodeId, index: number) => number, durationMs: number | (() => number)): number {
    const host = this.host;
    this.network.split(groupOf);
    const id = ++this.partitionId;
    const groups = [0, 1].map((group) => host.nodeIds.filter((node) => this.network.groupOf(node) === group));
    host.record({ kind: "partition", timeMs: host.timeMs, node: "*", groups });
    const lastsMs = typeof durationMs === "number" ? durationMs : durationMs();
    host.at(host.timeMs + lastsMs, `partition-end ${id}`, () => {
      if (this.network.partitioned && this.partitionId === id) this.endPartition();
    });
    return id;
  }

  /** Cuts off the nodes `isolated` names (side 1) until `durationMs` from now (the targeted nemeses). */
  isolate(isolated: (node: NodeId) => boolean, durationMs: number): void {
    this.partition((node) => (isolated(node) ? 1 : 0), durationMs);
  }

  /** Cuts off one node until `durationMs` from now; returns the partition's id (the targeted nemeses). */
  isolateNode(isolated: NodeId, durationMs: number): number {
    return this.partition((node) => (node === isolated ? 1 : 0), durationMs);
  }

  /** The id of the latest partition made. */
  get latestPartitionId(): number {
    return this.partitionId;
  }

  endPartition(): void {
    this.network.heal();
    this.host.record({ kind: "heal", timeMs: this.host.timeMs, node: "*" });
  }

  /** A crash: the node goes down, its disk loses (or tears) what was not fsynced, it restarts later. */
  private crash(node: NodeId, tick: number): void {
    const { host, profile, chooser } = this;
    host.crash(node);
    const tornProbability = profile.tornWriteProbability;
    const torn = host.diskOf(node).crash((file, limit) =>
      tornProbability > 0 && chooser.chance(fileTickQuestion("torn", tick, node, file), tornProbability) ? chooser.below(fileTickQuestion("torn-bytes", tick, node, file), limit) : undefined,
    );
    for (const tear of torn) host.record({ kind: "torn", timeMs: host.timeMs, node, ...tear });
    const downMs = profile.restartMinMs + chooser.below(nodeTickQuestion("restart-ms", tick, node), profile.restartMaxMs - profile.restartMinMs + 1);
    host.restartAfter(node, downMs);
  }

  /** A heal (the end of a window, or the final one): the network is whole again and every crashed node restarts. */
  private heal(final: boolean): void {
    if (final) this.healedNow = true;
    this.targeted?.reset();
    if (this.network.partitioned) this.endPartition();
    for (const node of this.host.nodeIds) if (!this.host.isUp(node)) this.host.restartNow(node);
  }
}

/**
 * What the targeted nemeses may do, for one execution. A class: an object literal with a getter,
 * made per execution, kept the execution's objects alive through young-generation collections
 * (see execution/view.ts).
 */
class TargetedActions implements NemesisActions {
  constructor(
    private readonly host: WorldHost,
    private readonly network: Network,
    /** The nemesis, which makes and ends partitions (an object, not four closures per execution). */
    private readonly partitions: Nemesis,
  ) {}

  get partitioned(): boolean {
    return this.network.partitioned;
  }

  get partitionNow(): number | undefined {
    return this.network.partitioned ? this.partitions.latestPartitionId : undefined;
  }

  isolate(isolated: (node: NodeId) => boolean, durationMs: number): void {
    this.partitions.isolate(isolated, durationMs);
  }

  isolateNode(node: NodeId, durationMs: number): number {
    return this.partitions.isolateNode(node, durationMs);
  }

  heal(): void {
    this.partitions.endPartition();
  }

  crash(node: NodeId, downMs: number): void {
    this.host.crash(node);
    this.host.diskOf(node).crash(() => undefined);
    this.host.restartAfter(node, downMs);
  }
}
