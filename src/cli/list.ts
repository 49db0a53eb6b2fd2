// `dsim list`: the built-in scenarios and their variants.

import { builtInScenarios } from "../explore/scenarios.ts";
import type { Io } from "./io.ts";

export function listCommand(options: { readonly json: boolean }, io: Io): number {
  const scenarios = builtInScenarios().map((scenario) => ({
    name: scenario.name,
    description: scenario.description,
    variants: scenario.variants.map(({ name, expect, description }) => ({ name, expect, description })),
  }));
  if (options.json) {
    io.out(JSON.stringify({ scenarios }, null, 2));
    return 0;
  }
  for (const scenario of scenarios) {
    io.out(`${io.color.bold(scenario.name)}  ${scenario.description}`);
    for (const variant of scenario.variants) {
      const expect = variant.expect === "holds" ? io.color.green("holds   ") : io.color.yellow("diverges");
      io.out(`  ${variant.name.padEnd(20)} ${expect} ${variant.description}`);
    }
  }
  return 0;
}
