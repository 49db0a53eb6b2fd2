// `dsim check serializable FILE [--level ...]` end to end, in process: exit 0 when the level
// holds, 1 with the anomaly and its cycle, 2 with one line naming the line and field of a bad
// file, 5 when a limit runs out before an answer.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { main } from "../../src/cli/main.ts";
import { captureIo } from "../captureIo.ts";

async function check(args: readonly string[]) {
  const io = captureIo();
  const code = await main(["check", "serializable", ...args], io);
  return { code, stdout: io.stdout.join("\n"), stderr: io.stderr.join("\n") };
}

function historyFile(lines: readonly unknown[]): string {
  const file = join(mkdtempSync(join(tmpdir(), "dsim-transactions-")), "history.jsonl");
  writeFileSync(file, lines.map((line) => (typeof line === "string" ? line : JSON.stringify(line))).join("\n") + "\n");
  return file;
}

const WRITE_SKEW = historyFile([
  { id: "T0", status: "committed", ops: [{ f: "w", key: "x", value: 0 }, { f: "w", key: "y", value: 0 }] },
  { id: "T1", client: "c1", status: "committed", ops: [{ f: "r", key: "x", value: 0 }, { f: "r", key: "y", value: 0 }, { f: "w", key: "x", value: 1 }] },
  "",
  { id: "T2", client: "c2", status: "committed", ops: [{ f: "r", key: "x", value: 0 }, { f: "r", key: "y", value: 0 }, { f: "w", key: "y", value: 2 }] },
]);

describe("dsim check serializable", () => {
  test("exit 1 with the anomaly and its cycle", async () => {
    const { code, stdout, stderr } = await check([WRITE_SKEW]);
    expect(code).toBe(1);
    expect(stderr).toBe("");
    expect(stdout).toContain("NOT serializable (3 transactions, 8 dependency edges):");
    expect(stdout).toContain("  write skew (G2-item): T1 -rw(y)-> T2 -rw(x)-> T1");
  });

  test("exit 0 when the level holds: snapshot isolation allows write skew", async () => {
    const { code, stdout } = await check([WRITE_SKEW, "--level", "snapshot"]);
    expect(code).toBe(0);
    expect(stdout).toContain("snapshot isolation holds (3 transactions, 8 dependency edges)");
  });

  test("--json prints one document with the verdict, the anomalies and their cycles", async () => {
    const { code, stdout } = await check([WRITE_SKEW, "--json"]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ file: WRITE_SKEW, property: "serializable", level: "serializable", verdict: "violated" });
    expect(report.anomalies[0].cycle).toEqual([
      { from: "T1", to: "T2", kind: "rw", key: "y" },
      { from: "T2", to: "T1", kind: "rw", key: "x" },
    ]);
  });

  test("exit 5 when a limit runs out before an answer, naming the option to raise", async () => {
    const { code, stdout } = await check([WRITE_SKEW, "--search-steps-max", "1"]);
    expect(code).toBe(5);
    expect(stdout).toContain("unknown: the cycle search passed searchStepsMax (1) steps; raise --search-steps-max");
    expect((await check([WRITE_SKEW, "--edges-max", "2", "--json"])).code).toBe(5);
    expect((await check([WRITE_SKEW, "--transactions-max", "2"])).code).toBe(5);
  });

  const good = { id: "T1", status: "committed", ops: [] };
  test.each([
    ["a missing file", ["/nonexistent/history.jsonl"], "history file '/nonexistent/history.jsonl' does not exist"],
    ["a line that is not JSON", [historyFile([good, "{ nope"])], "history.jsonl:2: not valid JSON"],
    ["a bad status", [historyFile([{ ...good, status: "done" }])], 'history.jsonl:1: status: must be "committed", "aborted" or "unknown"'],
    ["an operation without a key", [historyFile([{ ...good, ops: [{ f: "r", value: 1 }] }])], "history.jsonl:1: ops[0].key: must be a string"],
    ["an unknown operation", [historyFile([{ ...good, ops: [{ f: "cas", key: "x", value: 1 }] }])], 'history.jsonl:1: ops[0].f: must be "r", "w" or "append"'],
    [
      "a value written twice",
      [historyFile([{ ...good, ops: [{ f: "w", key: "x", value: 1 }] }, "", { ...good, id: "T2", ops: [{ f: "w", key: "x", value: 1 }] }])],
      "history.jsonl:3: ops[0].value: x = 1 is also written at line 1: writes must be unique per key",
    ],
    ["an unknown level", [WRITE_SKEW, "--level", "linearizable"], "unknown level 'linearizable' (known: serializable, snapshot, read-committed)"],
    ["a limit that is not a number", [WRITE_SKEW, "--edges-max", "lots"], "edges-max"],
  ])("exit 2 and one line on stderr for %s", async (_what, args, message) => {
    const { code, stdout, stderr } = await check(args);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.split("\n")).toHaveLength(1);
    expect(stderr).toContain(message);
  });
});
