// The network model alone, without a kernel: each message's fate follows the decisions asked about
// that message (a tape names them), faults apply only inside the fault window, and a partition
// separates exactly the nodes on different sides.

import { describe, expect, it } from "vitest";
import { Tape, type Decision } from "../../src/core/tape.ts";
import { RecordingChooser, TapeChooser } from "../../src/kernel/choosers.ts";
import { NAMED_PROFILES, type FaultProfile } from "../../src/world/faults.ts";
import { Network } from "../../src/world/network.ts";

const NODES = ["a", "b", "c"];
const PROFILE: FaultProfile = {
  ...NAMED_PROFILES.none!, latencyMs: 5, latencyJitterMs: 4, dropProbability: 0.5, delayProbability: 0.5, delayMaxMs: 30, duplicateProbability: 0.5, faultStartMs: 100, faultEndMs: 200,
};

function networkWith(decisions: Decision[], profile: FaultProfile = PROFILE) {
  const chooser = new RecordingChooser(new TapeChooser(new Tape(decisions)));
  return { network: new Network(profile, chooser, NODES), chooser };
}

const fateOf = (network: Network, from: string, to: string, nowMs: number) => ({ ...network.transmit(from, to, nowMs) });

describe("a message's fate", () => {
  it("is the base latency when nothing goes wrong", () => {
    const { network } = networkWith([]);
    expect(fateOf(network, "a", "b", 150)).toEqual({ dropped: false, delayMs: 5, duplicateDelayMs: -1 });
  });

  it("is decided about the n-th message of its channel: a drop of a→b #2 drops that one only", () => {
    const { network } = networkWith([{ kind: "drop", from: "a", to: "b", n: 2, value: 1 }]);
    expect(fateOf(network, "a", "b", 150).dropped).toBe(false);
    expect(fateOf(network, "a", "c", 150).dropped).toBe(false);
    expect(fateOf(network, "b", "a", 150).dropped).toBe(false);
    expect(fateOf(network, "a", "b", 150).dropped).toBe(true);
    expect(fateOf(network, "a", "b", 150).dropped).toBe(false);
  });

  it("adds the jitter, a delay past the latency, and a duplicate's own delay", () => {
    const { network } = networkWith([
      { kind: "latency", from: "a", to: "b", n: 1, value: 3 },
      { kind: "delay", from: "a", to: "b", n: 1, value: 1 },
      { kind: "delay-ms", from: "a", to: "b", n: 1, value: 20 },
      { kind: "duplicate", from: "a", to: "b", n: 1, value: 1 },
      { kind: "duplicate-ms", from: "a", to: "b", n: 1, value: 7 },
    ]);
    expect(fateOf(network, "a", "b", 150)).toEqual({ dropped: false, delayMs: 5 + 3 + 1 + 20, duplicateDelayMs: 5 + 7 });
  });

  it("asks about faults only inside the fault window; the jitter always", () => {
    const { network, chooser } = networkWith([{ kind: "drop", from: "a", to: "b", n: 1, value: 1 }]);
    expect(fateOf(network, "a", "b", 99).dropped).toBe(false);
    expect(fateOf(network, "a", "b", 200).dropped).toBe(false);
    expect(chooser.asked.map((decision) => decision.kind)).toEqual(["latency", "latency"]);
  });

  it("never asks about a fault whose probability is 0", () => {
    const { network, chooser } = networkWith([], { ...PROFILE, dropProbability: 0, delayProbability: 0, duplicateProbability: 0, latencyJitterMs: 0 });
    fateOf(network, "a", "b", 150);
    expect(chooser.asked).toEqual([]);
  });
});

describe("partitions", () => {
  it("separate exactly the nodes on different sides, until healed", () => {
    const { network } = networkWith([]);
    expect(network.separated("a", "b")).toBe(false);
    network.split((node) => (node === "c" ? 1 : 0));
    expect(network.partitioned).toBe(true);
    expect(network.separated("a", "b")).toBe(false);
    expect(network.separated("a", "c")).toBe(true);
    expect(network.separated("c", "b")).toBe(true);
    expect(NODES.map((node) => network.groupOf(node))).toEqual([0, 0, 1]);
    network.heal();
    expect(network.separated("a", "c")).toBe(false);
    expect(NODES.map((node) => network.groupOf(node))).toEqual([0, 0, 0]);
  });
});

describe("a message's fate at the ends of its ranges", () => {
  const clampAll = (kind: "latency" | "delay-ms" | "duplicate-ms"): Decision => ({ kind, from: "a", to: "b", n: 1, value: 1e6 });

  it("jitter, delay and a duplicate's delay reach the top of their ranges and no further", () => {
    const { network } = networkWith([clampAll("latency"), { kind: "delay", from: "a", to: "b", n: 1, value: 1 }, clampAll("delay-ms"), { kind: "duplicate", from: "a", to: "b", n: 1, value: 1 }, clampAll("duplicate-ms")]);
    // latency 5 + jitter ≤ 4 + delay 1 + ≤ 29; a duplicate's delay: latency + up to max(delayMaxMs, latencyMs).
    expect(fateOf(network, "a", "b", 150)).toEqual({ dropped: false, delayMs: 5 + 4 + 1 + 29, duplicateDelayMs: 5 + 30 });
  });

  it("with no delayMaxMs a delay is still one millisecond, and a duplicate's delay spans the latency", () => {
    const profile = { ...PROFILE, delayMaxMs: 0, latencyJitterMs: 0 };
    const { network } = networkWith([{ kind: "delay", from: "a", to: "b", n: 1, value: 1 }, clampAll("delay-ms"), { kind: "duplicate", from: "a", to: "b", n: 1, value: 1 }, clampAll("duplicate-ms")], profile);
    expect(fateOf(network, "a", "b", 150)).toEqual({ dropped: false, delayMs: 5 + 1, duplicateDelayMs: 5 + 5 });
  });

  it("a dropped message has no duplicate, even right after one that had", () => {
    const { network, chooser } = networkWith([{ kind: "duplicate", from: "a", to: "b", n: 1, value: 1 }, { kind: "drop", from: "a", to: "b", n: 2, value: 1 }]);
    expect(fateOf(network, "a", "b", 150).duplicateDelayMs).toBe(5);
    expect(fateOf(network, "a", "b", 150)).toMatchObject({ dropped: true, duplicateDelayMs: -1 });
    // Nothing more is asked about a dropped message.
    expect(chooser.asked.filter((decision) => "n" in decision && decision.n === 2).map((decision) => decision.kind)).toEqual(["drop"]);
  });

  it("counts messages on each of the nine channels apart, and tells the targeted nemeses of each send first", () => {
    const { network, chooser } = networkWith([], { ...PROFILE, dropProbability: 0, delayProbability: 0, duplicateProbability: 0 });
    const told: string[] = [];
    network.sendListener = { onSend: (from) => void told.push(`${from}@${chooser.asked.length}`) };
    const channels = NODES.flatMap((from) => NODES.map((to) => [from, to] as const));
    for (let round = 1; round <= 2; round++) for (const [from, to] of channels) network.transmit(from, to, 150);
    const asked = chooser.asked.map((decision) => ("n" in decision ? `${decision.from}${decision.to}${decision.n}` : "?"));
    expect(asked).toEqual([1, 2].flatMap((round) => channels.map(([from, to]) => `${from}${to}${round}`)));
    expect(told.slice(0, 3)).toEqual(["a@0", "a@1", "a@2"]);
  });
});
