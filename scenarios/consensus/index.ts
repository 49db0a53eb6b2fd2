// Scenario `consensus` (3 replicas) and `consensus-5` (5 replicas): a key-value store replicated
// with Raft, used by two clients that retry until answered.
//
// Protocol: replicas elect a leader with randomized timeouts, persist term, vote and log with
// fsync before answering, replicate the log with the consistency check and conflict truncation,
// and commit by majority counting only entries of the leader's own term. Clients run their
// operations one at a time with (client id, sequence number), follow redirects, and retry on
// timeout; the store applies a sequence number once per client.
//
// Logical trace π: per client, the result of each of its operations on its own key (a read of the
// other client's key is recorded without its value), and the leader's final store. Why this is one
// trace for every schedule: each key is written by one client only, whose operations run one at a
// time, so in any linearizable, exactly-once execution every read of its own key returns the value
// its earlier writes made, and the final value of each key is its writes applied once, in order.
// Reads of another client's key depend on timing; the linearizability invariant checks them.
//
// Invariants: state-machine-safety (no two replicas apply different commands at one index),
// election-safety (one leader per term), leader-completeness (a committed entry is in every later leader's log), linearizability (the
// client-observed history, checked per key with the Wing–Gong search), and liveness: `settled`
// asks that every client operation completed and every replica applied the whole leader log, so
// an execution that makes no progress after heal ends on the budget and is reported.
//
// Variants:
//   raft                 correct                                                            (holds)
//   vote-twice           votes are not persisted before the reply: after a crash a replica
//                        votes again in the same term, two leaders commit at one index       (diverges)
//   commit-on-first-ack  the leader commits an entry as soon as it has it itself, before a
//                        majority does: a new leader loses acknowledged writes                (diverges)
//   no-dedup             no session check: a retried append is applied twice                  (diverges)
//   keep-conflicts       a follower keeps its entry that conflicts with the leader's instead
//                        of deleting it and those after (Figure 2, AppendEntries rule 3)      (diverges)
//   vote-by-length       a replica grants its vote to any log at least as long, ignoring the
//                        term of its last entry (§5.4.1): a deposed leader that kept writing
//                        alone wins again and overwrites committed entries                   (diverges)
//   commit-old-term      Figure 8 as the paper draws it: a new leader appends nothing of its
//                        own term and commits an earlier term's entry once a majority stores
//                        it; a later leader overwrites it. Reached by the send-churn, which
//                        leaves each leader in turn with an entry on its own log alone        (diverges)
//
// Roles (the targeted nemeses, world/targeted.ts): the leader (highest term first), the followers
// that granted their vote this term, and the replicas as members. Sizes: clients, operations and
// the AppendEntries batch size are drawn per seed under swarm; `replicas` (3 for consensus, 5 for
// consensus-5) is not, and `--size replicas=7` runs Raft on 7. Eventually: `progress`, after the
// final heal every client operation completes and every replica applies the leader's whole log.

import { defineScenario, type ExecutionView, type NodeId, type Roles, type Scenario } from "../../src/index.ts";
import { clientDone, type ClientState } from "../../src/kit/index.ts";
import { clientNode } from "./client.ts";
import { consensusInvariants, projectConsensus } from "./checks.ts";
import { RAFT_TIMING, raftNode, type Flaws, type RaftState } from "./raft.ts";
import { DEFAULT_WORKLOAD_SHAPE, drawWorkload, type ConsensusWorkload, type WorkloadShape } from "./workload.ts";

const CORRECT: Flaws = { volatileVote: false, commitOnFirstAck: false, noDedup: false, keepConflicts: false, voteByLength: false, commitOldTerm: false };

