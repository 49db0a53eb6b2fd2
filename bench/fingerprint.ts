// A fingerprint of every seeded result, for changes that must not move any: every built-in
// variant, seeds 0..199 (swarm faults), each seed's physical hash, logical hash, verdict and broken
// invariants, hashed together per variant and over all. Run it before and after a change to the
// kernel, the world or the recording; any difference in its last line is a change of behaviour.
//
//   node --import tsx bench/fingerprint.ts [seedCount]      (prints one line per variant, then the total)

import { createHash } from "node:crypto";
import { sweep } from "../src/index.ts";
import { scenarios } from "../scenarios/index.ts";

const seedCount = Number(process.argv[2] ?? 200);
const total = createHash("sha256");
for (const scenario of scenarios) {
  for (const variant of scenario.variants) {
    const result = sweep({ scenario, variant: variant.name, seedFrom: 0, seedCount, faults: "swarm" });
    const hash = createHash("sha256");
    for (const outcome of result.outcomes) {
      hash.update(`${outcome.seed} ${outcome.physicalHash} ${outcome.logicalHash} ${outcome.verdict} ${outcome.events} ${outcome.broken.join(",")}\n`);
    }
    hash.update(`first ${result.firstDivergence?.seed ?? "none"} trouble ${JSON.stringify(result.scenarioError ?? null)}\n`);
    const digest = hash.digest("hex").slice(0, 16);
    total.update(`${scenario.name}/${variant.name} ${digest}\n`);
    console.log(`${scenario.name}/${variant.name} ${digest} (${result.outcomes.length} seeds, first divergence ${result.firstDivergence?.seed ?? "none"})`);
  }
}
console.log(`total ${total.digest("hex")}`);
