// The targeted nemeses: faults aimed at the roles a scenario names (`roles`: leader, voter,
// members), as Jepsen's nemeses aim at the leader or at the node that just acted. Each is drawn at
// a fault tick, keyed by the tick alone, and strikes whoever holds the role then:
//
//   leader-crash    arms a trap: the leader crashes right after its next handler that sends a
//                   message (an append, a reply), before any answer can reach it; it restarts later
//   leader-isolate  cuts the leader off from every other member (non-members it keeps are drawn)
//   voter-isolate   cuts off the node that just granted a vote
//   leader-churn    deposes the leader by a short isolation, then each leader after it, 2 to 4
//                   times in all: a burst of elections with entries half replicated in between
//   leader-send-churn  deposes the leader 2 to 4 times in turn, each right after it sends what it
//                   has just made durable (sendChurn.ts)
//
// An isolation is a partition like the random one (one at a time, only when the network is whole,
// ended early by a heal). A phase's heal disarms the traps and ends a churn.

import type { NodeId } from "../core/json.ts";
import type { Roles } from "../core/scenario.ts";
import type { Chooser, Question } from "../core/tape.ts";
import type { FaultProfile } from "./faults.ts";
import type { WorldHost } from "./host.ts";
import { SendChurn, type SendChurnActions, type SendChurnTick } from "./sendChurn.ts";
import { tickQuestion } from "./questions.ts";

/** What the targeted nemeses need of the nemesis that hosts them. */
export interface NemesisActions extends SendChurnActions {
  readonly partitioned: boolean;
  /** Splits the network (side 1 holds the nodes `isolated` names) until `durationMs` from now. */
  isolate(isolated: (node: NodeId) => boolean, durationMs: number): void;
  /** Crashes an up node (losing what it had not fsynced, tearing nothing) and restarts it after `downMs`. */
  crash(node: NodeId, downMs: number): void;
}

/** Depositions in a churn: LEADER_CHURN_MIN plus a drawn 0..LEADER_CHURN_EXTRA_MAX. */
export const LEADER_CHURN_MIN = 2;
export const LEADER_CHURN_EXTRA_MAX = 2;
/** Non-members a leader-isolate's cut draws from (the first ones, in node order): a bound on the cut's range. */
export const ISOLATE_CUT_NODES_MAX = 16;

export class TargetedNemesis implements SendChurnTick {
  /** The leader the armed trap will crash at its next send, and the tick that armed it. */
  private trap: { readonly node: NodeId; readonly tick: number } | undefined;
  /** Depositions left in the current churn, and how long each lasts. */
  private churn: { left: number; readonly durationMs: number } | undefined;
  /** The roles asked for at the current tick, if any were. */
  private knownRoles: Roles | undefined;
  private readonly sendChurn: SendChurn;

  constructor(
    private readonly host: WorldHost,
    private readonly actions: NemesisActions,
    private readonly profile: FaultProfile,
    private readonly chooser: Chooser,
  ) {
    this.sendChurn = new SendChurn(host, actions, profile, chooser);
  }

  /** Whether any targeted nemesis is on: only then are roles asked for. */
  static on(profile: FaultProfile): boolean {
    return (
      profile.leaderCrashProbability > 0 ||
      profile.leaderIsolateProbability > 0 ||
      profile.voterIsolateProbability > 0 ||
      profile.leaderChurnProbability > 0 ||
      profile.leaderSendChurnProbability > 0
    );
  }

