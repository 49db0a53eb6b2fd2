// The history formats `dsim check linearizable` reads, each into the same operations: dsim's JSON
// (with compare-and-set, and `input` for a model of one's own), Jepsen logs (Porcupine's etcd
// histories) and EDN (Jepsen's histories, Porcupine's kv histories); and what each rejects.

import { describe, expect, test } from "vitest";
import { UsageError } from "../../src/core/errors.ts";
import { parseHistoryText, type HistoryFormat } from "../../src/check/historyFormats.ts";

const parse = (text: string, format: HistoryFormat) => parseHistoryText(text, format, "h");

describe("dsim's JSON", () => {
  test("reads kv and register operations, completed and never returned", () => {
    const text = JSON.stringify({
      operations: [
        { client: "c1", call: 0, return: 10, op: "put", key: "x", value: "1" },
        { client: "c2", call: 5, return: 12, op: "get", key: "x", output: null },
        { client: "c3", call: 7, return: null, op: "append", key: "x", value: "2" },
        { client: "c4", call: 8, return: 9, op: "cas", from: 1, to: 2, output: false },
        { call: 9, input: { op: "enqueue", value: [1] } },
      ],
    });
    expect(parse(text, "json")).toEqual([
      { client: "c1", input: { op: "put", key: "x", value: "1" }, callMs: 0, returnMs: 10 },
      { client: "c2", input: { op: "get", key: "x" }, output: null, callMs: 5, returnMs: 12 },
      { client: "c3", input: { op: "append", key: "x", value: "2" }, callMs: 7 },
      { client: "c4", input: { op: "cas", from: 1, to: 2 }, output: false, callMs: 8, returnMs: 9 },
      { client: "?", input: { op: "enqueue", value: [1] }, callMs: 9 },
    ]);
  });

  test.each([
    [{}, "expected"],
    [[1], "is not an object"],
    [[{ call: "0", op: "get", key: "x" }], "'call' must be a finite number"],
    [[{ call: 5, return: 1, op: "get", key: "x", output: null }], "is before 'call'"],
    [[{ call: 0, return: "1", op: "get", key: "x" }], "'return' must be a number or null"],
    [[{ call: 0, key: "x" }], "needs 'op'"],
    [[{ call: 0, op: "get", input: {} }], "not both"],
    [[{ call: 0, op: "get", key: "x", when: 3 }], "unknown field 'when'"],
  ])("rejects %j", (value, message) => {
    expect(() => parse(JSON.stringify(value), "json")).toThrow(UsageError);
    expect(() => parse(JSON.stringify(value), "json")).toThrow(message);
  });
});

describe("Jepsen logs (Porcupine's etcd format)", () => {
  const line = (process: number, type: string, f: string, value: string) => `INFO  jepsen.util - ${process}\t:${type}\t:${f}\t${value}`;

  test("reads :ok as completed, a :fail of a cas as completed and failed, :info and timed-out reads as never returned", () => {
    const text = [
      "2017-01-01 some other line",
      line(0, "invoke", "write", "3"),
      line(1, "invoke", "cas", "[3 4]"),
      line(2, "invoke", "read", "nil"),
      line(0, "ok", "write", "3"),
      line(1, "fail", "cas", "[3 4]"),
      line(2, "fail", "read", ":timed-out"),
      line(3, "invoke", "write", "1"),
      line(3, "info", "write", "1"),
      line(4, "invoke", "read", "nil"),
      line(4, "ok", "read", "nil"),
      line(5, "invoke", "cas", "[1 2]"),
    ].join("\n");
    expect(parse(text, "jepsen-log")).toEqual([
      { client: "0", input: { op: "write", value: 3 }, output: null, callMs: 1, returnMs: 4 },
      { client: "1", input: { op: "cas", from: 3, to: 4 }, output: false, callMs: 2, returnMs: 5 },
      { client: "2", input: { op: "read" }, callMs: 3 },
      { client: "3", input: { op: "write", value: 1 }, callMs: 7 },
      { client: "4", input: { op: "read" }, output: null, callMs: 9, returnMs: 10 },
      { client: "5", input: { op: "cas", from: 1, to: 2 }, callMs: 11 },
    ]);
  });

  test.each([
    [[line(0, "ok", "read", "1")], "never invoked"],
    [[line(0, "invoke", "read", "nil"), line(0, "invoke", "read", "nil")], "still open"],
    [[line(0, "invoke", "read", "nil"), line(0, "ok", "write", "1")], "completes :write but invoked :read"],
    [[line(0, "invoke", "cas", "3")], "a cas needs [from to]"],
    [[line(0, "invoke", "write", '"x"')], "cannot read the value"],
  ])("rejects %j", (lines, message) => {
    expect(() => parse(lines.join("\n"), "jepsen-log")).toThrow(UsageError);
    expect(() => parse(lines.join("\n"), "jepsen-log")).toThrow(message);
  });
});

describe("EDN (Jepsen histories, Porcupine's kv format)", () => {
  test("reads :ok as completed, leaves out a :fail, keeps an :info open, skips the nemesis", () => {
    const text = [
      '{:process 0, :type :invoke, :f :append, :key "8", :value "x 0 0 y"}',
      '{:process 0, :type :ok, :f :append, :key "8", :value "x 0 0 y"}',
      '{:process 1, :type :invoke, :f :put, :key "8", :value "b"}',
      '{:process :nemesis, :type :info, :f :start-partition, :value [:isolated {"n1" #{"n2" "n3"}}]}',
      '{:process 1, :type :fail, :f :put, :key "8", :value "b"}',
      '{:process 2, :type :invoke, :f :get, :key "8", :value nil}',
      '{:process 3, :type :invoke, :f :cas, :value [1 2]}',
      '{:process 2, :type :ok, :f :get, :key "8", :value "x 0 0 y\\"q\\""}',
      '#jepsen.history.Op{:index 8, :time 1234, :process 3, :type :info, :f :cas, :value [1 2]}',
      "",
    ].join("\n");
    expect(parse(text, "edn")).toEqual([
      { client: "0", input: { op: "append", key: "8", value: "x 0 0 y" }, output: null, callMs: 0, returnMs: 1 },
      { client: "2", input: { op: "get", key: "8" }, output: 'x 0 0 y"q"', callMs: 5, returnMs: 7 },
      { client: "3", input: { op: "cas", from: 1, to: 2 }, callMs: 6 },
    ]);
  });

  test.each([
    ["[1 2]", "expected one {...} operation map"],
    ['{:process 0, :type :invoke, :f :get, :key "x"', "unexpected end of line"],
    ['{:process 0, :type :invoke, :f :get, :key "x} ', "unterminated string"],
    ["{:process 0, :type :invoke, :f :get, :key @x}", "cannot read '@x'"],
    ["{:process 0, :type :invoke, :value 1}", "needs :f"],
    ["{:process 0, :type :done, :f :get}", ":type must be"],
    ["{:process 0, :type :invoke, :f :cas, :value 1}", "a cas needs :value [from to]"],
  ])("rejects %s", (text, message) => {
    expect(() => parse(text, "edn")).toThrow(UsageError);
    expect(() => parse(text, "edn")).toThrow(message);
  });
});
