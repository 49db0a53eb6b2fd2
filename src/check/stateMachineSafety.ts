// Safety checkers for replicated logs (Raft, Multi-Paxos, VR), over what the replicas recorded
// during one execution. Both take plain records, so any scenario can feed them from its notes.
//
//   State Machine Safety: no two replicas ever apply different commands at the same log index.
//   Election Safety: at most one leader is elected in a term.
//   Leader Completeness: an entry committed in some term is in the log of every leader of every
//   later term, so no later leader can lose it.

export interface AppliedRecord {
  readonly node: string;
  readonly index: number;
  /** The command's identity, compared for equality. */
  readonly command: string;
}

/** One message per log index at which two replicas applied different commands. */
export function findConflictingApplies(applied: Iterable<AppliedRecord>): string[] {
  const firstByIndex = new Map<number, AppliedRecord>();
  const reported = new Set<number>();
  const messages: string[] = [];
  for (const record of applied) {
    const first = firstByIndex.get(record.index);
    if (first === undefined) {
      firstByIndex.set(record.index, record);
    } else if (first.command !== record.command && !reported.has(record.index)) {
      reported.add(record.index);
      messages.push(`index ${record.index}: ${first.node} applied '${first.command}' but ${record.node} applied '${record.command}'`);
    }
  }
  return messages;
}

export type LogHistoryRecord =
  /** A leader of `leaderTerm` committed the entry at `index`, of term `term`. */
  | { readonly kind: "commit"; readonly node: string; readonly index: number; readonly term: number; readonly leaderTerm: number }
  /** A node became leader of `term` with a log whose entry terms, from index 1, are `logTerms`. */
  | { readonly kind: "leader"; readonly node: string; readonly term: number; readonly logTerms: readonly number[] };

/** Records in the order they happened. One message per (commit, later leader lacking it). */
export function findLostCommits(history: Iterable<LogHistoryRecord>): string[] {
  const committed = new Map<number, { term: number; leaderTerm: number; node: string }>();
  const messages: string[] = [];
  for (const record of history) {
    if (record.kind === "commit") {
      const earlier = committed.get(record.index);
      if (earlier !== undefined && earlier.term !== record.term) {
        messages.push(`index ${record.index} was committed with term ${earlier.term} by ${earlier.node} and again with term ${record.term} by ${record.node}`);
      }
      if (earlier === undefined || record.leaderTerm > earlier.leaderTerm) committed.set(record.index, record);
      continue;
    }
    for (const [index, entry] of [...committed].sort((a, b) => a[0] - b[0])) {
      if (entry.leaderTerm >= record.term || record.logTerms[index - 1] === entry.term) continue;
      const found = record.logTerms[index - 1] === undefined ? "no entry" : `an entry of term ${record.logTerms[index - 1]}`;
      messages.push(`${record.node} became leader of term ${record.term} with ${found} at index ${index}, committed with term ${entry.term} by ${entry.node} in term ${entry.leaderTerm}`);
    }
  }
  return messages;
}

/** One message per term in which two different nodes became leader. */
export function findDoubleLeaders(history: Iterable<LogHistoryRecord>): string[] {
  const leaderByTerm = new Map<number, string>();
  const messages: string[] = [];
  for (const record of history) {
    if (record.kind !== "leader") continue;
    const first = leaderByTerm.get(record.term);
    if (first === undefined) leaderByTerm.set(record.term, record.node);
    else if (first !== record.node) messages.push(`${first} and ${record.node} both became leader of term ${record.term}`);
  }
  return messages;
}
