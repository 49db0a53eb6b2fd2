// What a command of the CLI is: its yargs definition (name, description, options, examples) and
// the function that runs it on the parsed arguments and returns the exit code. main.ts registers
// them; commands never import each other.

import type { ArgumentsCamelCase, Argv } from "yargs";
import type { Io } from "./io.ts";

export interface CommandDefinition<Args = any> {
  readonly command: string;
  readonly describe: string;
  readonly builder: (yargs: Argv) => Argv<Args>;
  readonly run: (args: ArgumentsCamelCase<Args>, io: Io) => Promise<number> | number;
}

/** A command that only groups subcommands (`dsim report merge`). */
export interface CommandGroup {
  readonly command: string;
  readonly describe: string;
  readonly subcommands: readonly CommandDefinition[];
  /** What to say when no subcommand is named. */
  readonly missing: string;
}

/** Types a command definition from its builder. */
export function defineCommand<Args>(definition: CommandDefinition<Args>): CommandDefinition<Args> {
  return definition;
}
