// The two-phase-commit scenario through the CLI: an execution whose meaning differs from the
// reference, admissibly, is printed as holding. (Apart from two-phase-commit.test.ts: the CLI runs
// executions on worker threads, which the mutation run's mutant cannot reach.)

import { describe, expect, test } from "vitest";
import { computeReference, execute } from "../../src/index.ts";
import twoPhaseCommit from "../../scenarios/two-phase-commit/index.ts";
import { runCli, temporaryFolder } from "../fixtures/cli.ts";

describe("two-phase-commit from the CLI", () => {
  test("dsim run --json says an execution that means something other than the reference holds, admissibly", async () => {
    const reference = computeReference({ scenario: twoPhaseCommit, variant: "abort-on-timeout", workloadSeed: 0, sizes: {}, faults: "none", limits: {} });
    const seed = Array.from({ length: 50 }, (_, seed) => seed).find((seed) => execute({ scenario: twoPhaseCommit, variant: "abort-on-timeout", seed }, reference).logicalHash !== reference.logicalHash)!;
    expect(seed).toBeDefined();
    const run = await runCli(["run", "two-phase-commit", "--seed", String(seed), "--json", "--out", temporaryFolder()]);
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout);
    expect(printed).toMatchObject({ verdict: "holds", admissible: true, violations: [] });
    expect(printed.logicalHash).not.toBe(reference.logicalHash);
  });
});
