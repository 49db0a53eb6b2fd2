// π and the invariants of the consensus scenario, fed from the notes the replicas and clients
// record: "apply" (replica, index, command), "commit" and "leader" (election safety, leader
// completeness), and the clients' "call" and "return" (the scenario kit's client driver: the
// history for linearizability).

import {
  checkLinearizability, findConflictingApplies, findDoubleLeaders, findLostCommits, kvModel,
  type ExecutionView, type Invariant, type Json, type KvInput, type KvOperation, type LogHistoryRecord, type NodeId, type NoteRecord,
} from "../../src/index.ts";
import { clientHistory, RETURN_NOTE, type ReturnNote } from "../../src/kit/index.ts";
import { commandOf, type ClientOperation } from "./client.ts";
import type { RaftState } from "./raft.ts";
import type { ConsensusWorkload } from "./workload.ts";

export function projectConsensus(view: ExecutionView<ConsensusWorkload>, replicas: readonly NodeId[]): Json {
  const clients: Record<string, Json[]> = {};
  for (const [client, { key, operations }] of Object.entries(view.workload.clients)) clients[client] = operations.map(() => null);
  for (const note of view.notes(RETURN_NOTE)) {
    const { index, output } = note.value as ReturnNote;
    const { key, operations } = view.workload.clients[note.node]!;
    clients[note.node]![index] = operations[index]!.key === key ? output : "*";
  }
  let newest: RaftState | undefined;
  for (const id of replicas) {
    const state = view.state<RaftState | undefined>(id);
    if (state !== undefined && (newest === undefined || state.lastApplied > newest.lastApplied)) newest = state;
  }
  const store = newest === undefined ? [] : [...newest.store.values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { clients, store };
}

/** The client-observed history, from the clients' notes: every call, with its return if it had one. */
export function consensusHistory(notes: (label: string) => readonly NoteRecord[]): KvOperation[] {
  return clientHistory<KvInput, string | null>(notes, {
    input: (operation) => {
      const { client: _client, seq: _seq, ...input } = commandOf("", 0, operation as ClientOperation);
      return input;
    },
    output: (output) => output as string | null,
  });
}

export function consensusInvariants(): readonly Invariant<ConsensusWorkload>[] {
  return [
    {
      name: "state-machine-safety",
      description: "No two replicas apply different commands at the same log index.",
      check: (view) =>
        findConflictingApplies(view.notes("apply").map((note) => ({ node: note.node, ...(note.value as { index: number; command: string }) }))),
    },
    {
      name: "election-safety",
      description: "At most one leader is elected in a term.",
      check: (view) => findDoubleLeaders(logHistory(view)),
    },
    {
      name: "leader-completeness",
      description: "An entry committed in a term is in the log of every leader of a later term.",
      check: (view) => findLostCommits(logHistory(view)),
    },
    {
      name: "linearizability",
      description: "The clients' history is linearizable for a key-value store.",
      check: (view) => {
        const result = checkLinearizability(consensusHistory(view.notes), kvModel);
        if (result.verdict === "linearizable") return undefined;
        if (result.verdict === "unknown") return `linearizability unknown: ${result.reason}`;
        return `${result.explanation}: ${result.operations.map(kvModel.describe).join("; ")}`;
      },
    },
  ];
}

function logHistory(view: ExecutionView<ConsensusWorkload>): LogHistoryRecord[] {
  const records: { traceIndex: number; record: LogHistoryRecord }[] = [];
  for (const note of view.notes("leader")) {
    const { term, logTerms } = note.value as { term: number; logTerms: number[] };
    records.push({ traceIndex: note.traceIndex, record: { kind: "leader", node: note.node, term, logTerms } });
  }
  for (const note of view.notes("commit")) {
    const { from, terms, leaderTerm } = note.value as { from: number; terms: number[]; leaderTerm: number };
    terms.forEach((term, offset) => records.push({ traceIndex: note.traceIndex, record: { kind: "commit", node: note.node, index: from + offset, term, leaderTerm } }));
  }
  return records.sort((a, b) => a.traceIndex - b.traceIndex).map(({ record }) => record);
}