const SHAPES: Readonly<Record<string, Flaws>> = {
  raft: CORRECT,
  "vote-twice": { ...CORRECT, volatileVote: true },
  "commit-on-first-ack": { ...CORRECT, commitOnFirstAck: true },
  "no-dedup": { ...CORRECT, noDedup: true },
  "keep-conflicts": { ...CORRECT, keepConflicts: true },
  "vote-by-length": { ...CORRECT, voteByLength: true },
  "commit-old-term": { ...CORRECT, commitOldTerm: true },
};

export function replicaIds(replicaCount: number): NodeId[] {
  return Array.from({ length: replicaCount }, (_unused, index) => `n${index + 1}`);
}

/**
 * The replicas of an execution (nodes n1, n2, ...; clients are c1, c2, ...), as many as its
 * `replicas` size: found once per view (`view.nodes` builds a record each time it is read).
 */
const replicasByView = new WeakMap<object, readonly NodeId[]>();
function replicasOf(view: ExecutionView<ConsensusWorkload>): readonly NodeId[] {
  let replicas = replicasByView.get(view);
  if (replicas === undefined) {
    replicas = Object.keys(view.nodes).filter((id) => id.startsWith("n"));
    replicasByView.set(view, replicas);
  }
  return replicas;
}

/** After heal: every client is done and every replica has applied the whole log of the newest leader. */
function settled(view: ExecutionView<ConsensusWorkload>, replicas: readonly NodeId[]): boolean {
  for (const client of Object.keys(view.workload.clients)) {
    if (!clientDone(view.state<ClientState | undefined>(client), view.workload.clients[client]!.operations.length)) return false;
  }
  let leader: RaftState | undefined;
  for (const id of replicas) {
    const state = view.state<RaftState | undefined>(id);
    if (state === undefined) return false;
    if (state.role === "leader" && (leader === undefined || state.term > leader.term)) leader = state;
  }
  if (leader === undefined || leader.commitIndex < leader.log.length) return false;
  return replicas.every((id) => view.state<RaftState>(id).lastApplied === leader.commitIndex);
}

/** Who leads (the highest term first), who granted its vote this term, and the replicas (the members; clients are not). */
function raftRoles(view: ExecutionView<ConsensusWorkload>, replicas: readonly NodeId[]): Roles {
  const states = replicas.flatMap((id) => {
    const state = view.state<RaftState | undefined>(id);
    return state === undefined ? [] : [{ id, state }];
  });
  const leader = states.filter(({ state }) => state.role === "leader").sort((a, b) => b.state.term - a.state.term).map(({ id }) => id);
  const voter = states.filter(({ state }) => state.role === "follower" && state.grantedThisTerm).map(({ id }) => id);
  return { leader, voter, members: replicas };
}

/** Why the execution has not made progress yet: the first client not done, or the replicas behind. */
function describeProgress(view: ExecutionView<ConsensusWorkload>, replicas: readonly NodeId[]): string {
  for (const [client, { operations }] of Object.entries(view.workload.clients)) {
    const state = view.state<{ progress: { operation: number } } | undefined>(client);
    const done = state?.progress.operation ?? 0;
    if (done < operations.length) return `${client} completed ${done} of its ${operations.length} operations`;
  }
  const applied = replicas.map((id) => `${id} ${view.state<RaftState | undefined>(id)?.lastApplied ?? "down"}`).join(", ");
  return `the replicas have not all applied the newest leader's log (applied: ${applied})`;
}

/** The most entries per AppendEntries a `--size batch=N` may ask for. */
const BATCH_MAX = 1024;

/** The most clients a workload may have: each writes its own key, a single letter. */
const CLIENTS_MAX = 26;
/** The most operations per client a workload may have. */
const OPERATIONS_MAX = 10_000;
/** The most replicas `--size replicas=N` may ask for. */
const REPLICAS_MAX = 15;

/**
 * The scenario on `replicaCount` replicas by default; a non-default workload shape is for benches
 * and tests. The replica count is a size (`--size replicas=7`, no swarm range: every seed runs the
 * default unless the user sets it), and so are the client count and operations per client
 * (`--size clients=1 --size operations=3`), defaulting to the shape's, so the shrinker can take a
 * failure down to fewer of each.
 */
