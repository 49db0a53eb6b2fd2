// Sweeps on worker threads give the serial sweep's JSON apart from timings; the determinism
// self-check re-executes seeds on another thread and reports a scenario that depends on where it
// runs as non-determinism (exit 3), never as a pass or a divergence.

import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { captureIo } from "../captureIo.ts";
import { filesUnder } from "../fixtures/cli.ts";

async function dsim(...argv: string[]) {
  const io = captureIo();
  const code = await main(argv, io);
  return { code, io, json: () => JSON.parse(io.stdout.join("\n")) };
}

/** The summary without what depends on the clock or the output folder. */
function comparable(summary: unknown, out: string): unknown {
  const text = JSON.stringify(summary).replaceAll(out, "OUT");
  return JSON.parse(text, (key, value) => (key === "wallSeconds" || key === "eventsPerSecond" ? undefined : value));
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), "dsim-parallel-"));
}

describe("parallel sweeps", () => {
  // Every variant of two scenarios, holds and diverges alike; the identity does not depend on
  // which scenario (`npm start` sweeps --all on workers).
  for (const scenario of ["delivery", "idempotency"]) {
    it(`--workers 2 gives the serial JSON, sweeping and in CI mode (first divergence = lowest seed): ${scenario}`, async () => {
      for (const mode of [["--seeds", "60", "--no-shrink"], ["--expect", "--seeds", "40", "--from", "3"]]) {
        const serialOut = scratch();
        const parallelOut = scratch();
        const serial = await dsim("sweep", scenario, ...mode, "--workers", "1", "--out", serialOut, "--json");
        const parallel = await dsim("sweep", scenario, ...mode, "--workers", "2", "--out", parallelOut, "--json");
        expect(parallel.code).toBe(serial.code);
        expect(comparable(parallel.json(), parallelOut)).toEqual(comparable(serial.json(), serialOut));
      }
    });
  }

  it("--workers 2 prints and writes what --workers 1 does, byte for byte but for timings, shrinks included", async () => {
    const runs = [];
    for (const workers of ["1", "2"]) {
      const out = scratch();
      const run = await dsim("sweep", "delivery", "--seeds", "100", "--workers", workers, "--out", out);
      const files = filesUnder(out).filter((file) => file.endsWith(".replay.json") || file.endsWith(".jsonl"));
      const timings = (text: string) => text.replaceAll(out, "OUT").replace(/\d+ events\/s/g, "N events/s").replace(/ in [\d.]+ s\b/g, " in T s");
      runs.push({ code: run.code, stdout: timings(run.io.stdout.join("\n")), stderr: run.io.stderr.join("\n"), files: Object.fromEntries(files.map((file) => [file, readFileSync(join(out, file), "utf8")])) });
    }
    expect(runs[0]!.stdout).toContain("shrunk delivery/");
    expect(Object.keys(runs[0]!.files).length).toBeGreaterThan(2);
    expect(runs[1]).toEqual(runs[0]);
  });

  it("--check-determinism re-executes a sample of seeds on another thread and finds them equal", async () => {
    const run = await dsim("sweep", "delivery", "--variant", "retry-set", "--seeds", "40", "--workers", "2", "--check-determinism", "--out", scratch(), "--json");
    expect(run.code).toBe(0);
    expect(run.json().determinism).toEqual({ checkedSeeds: 4, mismatches: [] });
  });

  it("reports a scenario that depends on its thread as non-determinism, with the event where the traces part", async () => {
    for (const workers of ["1", "2"]) {
      const run = await dsim("sweep", "test/fixtures/threadLeak.ts", "--variant", "leaky", "--size", "leak=1", "--seeds", "4", "--expect", "--workers", workers, "--check-determinism", "--out", scratch(), "--json");
      expect(run.code).toBe(3);
      const summary = run.json();
      expect(summary.verdict).toBe("nondeterministic");
      expect(summary.expectationMet).toBe(false);
      expect(summary.divergences).toBe(0);
      expect(summary.determinism.checkedSeeds).toBe(4);
      const mismatch = summary.determinism.mismatches[0];
      expect(mismatch.physicalHashes[0]).not.toBe(mismatch.physicalHashes[1]);
      expect(mismatch.firstParting.first).toMatchObject({ kind: "note", label: "thread" });
      expect(mismatch.firstParting.second).toMatchObject({ kind: "note", label: "thread" });
      expect(mismatch.firstParting.first.value).not.toBe(mismatch.firstParting.second.value);
    }
  });

  it("the same scenario passes without the check: only the check can see it", async () => {
    const run = await dsim("sweep", "test/fixtures/threadLeak.ts", "--variant", "leaky", "--size", "leak=1", "--seeds", "4", "--expect", "--workers", "1", "--out", scratch(), "--json");
    expect(run.code).toBe(0);
    expect(run.json().determinism).toBeNull();
  });
});
