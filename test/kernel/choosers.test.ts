// The choosers alone (kernel/choosers.ts, kernel/exploringChooser.ts), on hand-made questions: the
// seeded chooser draws each decision kind from its own named stream (so a seed's faults keep their
// meaning across versions, and turning one kind on never shifts another's draws); the tape chooser
// answers what was recorded, clamped, and the gentlest answer elsewhere; the recording chooser
// keeps every question with its answer and its number of options; the exploring chooser follows
// its prefix, spends its fault budget, stops branching at its depth, and cuts at known states.

import { describe, expect, test } from "vitest";
import { randomStream } from "../../src/core/random.ts";
import { DECISION_KINDS, Tape, type Chooser, type DecisionKind, type DeliveryChoice, type Question } from "../../src/core/tape.ts";
import { RandomChooser, RecordingChooser, TapeChooser } from "../../src/kernel/choosers.ts";
import { decisionOf, ExploringChooser, ScheduleCut, type StateGate } from "../../src/kernel/exploringChooser.ts";

/** A question of any kind, about message a→b #1, tick 0 of node a, or effect 1.1 of node a. */
function questionOf(kind: DecisionKind): Question {
  const subject = DECISION_KINDS[kind].subject;
  if (subject === "message") return { kind, from: "a", to: "b", n: 1 } as Question;
  if (subject === "tick") return { kind, tick: 0, node: "a" } as Question;
  if (subject === "effect") return { kind, node: "a", invocation: 1, effect: 1 } as Question;
  return { kind: "order", point: 0 };
}

/**
 * The stream each kind draws from: the determinism contract of seeded runs (a seed quoted in an
 * issue keeps its faults). A magnitude draws from its fault's stream, right after it; a restart's
 * delay, a tear and a crash point's restart have streams of their own.
 */
const STREAMS: Readonly<Record<string, readonly DecisionKind[]>> = {
  drop: ["drop"], latency: ["latency"], delay: ["delay", "delay-ms"], duplicate: ["duplicate", "duplicate-ms"],
  partition: ["partition", "partition-cut", "partition-ms"], crash: ["crash"], restart: ["restart-ms"], torn: ["torn", "torn-bytes"], skew: ["skew", "skew-ms"],
  order: ["order"], "leader-crash": ["leader-crash", "leader-crash-ms"], "leader-isolate": ["leader-isolate", "leader-isolate-cut", "leader-isolate-ms"],
  "voter-isolate": ["voter-isolate", "voter-isolate-ms"], "leader-churn": ["leader-churn", "leader-churn-count", "leader-churn-ms"],
  "leader-send-churn": ["leader-send-churn", "leader-send-churn-count", "leader-send-churn-ms"],
  "crash-point": ["crash-point"], "crash-point-restart": ["crash-point-ms"], "crash-point-torn": ["crash-point-torn", "crash-point-torn-bytes"],
  corrupt: ["corrupt", "corrupt-bit"], "lost-fsync": ["lost-fsync"], misdirect: ["misdirect", "misdirect-to"],
};

describe("the seeded chooser", () => {
  test("the table above names every decision kind once", () => {
    expect(Object.values(STREAMS).flat().sort()).toEqual(Object.keys(DECISION_KINDS).sort());
  });

  test.each(Object.entries(STREAMS))("golden value (determinism across versions): stream fault:%s answers its kinds, in the order asked", (stream, kinds) => {
    for (const seed of [0, 7]) {
      const chooser = new RandomChooser(seed);
      const reference = randomStream(seed, `fault:${stream}`);
      // Every other kind asks first, once each: none of them may shift this stream.
      for (const other of Object.keys(DECISION_KINDS) as DecisionKind[]) if (!kinds.includes(other)) chooser.below(questionOf(other), 1000);
      for (let round = 0; round < 3; round++) {
        for (const kind of kinds) {
          expect(chooser.below(questionOf(kind), 1000), `${kind} round ${round}`).toBe(reference.below(1000));
          expect(chooser.chance(questionOf(kind), 0.5), `${kind} round ${round}`).toBe(reference.chance(0.5));
        }
      }
    }
  });

  test("different seeds draw differently", () => {
    const draws = (seed: number) => {
      const chooser = new RandomChooser(seed);
      return Array.from({ length: 8 }, () => chooser.below(questionOf("drop"), 1 << 20));
    };
    expect(draws(1)).not.toEqual(draws(2));
  });
});

