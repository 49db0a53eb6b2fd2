// JUnit XML (--junit FILE) for CI systems: one test suite per scenario, one test case per variant.

import { writeFileAtomic } from "../../core/files.ts";
import { junitXml } from "../../report/junit.ts";
import type { Reporter, ReporterOptions } from "./types.ts";

export function junitReporter({ junitFile }: ReporterOptions): Reporter {
  return {
    sweepEnd({ entries, expectMode }) {
      if (junitFile !== undefined) writeFileAtomic(junitFile, junitXml(entries, expectMode));
    },
  };
}
