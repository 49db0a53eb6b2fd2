// Canonical hashing of any value a node state may hold (kernel/stateHash.ts): what the exhaustive
// explorer compares to recognise a state it has seen. Two values a handler could tell apart must
// hash apart (else the explorer prunes a state it never explored); equal-looking values hash equal
// (else it explores one state many times).

import { describe, expect, test } from "vitest";
import { Hasher } from "../../src/core/hash.ts";
import { hashAnyValue } from "../../src/kernel/stateHash.ts";

const hash = (value: unknown): string => hashAnyValue(new Hasher(), value).digest();

class Account {
  constructor(readonly balance: number) {}
}
class Ledger {
  constructor(readonly balance: number) {}
}

describe("values a handler could tell apart hash apart", () => {
  test.each([
    ["undefined and null", undefined, null],
    ["a bigint and the number", 1n, 1],
    ["a bigint and its text", 1n, "1"],
    ["two bigints", 1n, 2n],
    ["a function and its name", function tick() {}, "tick"],
    ["two functions by name", function tick() {}, function tock() {}],
    ["a symbol and its description's text", Symbol("s"), "Symbol(t)"],
    ["an instance and a plain object", new Account(5), { balance: 5 }],
    ["instances of two classes", new Account(5), new Ledger(5)],
    ["where an array ends", [[1], 2], [[1, 2]]],
    ["an empty array and an empty object", [], {}],
    ["where an object ends", [{ a: 1 }, 2], [{ a: 1, b: 2 }]],
    ["a key and its value", { a: "b" }, { b: "a" }],
    ["a Map's key and value", new Map([["k", "v"]]), new Map([["v", "k"]])],
    ["a Map and the list of its entries", new Map([[1, 2]]), [[1, 2]]],
    ["a Set and a Map", new Set(), new Map()],
    ["where a Set ends", [new Set([1]), 2], [new Set([1, 2])]],
    ["where a Map ends", [new Map([[1, 1]]), 2], [new Map([[1, 1], [2, undefined]])]],
    ["a cycle and a value", (() => { const node: Record<string, unknown> = {}; node.next = node; return node; })(), { next: {} }],
  ])("%s", (_what, one, other) => {
    expect(hash(one)).not.toBe(hash(other));
  });
});

describe("equal-looking values hash equal", () => {
  test("instances of one class with equal fields, objects in any key order, a value seen twice that is no cycle", () => {
    expect(hash(new Account(5))).toBe(hash(new Account(5)));
    expect(hash({ b: new Map([[1, new Set(["x"])]]), a: [1n] })).toBe(hash({ a: [1n], b: new Map([[1, new Set(["x"])]]) }));
    const shared = { value: 1 };
    // The same object twice, side by side, is not a cycle: it hashes as two copies would.
    expect(hash([shared, shared])).toBe(hash([{ value: 1 }, { value: 1 }]));
    expect(hash(Object.create(null) as object)).toBe(hash(Object.create(null) as object));
    // A prototype without a constructor (made from a null-prototype object) is still hashed, by its fields.
    const orphan = (balance: number) => Object.assign(Object.create(Object.create(null) as object) as object, { balance });
    expect(hash(orphan(1))).toBe(hash(orphan(1)));
    expect(hash(orphan(1))).not.toBe(hash(orphan(2)));
  });
});
