// Mutation testing (`npm run mutate`): StrykerJS plants small bugs (mutants) in the code whose bugs
// would make dsim lie about a protocol, and runs the in-process tests (vitest.mutation.config.ts)
// against each. A mutant no test fails on survives; docs/testing.md says how to read the report,
// what a full run costs, and which survivors are equivalent (and why). Not part of `npm test`.

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  vitest: { configFile: "vitest.mutation.config.ts" },
  coverageAnalysis: "perTest",
  mutate: [
    // The kernel and the world: delivery, drop, duplicate, partition, crash, the disk, the choosers.
    "src/kernel/simulation.ts",
    "src/kernel/context.ts",
    "src/kernel/heap.ts",
    "src/kernel/choosers.ts",
    "src/kernel/exploringChooser.ts",
    "src/kernel/physicalHash.ts",
    "src/kernel/stateHash.ts",
    "src/world/*.ts",
    // The trace hash and the projection: what π reads, and the verdict on what it returns.
    "src/core/hash.ts",
    "src/execution/view.ts",
    "src/execution/verdict.ts",
    // The checkers (not the parsers of history files, which the reliability suite fuzzes).
    "src/check/**/*.ts",
    "!src/check/historyFile.ts",
    "!src/check/historyFormats.ts",
    "!src/check/jepsenLog.ts",
    "!src/check/ednHistory.ts",
    "!src/check/transactions/parse.ts",
    "!src/check/models/load.ts",
    // The sweep's count, and what the shrinker accepts.
    "src/explore/tally.ts",
    "src/explore/shrink/shrinker.ts",
    "src/explore/shrink/candidate.ts",
  ],
  ignorePatterns: ["reports", "test-artifacts", ".ci"],
  incremental: true,
  incrementalFile: "reports/mutation/stryker-incremental.json",
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  clearTextReporter: { allowColor: false, reportScoreTable: true, reportMutants: false },
  thresholds: { high: 80, low: 60, break: null },
  timeoutMS: 10_000,
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
