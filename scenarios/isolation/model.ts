// The isolation scenario's workload and specification: doctors on call and a shared counter.
//
// Every doctor starts on call (their key never written: null) and runs one transaction, "go off
// call if at least two doctors are on call": read every doctor's key, and if two or more read as
// on call, write its own key `off@<attempt>`. Run serially, all but the last doctor leave: exactly
// one stays on call, whoever's transaction comes last. With the conflict materialized, a doctor who leaves also writes a shared `roster` row. Each teller runs a few increments of one
// counter: read it, write `<n + 1>@<attempt>` (values carry the attempt's id, unique per key, as
// the history checker needs). Run serially, the counter ends at the number of increments.

import type { Random } from "../../src/index.ts";
import type { ReadValues, WriteValues } from "../../src/kit/index.ts";

export const COUNTER_KEY = "counter";
/** The row a doctor leaving also writes when the conflict is materialized (one row every leave writes). */
export const ROSTER_KEY = "roster";

export interface Workload {
  /** The doctors' node ids, also their on-call keys; each runs one "go off call" transaction. */
  readonly doctors: readonly string[];
  /** For each teller node, how many increments of the counter it runs. */
  readonly tellers: Readonly<Record<string, number>>;
}

export type Plan = { readonly kind: "leave-if-covered"; readonly doctor: string } | { readonly kind: "increment" };

export function drawWorkload(random: Random): Workload {
  const doctors = ["alice", "bob", "carol"].slice(0, 2 + random.below(2));
  return { doctors, tellers: { teller1: 1 + random.below(2), teller2: 1 + random.below(2) } };
}

/** Whether a doctor's key, as read, says they are on call. */
export const onCall = (value: ReadValues[string]): boolean => value === null;

/** The counter a value holds: null (never written) is 0, else the number before `@`. */
export function counterOf(value: ReadValues[string]): number {
  return value === null ? 0 : Number(String(value).split("@")[0]);
}

/** The keys a transaction reads. */
export function readsOf(plan: Plan, workload: Workload): readonly string[] {
  return plan.kind === "increment" ? [COUNTER_KEY] : workload.doctors;
}

/**
 * What a transaction writes, given what it read. With `materialize`, a doctor who leaves also
 * writes the roster row, so two doctors leaving at once write a common key: the write-write
 * conflict snapshot isolation detects (the usual fix for write skew short of serializable).
 */
export function writesOf(plan: Plan, values: ReadValues, txn: string, materialize = false): WriteValues {
  if (plan.kind === "increment") return { [COUNTER_KEY]: `${counterOf(values[COUNTER_KEY] ?? null) + 1}@${txn}` };
  const covering = Object.values(values).filter(onCall).length;
  if (covering < 2) return {};
  return materialize ? { [plan.doctor]: `off@${txn}`, [ROSTER_KEY]: `${plan.doctor} off@${txn}` } : { [plan.doctor]: `off@${txn}` };
}

/** The total of increments the tellers run. */
export function incrementsOf(workload: Workload): number {
  return Object.values(workload.tellers).reduce((sum, count) => sum + count, 0);
}
