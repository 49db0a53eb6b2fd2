// Real (in-memory, multi-version) stores that run planned transactions and record the history a
// client would see, for the checker's property tests and its benchmark. Keys starting with "l" are
// lists (append), others registers (write); every written value is unique.
// - "snapshot": each transaction reads the snapshot as of its first step plus its own writes, and
//   commits only if no transaction that committed after its start wrote a key it writes
//   (first-committer-wins). With concurrency 1 this is a serial execution.
// - "read-committed": each read sees the latest committed version plus the transaction's own
//   writes; commits always succeed, appends go onto the latest committed list.

import type { ScalarValue, Transaction, TransactionOperation, TransactionStatus } from "../src/index.ts";

export interface Intent {
  readonly f: "r" | "w" | "append";
  readonly key: string;
}

export interface Plan {
  readonly intents: readonly Intent[];
  /** Whether the client asks to commit; a store may still abort it. */
  readonly commit: boolean;
  /** The client never learns the outcome: recorded as "unknown". */
  readonly outcomeUnknown: boolean;
}

export type StoreKind = "snapshot" | "read-committed";

interface Version {
  readonly timestamp: number;
  readonly register: ScalarValue | null;
  readonly list: readonly ScalarValue[];
}

interface Running {
  readonly id: string;
  readonly plan: Plan;
  /** The snapshot's time: the commit count when it took its first step. */
  startTimestamp: number;
  readonly ops: TransactionOperation[];
  readonly registers: Map<string, ScalarValue>;
  readonly appends: Map<string, ScalarValue[]>;
  next: number;
}

const INITIAL: Version = { timestamp: 0, register: null, list: [] };

export const isListKey = (key: string): boolean => key.startsWith("l");

/**
 * Runs `plans` with up to `concurrency` transactions open at once; `pick(n)` chooses which of the
 * n open transactions takes its next step. Returns the history in the order transactions ended.
 */
export function runStore(kind: StoreKind, plans: readonly Plan[], concurrency: number, pick: (openCount: number) => number): Transaction[] {
  const versions = new Map<string, Version[]>();
  const latest = (key: string, atTimestamp: number): Version => {
    const list = versions.get(key) ?? [];
    for (let index = list.length - 1; index >= 0; index--) if (list[index]!.timestamp <= atTimestamp) return list[index]!;
    return INITIAL;
  };
  let clock = 0;
  let nextValue = 0;
  let planned = 0;
  const open: Running[] = [];
  const history: Transaction[] = [];
  const finish = (running: Running) => {
    const keys = [...running.registers.keys(), ...running.appends.keys()];
    const conflict = kind === "snapshot" && keys.some((key) => latest(key, Infinity).timestamp > running.startTimestamp);
    const committed = running.plan.commit && !conflict;
    if (committed) {
      clock++;
      const install = (key: string, version: Version) => {
        const list = versions.get(key);
        if (list === undefined) versions.set(key, [version]);
        else list.push(version);
      };
      for (const [key, register] of running.registers) install(key, { timestamp: clock, register, list: [] });
      for (const [key, added] of running.appends) install(key, { timestamp: clock, register: null, list: [...latest(key, Infinity).list, ...added] });
    }
    const status: TransactionStatus = running.plan.outcomeUnknown ? "unknown" : committed ? "committed" : "aborted";
    history.push({ id: running.id, status, ops: running.ops });
  };
  while (planned < plans.length || open.length > 0) {
    while (open.length < concurrency && planned < plans.length) {
      const plan = plans[planned]!;
      open.push({ id: `T${planned++}`, plan, startTimestamp: -1, ops: [], registers: new Map(), appends: new Map(), next: 0 });
    }
    const index = pick(open.length) % open.length;
    const running = open[index]!;
    if (running.next === 0) running.startTimestamp = clock;
    const intent = running.plan.intents[running.next++];
    if (intent === undefined) {
      open.splice(index, 1);
      finish(running);
      continue;
    }
    const { key } = intent;
    if (intent.f === "w") {
      const value = nextValue++;
      running.registers.set(key, value);
      running.ops.push({ f: "w", key, value });
    } else if (intent.f === "append") {
      const value = nextValue++;
      running.appends.set(key, [...(running.appends.get(key) ?? []), value]);
      running.ops.push({ f: "append", key, value });
    } else {
      const base = latest(key, kind === "snapshot" ? running.startTimestamp : Infinity);
      const value = isListKey(key) ? [...base.list, ...(running.appends.get(key) ?? [])] : (running.registers.get(key) ?? base.register);
      running.ops.push({ f: "r", key, value });
    }
  }
  return history;
}
