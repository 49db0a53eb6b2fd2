// How often each fault kind strikes: for every built-in variant declared to hold, the faults that
// happened per run (fault decisions answered yes, by kind: core/tape.ts's DECISION_KINDS), averaged
// over seeds 0..N-1 under the default swarm profile. It counts decisions, not wall time, so it needs
// no floor: the figures are the same on any machine.
// Run: node --import tsx bench/faultKinds.ts [seeds=1000] [scenario ...]

import { DECISION_KINDS, isChance, type DecisionKind } from "../src/core/tape.ts";
import { computeReference, execute } from "../src/execution/execute.ts";
import { RandomChooser, RecordingChooser } from "../src/kernel/choosers.ts";
import { scenarios } from "../scenarios/index.ts";

const SEEDS_DEFAULT = 1000;

const [seedsArgument, ...names] = process.argv.slice(2);
const seedCount = seedsArgument === undefined ? SEEDS_DEFAULT : Number(seedsArgument);
if (!Number.isSafeInteger(seedCount) || seedCount < 1) {
  console.error(`seeds must be a positive integer, got ${seedsArgument}`);
  process.exit(2);
}

const FAULT_KINDS = (Object.keys(DECISION_KINDS) as DecisionKind[]).filter((kind) => isChance(kind));

console.log(`fault kinds hit per run, mean over seeds 0..${seedCount - 1}, faults swarm (columns with a hit only)`);
for (const scenario of scenarios) {
  if (names.length > 0 && !names.includes(scenario.name)) continue;
  for (const variant of scenario.variants) {
    if (variant.expect !== "holds") continue;
    const totals = new Map<DecisionKind, number>(FAULT_KINDS.map((kind) => [kind, 0]));
    const reference = computeReference({ scenario, variant: variant.name, workloadSeed: 0, sizes: {}, faults: "swarm", limits: {} });
    let divergences = 0;
    for (let seed = 0; seed < seedCount; seed++) {
      const recorder = new RecordingChooser(new RandomChooser(seed));
      const result = execute({ scenario, variant: variant.name, seed, chooser: recorder }, reference);
      if (result.verdict === "diverges") divergences++;
      for (const decision of recorder.asked) if (decision.value === 1 && isChance(decision.kind)) totals.set(decision.kind, totals.get(decision.kind)! + 1);
    }
    const columns = FAULT_KINDS.filter((kind) => totals.get(kind)! > 0).map((kind) => `${kind} ${(totals.get(kind)! / seedCount).toFixed(2)}`);
    const all = [...totals.values()].reduce((sum, count) => sum + count, 0) / seedCount;
    console.log(`${`${scenario.name}/${variant.name}`.padEnd(30)} all ${all.toFixed(2).padStart(6)}  ${columns.join("  ")}${divergences > 0 ? `  (${divergences} divergences)` : ""}`);
  }
}
