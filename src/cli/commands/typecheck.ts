// `dsim typecheck FILE…`: type-checks scenario files against this dsim's types, with the user's
// tsconfig.json when there is one (explore/typecheck.ts). Exit 0 without errors; 4 with errors
// (the scenario is broken), each on its own line on stdout; 2 when TypeScript is not installed or
// a file does not exist.

import { typecheckFiles } from "../../explore/typecheck.ts";
import { defineCommand } from "../command.ts";
import { EXIT_HOLDS, EXIT_SCENARIO } from "../exitCodes.ts";
import { JSON_OPTION } from "../options.ts";
import { checkedWith, diagnosticLines } from "../typecheckScenario.ts";

export const typecheckCommand = defineCommand({
  command: "typecheck <files..>",
  describe: "Type-check scenario files against dsim's types (with your tsconfig.json, if any)",
  builder: (yargs) =>
    yargs
      .positional("files", { type: "string", array: true, demandOption: true, describe: "scenario files (.ts), and what they import" })
      .option("json", JSON_OPTION)
      .epilogue(
        "`import … from \"dsim\"` is checked against the dsim that runs the check, installed in the project or not. " +
          "The compiler options are those of the tsconfig.json nearest the first file (its include list aside), else strict defaults for an ES module on Node 20. " +
          "TypeScript comes from the scenario's project, else from beside dsim: dsim does not install it (npm install --save-dev typescript). " +
          "Exit 0: no type errors; 4: type errors, one per line; 2: no TypeScript, or no such file.",
      )
      .example("dsim typecheck ./my-scenario.ts", "errors as file:line:column - error TS2322: …")
      .example("dsim sweep ./my-scenario.ts --typecheck --expect", "check, then sweep only if it type-checks"),
  async run(args, io) {
    const result = await typecheckFiles(args.files as string[]);
    const errors = result.diagnostics.length;
    if (args.json) {
      io.out(JSON.stringify({ ...result, errors }, null, 2));
      return errors === 0 ? EXIT_HOLDS : EXIT_SCENARIO;
    }
    for (const line of diagnosticLines(result)) io.out(line);
    const files = result.files.join(", ");
    io.out(errors === 0 ? `${files}: no type errors (${checkedWith(result)})` : `${errors} type error${errors === 1 ? "" : "s"} in ${files} (${checkedWith(result)})`);
    return errors === 0 ? EXIT_HOLDS : EXIT_SCENARIO;
  },
});
