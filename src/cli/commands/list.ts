// `dsim list`: the built-in scenarios and their variants.

import { defineCommand } from "../command.ts";
import { EXIT_HOLDS } from "../exitCodes.ts";
import { JSON_OPTION } from "../options.ts";
import { builtInScenarios } from "../registry.ts";

export const listCommand = defineCommand({
  command: "list",
  describe: "List the built-in scenarios and their variants",
  builder: (yargs) => yargs.option("json", JSON_OPTION).example("dsim list --json", "scenarios, variants and what each declares"),
  run(args, io) {
    const scenarios = builtInScenarios().map((scenario) => ({
      name: scenario.name,
      description: scenario.description,
      variants: scenario.variants.map(({ name, expect, description }) => ({ name, expect, description })),
    }));
    if (args.json) {
      io.out(JSON.stringify({ scenarios }, null, 2));
      return EXIT_HOLDS;
    }
    for (const scenario of scenarios) {
      io.out(`${io.color.bold(scenario.name)}  ${scenario.description}`);
      for (const variant of scenario.variants) {
        const expect = variant.expect === "holds" ? io.color.green("holds   ") : io.color.yellow("diverges");
        io.out(`  ${variant.name.padEnd(20)} ${expect} ${variant.description}`);
      }
    }
    return EXIT_HOLDS;
  },
});
