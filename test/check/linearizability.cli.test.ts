// `dsim check linearizable FILE` end to end, in process through main() (and one real process, for
// a TypeScript model file): exit 0 linearizable, 1 not (with the operations), 2 one line for a bad
// file or option, 4 a model of the user's that throws, 5 unknown when a budget runs out; the
// formats (dsim's JSON with compare-and-set, Jepsen logs, EDN) and the models (kv, register, a file).

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runCli, spawnCli, temporaryFolder } from "../fixtures/cli.ts";

const check = (args: readonly string[]) => runCli(["check", "linearizable", ...args]);

function historyFile(content: string, name = "history.json"): string {
  const file = join(temporaryFolder(), name);
  writeFileSync(file, content);
  return file;
}

const STALE_READ = JSON.stringify({
  operations: [
    { client: "c1", call: 0, return: 10, op: "put", key: "x", value: "1" },
    { client: "c1", call: 20, return: 30, op: "put", key: "x", value: "2" },
    { client: "c2", call: 40, return: 50, op: "get", key: "x", output: "1" },
  ],
});

/** 30 concurrent appends and a read no order of them makes: too big for a small budget. */
const APPENDS_AND_IMPOSSIBLE_READ = JSON.stringify([
  ...Array.from({ length: 30 }, (_unused, index) => ({ client: `c${index}`, call: index, return: 1000 + index, op: "append", key: "x", value: `<${index}>` })),
  { client: "r", call: 2000, return: 2010, op: "get", key: "x", output: "impossible" },
]);

/** A register with compare-and-set in dsim's JSON: the cas succeeded on a value overwritten before it. */
const REGISTER_HISTORY = (casOutput: boolean) =>
  JSON.stringify([
    { client: "c1", call: 0, return: 10, op: "write", value: 1 },
    { client: "c2", call: 20, return: 30, op: "cas", from: 1, to: 2, output: true },
    { client: "c3", call: 40, return: 50, op: "cas", from: 1, to: 3, output: casOutput },
    { client: "c4", call: 60, return: 70, op: "read", output: casOutput ? 3 : 2 },
  ]);

const JEPSEN_LOG = (lastRead: string) =>
  [
    "INFO  jepsen.util - 0\t:invoke\t:write\t1",
    "INFO  jepsen.util - 0\t:ok\t:write\t1",
    "INFO  jepsen.util - 1\t:invoke\t:cas\t[1 2]",
    "INFO  jepsen.util - 2\t:invoke\t:write\t4",
    "INFO  jepsen.util - 1\t:fail\t:cas\t[1 2]",
    "INFO  jepsen.util - 2\t:info\t:write\t4",
    "INFO  jepsen.util - 0\t:invoke\t:read\tnil",
    `INFO  jepsen.util - 0\t:ok\t:read\t${lastRead}`,
    "",
  ].join("\n");

const KV_EDN = (lastGet: string) =>
  [
    '{:process 0, :type :invoke, :f :append, :key "k", :value "a"}',
    '{:process 0, :type :ok, :f :append, :key "k", :value "a"}',
    '{:process 1, :type :invoke, :f :put, :key "k", :value "b"}',
    '{:process 1, :type :fail, :f :put, :key "k", :value "b"}',
    '{:process :nemesis, :type :info, :f :start, :value nil}',
    '{:process 2, :type :invoke, :f :get, :key "k", :value nil}',
    `{:process 2, :type :ok, :f :get, :key "k", :value ${lastGet}}`,
    "",
  ].join("\n");

