// The bounded search over faults: fewest faults first, each schedule executed once (checked against
// a brute-force enumeration), magnitudes at the points it tries, and its bounds (faults, executions,
// events, whole levels, horizon) reported, never silent.

import { describe, expect, it } from "vitest";
import delivery from "../../scenarios/delivery.ts";
import { canonicalJson } from "../../src/core/hash.ts";
import { isChance, Tape, tapeToJson, type Decision } from "../../src/core/tape.ts";
import { execute } from "../../src/execution/execute.ts";
import { CHOICE_VALUES_MAX, magnitudeValues, searchBounded } from "../../src/explore/bounded.ts";
import { RecordingChooser, TapeChooser } from "../../src/kernel/choosers.ts";
import { parseFaultProfile } from "../../src/world/faults.ts";

/** Drops only, no jitter: every fault question is a drop, and no magnitude is asked. */
const DROPS = parseFaultProfile({ dropProbability: 0.5 }, "drops");
const TWO_MESSAGES = { messages: 2 };

/** The recorded tape of a schedule: its key, and the chance questions it asked. */
function run(decisions: readonly Decision[]) {
  const recorder = new RecordingChooser(new TapeChooser(new Tape(decisions)));
  const result = execute({ scenario: delivery, variant: "retry-set", seed: 0, faults: DROPS, sizes: TWO_MESSAGES, chooser: recorder });
  const tape = recorder.tape();
  return { key: canonicalJson(tapeToJson(tape)), faults: tape.decisions().filter((decision) => isChance(decision.kind)).length, asked: recorder.asked.filter((decision) => isChance(decision.kind) && decision.value === 0), result };
}

describe("the bounded search", () => {
  it("executes each schedule with k faults once: its level counts are the distinct schedules a brute force finds", () => {
    // Brute force: every fault added to every schedule of the level below, kept when it has one more fault.
    const levels: Map<string, Decision[]>[] = [new Map([[run([]).key, []]])];
    for (let faults = 1; faults <= 2; faults++) {
      const level = new Map<string, Decision[]>();
      for (const decisions of levels[faults - 1]!.values()) {
        for (const question of run(decisions).asked) {
          const child = [...decisions, { ...question, value: 1 }];
          const executed = run(child);
          if (executed.faults === faults) level.set(executed.key, child);
        }
      }
      levels.push(level);
    }
    const bounded = searchBounded({ scenario: delivery, variant: "retry-set", seed: 0, faults: DROPS, sizes: TWO_MESSAGES, faultsMax: 2 });
    expect(bounded.counterexample).toBeNull();
    expect(bounded.complete).toBe(true);
    expect(bounded.faultsLowerBound).toBe(3);
    expect(bounded.levels.map((level) => level.schedules)).toEqual(levels.map((level) => level.size));
    expect(levels[2]!.size).toBeGreaterThan(levels[1]!.size);
  });

  it("finds the fewest faults first: a lost message of `sum` with one fault, though two break it too", () => {
    const bounded = searchBounded({ scenario: delivery, variant: "sum", seed: 0, faults: DROPS, sizes: TWO_MESSAGES, faultsMax: 2 });
    expect(bounded.counterexample?.faults).toBe(1);
    expect(bounded.faultsLowerBound).toBe(1);
    expect(bounded.complete).toBe(true);
    const replayed = execute({ scenario: delivery, variant: "sum", seed: 0, faults: DROPS, sizes: TWO_MESSAGES, chooser: new TapeChooser(bounded.counterexample!.tape) });
    expect(replayed.physicalHash).toBe(bounded.counterexample!.result.physicalHash);
  });

  it("looks only for the invariant it is given, and takes a further condition", () => {
    const anything = searchBounded({ scenario: delivery, variant: "sum", seed: 0, faults: DROPS, sizes: TWO_MESSAGES, faultsMax: 1, invariant: "only-sent-values" });
    expect(anything.counterexample).toBeNull();
    const refused = searchBounded({ scenario: delivery, variant: "sum", seed: 0, faults: DROPS, sizes: TWO_MESSAGES, faultsMax: 1, accept: () => false });
    expect(refused).toMatchObject({ counterexample: null, complete: true, faultsLowerBound: 2 });
  });

  it("reports the bound that stopped it: executions, events, a level it could not finish, the horizon", () => {
    const request = { scenario: delivery, variant: "retry-set", seed: 0, faults: DROPS, sizes: TWO_MESSAGES, faultsMax: 2 } as const;
    const cut = searchBounded({ ...request, executionsMax: 3 });
    expect(cut).toMatchObject({ complete: false, budgetReached: true, executions: 3, faultsLowerBound: 1 });
    const byEvents = searchBounded({ ...request, eventsTotalMax: 1 });
    expect(byEvents).toMatchObject({ complete: false, budgetReached: true, executions: 1 });
    // Whole levels only: it stops before level 2, whose schedules the executions left cannot all run.
    const whole = searchBounded({ ...request, executionsMax: 8, wholeLevelsOnly: true });
    expect(whole.levels.map((level) => level.complete)).toEqual([true, true]);
    expect(whole).toMatchObject({ complete: false, faultsLowerBound: 2 });
    // A horizon of one question: only the first question asked may be set.
    const early = searchBounded({ ...request, horizon: 1 });
    expect(early.levels.map((level) => level.schedules)).toEqual([1, 1]);
  });

  it("tries a magnitude at its gentlest and harshest, a signed one in the middle too, a choice at each value up to a bound", () => {
    expect(magnitudeValues("delay-ms", 100)).toEqual([0, 99]);
    expect(magnitudeValues("skew-ms", 401)).toEqual([0, 200, 400]);
    expect(magnitudeValues("partition-cut", 3)).toEqual([0, 1, 2]);
    const cuts = magnitudeValues("partition-cut", 63);
    expect(cuts).toHaveLength(CHOICE_VALUES_MAX);
    expect([cuts[0], cuts.at(-1)]).toEqual([0, 62]);
    expect(magnitudeValues("restart-ms", 1)).toEqual([0]);
  });
});
