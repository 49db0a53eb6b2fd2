// The transactional-history checker on hand-built histories: each anomaly class reported with the
// right name and cycle, the levels that allow it passing, outcomes (aborted, unknown) handled as
// documented, and every limit turning into "unknown", never a pass.

import { describe, expect, test } from "vitest";
import { checkTransactions, type IsolationLevel, type ScalarValue, type Transaction, type TransactionCheckResult, type TransactionStatus } from "../../src/index.ts";

const r = (key: string, value: ScalarValue | ScalarValue[] | null) => ({ f: "r" as const, key, value });
const w = (key: string, value: ScalarValue) => ({ f: "w" as const, key, value });
const append = (key: string, value: ScalarValue) => ({ f: "append" as const, key, value });
const txn = (id: string, ops: Transaction["ops"], status: TransactionStatus = "committed"): Transaction => ({ id, status, ops });

function anomalies(result: TransactionCheckResult) {
  return result.verdict === "violated" ? result.anomalies : [];
}

function names(history: readonly Transaction[], level: IsolationLevel) {
  return anomalies(checkTransactions(history, { level })).map((anomaly) => anomaly.name);
}

function summaries(history: readonly Transaction[], level: IsolationLevel) {
  return anomalies(checkTransactions(history, { level })).map((anomaly) => anomaly.summary);
}

const INITIAL = txn("T0", [w("x", 0), w("y", 0)]);

// T1 and T2 each read x and y, then write disjoint keys: the doctors-on-call write skew.
const WRITE_SKEW = [INITIAL, txn("T1", [r("x", 0), r("y", 0), w("x", 1)]), txn("T2", [r("x", 0), r("y", 0), w("y", 2)])];

// T2 reads x before T1's update of x and y, and y after it.
const READ_SKEW = [INITIAL, txn("T1", [r("x", 0), r("y", 0), w("x", 1), w("y", 1)]), txn("T2", [r("x", 0), r("y", 1)])];

// T1 and T2 both read x = 0 and both write x.
const LOST_UPDATE = [INITIAL, txn("T1", [r("x", 0), w("x", 1)]), txn("T2", [r("x", 0), w("x", 2)])];

// Two appenders interleave on two lists in opposite orders: a dirty write.
const WRITE_CYCLE = [
  txn("T1", [append("x", 1), append("y", 1)]),
  txn("T2", [append("x", 2), append("y", 2)]),
  txn("T3", [r("x", [1, 2]), r("y", [2, 1])]),
];

// Each reads what the other wrote.
const CIRCULAR_FLOW = [txn("T1", [w("x", 1), r("y", 2)]), txn("T2", [w("y", 2), r("x", 1)])];

// Two rw edges, never adjacent: T1 -rw(x)-> T2 -wr(y)-> T3 -rw(z)-> T4 -wr(v)-> T1.
const NONADJACENT = [
  txn("T1", [r("x", null), r("v", 4)]),
  txn("T2", [w("x", 2), w("y", 2)]),
  txn("T3", [r("y", 2), r("z", null)]),
  txn("T4", [w("z", 4), w("v", 4)]),
];

describe("cycle anomalies, each with its cycle", () => {
  test("write skew is G2-item with two rw edges; snapshot and read committed allow it", () => {
    expect(summaries(WRITE_SKEW, "serializable")).toEqual(["write skew (G2-item): T1 -rw(y)-> T2 -rw(x)-> T1"]);
    expect(checkTransactions(WRITE_SKEW, { level: "snapshot" }).verdict).toBe("holds");
    expect(checkTransactions(WRITE_SKEW, { level: "read-committed" }).verdict).toBe("holds");
  });

  test("write skew over lists, where nobody read the appends", () => {
    const history = [txn("T1", [r("x", []), r("y", []), append("x", 1)]), txn("T2", [r("x", null), r("y", []), append("y", 2)])];
    expect(summaries(history, "serializable")).toEqual(["write skew (G2-item): T1 -rw(y)-> T2 -rw(x)-> T1"]);
    expect(checkTransactions(history, { level: "snapshot" }).verdict).toBe("holds");
  });

  test("read skew is G-single: forbidden by snapshot, allowed by read committed", () => {
    const single = ["single anti-dependency cycle (G-single): T1 -wr(y)-> T2 -rw(x)-> T1"];
    expect(summaries(READ_SKEW, "serializable")).toEqual(single);
    expect(summaries(READ_SKEW, "snapshot")).toEqual(single);
    expect(checkTransactions(READ_SKEW, { level: "read-committed" }).verdict).toBe("holds");
  });

  test("a write cycle is G0, forbidden at every level", () => {
    for (const level of ["serializable", "snapshot", "read-committed"] as const) {
      expect(summaries(WRITE_CYCLE, level)).toEqual(["write cycle (G0): T1 -ww(x)-> T2 -ww(y)-> T1"]);
    }
  });

  test("circular information flow is G1c, forbidden at every level", () => {
    for (const level of ["serializable", "snapshot", "read-committed"] as const) {
      expect(summaries(CIRCULAR_FLOW, level)).toEqual(["circular information flow (G1c): T1 -wr(x)-> T2 -wr(y)-> T1"]);
    }
  });

  test("a cycle whose rw edges are not adjacent is G-nonadjacent: forbidden by snapshot", () => {
    const cycle = "anti-dependency cycle (G-nonadjacent): T1 -rw(x)-> T2 -wr(y)-> T3 -rw(z)-> T4 -wr(v)-> T1";
    expect(summaries(NONADJACENT, "snapshot")).toEqual([cycle]);
    expect(summaries(NONADJACENT, "serializable")).toEqual([cycle]);
    expect(checkTransactions(NONADJACENT, { level: "read-committed" }).verdict).toBe("holds");
  });

  test("the reported cycle names its edges as data", () => {
    const [anomaly] = anomalies(checkTransactions(CIRCULAR_FLOW));
    expect(anomaly).toEqual({
      name: "G1c",
      summary: "circular information flow (G1c): T1 -wr(x)-> T2 -wr(y)-> T1",
      cycle: [
        { from: "T1", to: "T2", kind: "wr", key: "x" },
        { from: "T2", to: "T1", kind: "wr", key: "y" },
      ],
    });
  });
});

