// The one violation a report leads with: a named invariant (`atomicity`, `exactly-once`) says more
// than the generic difference from the reference, so it comes first when the execution broke one.

import type { Violation } from "../execution/verdict.ts";

export function headlineViolation(violations: readonly Violation[]): Violation | undefined {
  return violations.find((violation) => violation.invariant !== "logical-trace") ?? violations[0];
}
