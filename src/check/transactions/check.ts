// checkTransactions: does a transactional history satisfy an isolation level? It indexes the
// writes, reads what committed transactions saw (read anomalies), looks for lost updates, builds
// the dependency graph (registers.ts, lists.ts) and searches it for the cycles the level forbids
// (cycles.ts). Every loop is bounded by a named limit; a limit that runs out before a forbidden
// anomaly is found makes the answer "unknown", never a pass.

import { ANOMALY_NAMES, cycleAnomaly, FORBIDDEN_ANOMALIES, type Anomaly, type AnomalyName, type DependencyEdge } from "./anomalies.ts";
import { findCycle, type CycleSearchName } from "./cycles.ts";
import { BudgetExhausted, GraphBuilder, KIND_NAMES, PathSearch, type Graph } from "./graph.ts";
import { TransactionHistoryError, type IsolationLevel, type Transaction } from "./history.ts";
import { addListEdges } from "./lists.ts";
import { findLostUpdate } from "./lostUpdate.ts";
import { analyzeReads, type ExternalRead, type ReadThenWrite } from "./reads.ts";
import { addRegisterEdges } from "./registers.ts";
import { indexWrites, type KeyIndex } from "./writes.ts";

export interface TransactionCheckLimits {
  /** Transactions in a history; a longer one is not checked ("unknown"). */
  readonly transactionsMax: number;
  /** Edges of the dependency graph. */
  readonly edgesMax: number;
  /** Edge visits of the cycle searches, all together. */
  readonly searchStepsMax: number;
}

export const DEFAULT_TRANSACTION_CHECK_LIMITS: TransactionCheckLimits = { transactionsMax: 1_000_000, edgesMax: 20_000_000, searchStepsMax: 100_000_000 };

export interface TransactionCheckOptions {
  /** Default: serializable. */
  readonly level?: IsolationLevel;
  readonly limits?: Partial<TransactionCheckLimits>;
}

export interface TransactionCheckStatistics {
  readonly transactions: number;
  /** Transactions in the dependency graph: the committed ones, and unknown ones a committed one read from. */
  readonly graphTransactions: number;
  readonly keys: number;
  readonly edges: number;
  readonly searchSteps: number;
}

export type TransactionCheckResult =
  | { readonly verdict: "holds"; readonly level: IsolationLevel; readonly statistics: TransactionCheckStatistics }
  | {
      readonly verdict: "violated";
      readonly level: IsolationLevel;
      /** At most one of each name the level forbids, most severe first. */
      readonly anomalies: readonly Anomaly[];
      /** Set when a limit stopped the search after these were found: there may be more kinds. */
      readonly incomplete?: string;
      readonly statistics: TransactionCheckStatistics;
    }
  | {
      readonly verdict: "unknown";
      readonly level: IsolationLevel;
      readonly budget: keyof TransactionCheckLimits;
      readonly reason: string;
      readonly statistics: TransactionCheckStatistics;
    };

/** The cycle searches each level needs, most severe first. */
const CYCLE_SEARCHES: Readonly<Record<IsolationLevel, readonly CycleSearchName[]>> = {
  "read-committed": ["G0", "G1c"],
  snapshot: ["G0", "G1c", "G-single", "G-nonadjacent"],
  serializable: ["G0", "G1c", "G-single", "any"],
};