describe("the tape chooser", () => {
  const crash: Question = { kind: "crash", tick: 3, node: "b" };
  const restart: Question = { kind: "restart-ms", tick: 3, node: "b" };
  const never: Question = { kind: "partition", tick: 9 };

  test("answers what the tape recorded, the gentlest answer elsewhere, and clamps a magnitude to the range asked", () => {
    const chooser = new TapeChooser(new Tape([{ ...crash, value: 1 }, { ...restart, value: 40 }]));
    expect(chooser.chance(crash)).toBe(true);
    expect(chooser.chance({ ...crash, tick: 4 })).toBe(false);
    expect(chooser.below(restart, 100)).toBe(40);
    expect(chooser.below(restart, 41)).toBe(40);
    expect(chooser.below(restart, 40)).toBe(39);
    expect(chooser.below(restart, 5)).toBe(4);
    expect(chooser.below({ ...restart, tick: 4 }, 100)).toBe(0);
  });

  test("a recorded chance above 1 still means the fault happens", () => {
    expect(new TapeChooser(new Tape([{ ...crash, value: 3 }])).chance(crash)).toBe(true);
  });

  test("reports the recorded decisions no question asked for", () => {
    const chooser = new TapeChooser(new Tape([{ ...crash, value: 1 }, { ...never, value: 1 }]));
    expect(chooser.unused()).toHaveLength(2);
    chooser.chance(crash);
    chooser.chance({ kind: "partition", tick: 1 });
    expect(chooser.unused()).toEqual([{ ...never, value: 1 }]);
  });

  test("an order point it holds no answer for is 0 without counting the ready deliveries; one it holds is clamped to them", () => {
    let counted = 0;
    const choice: DeliveryChoice = { readyCount: () => (counted++, 3), stateHash: () => "unused" };
    const chooser = new TapeChooser(new Tape([{ kind: "order", point: 1, value: 5 }]));
    expect(chooser.order({ kind: "order", point: 0 }, choice)).toBe(0);
    expect(counted).toBe(0);
    expect(chooser.order({ kind: "order", point: 1 }, choice)).toBe(2);
    expect(counted).toBe(1);
  });
});

describe("the recording chooser", () => {
  /** Answers 1 to every chance, count - 1 to every magnitude, 1 to every order. */
  const eager: Chooser = { chance: () => true, below: (_question, count) => count - 1, order: () => 1 };
  const choice: DeliveryChoice = { readyCount: () => 2, stateHash: () => "h" };

  test("keeps every question with its answer and how many answers it had, in the order asked", () => {
    const recording = new RecordingChooser(eager);
    expect(recording.chance({ kind: "drop", from: "a", to: "b", n: 1 }, 0.1)).toBe(true);
    expect(recording.below({ kind: "latency", from: "a", to: "b", n: 1 }, 10)).toBe(9);
    expect(recording.order!({ kind: "order", point: 0 }, choice)).toBe(1);
    expect(recording.asked).toEqual([
      { kind: "drop", from: "a", to: "b", n: 1, value: 1 },
      { kind: "latency", from: "a", to: "b", n: 1, value: 9 },
      { kind: "order", point: 0, value: 1 },
    ]);
    expect(recording.options).toEqual([2, 10, 0]);
  });

  test("records a no as 0, and its tape keeps only the answers that were not the gentlest", () => {
    const quiet: Chooser = { chance: () => false, below: () => 0 };
    const recording = new RecordingChooser(quiet);
    expect(recording.chance({ kind: "crash", tick: 0, node: "a" }, 0.5)).toBe(false);
    expect(recording.below({ kind: "restart-ms", tick: 0, node: "a" }, 5)).toBe(0);
    expect(recording.asked.map((decision) => decision.value)).toEqual([0, 0]);
    expect(recording.tape().size).toBe(0);
    expect(new RecordingChooser(eager).order).toBeDefined();
    const mixed = new RecordingChooser(eager);
    mixed.chance({ kind: "crash", tick: 0, node: "a" }, 0.5);
    mixed.below({ kind: "restart-ms", tick: 0, node: "a" }, 1);
    expect(mixed.tape().decisions()).toEqual([{ kind: "crash", tick: 0, node: "a", value: 1 }]);
  });

  test("asks order of its inner chooser only if that one decides order", () => {
    expect(new RecordingChooser({ chance: () => false, below: () => 0 }).order).toBeUndefined();
  });
});

