// vitest for `npm run mutate` (Stryker): the in-process tests only. A test that starts a worker
// thread or runs the CLI (whose executions run on worker threads) is left out, because a thread
// it starts cannot see the mutant Stryker activated in this one: such a test would compare mutated
// code with unmutated code and "kill" mutants for no reason of its own. By convention those tests
// live in files named *.cli.test.ts or *.threads.test.ts, or in the folders and files below.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
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
