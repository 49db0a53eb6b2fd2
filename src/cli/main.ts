// The dsim command line: yargs registers the commands (one module each under commands/), each
// parses its own options with the shared parsers and calls the library; this file only wires them
// and turns whatever is thrown into one line on stderr and its exit code (exitCodes.ts).

import yargs, { type Argv } from "yargs";
import { UsageError } from "../core/errors.ts";
import { DSIM_VERSION } from "../core/version.ts";
import type { CommandDefinition, CommandGroup } from "./command.ts";
import { checkDefinition } from "./commands/check.ts";
import { exploreCommand } from "./commands/explore.ts";
import { listCommand } from "./commands/list.ts";
import { replayCommand } from "./commands/replay.ts";
import { reportCommand } from "./commands/report.ts";
import { runCommand } from "./commands/run.ts";
import { shrinkCommand } from "./commands/shrink.ts";
import { sweepCommand } from "./commands/sweep.ts";
import { typecheckCommand } from "./commands/typecheck.ts";
import { initCommand } from "./commands/init.ts";
import { EXIT_HOLDS, failureOf } from "./exitCodes.ts";
import { processIo, type Io } from "./io.ts";

import { interruption } from "./interrupt.ts";

export { handleInterrupts } from "./interrupt.ts";

const COMMANDS: readonly (CommandDefinition | CommandGroup)[] = [
  listCommand, runCommand, sweepCommand, exploreCommand, replayCommand, checkDefinition, shrinkCommand, reportCommand, typecheckCommand, initCommand,
];

function register(parser: Argv, definition: CommandDefinition | CommandGroup, io: Io, setExit: (code: number) => void): Argv {
  if ("subcommands" in definition) {
    return parser.command(definition.command, definition.describe, (group) => {
      for (const subcommand of definition.subcommands) register(group, subcommand, io, setExit);
      return group.demandCommand(1, definition.missing);
    });
  }
  return parser.command(definition.command, definition.describe, definition.builder, async (args) => setExit(await definition.run(args, io)));
}

/** Options that may be given more than once (every other one is refused when repeated). */
const REPEATABLE: ReadonlySet<string> = new Set(["size", "dirs", "files", "_", "$0"]);

/**
 * `--shard -1/2` as `--shard=-1/2`: a value that starts with a minus sign and a digit belongs to the
 * option before it, so the option's own parser says what is wrong with it (yargs would read `-1`
 * as a flag and report "Unknown argument: 1").
 */
function attachNegativeValues(argv: readonly string[]): string[] {
  const joined: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index]!;
    const next = argv[index + 1];
    if (token.startsWith("--") && !token.includes("=") && next !== undefined && /^-[\d.]/.test(next)) {
      joined.push(`${token}=${next}`);
      index++;
    } else joined.push(token);
  }
  return joined;
}

/** Refuses an option given twice (`--out a --out b`): which one was meant is not ours to guess. */
function refuseRepeated(args: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(args)) {
    if (Array.isArray(value) && !REPEATABLE.has(name) && !/[A-Z]/.test(name)) throw new UsageError(`--${name} is given more than once`);
  }
}

function build(argv: readonly string[], io: Io, setExit: (code: number) => void): Argv {
  const parser = yargs(attachNegativeValues(argv))
    .scriptName("dsim")
    .usage("dsim: a deterministic distributed-systems simulator.\nMany physical executions, one logical trace.")
    .version(DSIM_VERSION)
    .exitProcess(false)
    .strict()
    .demandCommand(1, "name a command: list, run, sweep, replay, explore, shrink, check, report, typecheck or init")
    .recommendCommands()
    .middleware(refuseRepeated, true)
    .fail((message, error) => {
      throw error ?? new UsageError(message ?? "bad usage");
    });
  for (const definition of COMMANDS) register(parser, definition, io, setExit);
  return parser.help().wrap(Math.min(110, process.stdout.columns ?? 110));
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let exitCode = EXIT_HOLDS;
  try {
    await build(argv, io, (code) => (exitCode = code)).parseAsync();
    return exitCode;
  } catch (error) {
    // Interrupted: the cleanup stopped the work under way, and says so itself.
    const interrupted = interruption();
    if (interrupted !== undefined) return interrupted;
    const failure = failureOf(error);
    io.error(failure.message);
    return failure.exitCode;
  }
}