export function consensusScenario(replicaCount: number, shape: WorkloadShape = DEFAULT_WORKLOAD_SHAPE): Scenario<ConsensusWorkload> {
  const name = replicaCount === 3 ? "consensus" : `consensus-${replicaCount}`;
  return defineScenario<ConsensusWorkload>({
    name,
    description: `A key-value store replicated with Raft on ${replicaCount} replicas; ${shape.clientCount} clients with retries and sessions.`,
    variants: [
      { name: "raft", expect: "holds", description: "Raft as in Figure 2, with client sessions." },
      { name: "vote-twice", expect: "diverges", description: "Grants votes without persisting them: a restarted replica votes twice in a term.", seedBudget: 5000 },
      { name: "commit-on-first-ack", expect: "diverges", description: "Commits as soon as the leader has the entry, before a majority.", seedBudget: 5000 },
      { name: "no-dedup", expect: "diverges", description: "No client sessions: a retried command is applied twice.", seedBudget: 5000 },
      { name: "keep-conflicts", expect: "diverges", description: "Followers keep entries that conflict with the leader's.", seedBudget: 5000 },
      { name: "vote-by-length", expect: "diverges", description: "Grants votes to the longer log, ignoring its last term: a deposed leader's stale entries win.", seedBudget: 5000 },
      // Figure 8 (no no-op on election, so it needs no batch smaller than the tail): the send-churn's depositions make its history.
      { name: "commit-old-term", expect: "diverges", description: "Figure 8: appends nothing on election and commits an earlier term's entry once a majority stores it.", seedBudget: 5000 },
    ],
    sizes: {
      replicas: { default: replicaCount, min: 1, max: Math.max(REPLICAS_MAX, replicaCount), description: "how many Raft replicas (nodes n1, n2, ...)" },
      clients: { default: shape.clientCount, min: 1, max: Math.max(CLIENTS_MAX, shape.clientCount), description: "how many clients, each writing its own key", swarm: { min: 1, max: 3 } },
      operations: { default: shape.operationsPerClient, min: 1, max: Math.max(OPERATIONS_MAX, shape.operationsPerClient), description: "how many operations each client runs", swarm: { min: 4, max: 12 } },
      batch: { default: RAFT_TIMING.entriesPerMessageMax, min: 1, max: BATCH_MAX, description: "entries per AppendEntries message", swarm: { min: 1, max: RAFT_TIMING.entriesPerMessageMax } },
    },
    workload: (random, sizes) => drawWorkload(random, { ...shape, clientCount: sizes.clients!, operationsPerClient: sizes.operations! }),
    nodes: ({ variant, workload, sizes }) => {
      const replicas = replicaIds(sizes.replicas!);
      const nodes: Record<NodeId, ReturnType<typeof raftNode> | ReturnType<typeof clientNode>> = {};
      for (const id of replicas) nodes[id] = raftNode(replicas, SHAPES[variant]!, sizes.batch);
      for (const [id, client] of Object.entries(workload.clients)) nodes[id] = clientNode(replicas, client.operations);
      return nodes;
    },
    project: (view) => projectConsensus(view, replicasOf(view)),
    invariants: consensusInvariants(),
    settled: (view) => settled(view, replicasOf(view)),
    eventually: [
      {
        name: "progress",
        description: "After the final heal every client operation completes and every replica applies the newest leader's whole log.",
        check: (view) => (settled(view, replicasOf(view)) ? undefined : describeProgress(view, replicasOf(view))),
      },
    ],
    roles: (view) => raftRoles(view, replicasOf(view)),
    limits: { eventsMax: 40_000, virtualTimeMaxMs: 8_000 },
  });
}

export const consensus = consensusScenario(3);
export const consensusFive = consensusScenario(5);
