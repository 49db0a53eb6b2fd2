// The reporters by name, and the reporters of one command called as one: each hook on each in turn.

import { consoleReporter } from "./console.ts";
import { htmlReporter } from "./html.ts";
import { jsonReporter } from "./json.ts";
import { junitReporter } from "./junit.ts";
import { summaryFilesReporter } from "./summaryFiles.ts";
import type { Reporter, ReporterOptions } from "./types.ts";

export type { ExecutionReport, LostReport, Reporter, ShrinkCommandReport, SweepEnd, VariantDone } from "./types.ts";

export const REPORTERS = {
  console: consoleReporter,
  json: jsonReporter,
  "summary-files": summaryFilesReporter,
  html: htmlReporter,
  junit: junitReporter,
} as const satisfies Record<string, (options: ReporterOptions) => Reporter>;

export type ReporterName = keyof typeof REPORTERS;

/** The reporters of a command, in the order given: each hook is called on each in turn. */
export function reportersFor(names: readonly ReporterName[], options: ReporterOptions): Required<Reporter> {
  const reporters = names.map((name) => REPORTERS[name](options));
  const each = <Hook extends keyof Reporter>(hook: Hook) =>
    ((argument: never) => {
      for (const reporter of reporters) (reporter[hook] as ((value: never) => void) | undefined)?.call(reporter, argument);
    }) as Required<Reporter>[Hook];
  return {
    execution: each("execution"), shrink: each("shrink"), lost: each("lost"), exploration: each("exploration"), boundedSearch: each("boundedSearch"),
    explorationEnd: each("explorationEnd"),
    variant: each("variant"), sweepEnd: each("sweepEnd"),
  };
}

/** The text output: the console reporter, or JSON with --json. */
export function textReporter(json: boolean): ReporterName {
  return json ? "json" : "console";
}
