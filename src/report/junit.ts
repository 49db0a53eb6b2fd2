// JUnit XML for CI systems: one test suite per scenario, one test case per variant. In CI mode
// (--expect) a case fails when the variant does not behave as it declares; otherwise when it
// diverges. Non-determinism and a broken scenario are an <error>, never a pass or a failure of the
// protocol. Each case's output carries the counts and the tally per invariant (seeds, first seed,
// its replay command).

import { headlineViolation } from "./headline.ts";
import type { SweepEntry } from "./summary.ts";

export function junitXml(entries: readonly SweepEntry[], expectMode: boolean): string {
  const scenarios = [...new Set(entries.map((entry) => entry.scenario))];
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const count = (list: readonly SweepEntry[]) => ({
    tests: list.length,
    failures: list.filter((entry) => caseOutcomeOf(entry, expectMode) === "failure").length,
    errors: list.filter((entry) => caseOutcomeOf(entry, expectMode) === "error").length,
    time: list.reduce((total, entry) => total + entry.wallSeconds, 0).toFixed(3),
  });
  const totals = count(entries);
  lines.push(`<testsuites name="dsim" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" time="${totals.time}">`);
  for (const scenario of scenarios) {
    const cases = entries.filter((entry) => entry.scenario === scenario);
    const suite = count(cases);
    lines.push(`  <testsuite name="${escape(scenario)}" tests="${suite.tests}" failures="${suite.failures}" errors="${suite.errors}" time="${suite.time}">`);
    for (const entry of cases) lines.push(...testCase(entry, expectMode));
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>");
  return `${lines.join("\n")}\n`;
}

type CaseOutcome = "pass" | "failure" | "error";

function caseOutcomeOf(entry: SweepEntry, expectMode: boolean): CaseOutcome {
  if (entry.verdict === "nondeterministic" || entry.verdict === "scenario-error") return "error";
  if (expectMode) return entry.expectationMet ? "pass" : "failure";
  return entry.verdict === "holds" ? "pass" : "failure";
}

function testCase(entry: SweepEntry, expectMode: boolean): string[] {
  const head = `    <testcase classname="dsim.${escape(entry.scenario)}" name="${escape(entry.variant)}" time="${entry.wallSeconds.toFixed(3)}"`;
  const outcome = caseOutcomeOf(entry, expectMode);
  const logical = `${entry.logicalTraces} logical traces (${entry.admissibleLogicalTraces} admissible, ${entry.inadmissibleLogicalTraces} not)`;
  const tally = entry.invariants.map((invariant) => `\n${invariant.invariant}: broken in ${invariant.seeds} of ${entry.seeds.count} seeds, first at seed ${invariant.firstSeed}: ${invariant.replay}`).join("");
  const summary = `${entry.seeds.count} seeds, ${entry.physicalTraces} physical traces, ${logical}, ${entry.divergences} divergences; declared ${entry.expect}${tally}`;
  const body: string[] = [];
  const first = entry.firstDivergence;
  const violation = first === null ? undefined : headlineViolation(first.violations);
  const detail = first === null ? "" : `seed ${first.seed}: ${violation?.invariant ?? ""}: ${violation?.message ?? ""}\n${first.replay}${first.shrunk === null ? "" : `\nshrunk: ${first.shrunk.replay}`}${tally}`;
  const broken = entry.scenarioError;
  if (broken !== null) {
    body.push(`      <error type="scenario-error" message="${escape(`scenario error at seed ${broken.seed}: ${broken.message}`)}">${escape(broken.run)}</error>`);
  } else if (outcome === "error") {
    const mismatch = entry.determinism?.mismatches[0];
    body.push(`      <error type="nondeterminism" message="${escape(`non-determinism at seed ${mismatch?.seed}: physical hashes ${mismatch?.physicalHashes.join(" ≠ ")}`)}">${escape(JSON.stringify(mismatch?.firstParting ?? null))}</error>`);
  } else if (outcome === "failure") {
    const lost = entry.lost;
    const message =
      lost !== null ? `${lost.verdict} at seed ${lost.seed}: ${lost.message}`
      : entry.verdict === "diverges" ? `diverges (declared ${entry.expect})`
      : `not caught within ${entry.seeds.budget} seeds (declared diverges)`;
    body.push(`      <failure type="${entry.verdict}" message="${escape(message)}">${escape(lost === null ? detail : `${detail}${detail === "" ? "" : "\n"}${lost.replay}`)}</failure>`);
  }
  body.push(`      <system-out>${escape(first === null ? summary : `${summary}\n${detail}`)}</system-out>`);
  return [`${head}>`, ...body, "    </testcase>"];
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}
