// The identity and display of transactional values (src/check/transactions/history.ts): 1 and "1"
// are different values of a key, an id turns back into the value it came from, a value prints as a
// person reads it (nil for never written), and the isolation levels are the three documented ones.

import { describe, expect, test } from "vitest";
import { describeValue, ISOLATION_LEVELS, TransactionHistoryError, valueId, valueOf } from "../../src/check/transactions/history.ts";
import { UsageError } from "../../src/core/errors.ts";

describe("transactional values", () => {
  test("a number and the string of its digits have different ids", () => {
    expect(valueId(1)).toBe("n1");
    expect(valueId("1")).toBe("s1");
    expect(valueId("n1")).toBe("sn1");
  });

  test("an id turns back into the value it came from, type and all", () => {
    for (const value of [0, -2.5, 17, "", "1", "n3", "abc"]) expect(valueOf(valueId(value))).toBe(value);
    expect(valueOf("sxyz")).toBe("xyz");
    expect(valueOf("n42")).toBe(42);
  });

  test("values print as a person reads them", () => {
    expect(describeValue(null)).toBe("nil");
    expect(describeValue(3)).toBe("3");
    expect(describeValue("a")).toBe('"a"');
    expect(describeValue([1, "b"])).toBe('[1, "b"]');
    expect(describeValue([])).toBe("[]");
  });

  test("the isolation levels, strongest first", () => {
    expect(ISOLATION_LEVELS).toEqual(["serializable", "snapshot", "read-committed"]);
  });

  test("a malformed history is a usage error named for what it is", () => {
    const error = new TransactionHistoryError("line 3: 'id' missing");
    expect(error).toBeInstanceOf(UsageError);
    expect(error.name).toBe("TransactionHistoryError");
    expect(error.message).toBe("line 3: 'id' missing");
  });
});