describe("lost update", () => {
  test("two transactions that read the same version and both wrote: forbidden by snapshot, allowed by read committed", () => {
    expect(summaries(LOST_UPDATE, "snapshot")).toEqual(["lost update: T1 and T2 both read x = 0 (written by T0) and both wrote x"]);
    expect(names(LOST_UPDATE, "serializable")).toEqual(["lost-update", "G2-item"]);
    expect(checkTransactions(LOST_UPDATE, { level: "read-committed" }).verdict).toBe("holds");
  });

  test("over a list, where the order of the appends is known, the cycle is G-single", () => {
    const history = [txn("T1", [r("x", []), append("x", 1)]), txn("T2", [r("x", []), append("x", 2)]), txn("T3", [r("x", [1, 2])])];
    expect(summaries(history, "snapshot")).toEqual([
      "lost update: T1 and T2 both read x = [] (the initial version) and both appended to x",
      "single anti-dependency cycle (G-single): T1 -ww(x)-> T2 -rw(x)-> T1",
    ]);
  });
});

describe("read anomalies", () => {
  test("G1a: a committed transaction read an aborted one's write", () => {
    const history = [txn("T1", [w("x", 1)], "aborted"), txn("T2", [r("x", 1)])];
    for (const level of ["serializable", "snapshot", "read-committed"] as const) {
      expect(anomalies(checkTransactions(history, { level }))).toEqual([
        { name: "G1a", summary: "aborted read (G1a): T2 read x = 1, written by T1, which aborted", reader: "T2", writer: "T1", key: "x", value: 1 },
      ]);
    }
  });

  test("G1a in a list: any element of an aborted append", () => {
    const history = [txn("T1", [append("x", 1)]), txn("T2", [append("x", 2)], "aborted"), txn("T3", [append("x", 3)]), txn("T4", [r("x", [1, 2, 3])])];
    expect(summaries(history, "read-committed")).toEqual(["aborted read (G1a): T4 read x = [1, 2, 3], whose 2 was appended by T2, which aborted"]);
  });

  test("G1b: a read of a value its writer overwrote before committing", () => {
    const history = [txn("T1", [w("x", 1), w("x", 2)]), txn("T2", [r("x", 1)])];
    expect(summaries(history, "read-committed")).toEqual(["intermediate read (G1b): T2 read x = 1, which T1 overwrote before committing"]);
    const lists = [txn("T1", [append("x", 1), append("x", 2)]), txn("T2", [r("x", [1])])];
    expect(summaries(lists, "read-committed")).toEqual(["intermediate read (G1b): T2 read x = [1], but T1 appended to it again before committing"]);
  });

  test("internal: a read after the transaction's own write must show it", () => {
    const history = [txn("T1", [w("x", 1)]), txn("T2", [w("x", 2), r("x", 1)])];
    expect(summaries(history, "read-committed")).toEqual(["internal inconsistency: T2 read x = 1 after writing 2"]);
    const lists = [txn("T1", [append("x", 1), r("x", [1, 2])]), txn("T2", [append("x", 2)])];
    expect(summaries(lists, "read-committed")).toEqual(["internal inconsistency: T1 read x = [1, 2] after appending 1"]);
    const seesOthersFirst = [txn("T1", [append("x", 1), r("x", [2, 1])]), txn("T2", [append("x", 2)])];
    expect(checkTransactions(seesOthersFirst, { level: "read-committed" }).verdict).toBe("holds");
    const lostOwn = [txn("T1", [append("x", 1), r("x", [])])];
    expect(names(lostOwn, "read-committed")).toEqual(["internal"]);
  });

  test("internal: reading one's own write before making it", () => {
    expect(summaries([txn("T1", [r("x", 1), w("x", 1)])], "read-committed")).toEqual(["internal inconsistency: T1 read x = 1 before writing it"]);
  });

  test("garbage read: a value nobody wrote", () => {
    expect(summaries([txn("T1", [r("x", 9)])], "read-committed")).toEqual(["garbage read: T1 read x = 9, which no transaction wrote"]);
    expect(summaries([txn("T1", [append("x", 1)]), txn("T2", [r("x", [1, 9])])], "read-committed")).toEqual([
      "garbage read: T2 read x = [1, 9], but no transaction appended 9",
    ]);
  });

  test("incompatible order: two list reads that no order of appends explains", () => {
    const history = [txn("T1", [append("x", 1)]), txn("T2", [append("x", 2)]), txn("T3", [r("x", [1, 2])]), txn("T4", [r("x", [2])])];
    expect(summaries(history, "read-committed")).toEqual([
      "incompatible order: T4 read x = [2] and T3 read x = [1, 2]; neither is a prefix of the other",
    ]);
    expect(summaries([txn("T1", [append("x", 1)]), txn("T2", [r("x", [1, 1])])], "read-committed")).toEqual([
      "incompatible order: T2 read x = [1, 1], with an element twice",
    ]);
  });
});

