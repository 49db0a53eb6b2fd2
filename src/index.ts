// dsim's public interface: everything a scenario author, a test or a tool needs. Built-in
// scenarios import from here (and from the scenario kit, src/kit/) and nowhere else in src/.

export { defineNode, defineScenario } from "./core/scenario.ts";
export { allowedOutcomes } from "./core/admissible.ts";
export type {
  Admissible, Breach, ExecutionLimits, ExecutionView, Expectation, Invariant, NodeContext, NodeSpec, NodeView,
  FilePattern, NoteRecord, Roles, Scenario, SetupInput, SizeSpec, Sizes, StorageFaultDeclaration, Variant,
} from "./core/scenario.ts";
export type { Json, JsonShaped, NodeId } from "./core/json.ts";
export type { Random } from "./core/random.ts";
export type { Disk } from "./core/disk.ts";
export type { DropReason, TraceEvent, TraceKind } from "./core/events.ts";
export { canonicalJson, hashJson } from "./core/hash.ts";
export { DSIM_VERSION } from "./core/version.ts";
export { NondeterminismError, ScenarioError, UsageError } from "./core/errors.ts";
export { describeDecision, Tape, type Decision, type DecisionKind, type Question } from "./core/tape.ts";
export type { FaultProfile, FaultSpec } from "./world/faults.ts";
export { NAMED_PROFILES, parseFaultProfile, resolveFaults } from "./world/faults.ts";
export { computeReference, execute, type ExecutionRequest, type ExecutionResult, type Reference, type Verdict } from "./execution/execute.ts";
export { DEFAULT_LIMITS, type ExecutionSpec, type VariantSpec } from "./execution/spec.ts";
export type { Violation } from "./execution/verdict.ts";
export { sweep, type SweepInput, type SweepResult } from "./explore/sweep.ts";
export { exploreExhaustively, type ExhaustiveRequest, type ExhaustiveResult } from "./explore/exhaustive.ts";
export { searchBounded, type BoundedRequest, type BoundedResult } from "./explore/bounded.ts";
export { shrink, type ShrinkRequest, type ShrinkResult } from "./explore/shrink/shrink.ts";
export {
  checkLinearizability, DEFAULT_LINEARIZABILITY_LIMITS,
  type LinearizabilityLimits, type LinearizabilityResult, type Model, type Operation,
} from "./check/linearizability.ts";
export { createKvModel, kvModel, type KvInput, type KvModelOptions, type KvOperation, type KvOutput } from "./check/models/kv.ts";
export {
  createRegisterModel, registerModel, type RegisterInput, type RegisterModelOptions, type RegisterOperation, type RegisterOutput, type RegisterValue,
} from "./check/models/register.ts";
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