  /** The draws of one fault tick, after the random ones. */
  // No closures per tick (a question maker, a lazy roles getter): under tsx each named closure is
  // renamed at creation, and the two here cost 18% of a delivery sweep's time.
  onTick(tick: number): void {
    const { profile, chooser } = this;
    this.knownRoles = undefined;
    if (profile.leaderCrashProbability > 0 && this.trap === undefined) {
      const leader = this.holder(this.rolesNow().leader);
      if (leader !== undefined && chooser.chance(tickQuestion("leader-crash", tick), profile.leaderCrashProbability)) this.trap = { node: leader, tick };
    }
    if (profile.leaderIsolateProbability > 0 && !this.actions.partitioned) {
      const leader = this.holder(this.rolesNow().leader);
      if (leader !== undefined && chooser.chance(tickQuestion("leader-isolate", tick), profile.leaderIsolateProbability)) this.isolateLeader(leader, this.rolesNow(), tick);
    }
    if (profile.voterIsolateProbability > 0 && !this.actions.partitioned) {
      const voter = this.holder(this.rolesNow().voter);
      if (voter !== undefined && chooser.chance(tickQuestion("voter-isolate", tick), profile.voterIsolateProbability)) {
        this.actions.isolate((node) => node === voter, this.isolationMs(tickQuestion("voter-isolate-ms", tick)));
      }
    }
    if (profile.leaderChurnProbability > 0 && this.churn === undefined && chooser.chance(tickQuestion("leader-churn", tick), profile.leaderChurnProbability)) {
      this.churn = { left: LEADER_CHURN_MIN + chooser.below(tickQuestion("leader-churn-count", tick), LEADER_CHURN_EXTRA_MAX + 1), durationMs: this.isolationMs(tickQuestion("leader-churn-ms", tick)) };
    }
    if (this.churn !== undefined && !this.actions.partitioned) {
      const leader = this.holder(this.rolesNow().leader);
      if (leader !== undefined) {
        this.actions.isolate((node) => node === leader, this.churn.durationMs);
        if (--this.churn.left === 0) this.churn = undefined;
      }
    }
    // The newest nemesis draws last, so a seed keeps its draws of the others.
    this.sendChurn.onTick(tick, this);
  }

  /** The roles at this tick, asked of the host at most once per tick (only when a nemesis needs them). */
  rolesNow(): Roles {
    return (this.knownRoles ??= this.host.roles());
  }

  /** A node sent a message: if it is the trapped leader, it crashes right after the handler that sent it. */
  onSend(from: NodeId): void {
    this.sendChurn.onSend(from);
    const trap = this.trap;
    if (trap === undefined || trap.node !== from) return;
    this.trap = undefined;
    const { host, profile, chooser } = this;
    host.at(host.timeMs, "leader-crash", () => {
      if (!host.isUp(trap.node)) return;
      const downMs = profile.restartMinMs + chooser.below(tickQuestion("leader-crash-ms", trap.tick), profile.restartMaxMs - profile.restartMinMs + 1);
      this.actions.crash(trap.node, downMs);
    });
  }

  /** A heal (between phases, or the final one): the traps are disarmed and the churns end. */
  reset(): void {
    this.trap = undefined;
    this.churn = undefined;
    this.sendChurn.reset();
  }

  /** The first node of a role's list that is up, if any. */
  private holder(nodes: readonly NodeId[] | undefined): NodeId | undefined {
    return nodes?.find((node) => this.host.isUp(node));
  }

  /** The leader on one side with a drawn set of the non-members (clients), every other member on the other. */
  private isolateLeader(leader: NodeId, roles: Roles, tick: number): void {
    const members = roles.members ?? this.host.nodeIds;
    const others = this.host.nodeIds.filter((node) => node !== leader && !members.includes(node)).slice(0, ISOLATE_CUT_NODES_MAX);
    const mask = others.length === 0 ? 0 : this.chooser.below(tickQuestion("leader-isolate-cut", tick), 2 ** others.length);
    const side = new Set([leader, ...others.filter((_node, index) => (mask >> index) & 1)]);
    this.actions.isolate((node) => side.has(node), this.isolationMs(tickQuestion("leader-isolate-ms", tick)));
  }

  /** An isolation's drawn length, in [isolateMinMs, isolateMaxMs]. */
  isolationMs(question: Question): number {
    const { isolateMinMs, isolateMaxMs } = this.profile;
    return isolateMinMs + this.chooser.below(question, isolateMaxMs - isolateMinMs + 1);
  }
}
