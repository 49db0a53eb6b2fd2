// The canonical hash's digests are pinned: every replay file, summary and doc quoting a physical or
// logical hash depends on them, so a faster Hasher must give these exact digests (they were
// computed by the Hasher before its string loop and hex formatting were rewritten).

import { describe, expect, test } from "vitest";
import { hashJson, Hasher } from "../../src/core/hash.ts";
import type { Json } from "../../src/core/json.ts";

const VALUES: readonly Json[] = [null, true, false, 0, -1, 2 ** 31, 0.5, "", "a", "ü€😀", [1, [2, "x"]], { b: 1, a: [null, { c: "d" }] }, { value: 3 }, "x".repeat(300)];
const DIGESTS = [
  "5775e61f2da02801", "98c8bfede8f5491e", "6b4327a6ba6c70be", "1309e07dda704033", "5a3a546c971d2724", "bf24f02defc08ce1", "b7ecf5741c31b8f7",
  "238c8359e755fae9", "c0cac01521184398", "ff5939cbae987a5a", "df001cfd0473772a", "03325584d6090032", "2c79520feb64d756", "1749d5d74091b722",
];

describe("the canonical hash", () => {
  test("gives the pinned digest of each value (leading zeros kept: 16 hex digits)", () => {
    expect(VALUES.map((value) => hashJson(value))).toEqual(DIGESTS);
  });

  test("gives the pinned digest of a long run of integers and strings", () => {
    const hasher = new Hasher();
    for (let index = 0; index < 1000; index++) hasher.integer(index * 7919).string(`node-${index}`);
    expect(hasher.digest()).toBe("56ba9983ef328abf");
  });

  test("keys in any order hash alike; a different value does not", () => {
    expect(hashJson({ a: 1, b: [2, 3] })).toBe(hashJson({ b: [2, 3], a: 1 }));
    expect(hashJson({ a: 1, b: [2, 3] })).not.toBe(hashJson({ a: 1, b: [3, 2] }));
  });
});