/** Checks `history` against `options.level`. Throws TransactionHistoryError when it is not well formed. */
export function checkTransactions(history: readonly Transaction[], options: TransactionCheckOptions = {}): TransactionCheckResult {
  const level = options.level ?? "serializable";
  const limits = { ...DEFAULT_TRANSACTION_CHECK_LIMITS, ...options.limits };
  const statistics = { transactions: history.length, graphTransactions: 0, keys: 0, edges: 0, searchSteps: 0 };
  if (history.length > limits.transactionsMax) {
    const reason = `the history has ${history.length} transactions, more than transactionsMax (${limits.transactionsMax})`;
    return { verdict: "unknown", level, budget: "transactionsMax", reason, statistics };
  }
  const index = indexWrites(history);
  if (!index.ok) {
    const { transaction, field, message } = index.problem;
    throw new TransactionHistoryError(`transaction ${transaction + 1} (${JSON.stringify(history[transaction]!.id)}): ${field}: ${message}`);
  }
  statistics.keys = index.keys.size;
  const found = new Map<AnomalyName, Anomaly>();
  const { reads, readThenWrites, inGraph } = analyzeReads(history, index.keys, found);
  statistics.graphTransactions = inGraph.reduce((sum, member) => sum + member, 0);
  const lostUpdate = findLostUpdate(readThenWrites, history);
  if (lostUpdate !== undefined) found.set("lost-update", lostUpdate);
  let exhausted: BudgetExhausted | undefined;
  try {
    const graph = buildGraph(history, [...index.keys.values()], reads, readThenWrites, inGraph, limits.edgesMax, found);
    statistics.edges = graph.edgeCount;
    const paths = new PathSearch(graph, limits.searchStepsMax);
    try {
      const cycle = findCycle(graph, CYCLE_SEARCHES[level], paths);
      if (cycle !== undefined) {
        const anomaly = cycleAnomaly(dependencyEdges(graph, cycle, history, [...index.keys.keys()]));
        found.set(anomaly.name, anomaly);
      }
    } finally {
      statistics.searchSteps = paths.stepsTaken;
    }
  } catch (error) {
    if (!(error instanceof BudgetExhausted)) throw error;
    exhausted = error;
  }
  const forbidden = new Set(FORBIDDEN_ANOMALIES[level]);
  const anomalies = ANOMALY_NAMES.filter((name) => forbidden.has(name) && found.has(name)).map((name) => found.get(name)!);
  const reason = exhausted === undefined ? undefined : limitReason(exhausted);
  if (anomalies.length > 0) return { verdict: "violated", level, anomalies, ...(reason === undefined ? {} : { incomplete: reason }), statistics };
  if (exhausted !== undefined) return { verdict: "unknown", level, budget: exhausted.budget, reason: reason!, statistics };
  return { verdict: "holds", level, statistics };
}

function buildGraph(
  history: readonly Transaction[],
  keys: readonly KeyIndex[],
  reads: readonly ExternalRead[],
  readThenWrites: readonly ReadThenWrite[],
  inGraph: Uint8Array,
  edgesMax: number,
  found: Map<AnomalyName, Anomaly>,
): Graph {
  const readsByKey = groupByKey(reads);
  const readThenWritesByKey = groupByKey(readThenWrites);
  const builder = new GraphBuilder(history.length, edgesMax);
  for (const key of keys) {
    const keyReads = readsByKey.get(key) ?? [];
    if (key.kind === "register") addRegisterEdges(key, keyReads, readThenWritesByKey.get(key) ?? [], inGraph, builder);
    else if (key.kind === "list") addListEdges(key, keyReads, inGraph, builder, history, found);
  }
  return builder.freeze();
}

function groupByKey<Item extends { readonly key: KeyIndex }>(items: readonly Item[]): Map<KeyIndex, Item[]> {
  const groups = new Map<KeyIndex, Item[]>();
  for (const item of items) {
    const group = groups.get(item.key);
    if (group === undefined) groups.set(item.key, [item]);
    else group.push(item);
  }
  return groups;
}

/** The cycle as named edges, starting from its earliest transaction in the history. */
function dependencyEdges(graph: Graph, cycle: readonly number[], history: readonly Transaction[], keyNames: readonly string[]): DependencyEdge[] {
  let first = 0;
  cycle.forEach((edge, index) => {
    if (graph.from[edge]! < graph.from[cycle[first]!]!) first = index;
  });
  const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
  return rotated.map((edge) => ({
    from: history[graph.from[edge]!]!.id,
    to: history[graph.to[edge]!]!.id,
    kind: KIND_NAMES[graph.kind[edge]!]!,
    key: keyNames[graph.key[edge]!]!,
  }));
}

function limitReason(exhausted: BudgetExhausted): string {
  return exhausted.budget === "edgesMax"
    ? `the dependency graph passed edgesMax (${exhausted.limit}) edges`
    : `the cycle search passed searchStepsMax (${exhausted.limit}) steps`;
}