describe("outcomes", () => {
  test("an aborted transaction's reads are not used, and nothing reads its writes", () => {
    const history = [INITIAL, txn("T1", [r("x", 0), r("y", 0), w("x", 1)], "aborted"), txn("T2", [r("x", 0), r("y", 0), w("y", 2)])];
    expect(checkTransactions(history).verdict).toBe("holds");
  });

  test("an unknown transaction some committed one read from must have committed: it joins the graph", () => {
    const history = [txn("T1", [w("x", 1), r("y", 2)], "unknown"), txn("T2", [w("y", 2), r("x", 1)])];
    expect(checkTransactions(history).verdict).toBe("holds");
    const both = [txn("T1", [w("x", 1), w("z", 1)], "unknown"), txn("T2", [r("x", 1), w("y", 2)]), txn("T3", [r("y", 2), r("z", null)])];
    expect(summaries(both, "snapshot")).toEqual(["single anti-dependency cycle (G-single): T1 -wr(x)-> T2 -wr(y)-> T3 -rw(z)-> T1"]);
  });

  test("an unknown transaction nobody read from is left out, and is no aborted read", () => {
    const history = [txn("T1", [w("x", 1)], "unknown"), txn("T2", [r("x", null)]), txn("T3", [r("x", null), w("x", 3)])];
    const result = checkTransactions(history);
    expect(result.verdict).toBe("holds");
    expect(result.statistics.graphTransactions).toBe(2);
  });
});

describe("histories that hold", () => {
  test("a serial history holds at every level", () => {
    const history = [
      txn("T1", [w("x", 1), append("l", 1)]),
      txn("T2", [r("x", 1), r("l", [1]), w("x", 2), append("l", 2), r("l", [1, 2]), r("x", 2)]),
      txn("T3", [r("x", 2), r("l", [1, 2])]),
      txn("T4", [w("y", 4)], "aborted"),
      txn("T5", [r("y", null)]),
    ];
    for (const level of ["serializable", "snapshot", "read-committed"] as const) expect(checkTransactions(history, { level }).verdict).toBe("holds");
  });

  test("an empty history holds", () => {
    expect(checkTransactions([])).toEqual({
      verdict: "holds",
      level: "serializable",
      statistics: { transactions: 0, graphTransactions: 0, keys: 0, edges: 0, searchSteps: 0 },
    });
  });
});

describe("limits", () => {
  test("each limit that runs out before an answer makes it unknown, naming the limit", () => {
    expect(checkTransactions(WRITE_SKEW, { limits: { transactionsMax: 2 } })).toMatchObject({ verdict: "unknown", budget: "transactionsMax" });
    expect(checkTransactions(WRITE_SKEW, { limits: { edgesMax: 3 } })).toMatchObject({ verdict: "unknown", budget: "edgesMax" });
    expect(checkTransactions(WRITE_SKEW, { limits: { searchStepsMax: 1 } })).toMatchObject({ verdict: "unknown", budget: "searchStepsMax" });
  });

  test("an anomaly found before a limit runs out is still a violation, marked incomplete", () => {
    const result = checkTransactions([...WRITE_SKEW, txn("T9", [r("x", 9)])], { limits: { searchStepsMax: 1 } });
    expect(result).toMatchObject({ verdict: "violated", incomplete: "the cycle search passed searchStepsMax (1) steps" });
    expect(anomalies(result).map((anomaly) => anomaly.name)).toEqual(["garbage-read"]);
  });
});

describe("histories that are not well formed", () => {
  test.each([
    ["a value written twice to a key", [txn("T1", [w("x", 1)]), txn("T2", [w("x", 1)])], 'transaction 2 ("T2"): ops[0].value: x = 1 is also written at transaction 1 of the history'],
    ["a key used as a register and a list", [txn("T1", [w("x", 1)]), txn("T2", [append("x", 2)])], "ops[0]: key \"x\" is used as a list here but as a register by transaction 1 of the history"],
    ["a transaction id used twice", [txn("T1", []), txn("T1", [])], 'id: transaction id "T1" is used twice'],
  ])("%s is an input error", (_what, history, message) => {
    expect(() => checkTransactions(history)).toThrow(message);
  });
});
