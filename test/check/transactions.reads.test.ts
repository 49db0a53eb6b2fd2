// The read anomalies of the transaction checker, edge by edge: each is reported once (the first
// found), a transaction's own non-final write it read before making it is "internal" and not also
// G1b, an aborted transaction's intermediate value is G1a and not also G1b, a list read after one's
// own appends must end with them all in order, and the part of such a read before them is an
// external read that orders the list (here closing a G1c cycle). Summaries written out by hand.

import { describe, expect, test } from "vitest";
import { checkTransactions, type ScalarValue, type Transaction, type TransactionCheckResult, type TransactionStatus } from "../../src/index.ts";

const r = (key: string, value: ScalarValue | ScalarValue[] | null) => ({ f: "r" as const, key, value });
const w = (key: string, value: ScalarValue) => ({ f: "w" as const, key, value });
const append = (key: string, value: ScalarValue) => ({ f: "append" as const, key, value });
const txn = (id: string, ops: Transaction["ops"], status: TransactionStatus = "committed"): Transaction => ({ id, status, ops });

function anomalies(history: readonly Transaction[]) {
  const result: TransactionCheckResult = checkTransactions(history, { level: "read-committed" });
  return result.verdict === "violated" ? result.anomalies : [];
}
const summaries = (history: readonly Transaction[]) => anomalies(history).map((anomaly) => anomaly.summary);

describe("read anomalies", () => {
  test("of two internal inconsistencies, the first is reported", () => {
    const history = [txn("T1", [w("x", 1), r("x", 2)]), txn("T2", [w("x", 2)]), txn("T3", [w("x", 3), r("x", 1)])];
    expect(summaries(history)).toEqual(["internal inconsistency: T1 read x = 2 after writing 1"]);
  });

  test("reading one's own intermediate write before making it is internal, not also G1b", () => {
    expect(summaries([txn("T1", [r("x", 1), w("x", 1), w("x", 2)])])).toEqual(["internal inconsistency: T1 read x = 1 before writing it"]);
  });

  test("reading one's own append before making it is internal", () => {
    expect(summaries([txn("T1", [r("x", [1]), append("x", 1)])])).toEqual(["internal inconsistency: T1 read x = [1] before appending 1"]);
  });

  test("an aborted transaction's intermediate value is G1a, not also G1b", () => {
    const history = [txn("T1", [w("x", 1), w("x", 2)], "aborted"), txn("T2", [r("x", 1)])];
    expect(summaries(history)).toEqual(["aborted read (G1a): T2 read x = 1, written by T1, which aborted"]);
  });

  test("a list read after one's own appends must end with all of them, in order", () => {
    // T1 appended 1 then 2; [9, 2] ends with 2 but not with 1, 2.
    const history = [txn("T0", [append("x", 9)]), txn("T1", [append("x", 1), append("x", 2), r("x", [9, 2])])];
    expect(summaries(history)).toEqual(["internal inconsistency: T1 read x = [9, 2] after appending 1, 2"]);
    const shown = [txn("T0", [append("x", 9)]), txn("T1", [append("x", 1), append("x", 2), r("x", [9, 1, 2])])];
    expect(summaries(shown)).toEqual([]);
  });

  test("the part of a list read before one's own appends orders the list: here it closes a G1c cycle", () => {
    // T2 read x = [1, 2] after appending 2: T1's 1 came first (wr T1 -> T2 on x); T1 read y = [1], T2's append (wr T2 -> T1).
    const history = [txn("T1", [append("x", 1), r("y", [1])]), txn("T2", [append("y", 1), append("x", 2), r("x", [1, 2])])];
    expect(anomalies(history).map((anomaly) => anomaly.name)).toEqual(["G1c"]);
  });

  test("a list read holding an element twice is reported once, the first, with the read", () => {
    const history = [txn("T1", [append("x", 1), append("x", 2)]), txn("T2", [r("x", [1, 1])]), txn("T3", [r("x", [1, 2, 2])])];
    expect(anomalies(history)).toEqual([
      { name: "incompatible-order", summary: "incompatible order: T2 read x = [1, 1], with an element twice", key: "x", reads: [{ transaction: "T2", value: [1, 1] }] },
    ]);
  });
});
