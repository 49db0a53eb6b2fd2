// Mutation testing (`npm run mutate`): StrykerJS plants small bugs (mutants) in the code whose bugs
// would make dsim lie about a protocol, and runs the in-process tests (vitest.mutation.config.ts)
// against each. A mutant no test fails on survives; docs/testing.md says how to read the report,
// what a run costs, and which survivors are equivalent (and why). Not part of `npm test`.
//
// The scope is cut in parts, each with its own incremental file and reports, so that one part can
// be run alone (DSIM_MUTATE_SCOPE=check npm run mutate) and scores are read per part. Without
// DSIM_MUTATE_SCOPE every part is mutated in one run.

/** The parts of the scope, each a list of Stryker `mutate` globs. */
const scopes = {
  // The kernel and the world: delivery, drop, duplicate, partition, crash, the disk, the choosers.
  kernel: [
    "src/kernel/simulation.ts",
    "src/kernel/context.ts",
    "src/kernel/heap.ts",
    "src/kernel/choosers.ts",
    "src/kernel/exploringChooser.ts",
    "src/kernel/physicalHash.ts",
    "src/kernel/stateHash.ts",
    "src/world/*.ts",
  ],
  // The trace hash and the projection: what π reads, and the verdict on what it returns.
  trace: ["src/core/hash.ts", "src/execution/view.ts", "src/execution/verdict.ts"],
  // The checkers (not the parsers of history files, which the reliability suite fuzzes, nor the
  // linearizability search, which is its own part).
  check: [
    "src/check/**/*.ts",
    "!src/check/wglSearch.ts",
    "!src/check/configurationCache.ts",
    "!src/check/linearizability.ts",
    "!src/check/historyFile.ts",
    "!src/check/historyFormats.ts",
    "!src/check/jepsenLog.ts",
    "!src/check/ednHistory.ts",
    "!src/check/transactions/parse.ts",
    "!src/check/models/load.ts",
  ],
  // The linearizability search (Wing–Gong with Lowe's memo) and its entry point: apart from `check`
  // because its module constants are static mutants, each run against every test of the part, and
  // a mutated bound makes a search loop until it times out; its own tests keep both cheap.
  wgl: ["src/check/wglSearch.ts", "src/check/configurationCache.ts", "src/check/linearizability.ts"],
  // The sweep's count, and what the shrinker accepts.
  explore: ["src/explore/tally.ts", "src/explore/shrink/shrinker.ts", "src/explore/shrink/candidate.ts"],
};

const scope = process.env.DSIM_MUTATE_SCOPE ?? "all";
if (scope !== "all" && !(scope in scopes)) {
  throw new Error(`DSIM_MUTATE_SCOPE must be one of ${Object.keys(scopes).join(", ")} or all, not '${scope}'`);
}
const mutate = scope === "all" ? Object.values(scopes).flat() : scopes[scope];

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  vitest: { configFile: "vitest.mutation.config.ts" },
  coverageAnalysis: "perTest",
  mutate,
  ignorePatterns: ["reports", "test-artifacts", ".ci"],
  incremental: true,
  incrementalFile: `reports/mutation/${scope}/stryker-incremental.json`,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: `reports/mutation/${scope}/mutation.html` },
  jsonReporter: { fileName: `reports/mutation/${scope}/mutation.json` },
  clearTextReporter: { allowColor: false, reportScoreTable: true, reportMutants: false },
  thresholds: { high: 80, low: 60, break: null },
  // A mutant that loops forever (a search whose bound was mutated) times out: baseline × 2 + 3 s.
  timeoutMS: 3_000,
  timeoutFactor: 2,
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
