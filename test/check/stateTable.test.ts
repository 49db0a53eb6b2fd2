// The state table of the linearizability search: equal state keys get equal ids, new states are
// charged to the memory budget (80 bytes an entry, plus two bytes a character of a string key) and
// refused with -1 when they do not fit, and release gives every byte back. The default state key
// keeps primitives as themselves and keys objects by canonical JSON (key order does not matter).

import { describe, expect, test } from "vitest";
import { MemoryBudget } from "../../src/check/configurationCache.ts";
import { defaultStateKey, StateTable } from "../../src/check/stateTable.ts";

describe("StateTable", () => {
  test("numbers new states from 0 and gives a known state its id again", () => {
    const table = new StateTable<string>(new MemoryBudget(10_000), (state) => state);
    expect(table.idOf("a")).toBe(0);
    expect(table.idOf("b")).toBe(1);
    expect(table.idOf("a")).toBe(0);
  });

  test("charges 80 bytes an entry plus 2 a character of a string key, once per state", () => {
    const budget = new MemoryBudget(10_000);
    const table = new StateTable<unknown>(budget, (state) => state);
    table.idOf("abc");
    expect(budget.usedBytes).toBe(86);
    table.idOf("abc");
    expect(budget.usedBytes).toBe(86);
    table.idOf(7);
    expect(budget.usedBytes).toBe(166);
  });

  test("a new state that does not fit the budget gets -1 and reserves nothing", () => {
    const budget = new MemoryBudget(100);
    const table = new StateTable<number>(budget, (state) => state);
    expect(table.idOf(1)).toBe(0);
    expect(table.idOf(2)).toBe(-1);
    expect(budget.usedBytes).toBe(80);
    expect(table.idOf(1)).toBe(0);
  });

  test("release gives back every byte it reserved and forgets the ids", () => {
    const budget = new MemoryBudget(10_000);
    budget.reserve(5);
    const table = new StateTable<string>(budget, (state) => state);
    table.idOf("x");
    table.idOf("yy");
    expect(budget.usedBytes).toBe(5 + 82 + 84);
    table.release();
    expect(budget.usedBytes).toBe(5);
    expect(table.idOf("yy")).toBe(0);
    expect(budget.usedBytes).toBe(5 + 84);
    table.release();
    expect(budget.usedBytes).toBe(5);
  });
});

describe("defaultStateKey", () => {
  test("a primitive state is its own key", () => {
    expect(defaultStateKey(null)).toBe(null);
    expect(defaultStateKey("x")).toBe("x");
    expect(defaultStateKey(3)).toBe(3);
    expect(defaultStateKey(true)).toBe(true);
  });

  test("an object is keyed by its canonical JSON, whatever its key order", () => {
    expect(defaultStateKey({ b: 1, a: [2] })).toBe('{"a":[2],"b":1}');
    expect(defaultStateKey({ a: [2], b: 1 })).toBe(defaultStateKey({ b: 1, a: [2] }));
  });
});
