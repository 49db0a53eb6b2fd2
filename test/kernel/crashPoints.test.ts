// Crash points (world/crashPoints.ts, the signal path in kernel/context.ts and simulation.ts): a
// node crashes just before the effect a tape names, so the effects before it happen and it and the
// later ones never do; its unsynced writes are lost (or torn), it restarts after the drawn delay;
// a handler that swallows the signal is a scenario error; outside the fault window nothing is
// asked; an execution that uses crash points replays from its tape and shrinks to the crash point.

import { describe, expect, test } from "vitest";
import { defineNode, defineScenario, execute, ScenarioError, type NodeContext } from "../../src/index.ts";
import type { TraceEvent } from "../../src/core/events.ts";
import { describeDecision, faultsOf, Tape, tapeFromJson, tapeToJson } from "../../src/core/tape.ts";
import { RandomChooser, RecordingChooser, TapeChooser } from "../../src/kernel/choosers.ts";
import { shrink } from "../../src/explore/shrink/shrink.ts";
import { NAMED_PROFILES, parseFaultProfile, resolveFaults, type FaultProfile } from "../../src/world/faults.ts";
import idempotency from "../../scenarios/idempotency/index.ts";

/** Only crash points, at a rate the tape overrides: no other fault is drawn. */
const CRASH_POINTS: FaultProfile = { ...NAMED_PROFILES.none!, name: "crash points", crashPointProbability: 0.5, restartMinMs: 10, restartMaxMs: 10, faultEndMs: 1000 };

/** `a` sends `b` a ping at start; `b`'s handler sends a pong, appends a line, fsyncs it, sends a second pong. */
function pingScenario(handler?: (ctx: NodeContext) => void) {
  return defineScenario({
    name: "crash-point-fixture",
    description: "a ping, and a handler with four effects",
    variants: [{ name: "v", expect: "holds", description: "a ping answered with two pongs and a durable line" }],
    workload: () => ({}),
    nodes: () => ({
      a: defineNode({ init: (ctx) => void ctx.send("b", "ping"), message: () => {} }),
      b: defineNode({
        init: () => undefined,
        message: (_state, ctx) => {
          if (handler !== undefined) return handler(ctx);
          ctx.send("a", "pong-1");
          ctx.disk.append("log", "line\n");
          ctx.disk.fsync("log");
          ctx.send("a", "pong-2");
        },
      }),
    }),
    project: () => null,
  });
}

/** b's handler invocations: 1 is init, 2 the ping; its effects from 1. */
const crashAt = (effect: number) => new TapeChooser(new Tape([{ kind: "crash-point", node: "b", invocation: 2, effect, value: 1 }]));

function eventsOf(trace: readonly TraceEvent[], node: string) {
  return trace.filter((event) => event.node === node && event.kind !== "deliver").map((event) => (event.kind === "send" ? `send ${JSON.stringify(event.message)}` : event.kind === "write" || event.kind === "fsync" ? `${event.kind} ${event.file}` : event.kind));
}

describe("a crash just before an effect", () => {
  test("without one, the handler's four effects happen", () => {
    const result = execute({ scenario: pingScenario(), variant: "v", seed: 1, faults: CRASH_POINTS, chooser: new TapeChooser(new Tape([])) });
    expect(eventsOf(result.trace, "b")).toEqual(["start", "send \"pong-1\"", "write log", "fsync log", "send \"pong-2\""]);
  });

  test("before the append: the first send happened, the append and everything after never did, and the node restarts", () => {
    const result = execute({ scenario: pingScenario(), variant: "v", seed: 1, faults: CRASH_POINTS, chooser: crashAt(2) });
    expect(eventsOf(result.trace, "b")).toEqual(["start", "send \"pong-1\"", "crash-point", "crash", "restart"]);
    const point = result.trace.find((event) => event.kind === "crash-point");
    expect(point).toMatchObject({ node: "b", invocation: 2, effect: 2, before: "append", target: "log" });
  });

  test("before the fsync: the append was unsynced and the crash loses it", () => {
    const result = execute({ scenario: pingScenario(), variant: "v", seed: 1, faults: CRASH_POINTS, chooser: crashAt(3) });
    expect(eventsOf(result.trace, "b")).toEqual(["start", "send \"pong-1\"", "write log", "crash-point", "crash", "restart"]);
    expect(result.trace.some((event) => event.kind === "torn")).toBe(false);
  });

  test("a torn write at the crash point keeps a prefix of the unsynced bytes", () => {
    const tape = new Tape([
      { kind: "crash-point", node: "b", invocation: 2, effect: 3, value: 1 },
      { kind: "crash-point-torn", node: "b", invocation: 2, effect: 3, file: "log", value: 1 },
      { kind: "crash-point-torn-bytes", node: "b", invocation: 2, effect: 3, file: "log", value: 2 },
    ]);
    const faults = { ...CRASH_POINTS, tornWriteProbability: 1 };
    const result = execute({ scenario: pingScenario(), variant: "v", seed: 1, faults, chooser: new TapeChooser(tape) });
    expect(result.trace.find((event) => event.kind === "torn")).toMatchObject({ node: "b", file: "log", keptBytes: 2, lostBytes: 3 });
  });

  test("outside the fault window, or at probability 0, no crash point is asked", () => {
    for (const faults of [{ ...CRASH_POINTS, faultEndMs: 0 }, { ...CRASH_POINTS, crashPointProbability: 0 }]) {
      const recorder = new RecordingChooser(new RandomChooser(1));
      execute({ scenario: pingScenario(), variant: "v", seed: 1, faults, chooser: recorder });
      expect(recorder.asked.filter((decision) => decision.kind.startsWith("crash-point"))).toEqual([]);
    }
  });
});

