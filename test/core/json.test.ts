// The JSON boundary's checker (core/json.ts): every JSON value passes and is copied deep and frozen;
// every value that is not JSON is named with its path, whatever holds it and however deep.

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { frozenJsonCopy, JsonProblem, jsonProblemOf, type Json } from "../../src/core/json.ts";
import { buriedNotJson } from "../fixtures/notJson.ts";

function copied(value: unknown): Json {
  const copy = frozenJsonCopy(value);
  if (copy instanceof JsonProblem) throw new Error(`a JSON value was refused: ${copy.describe()}`);
  return copy;
}

function isDeepFrozen(value: unknown): boolean {
  if (value === null || typeof value !== "object") return true;
  return Object.isFrozen(value) && Object.values(value).every(isDeepFrozen);
}

describe("the JSON checker", () => {
  test("a JSON value passes, and its copy is equal, deep-frozen and shares nothing mutable with it", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(jsonProblemOf(value)).toBeUndefined();
        const copy = copied(value);
        expect(copy).toStrictEqual(value);
        expect(isDeepFrozen(copy)).toBe(true);
        if (value !== null && typeof value === "object") expect(copy).not.toBe(value);
      }),
    );
  });

  test("a value that is not JSON is named with its path and what is there, copying or not", () => {
    fc.assert(
      fc.property(buriedNotJson, ({ value, path, found }) => {
        expect(jsonProblemOf(value)).toEqual(new JsonProblem(path, found));
        expect(frozenJsonCopy(value)).toEqual(new JsonProblem(path, found));
      }),
    );
  });

  test("hand-built cases: nested paths, holes, shared (acyclic) values, null prototypes", () => {
    expect(jsonProblemOf({ balances: [1, 2, new Set()] })?.describe()).toBe("$.balances[2] is a Set");
    expect(jsonProblemOf({ "a b": { c: [undefined] } })?.describe()).toBe('$["a b"].c[0] is undefined');
    // eslint-disable-next-line no-sparse-arrays
    expect(jsonProblemOf([1, , 3])?.describe()).toBe("$[1] is undefined");
    const shared = { x: 1 };
    expect(jsonProblemOf({ a: shared, b: [shared, shared] })).toBeUndefined();
    expect(jsonProblemOf(Object.assign(Object.create(null), { a: 1 }))).toBeUndefined();
    expect(jsonProblemOf(new (class Ledger {})())?.describe()).toBe("$ is an instance of Ledger");
  });

  test("a value deeper than the fast walk goes is checked and copied all the same; a deep cycle is found", () => {
    let deep: Json = [];
    for (let level = 0; level < 500; level++) deep = { next: deep };
    expect(jsonProblemOf(deep)).toBeUndefined();
    const copy = copied(deep);
    expect(copy).toStrictEqual(deep);
    expect(isDeepFrozen(copy)).toBe(true);
    const loop: Record<string, unknown> = {};
    let tail = loop;
    for (let level = 0; level < 100; level++) tail = tail.next = {};
    tail.next = loop;
    expect(frozenJsonCopy(loop)).toEqual(new JsonProblem(`$${".next".repeat(101)}`, "a cycle (back to $)"));
  });

  test("a key named __proto__ is copied as a key, not as a prototype", () => {
    const copy = copied(JSON.parse('{"__proto__": {"polluted": true}, "a": 1}'));
    expect(Object.keys(copy as object)).toEqual(["__proto__", "a"]);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
