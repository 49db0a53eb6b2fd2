// findLostUpdate alone: two transactions that read the same version of a key and then both wrote
// (or appended to) it. The report names both, the version read (nil for the initial one, a list's
// whole content for a list) and who wrote it; different versions or different keys are no lost update.

import { describe, expect, test } from "vitest";
import { valueId, type Transaction } from "../../src/check/transactions/history.ts";
import { findLostUpdate } from "../../src/check/transactions/lostUpdate.ts";
import type { ReadThenWrite } from "../../src/check/transactions/reads.ts";
import type { KeyIndex, KeyKind } from "../../src/check/transactions/writes.ts";

const transactions: Transaction[] = Array.from({ length: 6 }, (_, index) => ({ id: `T${index}`, status: "committed", ops: [] }));

function keyOf(name: string, kind: KeyKind, writes: [number, number][]): KeyIndex {
  const key: KeyIndex = { name, number: 0, kind, kindFrom: undefined, writers: new Map() };
  for (const [transaction, value] of writes) key.writers.set(valueId(value), { transaction, operation: 0, final: true });
  return key;
}

const access = (transaction: number, key: KeyIndex, read: number[], written: number): ReadThenWrite => ({ transaction, key, observed: read.map(valueId), written: valueId(written) });

describe("findLostUpdate", () => {
  test("two writers over the initial version", () => {
    const x = keyOf("x", "register", [[1, 5], [2, 6]]);
    expect(findLostUpdate([access(1, x, [], 5), access(2, x, [], 6)], transactions)).toEqual({
      name: "lost-update",
      summary: "lost update: T1 and T2 both read x = nil (the initial version) and both wrote x",
      transactions: ["T1", "T2"],
      key: "x",
      read: null,
    });
  });

  test("two writers over a written version name its writer; the first pair is reported", () => {
    const x = keyOf("x", "register", [[0, 1], [3, 2], [4, 3], [5, 4]]);
    const found = findLostUpdate([access(3, x, [1], 2), access(4, x, [1], 3), access(5, x, [1], 4)], transactions);
    expect(found).toMatchObject({ summary: "lost update: T3 and T4 both read x = 1 (written by T0) and both wrote x", transactions: ["T3", "T4"], read: 1 });
  });

  test("a version nobody wrote is shown without a writer, and not as the initial one", () => {
    const x = keyOf("x", "register", [[1, 2], [2, 3]]);
    expect(findLostUpdate([access(1, x, [9], 2), access(2, x, [9], 3)], transactions)?.summary).toBe("lost update: T1 and T2 both read x = 9 and both wrote x");
  });

  test("two appenders after the same list content", () => {
    const list = keyOf("l", "list", [[0, 1], [0, 2], [1, 3], [2, 4]]);
    expect(findLostUpdate([access(1, list, [1, 2], 3), access(2, list, [1, 2], 4)], transactions)).toMatchObject({
      summary: "lost update: T1 and T2 both read l = [1, 2] (written by T0) and both appended to l",
      read: [1, 2],
    });
  });

  test("different versions, or the same version of different keys, lose nothing", () => {
    const x = keyOf("x", "register", [[0, 1], [1, 2], [2, 3]]);
    const y = keyOf("y", "register", [[3, 4], [4, 5]]);
    expect(findLostUpdate([access(1, x, [1], 2), access(2, x, [2], 3)], transactions)).toBeUndefined();
    expect(findLostUpdate([access(3, y, [], 4), access(1, x, [], 2)], transactions)).toBeUndefined();
  });
});
