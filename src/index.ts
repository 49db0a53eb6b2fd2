// dsim's public interface: everything a scenario author, a test or a tool needs. Built-in
// scenarios import from here and nowhere else in src/.

export { defineNode, defineScenario } from "./scenario.ts";
export type {
  ExecutionLimits, ExecutionView, Expectation, Invariant, Json, NodeContext, NodeId, NodeSpec, NodeView,
  NoteRecord, Scenario, SetupInput, SizeSpec, Sizes, Variant,
} from "./scenario.ts";
export type { Random } from "./kernel/random.ts";
export type { Disk } from "./disk/disk.ts";
export type { DropReason, TraceEvent, TraceKind } from "./trace/events.ts";
export type { FaultProfile, FaultSpec } from "./network/faults.ts";
export { NAMED_PROFILES, parseFaultProfile, resolveFaults } from "./network/faults.ts";
export { canonicalJson, hashJson } from "./trace/hash.ts";
export { execute, computeReference, type ExecutionRequest, type ExecutionResult, type Reference, type Verdict } from "./explore/execute.ts";
export { sweep, type SweepRequest, type SweepResult } from "./explore/sweep.ts";
export type { Violation } from "./check/verdict.ts";
export { DSIM_VERSION } from "./version.ts";
export {
  checkLinearizability, DEFAULT_LINEARIZABILITY_LIMITS,
  type LinearizabilityLimits, type LinearizabilityResult, type Model, type Operation,
} from "./check/linearizability.ts";
export { kvModel, type KvInput, type KvOperation, type KvOutput } from "./check/models/kv.ts";
export { findConflictingApplies, findDoubleLeaders, findLostCommits, type AppliedRecord, type LogHistoryRecord } from "./check/stateMachineSafety.ts";
export {
  checkTransactions, DEFAULT_TRANSACTION_CHECK_LIMITS,
  type TransactionCheckLimits, type TransactionCheckOptions, type TransactionCheckResult, type TransactionCheckStatistics,
} from "./check/transactions/check.ts";
export {
  ISOLATION_LEVELS, TransactionHistoryError,
  type IsolationLevel, type ScalarValue, type Transaction, type TransactionOperation, type TransactionStatus,
} from "./check/transactions/history.ts";
export { parseTransactionHistory } from "./check/transactions/parse.ts";
export {
  FORBIDDEN_ANOMALIES, type Anomaly, type AnomalyName, type CycleAnomalyName, type DependencyEdge, type DependencyKind,
} from "./check/transactions/anomalies.ts";
