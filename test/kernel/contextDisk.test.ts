// A node's context (kernel/context.ts) as a handler uses it: every disk method reaches the node's
// disk, and each is a crash point named by its effect kind and file. (That a draw from the node's
// random stream counts in its state is in globalStateHash.test.ts.)

import { describe, expect, test } from "vitest";
import { defineNode, defineScenario, execute, type NodeContext } from "../../src/index.ts";
import { Tape, type Decision } from "../../src/core/tape.ts";
import { RecordingChooser, TapeChooser } from "../../src/kernel/choosers.ts";
import { NAMED_PROFILES, type FaultProfile } from "../../src/world/faults.ts";

/** Node `w` runs `start`, then notes what its disk holds (files and their contents). */
function scenarioOf(start: (ctx: NodeContext) => void) {
  return defineScenario({
    name: "context-disk",
    description: "",
    variants: [{ name: "v", expect: "holds", description: "" }],
    workload: () => null,
    nodes: () => ({
      w: defineNode({
        init: () => ({}),
        start: (_state, ctx) => {
          start(ctx);
          ctx.note("disk", ctx.disk.files().map((file) => [file, ctx.disk.read(file) ?? null]));
        },
      }),
    }),
    project: () => null,
  });
}

const noteOf = (start: (ctx: NodeContext) => void) => {
  const result = execute({ scenario: scenarioOf(start), variant: "v", seed: 1, faults: "none" });
  return result.trace.find((event) => event.kind === "note")?.value;
};

describe("a handler's disk", () => {
  test("write, append, replace and files reach the node's disk", () => {
    expect(noteOf((ctx) => ctx.disk.write("a", "one"))).toEqual([["a", "one"]]);
    expect(noteOf((ctx) => (ctx.disk.write("a", "one"), ctx.disk.append("a", "+two")))).toEqual([["a", "one+two"]]);
    expect(noteOf((ctx) => (ctx.disk.write("a", "one"), ctx.disk.replace("a", "new"), ctx.disk.write("b", "")))).toEqual([["a", "new"], ["b", ""]]);
  });
});

const POINTS: FaultProfile = { ...NAMED_PROFILES.none!, crashPointProbability: 0.5, restartMinMs: 10, restartMaxMs: 10, faultEndMs: 1000, healAtMs: 1000 };

/** Crash w just before the first effect of its start handler; returns the crash point's trace event. */
function crashAtFirstEffect(start: (ctx: NodeContext) => void) {
  const scenario = scenarioOf(start);
  const probe = new RecordingChooser(new TapeChooser(new Tape([])));
  execute({ scenario, variant: "v", seed: 1, faults: POINTS, chooser: probe });
  const first = probe.asked.find((decision) => decision.kind === "crash-point");
  expect(first).toBeDefined();
  const decisions: Decision[] = [{ ...first!, value: 1 } as Decision];
  const result = execute({ scenario, variant: "v", seed: 1, faults: POINTS, chooser: new TapeChooser(new Tape(decisions)) });
  return result.trace.find((event) => event.kind === "crash-point");
}

describe("each disk effect is a crash point named by its kind and file", () => {
  test.each([
    ["write", (ctx: NodeContext) => ctx.disk.write("log", "x")],
    ["append", (ctx: NodeContext) => ctx.disk.append("log", "x")],
    ["fsync", (ctx: NodeContext) => ctx.disk.fsync("log")],
    ["replace", (ctx: NodeContext) => ctx.disk.replace("log", "x")],
  ] as const)("%s", (kind, start) => {
    expect(crashAtFirstEffect(start)).toMatchObject({ kind: "crash-point", node: "w", effect: 1, before: kind, target: "log" });
  });
});
