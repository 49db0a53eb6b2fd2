// π and the invariants of the idempotency scenario. Both read what the execution recorded: the
// server's "applied" notes, the client's "reply" notes, and the server's final balance.

import type { ExecutionView, Invariant, Json } from "../../src/index.ts";
import type { AccountState } from "./account.ts";
import { describeOperation, describeResult, expectedOutcome, type Result, type Workload } from "./model.ts";

type View = ExecutionView<Workload>;

interface Applied {
  readonly op: number;
  readonly balance: number;
}

interface Replied {
  readonly op: number;
  readonly result: Result;
}

/** For each operation, the times (ms) it was applied. */
function applications(view: View): number[][] {
  const times = view.workload.operations.map((): number[] => []);
  for (const note of view.notes("applied")) times[(note.value as unknown as Applied).op]?.push(note.timeMs);
  return times;
}

/** For each operation, every result the client was given, in order. */
function replies(view: View): Result[][] {
  const results = view.workload.operations.map((): Result[] => []);
  for (const note of view.notes("reply")) {
    const { op, result } = note.value as unknown as Replied;
    results[op]?.push(result);
  }
  return results;
}

function count(times: number): string {
  return times === 0 ? "never" : times === 1 ? "once" : `${times} times`;
}

function finalBalance(view: View): number {
  return view.state<AccountState>("account").balance;
}

/** π: per operation, how often it was applied and the first result the client got; the balance. */
export function project(view: View): Json {
  const applied = applications(view);
  const given = replies(view);
  return {
    operations: view.workload.operations.map((_, op) => ({ op, applied: applied[op]!.length, result: given[op]![0] ?? null })),
    balance: finalBalance(view),
  };
}

export const invariants: readonly Invariant<Workload>[] = [
  {
    name: "exactly-once",
    description: "Each operation is applied exactly once if the specification applies it, never if it refuses it.",
    check: (view) => {
      const expected = expectedOutcome(view.workload).results;
      const messages: string[] = [];
      applications(view).forEach((times, op) => {
        const wanted = expected[op]!.outcome === "applied" ? 1 : 0;
        if (times.length === wanted) return;
        const when = times.length === 0 ? "" : ` (at ${times.map((timeMs) => `${timeMs} ms`).join(", ")})`;
        messages.push(`${describeOperation(view.workload, op)} applied ${count(times.length)}${when}, expected ${count(wanted)}`);
      });
      return messages.length === 0 ? undefined : messages;
    },
  },
  {
    name: "balance",
    description: "The final balance is the one every operation applied exactly once gives.",
    check: (view) => {
      const expected = expectedOutcome(view.workload).balance;
      const seen = finalBalance(view);
      return seen === expected ? undefined : `final balance expected ${expected} (each operation applied once), seen ${seen}`;
    },
  },
  {
    name: "one-result-per-operation",
    description: "Every reply to an operation, retries included, carries the result its first execution gave.",
    check: (view) => {
      const messages: string[] = [];
      replies(view).forEach((results, op) => {
        const first = results[0];
        const other = results.find((result) => result.outcome !== first!.outcome || result.balance !== first!.balance);
        if (other === undefined) return;
        messages.push(`${describeOperation(view.workload, op)}: the client was told "${describeResult(first!)}", then "${describeResult(other)}"`);
      });
      return messages.length === 0 ? undefined : messages;
    },
  },
];
