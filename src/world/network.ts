// The network model: what happens to each message sent, and which nodes a partition separates.
//
// A message sent at time t inside a fault window (world/faults.ts: faultWindows) may be dropped,
// delayed (which reorders it), or duplicated; every message takes latencyMs plus a jitter drawn in
// [0, latencyJitterMs]. Each decision is asked of the chooser about the message it decides: the
// n-th message `from` sent to `to`. A partition splits the nodes into groups; a message between
// groups is lost when it arrives. The kernel schedules and records; this module only decides.

import type { NodeId } from "../core/json.ts";
import type { Chooser } from "../core/tape.ts";
import { faultWindows, inFaultWindow, type FaultProfile, type FaultWindow } from "./faults.ts";
import { messageQuestion } from "./questions.ts";

/** The fate of one message, reused from send to send (read it before the next send). */
export interface Transmission {
  dropped: boolean;
  /** Delay of the first copy. */
  delayMs: number;
  /** Delay of the duplicate copy, or -1 when there is none. */
  duplicateDelayMs: number;
}

export class Network {
  private readonly indexOf = new Map<NodeId, number>();
  /** Messages sent so far on each channel, by from * nodeCount + to. */
  private readonly sentCounts: Uint32Array;
  /** Each node's side of the partition (0 when the network is whole). */
  private readonly groups: Uint8Array;
  private partitionedNow = false;
  private readonly fate: Transmission = { dropped: false, delayMs: 0, duplicateDelayMs: -1 };
  /** The profile's fault windows: message faults strike only inside one. */
  private readonly windows: readonly FaultWindow[];
  /**
   * Told of every message sent, before its fate is drawn (the targeted nemeses' trap). An object,
   * not a closure: a closure stored here after construction kept each execution's objects alive
   * through young-generation collections (8.8 KB promoted per execution).
   */
  sendListener: { onSend(from: NodeId): void } | undefined = undefined;

  constructor(
    private readonly profile: FaultProfile,
    private readonly chooser: Chooser,
    private readonly nodeIds: readonly NodeId[],
  ) {
    nodeIds.forEach((id, index) => this.indexOf.set(id, index));
    this.sentCounts = new Uint32Array(nodeIds.length * nodeIds.length);
    this.groups = new Uint8Array(nodeIds.length);
    this.windows = faultWindows(profile);
  }

  get partitioned(): boolean {
    return this.partitionedNow;
  }

  /** Decides the fate of a message `from` sends to `to` now. */
  transmit(from: NodeId, to: NodeId, nowMs: number): Transmission {
    const profile = this.profile;
    const chooser = this.chooser;
    const channel = this.indexOf.get(from)! * this.nodeIds.length + this.indexOf.get(to)!;
    const n = ++this.sentCounts[channel]!;
    const fate = this.fate;
    this.sendListener?.onSend(from);
    const faulty = inFaultWindow(this.windows, nowMs);
    fate.dropped = faulty && profile.dropProbability > 0 && chooser.chance(messageQuestion("drop", from, to, n), profile.dropProbability);
    fate.duplicateDelayMs = -1;
    if (fate.dropped) return fate;
    let delayMs = profile.latencyMs;
    if (profile.latencyJitterMs > 0) delayMs += chooser.below(messageQuestion("latency", from, to, n), profile.latencyJitterMs + 1);
    if (faulty && profile.delayProbability > 0 && chooser.chance(messageQuestion("delay", from, to, n), profile.delayProbability)) {
      delayMs += 1 + chooser.below(messageQuestion("delay-ms", from, to, n), Math.max(1, profile.delayMaxMs));
    }
    fate.delayMs = delayMs;
    if (faulty && profile.duplicateProbability > 0 && chooser.chance(messageQuestion("duplicate", from, to, n), profile.duplicateProbability)) {
      fate.duplicateDelayMs = profile.latencyMs + chooser.below(messageQuestion("duplicate-ms", from, to, n), Math.max(profile.delayMaxMs, profile.latencyMs) + 1);
    }
    return fate;
  }

  /** Whether a partition separates the two nodes now. */
  separated(from: NodeId, to: NodeId): boolean {
    return this.partitionedNow && this.groups[this.indexOf.get(from)!] !== this.groups[this.indexOf.get(to)!];
  }

  /** The node's side of the partition (0 when whole): part of the global state. */
  groupOf(node: NodeId): number {
    return this.groups[this.indexOf.get(node)!]!;
  }

  /** Splits the network: each node goes to the group given for it (0 or 1). */
  split(groupOf: (node: NodeId, index: number) => number): void {
    this.nodeIds.forEach((id, index) => (this.groups[index] = groupOf(id, index)));
    this.partitionedNow = true;
  }

  heal(): void {
    this.groups.fill(0);
    this.partitionedNow = false;
  }
}
