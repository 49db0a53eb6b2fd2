// vitest for `npm run mutate` (Stryker): in-process tests only. A test that starts a worker thread
// or runs the CLI (whose executions run on worker threads) is left out, because a thread it starts
// cannot see the mutant Stryker activated in this one: such a test would compare mutated code with
// unmutated code and "kill" mutants for no reason of its own. By convention those tests live in
// files named *.cli.test.ts or *.threads.test.ts, or in the folders and files excluded below.
//
// DSIM_MUTATE_SCOPE (stryker.config.mjs) narrows the tests to the floor's own: a checker's mutant
// must be killed by the checkers' tests, not by a scenario sweep that happens to cover it. Without
// it (scope "all"), every in-process test runs: stronger, and about a hundred times slower.
import { defineConfig } from "vitest/config";

const testsOfScope: Readonly<Record<string, readonly string[]>> = {
  kernel: ["test/kernel/**/*.test.ts", "test/world/**/*.test.ts", "test/core/**/*.test.ts", "test/execution/**/*.test.ts"],
  trace: ["test/core/**/*.test.ts", "test/execution/**/*.test.ts", "test/kernel/**/*.test.ts"],
  check: ["test/check/**/*.test.ts"],
  // The tests that reach the linearizability search (the others of test/check never call it).
  wgl: ["test/check/linearizability.test.ts", "test/check/linearizability.property.test.ts", "test/check/explainViolation.test.ts", "test/check/stateTable.test.ts", "test/check/configurationCache.test.ts", "test/check/wglSearch.test.ts"],
  explore: ["test/explore/**/*.test.ts"],
  all: ["test/**/*.test.ts"],
};

const include: readonly string[] = testsOfScope[process.env.DSIM_MUTATE_SCOPE ?? "all"] ?? ["test/**/*.test.ts"];

export default defineConfig({
  test: {
    include: [...include],
    exclude: [
      "**/*.cli.test.ts",
      "**/*.threads.test.ts",
      "test/cli/**",
      "test/reliability/**",
      "test/report/report.browser.test.ts",
      "test/explore/parallel.test.ts",
      "test/explore/sweep.test.ts",
    ],
    testTimeout: 120_000,
  },
});