describe("dsim check linearizable", () => {
  test("exit 0 for a linearizable history", async () => {
    const file = historyFile(JSON.stringify([{ client: "c1", call: 0, return: 10, op: "put", key: "x", value: "1" }, { client: "c2", call: 5, return: 8, op: "get", key: "x", output: null }]));
    const { code, stdout } = await check([file, "--model", "kv"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/linearizable \(2 operations, 1 partitions, \d+ steps\)/);
  });

  test("exit 1 and the operations that cannot be linearized, as JSON", async () => {
    const { code, stdout, stderr } = await check([historyFile(STALE_READ), "--model", "kv", "--json"]);
    expect(code).toBe(1);
    expect(stderr).toBe("");
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ verdict: "not-linearizable", model: "kv", format: "json", operations: 3, partitions: 1, explained: "minimal" });
    expect(report.violation.map((operation: { description: string }) => operation.description)).toEqual([
      'c1 put(x, "1") [0, 10]',
      'c1 put(x, "2") [20, 30]',
      'c2 get(x) → "1" [40, 50]',
    ]);
  });

  test("--no-explain reports the failing partition without minimizing it", async () => {
    const { code, stdout } = await check([historyFile(STALE_READ), "--no-explain", "--json"]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ verdict: "not-linearizable", explained: "off", explainSteps: 0 });
  });

  test("--explain-steps-max cuts the minimization short, and says so", async () => {
    const file = historyFile(JSON.stringify([
      { client: "c1", call: 0, return: 5, op: "put", key: "x", value: "0" },
      { client: "c1", call: 10, return: 20, op: "put", key: "x", value: "1" },
      { client: "c2", call: 11, return: 19, op: "put", key: "x", value: "2" },
      { client: "c1", call: 30, return: 40, op: "put", key: "x", value: "3" },
      { client: "c2", call: 50, return: 60, op: "get", key: "x", output: "1" },
    ]));
    const { code, stdout } = await check([file, "--explain-steps-max", "3"]);
    expect(code).toBe(1);
    expect(stdout).toContain("cut short by its step limit");
    expect(stdout).toContain("raise --explain-steps-max");
  });

  test("the register model: compare-and-set in dsim's JSON", async () => {
    expect((await check([historyFile(REGISTER_HISTORY(false)), "--model", "register"])).code).toBe(0);
    const failing = await check([historyFile(REGISTER_HISTORY(true)), "--model", "register"]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain("c3 cas(1, 3) → ok [40, 50]");
  });

  test("--format jepsen-log reads Porcupine's etcd logs: a cas that :fails found another value, an :info write may have happened", async () => {
    // The cas of 1 failed, so the write of 4 (never acknowledged) took effect before it: only 4 can be read.
    expect((await check([historyFile(JEPSEN_LOG("4"), "etcd.log"), "--format", "jepsen-log", "--model", "register"])).code).toBe(0);
    for (const value of ["1", "2"]) {
      const failing = await check([historyFile(JEPSEN_LOG(value), "etcd.log"), "--format", "jepsen-log", "--model", "register"]);
      expect(failing.code).toBe(1);
      expect(failing.stdout).toContain(`0 read() → ${value}`);
    }
  });

  test("--format edn reads Jepsen histories: a :fail did not happen, the nemesis is skipped; --initial sets a missing key's value", async () => {
    expect((await check([historyFile(KV_EDN('"a"'), "kv.edn"), "--format", "edn"])).code).toBe(0);
    expect((await check([historyFile(KV_EDN('"b"'), "kv.edn"), "--format", "edn"])).code).toBe(1);
    const initial = [
      '{:process 0, :type :invoke, :f :get, :key "k", :value nil}',
      '{:process 0, :type :ok, :f :get, :key "k", :value ""}',
    ].join("\n");
    expect((await check([historyFile(initial, "kv.edn"), "--format", "edn"])).code).toBe(1);
    expect((await check([historyFile(initial, "kv.edn"), "--format", "edn", "--initial", '""'])).code).toBe(0);
  });

  test("exit 5, unknown, when the step budget runs out: never a pass", async () => {
    const { code, stdout } = await check([historyFile(APPENDS_AND_IMPOSSIBLE_READ), "--steps-max", "1000"]);
    expect(code).toBe(5);
    expect(stdout).toContain("unknown: the search passed its limit of 1000 steps");
    expect(stdout).toContain("raise --steps-max");
  });

  test("exit 5, unknown, when the memory budget runs out, with the limit in JSON", async () => {
    const { code, stdout } = await check([historyFile(APPENDS_AND_IMPOSSIBLE_READ), "--memory-max-mb", "2", "--json"]);
    expect(code).toBe(5);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ verdict: "unknown", limit: "memory" });
    expect(report.memoryBytesPeak).toBeLessThanOrEqual(2 * 1024 * 1024);
  });

  test("a model of one's own from a file: exit 0 and 1 as its step says", async () => {
    const folder = temporaryFolder();
    const model = join(folder, "counter.mjs");
    writeFileSync(
      model,
      `export default {
        name: "counter",
        init: () => 0,
        step: (state, input, output) => input.op === "add" ? state + input.by : output === undefined || output === state ? state : undefined,
      };\n`,
    );
    const history = (seen: number) =>
      historyFile(JSON.stringify([{ client: "a", call: 0, return: 10, input: { op: "add", by: 2 } }, { client: "b", call: 20, return: 30, input: { op: "get" }, output: seen }]));
    expect((await check([history(2), "--model", model])).code).toBe(0);
    const failing = await check([history(3), "--model", model]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('b {"op":"get"} → 3 [20, 30]');
  });

  test("exit 4 and one line when the user's model throws, while checking or while loading", async () => {
    const folder = temporaryFolder();
    const throwing = join(folder, "throwing.mjs");
    writeFileSync(throwing, `export const model = { name: "bad", init: () => 0, step: () => { throw new Error("oops"); } };\n`);
    const broken = join(folder, "broken.mjs");
    writeFileSync(broken, `throw new Error("cannot start");\n`);
    const history = historyFile(JSON.stringify([{ call: 0, return: 1, input: 1 }]));
    for (const [model, message] of [[throwing, "model 'bad' threw"], [broken, "failed to load: cannot start"]] as const) {
      const { code, stderr } = await check([history, "--model", model]);
      expect(code).toBe(4);
      expect(stderr.split("\n")).toHaveLength(1);
      expect(stderr).toContain(message);
    }
  });

  test.each([
    ["a missing file", ["/nonexistent/history.json"], "does not exist"],
    ["a file that is not JSON", [historyFile("{ nope")], "is not valid JSON"],
    ["a malformed operation", [historyFile('[{"call": 0, "op": "get"}]')], "'key' must be a string"],
    ["an unknown field", [historyFile('[{"call": 0, "op": "get", "key": "x", "retrun": 5}]')], "unknown field 'retrun'"],
    ["a kv history read as a register", [historyFile(STALE_READ), "--model", "register"], `'op' must be "read", "write" or "cas"`],
    ["a cas without its outcome", [historyFile('[{"call": 0, "return": 1, "op": "cas", "from": 1, "to": 2}]'), "--model", "register"], "a completed cas needs 'output'"],
    ["an unknown model", [historyFile("[]"), "--model", "queue"], "unknown model 'queue'"],
    ["a model file that does not exist", [historyFile("[]"), "--model", "./nope.ts"], "does not exist"],
    ["a model file without a model", [historyFile("[]"), "--model", historyFile("export const x = 1;\n", "empty.mjs")], "does not export a model"],
    ["an --initial that is not JSON", [historyFile("[]"), "--initial", "nope"], "--initial must be a JSON value"],
    ["an unknown format", [historyFile("[]"), "--format", "csv"], "Invalid values"],
    ["a Jepsen log with a completion never invoked", [historyFile("INFO  jepsen.util - 3\t:ok\t:read\t1\n"), "--format", "jepsen-log", "--model", "register"], "never invoked"],
    ["an EDN line that is not a map", [historyFile("[1 2]\n"), "--format", "edn"], "expected one {...} operation map"],
    ["a step budget of zero", [historyFile("[]"), "--steps-max", "0"], "--steps-max must be at least 1"],
  ])("exit 2 and one line on stderr for %s", async (_what, args, message) => {
    const { code, stderr } = await check(args);
    expect(code).toBe(2);
    expect(stderr.split("\n")).toHaveLength(1);
    expect(stderr).toContain(message);
  });

  test("a TypeScript model file, as a real process", () => {
    const folder = temporaryFolder();
    const model = join(folder, "flag.ts");
    writeFileSync(
      model,
      `type Input = { readonly op: "set" } | { readonly op: "get" };
      export default {
        name: "flag",
        init: (): boolean => false,
        step: (state: boolean, input: Input, output: boolean | undefined): boolean | undefined =>
          input.op === "set" ? true : output === undefined || output === state ? state : undefined,
      };\n`,
    );
    const history = historyFile(JSON.stringify([{ call: 0, return: 10, input: { op: "set" } }, { call: 20, return: 30, input: { op: "get" }, output: false }]));
    const { code, stdout } = spawnCli(["check", "linearizable", history, "--model", model]);
    expect(code).toBe(1);
    expect(stdout).toContain("NOT linearizable");
  });
});
