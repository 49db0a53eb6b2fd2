// The send-churn: a targeted nemesis (targeted.ts) that deposes the leader 2 to 4 times in turn,
// each time right after the leader sends what it has just made durable. Jepsen's leader churn
// picks its moment by the clock; this one picks it by what the leader did, so the entry a leader
// just appended (and its first replication) reaches no one: each leader in turn is left with an
// entry on its own log alone, the history of Raft's Figure 8.
//
// While a send-churn runs, at each fault tick with no trap armed, a trap is armed on the leader
// (not the node the churn holds cut off). The trapped node's first send after its durable files
// changed (their bytes differ from when the trap was armed) springs it: right after that handler
// the node is cut off from everyone, and the node the churn held cut off before is let back in
// (the isolation moves; another partition in place makes the trap wait for the next tick). Each
// isolation lasts the churn's drawn length unless moved earlier; a heal ends the churn.

import type { NodeId } from "../core/json.ts";
import type { Roles } from "../core/scenario.ts";
import type { Chooser, Question } from "../core/tape.ts";
import type { FaultProfile } from "./faults.ts";
import type { WorldHost } from "./host.ts";
import { tickQuestion } from "./questions.ts";

/** Depositions in a send-churn: SEND_CHURN_MIN plus a drawn 0..SEND_CHURN_EXTRA_MAX. */
export const SEND_CHURN_MIN = 2;
export const SEND_CHURN_EXTRA_MAX = 2;

/** What the send-churn needs of the nemesis that hosts it. */
export interface SendChurnActions {
  /** The id of the partition in place, if any. */
  readonly partitionNow: number | undefined;
  /** Cuts `node` off from every other node for `durationMs`; returns the partition's id. */
  isolateNode(node: NodeId, durationMs: number): number;
  /** Ends the partition in place. */
  heal(): void;
}

/** What the send-churn asks of the targeted nemeses at a tick (passed as one object: no closure per tick). */
export interface SendChurnTick {
  /** The roles at this tick. */
  rolesNow(): Roles;
  /** An isolation's drawn length. */
  isolationMs(question: Question): number;
}

interface Churn {
  left: number;
  readonly durationMs: number;
  /** The trapped leader and the size of its durable files when the trap was armed. */
  trap: { readonly node: NodeId; readonly bytes: number } | undefined;
  /** The partition this churn holds and the node it cuts off. */
  held: { readonly partition: number; readonly node: NodeId } | undefined;
}

export class SendChurn {
  private churn: Churn | undefined;

  constructor(
    private readonly host: WorldHost,
    private readonly actions: SendChurnActions,
    private readonly profile: FaultProfile,
    private readonly chooser: Chooser,
  ) {}

  /** The draws of one fault tick (after every other nemesis's): maybe start a churn, then arm its trap. */
  onTick(tick: number, at: SendChurnTick): void {
    const { profile, chooser } = this;
    if (profile.leaderSendChurnProbability === 0) return;
    if (this.churn === undefined && chooser.chance(tickQuestion("leader-send-churn", tick), profile.leaderSendChurnProbability)) {
      const left = SEND_CHURN_MIN + chooser.below(tickQuestion("leader-send-churn-count", tick), SEND_CHURN_EXTRA_MAX + 1);
      this.churn = { left, durationMs: at.isolationMs(tickQuestion("leader-send-churn-ms", tick)), trap: undefined, held: undefined };
    }
    const churn = this.churn;
    if (churn === undefined || churn.trap !== undefined || !this.free(churn)) return;
    const cutOff = this.heldNow(churn);
    const leader = at.rolesNow().leader?.find((node) => node !== cutOff && this.host.isUp(node));
    if (leader !== undefined) churn.trap = { node: leader, bytes: this.durableBytes(leader) };
  }

  /** A node sent: if it is the trapped leader and its durable files changed since the trap was armed, it is cut off right after this handler. */
  onSend(from: NodeId): void {
    const churn = this.churn;
    if (churn?.trap === undefined || churn.trap.node !== from || this.durableBytes(from) === churn.trap.bytes) return;
    churn.trap = undefined;
    const host = this.host;
    host.at(host.timeMs, "leader-send-churn", () => {
      if (this.churn !== churn || !host.isUp(from) || !this.free(churn)) return; // the next tick arms it again
      if (this.heldNow(churn) !== undefined) this.actions.heal();
      churn.held = { partition: this.actions.isolateNode(from, churn.durationMs), node: from };
      if (--churn.left === 0) this.churn = undefined;
    });
  }

  /** A heal: the churn ends (its isolation, if any, ends with the heal). */
  reset(): void {
    this.churn = undefined;
  }

  /** Whether the network is whole or split only by this churn's own isolation. */
  private free(churn: Churn): boolean {
    const partition = this.actions.partitionNow;
    return partition === undefined || partition === churn.held?.partition;
  }

  /** The node this churn holds cut off now, if its isolation is still in place. */
  private heldNow(churn: Churn): NodeId | undefined {
    return churn.held !== undefined && this.actions.partitionNow === churn.held.partition ? churn.held.node : undefined;
  }

  /** How many bytes the node's files hold: a change means it wrote since. */
  private durableBytes(node: NodeId): number {
    const disk = this.host.diskOf(node);
    let bytes = 0;
    for (const file of disk.files()) bytes += disk.read(file)?.length ?? 0;
    return bytes;
  }
}