describe("the exploring chooser", () => {
  const drop = (n: number): Question => ({ kind: "drop", from: "a", to: "b", n });
  const duplicate = (n: number): Question => ({ kind: "duplicate", from: "a", to: "b", n });
  const crash = (tick: number): Question => ({ kind: "crash", tick, node: "a" });
  const ready = (count: number, hash = "s"): DeliveryChoice => ({ readyCount: () => count, stateHash: () => hash });

  test("past its prefix answers the first option of every choice and records how many there were; magnitudes are always 0", () => {
    const chooser = new ExploringChooser([]);
    expect(chooser.chance(drop(1))).toBe(false);
    expect(chooser.below()).toBe(0);
    expect(chooser.order({ kind: "order", point: 0 }, ready(3))).toBe(0);
    expect(chooser.order({ kind: "order", point: 1 }, ready(1))).toBe(0);
    expect(chooser.points).toEqual([
      { ...drop(1), value: 0, options: 2 },
      { kind: "order", point: 0, value: 0, options: 3 },
    ]);
    expect(chooser.mismatch).toBeUndefined();
    expect(chooser.depthReached).toBe(false);
  });

  test("follows its prefix, and reports the first choice that does not fit it", () => {
    const chooser = new ExploringChooser([{ ...drop(1), value: 1 }, { kind: "order", point: 0, value: 2 }, { ...crash(0), value: 1 }, { ...crash(1), value: 1 }]);
    expect(chooser.chance(drop(1))).toBe(true);
    expect(chooser.order({ kind: "order", point: 0 }, ready(3))).toBe(2);
    // Asked another question than recorded: the gentlest answer, and the mismatch named.
    expect(chooser.chance(crash(5))).toBe(false);
    expect(chooser.mismatch).toBe('choice 2: recorded ["crash",0,"a",null] = 1, the execution asked ["crash",5,"a",null] (2 options)');
    // A recorded answer out of range does not fit either; the first mismatch is kept.
    expect(chooser.order({ kind: "order", point: 1 }, ready(2))).toBe(0);
    expect(chooser.mismatch).toMatch(/^choice 2:/);
    const outOfRange = new ExploringChooser([{ kind: "order", point: 0, value: 2 }]);
    expect(outOfRange.order({ kind: "order", point: 0 }, ready(2))).toBe(0);
    expect(outOfRange.mismatch).toBe('choice 0: recorded ["order",0] = 2, the execution asked ["order",0] (2 options)');
  });

  test("spends its budget: once the drops (or duplicates) allowed have happened, further ones are forced off and recorded with one option", () => {
    const chooser = new ExploringChooser([{ ...drop(1), value: 1 }, { ...duplicate(1), value: 1 }, { ...crash(0), value: 1 }], { dropsMax: 1, duplicatesMax: 1 });
    expect(chooser.chance(drop(1))).toBe(true);
    expect(chooser.chance(duplicate(1))).toBe(true);
    expect(chooser.chance(crash(0))).toBe(true);
    chooser.chance(drop(2));
    chooser.chance(duplicate(2));
    chooser.chance(crash(1));
    expect(chooser.points.slice(3).map((point) => point.options)).toEqual([1, 1, 2]);
    // A budget of 2 leaves room for a second drop.
    const roomy = new ExploringChooser([{ ...drop(1), value: 1 }], { dropsMax: 2, duplicatesMax: 0 });
    roomy.chance(drop(1));
    roomy.chance(drop(2));
    roomy.chance(duplicate(1));
    expect(roomy.points.map((point) => point.options)).toEqual([2, 2, 1]);
  });

  test("counts against each budget only its own kind: a crash or a duplicate spends no drop", () => {
    const chooser = new ExploringChooser([{ ...crash(0), value: 1 }, { ...duplicate(1), value: 1 }], { dropsMax: 1, duplicatesMax: 1 });
    chooser.chance(crash(0));
    chooser.chance(duplicate(1));
    chooser.chance(drop(1));
    chooser.chance(duplicate(2));
    expect(chooser.points.map((point) => point.options)).toEqual([2, 2, 2, 1]);
  });

  test("past its depth (and its prefix) no fault branches any more, and it says so", () => {
    const chooser = new ExploringChooser([{ ...crash(0), value: 1 }], undefined, undefined, 2);
    chooser.chance(crash(0));
    chooser.chance(crash(1));
    expect(chooser.depthReached).toBe(false);
    chooser.chance(crash(2));
    expect(chooser.depthReached).toBe(true);
    expect(chooser.points.map((point) => point.options)).toEqual([2, 2, 1]);
    // A prefix longer than the depth is followed whole.
    const long = new ExploringChooser([{ ...crash(0), value: 1 }, { ...crash(1), value: 1 }], undefined, undefined, 1);
    expect([long.chance(crash(0)), long.chance(crash(1))]).toEqual([true, true]);
    expect(long.depthReached).toBe(false);
  });

  test("at each new state past the prefix asks the gate with the state, its budget left and the depth; cuts where the gate says, or where the run comes back to a state", () => {
    const asked: [string, number][] = [];
    const gate: StateGate = (stateHash, depth) => (asked.push([stateHash, depth]), stateHash.startsWith("known") ? "known" : undefined);
    const chooser = new ExploringChooser([], { dropsMax: 2, duplicatesMax: Infinity }, gate);
    chooser.chance(drop(1));
    expect(chooser.order({ kind: "order", point: 0 }, ready(2, "one"))).toBe(0);
    expect(chooser.points.at(-1)).toEqual({ kind: "order", point: 0, value: 0, options: 2, stateHash: "one/2/*" });
    expect(asked).toEqual([["one/2/*", 1]]);
    const cycle = catchCut(() => chooser.order({ kind: "order", point: 1 }, ready(2, "one")));
    expect(cycle).toEqual(new ScheduleCut("cycle", "one/2/*"));
    const known = catchCut(() => chooser.order({ kind: "order", point: 1 }, ready(2, "known")));
    expect(known).toEqual(new ScheduleCut("known", "known/2/*"));
    // A drop spent changes the state: the same node states with less budget left are a new state.
    const spent = new ExploringChooser([{ ...drop(1), value: 1 }], { dropsMax: 2, duplicatesMax: 3 }, gate);
    spent.chance(drop(1));
    spent.order({ kind: "order", point: 0 }, ready(2, "one"));
    expect(spent.points.at(-1)!.stateHash).toBe("one/1/3");
  });

  test("inside the prefix the gate is not asked", () => {
    const gate: StateGate = () => "known";
    const chooser = new ExploringChooser([{ kind: "order", point: 0, value: 1 }], undefined, gate);
    expect(chooser.order({ kind: "order", point: 0 }, ready(2))).toBe(1);
  });

  test("its tape is the schedule it followed, without what only the explorer needs", () => {
    const chooser = new ExploringChooser([{ ...drop(1), value: 1 }, { kind: "order", point: 0, value: 1 }]);
    chooser.chance(drop(1));
    chooser.order({ kind: "order", point: 0 }, ready(2));
    chooser.chance(drop(2));
    expect(chooser.tape().decisions()).toEqual([{ ...drop(1), value: 1 }, { kind: "order", point: 0, value: 1 }]);
    expect(decisionOf({ kind: "order", point: 3, value: 1, options: 4, stateHash: "x" })).toEqual({ kind: "order", point: 3, value: 1 });
  });
});

function catchCut(run: () => unknown): unknown {
  try {
    run();
  } catch (thrown) {
    return thrown;
  }
  throw new Error("no cut");
}
