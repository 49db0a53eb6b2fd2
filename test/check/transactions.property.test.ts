// Properties of the transactional-history checker (fast-check), on histories recorded from real
// in-memory stores (transactionsStores.ts): a serial execution holds at every level; a snapshot-
// isolation store's histories hold at snapshot (and read committed) however its transactions
// interleave; a read-committed store's hold at read committed. Whatever the checker calls not
// serializable, a brute-force search for a serial order agrees with. And the anomalies those
// stores are known for (write skew, lost update) are caught at the levels that forbid them.

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { propertyOptions } from "../fixtures/propertyRuns.ts";
import { checkTransactions, type IsolationLevel, type Transaction } from "../../src/index.ts";
import { isListKey, runStore, type Intent, type Plan, type StoreKind } from "../fixtures/transactionStores.ts";

const intentArbitrary: fc.Arbitrary<Intent> = fc.oneof(
  fc.record({ f: fc.constant("r" as const), key: fc.constantFrom("x", "y", "z", "la", "lb") }),
  fc.record({ f: fc.constant("w" as const), key: fc.constantFrom("x", "y", "z") }),
  fc.record({ f: fc.constant("append" as const), key: fc.constantFrom("la", "lb") }),
);

const planArbitrary: fc.Arbitrary<Plan> = fc.record({
  intents: fc.array(intentArbitrary, { minLength: 1, maxLength: 5 }),
  commit: fc.integer({ min: 0, max: 9 }).map((roll) => roll !== 0),
  outcomeUnknown: fc.integer({ min: 0, max: 9 }).map((roll) => roll === 0),
});

const runArbitrary = fc.record({
  plans: fc.array(planArbitrary, { maxLength: 30 }),
  concurrency: fc.integer({ min: 2, max: 4 }),
  picks: fc.array(fc.nat(), { minLength: 1, maxLength: 200 }),
});

function record(kind: StoreKind, plans: readonly Plan[], concurrency: number, picks: readonly number[]): Transaction[] {
  let step = 0;
  return runStore(kind, plans, concurrency, () => picks[step++ % picks.length]!);
}

function verdictAt(history: readonly Transaction[], level: IsolationLevel) {
  const result = checkTransactions(history, { level });
  return result.verdict === "violated" ? result.anomalies.map((anomaly) => anomaly.summary) : result.verdict;
}

describe("histories of real stores hold at the store's level", () => {
  test("a serial execution holds at every level", () => {
    fc.assert(
      fc.property(fc.array(planArbitrary, { maxLength: 40 }), (plans) => {
        const history = record("snapshot", plans, 1, [0]);
        for (const level of ["serializable", "snapshot", "read-committed"] as const) expect(verdictAt(history, level)).toBe("holds");
      }),
      propertyOptions(300),
    );
  });

  test("a snapshot-isolation store's interleaved histories hold at snapshot and read committed", () => {
    fc.assert(
      fc.property(runArbitrary, ({ plans, concurrency, picks }) => {
        const history = record("snapshot", plans, concurrency, picks);
        expect(verdictAt(history, "snapshot")).toBe("holds");
        expect(verdictAt(history, "read-committed")).toBe("holds");
      }),
      propertyOptions(300),
    );
  });

  test("a read-committed store's interleaved histories hold at read committed", () => {
    fc.assert(
      fc.property(runArbitrary, ({ plans, concurrency, picks }) => {
        expect(verdictAt(record("read-committed", plans, concurrency, picks), "read-committed")).toBe("holds");
      }),
      propertyOptions(300),
    );
  });
});

function permutations<Item>(items: readonly Item[]): Item[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]));
}

/** The oracle: some serial order of the committed transactions (and of some of the unknown ones) replays every committed read. */
function serialOrderExists(history: readonly Transaction[]): boolean {
  const committed = history.filter((transaction) => transaction.status === "committed");
  const unknown = history.filter((transaction) => transaction.status === "unknown");
  for (let chosen = 0; chosen < 1 << unknown.length; chosen++) {
    const included = [...committed, ...unknown.filter((_, index) => ((chosen >> index) & 1) === 1)];
    if (permutations(included).some(replays)) return true;
  }
  return false;
}

function replays(order: readonly Transaction[]): boolean {
  const state = new Map<string, string>();
  for (const transaction of order) {
    for (const op of transaction.ops) {
      const now = state.get(op.key) ?? JSON.stringify(isListKey(op.key) ? [] : null);
      if (op.f === "w") state.set(op.key, JSON.stringify(op.value));
      else if (op.f === "append") state.set(op.key, JSON.stringify([...JSON.parse(now), op.value]));
      else if (transaction.status === "committed" && now !== JSON.stringify(op.value ?? (isListKey(op.key) ? [] : null))) return false;
    }
  }
  return true;
}

describe("what the checker calls not serializable, no serial order explains", () => {
  const smallRun = fc.record({
    plans: fc.array(planArbitrary, { maxLength: 6 }),
    concurrency: fc.integer({ min: 2, max: 4 }),
    picks: fc.array(fc.nat(), { minLength: 1, maxLength: 60 }),
  });

  test.each(["snapshot", "read-committed"] as const)("on small histories of the %s store", (kind) => {
    let violations = 0;
    fc.assert(
      fc.property(smallRun, ({ plans, concurrency, picks }) => {
        const history = record(kind, plans, concurrency, picks);
        if (checkTransactions(history).verdict !== "violated") return;
        violations++;
        expect(serialOrderExists(history)).toBe(false);
      }),
      propertyOptions(1000),
    );
    expect(violations).toBeGreaterThan(0);
  });
});

describe("the stores' own anomalies are caught", () => {
  const plan = (...intents: Intent[]): Plan => ({ intents, commit: true, outcomeUnknown: false });
  const setup = plan({ f: "w", key: "x" }, { f: "w", key: "y" });

  test("the snapshot store lets two doctors go off call at once: write skew, not serializable", () => {
    const doctor = (leaves: string) => plan({ f: "r", key: "x" }, { f: "r", key: "y" }, { f: "w", key: leaves });
    // setup runs alone, then the two doctors alternate step by step.
    const history = record("snapshot", [setup, doctor("x"), doctor("y")], 2, [0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0]);
    expect(history.map((transaction) => transaction.status)).toEqual(["committed", "committed", "committed"]);
    expect(verdictAt(history, "serializable")).toEqual(["write skew (G2-item): T1 -rw(y)-> T2 -rw(x)-> T1"]);
    expect(verdictAt(history, "snapshot")).toBe("holds");
  });

  test("the read-committed store loses an update that the snapshot store would refuse", () => {
    const increment = plan({ f: "r", key: "x" }, { f: "w", key: "x" });
    const picks = [0, 0, 0, 0, 1, 0, 1, 0, 0, 0];
    const readCommitted = record("read-committed", [setup, increment, increment], 2, picks);
    expect(verdictAt(readCommitted, "read-committed")).toBe("holds");
    expect(verdictAt(readCommitted, "snapshot")).toEqual(["lost update: T1 and T2 both read x = 0 (written by T0) and both wrote x"]);
    const snapshot = record("snapshot", [setup, increment, increment], 2, picks);
    expect(snapshot.map((transaction) => transaction.status)).toEqual(["committed", "committed", "aborted"]);
    expect(verdictAt(snapshot, "snapshot")).toBe("holds");
  });
});
