// The dependency graph's budgets, exactly at their limits: edgesMax edges fit and one more throws,
// a path search may spend exactly searchStepsMax edge visits and not one more, and the error says
// which budget ran out and its value. Also: a value written twice in one transaction is refused
// with that said, not blamed on another transaction.

import { describe, expect, test } from "vitest";
import { checkTransactions } from "../../src/index.ts";
import { BudgetExhausted, GraphBuilder, PathSearch, WW } from "../../src/check/transactions/graph.ts";

describe("graph budgets", () => {
  test("edgesMax edges fit; the next one throws, naming the budget", () => {
    const builder = new GraphBuilder(3, 2);
    builder.add(0, 1, WW, 0);
    builder.add(1, 2, WW, 0);
    builder.add(1, 1, WW, 0); // a self edge is no edge, and costs nothing
    expect(() => builder.add(2, 0, WW, 0)).toThrow(new BudgetExhausted("edgesMax", 2));
    expect(builder.from).toHaveLength(2);
  });

  test("a search may spend exactly searchStepsMax edge visits", () => {
    const graph = new GraphBuilder(2, 10).freeze();
    const search = new PathSearch(graph, 3);
    search.spend(3);
    expect(search.stepsTaken).toBe(3);
    expect(() => search.spend(1)).toThrow(BudgetExhausted);
  });

  test("the error names the budget and its limit", () => {
    const error = new BudgetExhausted("searchStepsMax", 7);
    expect(error.message).toBe("searchStepsMax (7) ran out");
    expect(error).toMatchObject({ budget: "searchStepsMax", limit: 7 });
  });
});

describe("unique writes", () => {
  test("a value written twice in one transaction is refused as such", () => {
    expect(() => checkTransactions([{ id: "T1", status: "committed", ops: [{ f: "w", key: "x", value: 1 }, { f: "w", key: "x", value: 1 }] }])).toThrow(
      'transaction 1 ("T1"): ops[1].value: x = 1 is also written earlier in this transaction: writes must be unique per key',
    );
  });
});
