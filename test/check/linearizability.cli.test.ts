// `dsim check linearizable FILE --model kv` end to end, in process: exit 0 for a linearizable
// history, 1 with the operations that cannot be linearized, 2 with one line for a bad file.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Chalk } from "chalk";
import { describe, expect, test } from "vitest";
import { main } from "../../src/cli/main.ts";

async function check(args: readonly string[]) {
  const out: string[] = [];
  const errors: string[] = [];
  const code = await main(["check", "linearizable", ...args], { out: (text) => out.push(text), error: (text) => errors.push(text), color: new Chalk({ level: 0 }), isTerminal: false });
  return { code, stdout: out.join("\n"), stderr: errors.join("\n") };
}

function historyFile(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "dsim-history-")), "history.json");
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

describe("dsim check linearizable", () => {
  test("exit 0 for a linearizable history", async () => {
    const file = historyFile(JSON.stringify([{ client: "c1", call: 0, return: 10, op: "put", key: "x", value: "1" }, { client: "c2", call: 5, return: 8, op: "get", key: "x", output: null }]));
    const { code, stdout } = await check([file, "--model", "kv"]);
    expect(code).toBe(0);
    expect(stdout).toContain("linearizable (2 operations, 1 keys)");
  });

  test("exit 1 and the operations that cannot be linearized, as JSON", async () => {
    const { code, stdout, stderr } = await check([historyFile(STALE_READ), "--model", "kv", "--json"]);
    expect(code).toBe(1);
    expect(stderr).toBe("");
    const report = JSON.parse(stdout);
    expect(report.verdict).toBe("not-linearizable");
    expect(report.violation.map((operation: { description: string }) => operation.description)).toEqual([
      'c1 put(x, "1") [0, 10]',
      'c1 put(x, "2") [20, 30]',
      'c2 get(x) → "1" [40, 50]',
    ]);
  });

  test.each([
    ["a missing file", ["/nonexistent/history.json"], "does not exist"],
    ["a file that is not JSON", [historyFile("{ nope")], "is not valid JSON"],
    ["a malformed operation", [historyFile('[{"call": 0, "op": "get"}]')], "'key' must be a string"],
    ["an unknown model", [historyFile("[]"), "--model", "queue"], "unknown model 'queue'"],
  ])("exit 2 and one line on stderr for %s", async (_what, args, message) => {
    const { code, stderr } = await check(args);
    expect(code).toBe(2);
    expect(stderr.split("\n")).toHaveLength(1);
    expect(stderr).toContain(message);
  });
});
