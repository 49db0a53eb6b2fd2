// The idempotency scenario's logical input and its specification: the operations a client asks
// of an account, and what applying each exactly once, in the client's order, must give.

import type { Json, Random } from "../../src/index.ts";

export type OperationKind = "withdraw" | "deposit";

export interface Operation {
  readonly kind: OperationKind;
  readonly amount: number;
  readonly [key: string]: Json;
}

export interface Workload {
  readonly initialBalance: number;
  readonly operations: readonly Operation[];
  readonly [key: string]: Json;
}

/** What the server answers: the operation applied, or refused; with the balance after it. */
export interface Result {
  readonly outcome: "applied" | "insufficient-funds";
  readonly balance: number;
  readonly [key: string]: Json;
}

export const INITIAL_BALANCE = 200;
const OPERATION_COUNT_MIN = 4;
const OPERATION_COUNT_MAX = 6;
const AMOUNT_STEP = 25;
const AMOUNT_STEPS_MAX = 6;

/**
 * A few withdrawals and deposits of 25..150, drawn from the workload stream only. One of them, at
 * a drawn position, withdraws more than the balance holds (the specification refuses it) and is
 * followed by a deposit that would cover it: where a retried refusal could turn into a success.
 */
export function drawWorkload(random: Random): Workload {
  const count = random.between(OPERATION_COUNT_MIN, OPERATION_COUNT_MAX);
  const refusedAt = random.below(count - 1);
  const operations: Operation[] = [];
  let balance = INITIAL_BALANCE;
  for (let index = 0; index < count; index++) {
    let operation: Operation;
    if (index === refusedAt) operation = { kind: "withdraw", amount: balance + AMOUNT_STEP * random.between(1, 2) };
    else if (index === refusedAt + 1) operation = { kind: "deposit", amount: AMOUNT_STEP * random.between(2, AMOUNT_STEPS_MAX) };
    else operation = { kind: random.chance(0.3) ? "deposit" : "withdraw", amount: AMOUNT_STEP * random.between(1, AMOUNT_STEPS_MAX) };
    operations.push(operation);
    balance = evaluate(balance, operation).balance;
  }
  return { initialBalance: INITIAL_BALANCE, operations };
}

/** One operation against a balance: a withdrawal beyond the balance is refused. */
export function evaluate(balance: number, operation: Operation): Result {
  if (operation.kind === "deposit") return { outcome: "applied", balance: balance + operation.amount };
  if (operation.amount > balance) return { outcome: "insufficient-funds", balance };
  return { outcome: "applied", balance: balance - operation.amount };
}

export interface Expected {
  readonly results: readonly Result[];
  readonly balance: number;
}

/** The specification: every operation applied exactly once, in the client's order. */
export function expectedOutcome(workload: Workload): Expected {
  let balance = workload.initialBalance;
  const results = workload.operations.map((operation) => {
    const result = evaluate(balance, operation);
    balance = result.balance;
    return result;
  });
  return { results, balance };
}

export function describeOperation(workload: Workload, op: number): string {
  const operation = workload.operations[op];
  return operation === undefined ? `operation ${op} (not in the workload)` : `operation ${op} (${operation.kind} ${operation.amount})`;
}

export function describeResult(result: Result): string {
  return result.outcome === "applied" ? `applied, balance ${result.balance}` : `refused for insufficient funds, balance ${result.balance}`;
}
