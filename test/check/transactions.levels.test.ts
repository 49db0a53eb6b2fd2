// Which cycle searches each isolation level runs, and what the result says about limits: a level
// must find the cycle it forbids even when a cycle it allows (a write skew) lies earlier in the
// history, since one cycle is reported per check; a budget's reason names the budget and its value.

import { describe, expect, test } from "vitest";
import { checkTransactions, type IsolationLevel, type ScalarValue, type Transaction } from "../../src/index.ts";

const r = (key: string, value: ScalarValue | null) => ({ f: "r" as const, key, value });
const w = (key: string, value: ScalarValue) => ({ f: "w" as const, key, value });
const txn = (id: string, ops: Transaction["ops"]): Transaction => ({ id, status: "committed", ops });

// T1 and T2 read x and y as T0 left them and each write one: a write skew (G2-item), first in the history.
const WRITE_SKEW = [txn("T0", [w("x", 0), w("y", 0)]), txn("T1", [r("x", 0), r("y", 0), w("x", 1)]), txn("T2", [r("x", 0), r("y", 0), w("y", 2)])];
// Each reads what the other wrote: G1c.
const CIRCULAR_FLOW = [txn("T3", [w("a", 1), r("b", 2)]), txn("T4", [w("b", 2), r("a", 1)])];
// T6 reads c before T5's update of c and d, and d after it: G-single.
const READ_SKEW = [txn("T5", [r("c", null), r("d", null), w("c", 1), w("d", 1)]), txn("T6", [r("c", null), r("d", 1)])];
// T7 -rw(e)-> T8 -wr(f)-> T9 -rw(g)-> T10 -wr(h)-> T7: two rw edges, never adjacent.
const NONADJACENT = [txn("T7", [r("e", null), r("h", 4)]), txn("T8", [w("e", 2), w("f", 2)]), txn("T9", [r("f", 2), r("g", null)]), txn("T10", [w("g", 4), w("h", 4)])];

function names(history: readonly Transaction[], level: IsolationLevel) {
  const result = checkTransactions(history, { level });
  return result.verdict === "violated" ? result.anomalies.map((anomaly) => anomaly.name) : [result.verdict];
}

describe("the searches of each level", () => {
  test("a forbidden cycle is found behind an allowed write skew", () => {
    expect(names([...WRITE_SKEW, ...CIRCULAR_FLOW], "read-committed")).toEqual(["G1c"]);
    expect(names([...WRITE_SKEW, ...CIRCULAR_FLOW], "serializable")).toEqual(["G1c"]);
    expect(names([...WRITE_SKEW, ...READ_SKEW], "snapshot")).toEqual(["G-single"]);
    expect(names([...WRITE_SKEW, ...READ_SKEW], "serializable")).toEqual(["G-single"]);
    expect(names([...WRITE_SKEW, ...NONADJACENT], "snapshot")).toEqual(["G-nonadjacent"]);
  });

  test("an intermediate read (G1b) is forbidden at every level", () => {
    const intermediate = [txn("T1", [w("x", 1), w("x", 2)]), txn("T2", [r("x", 1)])];
    for (const level of ["read-committed", "snapshot", "serializable"] as const) expect(names(intermediate, level)).toEqual(["G1b"]);
  });

  test("each part alone: read committed allows both skews, snapshot the write skew", () => {
    expect(names([...WRITE_SKEW, ...READ_SKEW], "read-committed")).toEqual(["holds"]);
    expect(names(WRITE_SKEW, "snapshot")).toEqual(["holds"]);
    expect(names(WRITE_SKEW, "serializable")).toEqual(["G2-item"]);
  });
});

describe("limits in the result", () => {
  test("each budget's reason names it and its value", () => {
    expect(checkTransactions(WRITE_SKEW, { limits: { transactionsMax: 2 } })).toMatchObject({
      verdict: "unknown",
      budget: "transactionsMax",
      reason: "the history has 3 transactions, more than transactionsMax (2)",
    });
    expect(checkTransactions(WRITE_SKEW, { limits: { edgesMax: 3 } })).toMatchObject({ verdict: "unknown", budget: "edgesMax", reason: "the dependency graph passed edgesMax (3) edges" });
    expect(checkTransactions(WRITE_SKEW, { limits: { searchStepsMax: 1 } })).toMatchObject({
      verdict: "unknown",
      budget: "searchStepsMax",
      reason: "the cycle search passed searchStepsMax (1) steps",
    });
  });

  test("a violation found within every limit is not marked incomplete, and counts its search steps", () => {
    const result = checkTransactions(WRITE_SKEW);
    expect(result.verdict).toBe("violated");
    expect("incomplete" in result).toBe(false);
    expect(result.statistics.searchSteps).toBeGreaterThan(0);
  });
});
