// A sweep's counts against hashes collected independently, seed by seed with `execute`: distinct
// physical and logical traces (many, for a broken variant), admissible and not; and with
// `varyWorkload` (one logical input per seed), distinct logical traces are the largest count per
// logical input, not their sum and not the number of inputs. `holds` variants keep one logical
// trace per input when the workload varies too.

import { describe, expect, test } from "vitest";
import delivery from "../../scenarios/delivery.ts";
import idempotency from "../../scenarios/idempotency/index.ts";
import twoPhaseCommit from "../../scenarios/two-phase-commit/index.ts";
import { computeReference, execute } from "../../src/execution/execute.ts";
import { sweep } from "../../src/explore/sweep.ts";

const SEEDS = 60;

describe("distinct traces, against hashes collected seed by seed", () => {
  test("delivery/append: the sweep counts exactly the distinct physical and logical hashes its seeds have", () => {
    const physical = new Set<string>();
    const logical = new Set<string>();
    const reference = computeReference({ scenario: delivery, variant: "append", workloadSeed: 0, sizes: {}, faults: "swarm", limits: {} });
    for (let seed = 0; seed < SEEDS; seed++) {
      const result = execute({ scenario: delivery, variant: "append", seed, faults: "swarm" });
      physical.add(result.physicalHash);
      logical.add(result.logicalHash);
    }
    // Enough distinct outcomes that a count of workloads (1) or anything else small would not pass.
    expect(logical.size).toBeGreaterThan(5);
    const swept = sweep({ scenario: delivery, variant: "append", seedCount: SEEDS, faults: "swarm" });
    expect(swept.physicalTraces).toBe(physical.size);
    expect(swept.logicalTraces).toBe(logical.size);
    // No admissible relation: only the reference is admissible (when some seed met it).
    const admissible = logical.has(reference.logicalHash) ? 1 : 0;
    expect(swept.admissibleLogicalTraces).toBe(admissible);
    expect(swept.inadmissibleLogicalTraces).toBe(logical.size - admissible);
  });
});

describe("--vary-workload: the largest count per logical input", () => {
  test("each seed meets its own logical input: one logical trace per input, though the inputs mean many things", () => {
    const swept = sweep({ scenario: idempotency, variant: "naive", seedCount: 30, faults: "swarm", varyWorkload: true });
    expect(swept.outcomes.map((outcome) => outcome.workloadSeed)).toEqual(swept.outcomes.map((outcome) => outcome.seed));
    const distinct = new Set(swept.outcomes.map((outcome) => outcome.logicalHash));
    expect(distinct.size).toBeGreaterThan(10);
    expect(swept.logicalTraces).toBe(1);
    expect(swept.divergences).toBeGreaterThan(0);
  });

  test("each seed is judged against its own input's reference: a correct variant holds on all of them", () => {
    for (const [scenario, variant] of [[idempotency, "keyed"], [delivery, "retry-set"], [twoPhaseCommit, "abort-on-timeout"]] as const) {
      const swept = sweep({ scenario, variant, seedCount: 30, faults: "swarm", varyWorkload: true });
      expect(swept.divergences, `${scenario.name}/${variant}`).toBe(0);
      expect(swept.logicalTraces, `${scenario.name}/${variant}`).toBe(1);
      expect(swept.seedsRun).toBe(30);
    }
  });

  test("the idempotency workload does vary: its references differ between inputs", () => {
    const references = new Set(Array.from({ length: 10 }, (_, workloadSeed) =>
      computeReference({ scenario: idempotency, variant: "keyed", workloadSeed, sizes: {}, faults: "swarm", limits: {} }).logicalHash));
    expect(references.size).toBeGreaterThan(5);
  });
});
