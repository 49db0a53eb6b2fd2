// A vitest reporter that ends the run with one plain line, "tests: N passed, N failed, N skipped",
// which CI systems that read closing lines understand whatever the language.
//
// "failed" counts every way the run can fail, so the line never reads "0 failed" when vitest
// exits non-zero:
// - each test that failed;
// - each test that never ran because its file or suite failed outside any test (a beforeAll
//   hook threw): vitest marks those "skipped", but nobody skipped them;
// - one per file or suite that failed outside its tests: a file that failed to load (a syntax
//   error, a missing import), a beforeAll/afterAll hook that threw;
// - one per unhandled error (an exception thrown after its test ended);
// - one for the run itself when vitest ends it failed or interrupted with nothing above (no test
//   files found, a cancelled run).
// Tests skipped on purpose (it.skip, ctx.skip()) in files that ran are "skipped".

import type { Reporter, SerializedError, TestCase, TestModule, TestRunEndReason, TestSuite } from "vitest/node";

export interface Counts {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** Whether a file or suite failed outside its tests, or sits inside one that did. */
function failedOutsideTests(entity: TestSuite | TestModule): boolean {
  if (entity.errors().length > 0) return true;
  return entity.type === "suite" && failedOutsideTests(entity.parent);
}

function countTest(testCase: TestCase): "passed" | "failed" | "skipped" {
  const state = testCase.result().state;
  if (state === "passed") return "passed";
  if (state === "failed" || state === "pending") return "failed";
  if (testCase.options.mode === "skip" || testCase.options.mode === "todo") return "skipped";
  return failedOutsideTests(testCase.parent) ? "failed" : "skipped";
}

export function countRun(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): Counts {
  const counts = { passed: 0, failed: unhandledErrors.length, skipped: 0 };
  for (const testModule of testModules) {
    if (testModule.errors().length > 0) counts.failed++;
    for (const suite of testModule.children.allSuites()) {
      if (suite.errors().length > 0) counts.failed++;
    }
    for (const testCase of testModule.children.allTests()) counts[countTest(testCase)]++;
  }
  if (reason !== "passed" && counts.failed === 0) counts.failed = 1;
  return counts;
}

export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): void {
    const { passed, failed, skipped } = countRun(testModules, unhandledErrors, reason);
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
