// How deep the fault model reaches (issue 13): statistics, not timings. For each built-in correct
// Raft variant, elections per run averaged over N seeds (swarm faults, seeds from 0) and the share
// of runs with three or more; for every built-in broken variant, the seed of its first divergence
// within its seed budget (as `dsim sweep --expect` finds it, serially here).
//
// Run: node --import tsx bench/reach.ts [elections|divergence|all] [--seeds N] [--filter TEXT] [--faults FILE.json]

import { readFileSync } from "node:fs";
import { builtIns } from "../src/cli/registry.ts";
import { execute } from "../src/execution/execute.ts";
import { sweep } from "../src/explore/sweep.ts";
import { parseFaultSpec, type FaultSpec } from "../src/world/faults.ts";

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const index = args.indexOf(name);
  return index < 0 ? undefined : args[index + 1];
};
const what = args[0] !== undefined && !args[0].startsWith("--") ? args[0] : "all";
const seedCount = Number(option("--seeds") ?? 1000);
const filter = option("--filter") ?? "";
const faultsFile = option("--faults");
const faults: FaultSpec = faultsFile === undefined ? "swarm" : parseFaultSpec(JSON.parse(readFileSync(faultsFile, "utf8")), faultsFile);
/** Seeds for a broken variant that declares no budget. */
const SEEDS_DEFAULT = 1000;

if (what === "elections" || what === "all") {
  console.log(`elections per run, ${seedCount} seeds from 0, faults ${faultsFile ?? "swarm"}`);
  for (const { scenario } of builtIns()) {
    if (!scenario.name.startsWith("consensus")) continue;
    for (const variant of scenario.variants) {
      if (variant.expect !== "holds" || !`${scenario.name}/${variant.name}`.includes(filter)) continue;
      let elections = 0;
      let threeOrMore = 0;
      let diverged = 0;
      for (let seed = 0; seed < seedCount; seed++) {
        const result = execute({ scenario, variant: variant.name, seed, faults });
        const leaders = result.trace.filter((event) => event.kind === "note" && event.label === "leader").length;
        elections += leaders;
        if (leaders >= 3) threeOrMore++;
        if (result.verdict === "diverges") diverged++;
      }
      console.log(
        `  ${`${scenario.name}/${variant.name}`.padEnd(24)} ${(elections / seedCount).toFixed(2)} elections per run, ` +
          `${((100 * threeOrMore) / seedCount).toFixed(1)}% of runs with ≥ 3, ${diverged} diverged`,
      );
    }
  }
}

if (what === "divergence" || what === "all") {
  console.log(`seeds to first divergence (swarm faults, seeds from 0, within each variant's budget)`);
  for (const { scenario } of builtIns()) {
    for (const variant of scenario.variants) {
      const name = `${scenario.name}/${variant.name}`;
      if (variant.expect !== "diverges" || !name.includes(filter)) continue;
      const budget = variant.seedBudget ?? SEEDS_DEFAULT;
      const result = sweep({ scenario, variant: variant.name, seedCount: budget, stopAtFirstDivergence: true, faults });
      const first = result.firstDivergence;
      const caught = first === undefined ? `not caught in ${budget}` : `seed ${first.seed} (${first.seed + 1} seeds): ${[...new Set(first.violations.map((violation) => violation.invariant))].join(", ")}`;
      console.log(`  ${name.padEnd(40)} budget ${String(budget).padStart(5)}  ${caught}`);
    }
  }
}
