// Which targeted nemesis a broken variant's divergences need (issue 13): statistics, not timings.
// Runs one variant over a seed range under swarm faults (or a `"base": "swarm"` profile file), and
// for each divergent seed re-runs it once with each targeted nemesis turned off (its probability
// fixed at 0, every other draw of the seed unchanged). A nemesis is *needed* at a seed when the seed
// holds without it; `-` means the seed diverges with any one of them off: plain faults (or two
// nemeses standing in for each other) reach it. A variant that only nemesis N catches has N needed
// at every divergent seed, and still no divergence over many seeds of a sweep with N at 0.
//
// Run: node --import tsx bench/nemesisNeeds.ts SCENARIO VARIANT [--from N] [--seeds N] [--faults FILE.json]

import { readFileSync } from "node:fs";
import { builtIns } from "../src/cli/registry.ts";
import { execute } from "../src/execution/execute.ts";
import { parseFaultSpec, type FaultSpec } from "../src/world/faults.ts";

/** The targeted nemeses' fields, in swarm draw order. */
const NEMESES = ["leaderCrashProbability", "leaderIsolateProbability", "voterIsolateProbability", "leaderChurnProbability", "leaderSendChurnProbability"] as const;

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const index = args.indexOf(name);
  return index < 0 ? undefined : args[index + 1];
};
const [scenarioName, variant] = args;
const entry = builtIns().find(({ scenario }) => scenario.name === scenarioName);
if (entry === undefined || variant === undefined || !entry.scenario.variants.some((known) => known.name === variant)) {
  console.error("usage: node --import tsx bench/nemesisNeeds.ts SCENARIO VARIANT [--from N] [--seeds N] [--faults FILE.json]");
  process.exit(2);
}
const scenario = entry.scenario;
const from = Number(option("--from") ?? 0);
const seedCount = Number(option("--seeds") ?? 1000);
const faultsFile = option("--faults");
const fixed: Record<string, unknown> = faultsFile === undefined ? {} : (JSON.parse(readFileSync(faultsFile, "utf8")) as Record<string, unknown>);
const spec = (off?: string): FaultSpec => parseFaultSpec({ base: "swarm", ...fixed, ...(off === undefined ? {} : { [off]: 0 }) }, faultsFile ?? "swarm");

const swarm = spec();
const withoutEach = NEMESES.map((field) => ({ field, faults: spec(field) }));
const neededCounts = new Map<string, number>();
let divergent = 0;
let plain = 0;
console.log(`${scenario.name}/${variant}: seeds ${from}..${from + seedCount - 1}, faults ${faultsFile ?? "swarm"}`);
for (let seed = from; seed < from + seedCount; seed++) {
  const result = execute({ scenario, variant, seed, faults: swarm });
  if (result.verdict !== "diverges") continue;
  divergent++;
  const needed = withoutEach.filter(({ faults }) => execute({ scenario, variant, seed, faults }).verdict !== "diverges").map(({ field }) => field.replace("Probability", ""));
  if (needed.length === 0) plain++;
  const key = needed.length === 0 ? "-" : needed.join(" + ");
  neededCounts.set(key, (neededCounts.get(key) ?? 0) + 1);
  const invariants = [...new Set(result.violations.map((violation) => violation.invariant))].join(", ");
  console.log(`  seed ${seed}: ${invariants}; needs ${key}`);
}
console.log(`${divergent} divergent of ${seedCount}; ${plain} need no single nemesis`);
for (const [key, count] of [...neededCounts].sort((a, b) => b[1] - a[1])) console.log(`  ${String(count).padStart(5)}  needs ${key}`);