describe("the crash-point signal", () => {
  test("is not an Error, so `catch (e) { if (!(e instanceof Error)) throw e }` lets it through", () => {
    const scenario = pingScenario((ctx) => {
      try {
        ctx.send("a", "pong-1");
      } catch (error) {
        if (!(error instanceof Error)) throw error;
      }
      ctx.send("a", "pong-2");
    });
    const result = execute({ scenario, variant: "v", seed: 1, faults: CRASH_POINTS, chooser: crashAt(1) });
    expect(eventsOf(result.trace, "b")).toEqual(["start", "crash-point", "crash", "restart"]);
    expect(result.trace.some((event) => event.kind === "error")).toBe(false);
  });

  test("swallowed by a handler that goes on, it is a scenario error naming the effect (and a later effect throws it again)", () => {
    let sentAfterCatch = false;
    const scenario = pingScenario((ctx) => {
      let caught = false;
      try {
        ctx.send("a", "pong-1");
      } catch {
        caught = true;
      }
      try {
        ctx.send("a", "pong-2");
        sentAfterCatch ||= caught;
      } catch {
        // swallowed again
      }
    });
    let thrown: unknown;
    try {
      execute({ scenario, variant: "v", seed: 1, faults: CRASH_POINTS, chooser: crashAt(1) });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ScenarioError);
    expect((thrown as Error).message).toMatch(/b: a handler caught dsim's crash-point signal and went on \(the node crashed just before its send.*effect 2\.1\)/);
    expect(sentAfterCatch).toBe(false);
  });
});

describe("crash points in a fault profile", () => {
  test("a profile file accepts crashPointProbability, and refuses one outside [0, 1]", () => {
    expect(parseFaultProfile({ crashPointProbability: 0.25 }, "test").crashPointProbability).toBe(0.25);
    expect(() => parseFaultProfile({ crashPointProbability: 2 }, "test")).toThrow(/crashPointProbability/);
  });

  test("swarm turns crash points on for some seeds and off for others", () => {
    const rates = Array.from({ length: 40 }, (_, seed) => resolveFaults("swarm", seed).crashPointProbability);
    expect(rates.some((rate) => rate === 0)).toBe(true);
    expect(rates.some((rate) => rate > 0 && rate <= NAMED_PROFILES.heavy!.crashPointProbability)).toBe(true);
  });
});

describe("idempotency/reply-then-persist: only crash points catch it", () => {
  // Under the default swarm its first divergence is seed 99 (21 of the first 2,000 seeds diverge).
  const seeds = Array.from({ length: 120 }, (_, seed) => seed);

  test("under swarm it breaks exactly-once and balance; with crash points off, the same seeds hold", () => {
    const broken = seeds
      .map((seed) => execute({ scenario: idempotency, variant: "reply-then-persist", seed, faults: "swarm" }))
      .find((result) => result.verdict === "diverges");
    expect(broken).toBeDefined();
    const invariants = broken!.violations.map((violation) => violation.invariant);
    expect(invariants).toEqual(expect.arrayContaining(["logical-trace", "exactly-once", "balance"]));
    for (const seed of seeds) {
      const faults = { ...resolveFaults("swarm", seed), crashPointProbability: 0 };
      expect(execute({ scenario: idempotency, variant: "reply-then-persist", seed, faults }).verdict).toBe("holds");
    }
  });

  test("its execution replays from the recorded tape, and shrinks to one crash point", () => {
    const seed = seeds.find((candidate) => execute({ scenario: idempotency, variant: "reply-then-persist", seed: candidate, faults: "swarm" }).verdict === "diverges")!;
    const faults = resolveFaults("swarm", seed);
    const recorder = new RecordingChooser(new RandomChooser(seed));
    const original = execute({ scenario: idempotency, variant: "reply-then-persist", seed, faults, chooser: recorder });
    const tape = tapeFromJson(JSON.parse(JSON.stringify(tapeToJson(new Tape(recorder.asked)))), "test");
    const replayed = execute({ scenario: idempotency, variant: "reply-then-persist", seed, faults, chooser: new TapeChooser(tape) });
    expect(replayed.physicalHash).toBe(original.physicalHash);

    const result = shrink({ scenario: idempotency, variant: "reply-then-persist", seed, faults });
    const left = faultsOf(result.shrunk.tape);
    expect(left.map((decision) => decision.kind)).toEqual(["crash-point"]);
    expect(describeDecision(left[0]!)).toMatch(/^crash-point account @effect \d+\.\d+$/);
    expect(result.shrunk.result.violations.map((violation) => violation.invariant)).toContain("exactly-once");
  });
});
