// Crash points at their edges (world/crashPoints.ts), through `execute` with a recording tape
// chooser: a tear is asked about only when torn writes are on, and only the cut when the tear
// happens; the restart delay reaches the top of its range.

import { describe, expect, test } from "vitest";
import { defineNode, defineScenario, execute } from "../../src/index.ts";
import { Tape, type Decision } from "../../src/core/tape.ts";
import { RecordingChooser, TapeChooser } from "../../src/kernel/choosers.ts";
import { NAMED_PROFILES, type FaultProfile } from "../../src/world/faults.ts";

/** Node `w` appends a line at start and fsyncs it: effects 1 and 2 of its start handler. */
const appender = defineScenario({
  name: "crash-point-edges",
  description: "",
  variants: [{ name: "v", expect: "holds", description: "" }],
  workload: () => null,
  nodes: () => ({
    w: defineNode({
      init: () => ({}),
      start: (_state, ctx) => {
        ctx.disk.append("log", "line\n");
        ctx.disk.fsync("log");
      },
    }),
  }),
  project: () => null,
});

const POINTS: FaultProfile = { ...NAMED_PROFILES.none!, crashPointProbability: 0.5, restartMinMs: 10, restartMaxMs: 40, faultEndMs: 1000, healAtMs: 1000 };

function run(decisions: Decision[], faults: FaultProfile) {
  const chooser = new RecordingChooser(new TapeChooser(new Tape(decisions)));
  const result = execute({ scenario: appender, variant: "v", seed: 1, faults, chooser });
  return { result, asked: chooser.asked.map((decision) => decision.kind) };
}

/** The crash point just before the fsync: effect 2 of w's start handler, the invocation given. */
const beforeFsync = (invocation: number): Decision => ({ kind: "crash-point", node: "w", invocation, effect: 2, value: 1 });

describe("a crash point's tear and restart", () => {
  test("with torn writes off, no tear is asked about", () => {
    const invocation = findInvocation();
    const { asked } = run([beforeFsync(invocation)], { ...POINTS, tornWriteProbability: 0 });
    expect(asked).toEqual(["crash-point", "crash-point", "crash-point-ms"]);
  });

  test("with torn writes on, the tear is asked, and its cut only when it happens", () => {
    const invocation = findInvocation();
    const kept = run([beforeFsync(invocation)], { ...POINTS, tornWriteProbability: 0.5 });
    expect(kept.asked).toEqual(["crash-point", "crash-point", "crash-point-torn", "crash-point-ms"]);
    const torn = run([beforeFsync(invocation), { kind: "crash-point-torn", node: "w", invocation, effect: 2, file: "log", value: 1 }, { kind: "crash-point-torn-bytes", node: "w", invocation, effect: 2, file: "log", value: 2 }], { ...POINTS, tornWriteProbability: 0.5 });
    expect(torn.asked).toEqual(["crash-point", "crash-point", "crash-point-torn", "crash-point-torn-bytes", "crash-point-ms"]);
    expect(torn.result.trace.find((event) => event.kind === "torn")).toMatchObject({ node: "w", file: "log", keptBytes: 2, lostBytes: 3 });
  });

  test("the restart delay reaches the top of its range", () => {
    const invocation = findInvocation();
    const { result } = run([beforeFsync(invocation), { kind: "crash-point-ms", node: "w", invocation, effect: 2, value: 999 }], POINTS);
    expect(result.trace.filter((event) => event.kind === "crash" || event.kind === "restart").map((event) => `${event.kind}@${event.timeMs}`)).toEqual(["crash@0", `restart@${POINTS.restartMaxMs}`]);
  });
});

/** Which invocation of w is its start handler: the one the first crash-point question names. */
function findInvocation(): number {
  const chooser = new RecordingChooser(new TapeChooser(new Tape([])));
  execute({ scenario: appender, variant: "v", seed: 1, faults: POINTS, chooser });
  const first = chooser.asked.find((decision) => decision.kind === "crash-point");
  return first !== undefined && "invocation" in first ? first.invocation : -1;
}
