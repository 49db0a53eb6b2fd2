// The nemesis alone, on a hand-made host: fault ticks run from faultStartMs every tickMs until
// faultEndMs; a crash takes its node down, tears or loses what was not fsynced and schedules the
// restart; a partition splits and ends; the heal makes the network whole and restarts every node.

import { describe, expect, it } from "vitest";
import type { Roles } from "../../src/core/scenario.ts";
import { Tape, type Decision } from "../../src/core/tape.ts";
import { RandomChooser, TapeChooser } from "../../src/kernel/choosers.ts";
import { faultWindows, NAMED_PROFILES, tickTimeMs, type FaultProfile } from "../../src/world/faults.ts";
import { Nemesis } from "../../src/world/nemesis.ts";
import { Network } from "../../src/world/network.ts";
import { FakeHost } from "../fixtures/worldHost.ts";

const PROFILE: FaultProfile = {
  ...NAMED_PROFILES.none!, crashProbability: 0.5, partitionProbability: 0.5, tornWriteProbability: 0.5, clockSkewProbability: 0.5, clockSkewMaxMs: 10,
  faultStartMs: 100, faultEndMs: 160, tickMs: 20, healAtMs: 500, restartMinMs: 20, restartMaxMs: 200, partitionMinMs: 50, partitionMaxMs: 300,
};

function run(decisions: Decision[], profile: FaultProfile = PROFILE, roles: Roles = {}) {
  const host = new FakeHost();
  host.rolesNow = roles;
  const chooser = new TapeChooser(new Tape(decisions));
  const network = new Network(profile, chooser, host.nodeIds);
  new Nemesis(host, network, profile, chooser).arm();
  return { host, network, labels: host.runAll() };
}

describe("the nemesis", () => {
  it("ticks from faultStartMs every tickMs while inside the window, then heals at healAtMs", () => {
    expect(run([]).labels).toEqual(["fault-tick@100", "fault-tick@120", "fault-tick@140", "heal@500"]);
  });

  it("does not tick when no per-tick fault is on", () => {
    expect(run([], { ...PROFILE, crashProbability: 0, partitionProbability: 0, clockSkewProbability: 0 }).labels).toEqual(["heal@500"]);
  });

  it("crashes the node the tape names at its tick, tears its unsynced write, and schedules its restart", () => {
    const host0 = new FakeHost();
    const disk = host0.disks.get("b")!;
    disk.write("log", "durable");
    disk.fsync("log");
    disk.append("log", "+unsynced");
    const decisions: Decision[] = [
      { kind: "crash", tick: 1, node: "b", value: 1 },
      { kind: "torn", tick: 1, node: "b", file: "log", value: 1 },
      { kind: "torn-bytes", tick: 1, node: "b", file: "log", value: 3 },
      { kind: "restart-ms", tick: 1, node: "b", value: 30 },
    ];
    const chooser = new TapeChooser(new Tape(decisions));
    const network = new Network(PROFILE, chooser, host0.nodeIds);
    new Nemesis(host0, network, PROFILE, chooser).arm();
    host0.runAll();
    expect(host0.trace.filter((event) => event.kind === "crash")).toEqual([{ kind: "crash", timeMs: 120, node: "b" }]);
    expect(host0.trace.find((event) => event.kind === "torn")).toMatchObject({ node: "b", file: "log", keptBytes: 3, lostBytes: 6 });
    expect(disk.read("log")).toBe("durable+un");
    expect(host0.restarts).toEqual([{ node: "b", atMs: 120 + PROFILE.restartMinMs + 30 }]);
    // Still down at the heal (the fake host never runs the scheduled restart): the heal restarts it.
    expect(host0.trace.at(-1)).toEqual({ kind: "restart", timeMs: 500, node: "b" });
  });

  it("splits the network at its tick by the drawn cut, ends it after the drawn time, and records both", () => {
    const { host, network } = run([
      { kind: "partition", tick: 0, value: 1 },
      { kind: "partition-cut", tick: 0, value: 1 },
      { kind: "partition-ms", tick: 0, value: 10 },
    ]);
    // Cut 1 + 1 = 0b10: the second node after the first (c) moves to group 1.
    expect(host.trace.filter((event) => event.kind === "partition" || event.kind === "heal")).toEqual([
      { kind: "partition", timeMs: 100, node: "*", groups: [["a", "b"], ["c"]] },
      { kind: "heal", timeMs: 100 + PROFILE.partitionMinMs + 10, node: "*" },
    ]);
    expect(network.partitioned).toBe(false);
  });

  it("sets a node's clock skew within ±clockSkewMaxMs", () => {
    const { host } = run([{ kind: "skew", tick: 2, node: "c", value: 1 }, { kind: "skew-ms", tick: 2, node: "c", value: 20 }]);
    expect(host.skews.get("c")).toBe(20 - PROFILE.clockSkewMaxMs);
    expect(host.trace).toContainEqual({ kind: "skew", timeMs: 140, node: "c", skewMs: 10 });
  });
});

/** The targeted nemeses alone: no random fault is on, the roles are set by hand. */
const TARGETED: FaultProfile = { ...PROFILE, crashProbability: 0, partitionProbability: 0, clockSkewProbability: 0, tornWriteProbability: 0 };

describe("the targeted nemeses", () => {
  const roles: Roles = { leader: ["b"], voter: ["c"], members: ["a", "b", "c"] };

  it("crash the leader right after its next send once the trap is armed, not before", () => {
    const host = new FakeHost();
    host.rolesNow = roles;
    const profile = { ...TARGETED, leaderCrashProbability: 0.5 };
    const chooser = new TapeChooser(new Tape([{ kind: "leader-crash", tick: 0, value: 1 }, { kind: "leader-crash-ms", tick: 0, value: 7 }]));
    const network = new Network(profile, chooser, host.nodeIds);
    new Nemesis(host, network, profile, chooser).arm();
    host.at(110, "a sends", () => void network.transmit("a", "b", host.timeMs));
    host.at(130, "b sends", () => void network.transmit("b", "a", host.timeMs));
    host.at(150, "b sends again", () => void network.transmit("b", "c", host.timeMs));
    host.runAll();
    // Armed at tick 0 (100 ms); a's send does not spring it; b's first send does, at once.
    expect(host.trace.filter((event) => event.kind === "crash")).toEqual([{ kind: "crash", timeMs: 130, node: "b" }]);
    expect(host.restarts).toEqual([{ node: "b", atMs: 130 + profile.restartMinMs + 7 }]);
  });

  it("cut the leader off from every other member for the drawn time", () => {
    const profile = { ...TARGETED, leaderIsolateProbability: 0.5 };
    const { host, network } = run([{ kind: "leader-isolate", tick: 1, value: 1 }, { kind: "leader-isolate-ms", tick: 1, value: 5 }], profile, roles);
    expect(host.trace.filter((event) => event.kind === "partition" || event.kind === "heal")).toEqual([
      { kind: "partition", timeMs: 120, node: "*", groups: [["a", "c"], ["b"]] },
      { kind: "heal", timeMs: 120 + profile.isolateMinMs + 5, node: "*" },
    ]);
    expect(network.partitioned).toBe(false);
  });

  it("isolate the node that just granted its vote", () => {
    const profile = { ...TARGETED, voterIsolateProbability: 0.5 };
    const { host } = run([{ kind: "voter-isolate", tick: 0, value: 1 }, { kind: "voter-isolate-ms", tick: 0, value: 0 }], profile, roles);
    expect(host.trace.find((event) => event.kind === "partition")).toEqual({ kind: "partition", timeMs: 100, node: "*", groups: [["a", "b"], ["c"]] });
  });

  it("churn: depose the leader at each tick while the network is whole, as many times as drawn", () => {
    const profile = { ...TARGETED, leaderChurnProbability: 0.5, faultEndMs: 400, isolateMinMs: 10, isolateMaxMs: 10 };
    const { host } = run([{ kind: "leader-churn", tick: 0, value: 1 }, { kind: "leader-churn-count", tick: 0, value: 1 }, { kind: "leader-churn-ms", tick: 0, value: 0 }], profile, roles);
    // 2 + 1 depositions, each 10 ms long, at the ticks where the network is whole again.
    expect(host.trace.filter((event) => event.kind === "partition").map((event) => event.timeMs)).toEqual([100, 120, 140]);
  });

  it("send-churn: cut each leader off right after it sends what it just wrote, moving the isolation from the last one", () => {
    const host = new FakeHost();
    host.rolesNow = { leader: ["b"], members: ["a", "b", "c"] };
    const profile = { ...TARGETED, leaderSendChurnProbability: 0.5, faultEndMs: 400, isolateMinMs: 300, isolateMaxMs: 300 };
    const chooser = new TapeChooser(new Tape([{ kind: "leader-send-churn", tick: 0, value: 1 }, { kind: "leader-send-churn-count", tick: 0, value: 1 }]));
    const network = new Network(profile, chooser, host.nodeIds);
    new Nemesis(host, network, profile, chooser).arm();
    const writes = (node: string) => () => host.disks.get(node)!.append("log", "entry;");
    const sends = (node: string) => () => void network.transmit(node, "a", host.timeMs);
    host.at(110, "b sends a heartbeat", sends("b")); // nothing written since the trap was armed (tick 0, 100 ms): not sprung
    host.at(115, "b appends", writes("b"));
    host.at(118, "b sends the entry", sends("b")); // sprung: b cut off
    host.at(125, "c is elected", () => void (host.rolesNow = { leader: ["c", "b"], members: ["a", "b", "c"] }));
    host.at(145, "c appends", writes("c")); // its trap was armed at tick 2 (140 ms), not on b, whom the churn holds
    host.at(150, "c sends the entry", sends("c")); // sprung: b let back in, c cut off
    host.at(155, "b is elected again", () => void (host.rolesNow = { leader: ["b", "c"], members: ["a", "b", "c"] }));
    host.at(165, "b appends", writes("b"));
    host.at(170, "b sends the entry", sends("b")); // armed at tick 3 (160 ms), sprung: the third and last deposition
    host.at(175, "a appends", writes("a"));
    host.at(180, "a sends", sends("a"));
    host.runAll();
    expect(host.trace.filter((event) => event.kind === "partition" || event.kind === "heal")).toEqual([
      { kind: "partition", timeMs: 118, node: "*", groups: [["a", "c"], ["b"]] },
      { kind: "heal", timeMs: 150, node: "*" },
      { kind: "partition", timeMs: 150, node: "*", groups: [["a", "b"], ["c"]] },
      { kind: "heal", timeMs: 170, node: "*" },
      { kind: "partition", timeMs: 170, node: "*", groups: [["a", "c"], ["b"]] },
      { kind: "heal", timeMs: 470, node: "*" },
    ]);
  });

  it("send-churn: a trap waits while another partition is in place, and a heal ends the churn", () => {
    const host = new FakeHost();
    host.rolesNow = { leader: ["b"], members: ["a", "b", "c"] };
    const profile = { ...TARGETED, leaderSendChurnProbability: 0.5, partitionProbability: 0.5, faultEndMs: 200, healAtMs: 200, isolateMinMs: 300, isolateMaxMs: 300 };
    const decisions: Decision[] = [
      { kind: "partition", tick: 0, value: 1 }, { kind: "partition-cut", tick: 0, value: 0 }, { kind: "partition-ms", tick: 0, value: 0 },
      { kind: "leader-send-churn", tick: 0, value: 1 },
    ];
    const chooser = new TapeChooser(new Tape(decisions));
    const network = new Network(profile, chooser, host.nodeIds);
    new Nemesis(host, network, profile, chooser).arm();
    host.at(120, "b appends", () => host.disks.get("b")!.append("log", "entry;"));
    host.at(125, "b sends", () => void network.transmit("b", "a", host.timeMs)); // the random partition (100-150 ms) holds: no trap yet
    host.at(165, "b appends", () => host.disks.get("b")!.append("log", "entry;"));
    host.at(170, "b sends", () => void network.transmit("b", "a", host.timeMs)); // armed at tick 3 (160 ms): sprung
    host.at(250, "b appends after the heal", () => host.disks.get("b")!.append("log", "entry;"));
    host.at(260, "b sends after the heal", () => void network.transmit("b", "a", host.timeMs));
    host.runAll();
    expect(host.trace.filter((event) => event.kind === "partition" || event.kind === "heal")).toEqual([
      { kind: "partition", timeMs: 100, node: "*", groups: [["a", "c"], ["b"]] },
      { kind: "heal", timeMs: 150, node: "*" },
      { kind: "partition", timeMs: 170, node: "*", groups: [["a", "c"], ["b"]] },
      { kind: "heal", timeMs: 200, node: "*" },
    ]);
  });

  it("find no target and do nothing when the scenario names no roles", () => {
    const profile = { ...TARGETED, leaderCrashProbability: 1, leaderIsolateProbability: 1, voterIsolateProbability: 1 };
    const { host } = run([], profile, {});
    expect(host.trace.filter((event) => event.kind === "partition" || event.kind === "crash")).toEqual([]);
  });
});

describe("fault phases", () => {
  it("tick only inside each window, heal between windows, and number ticks across them", () => {
    const profile = { ...PROFILE, faultStartMs: 0, faultEndMs: 100, faultPhases: 2, quietMs: 40, healAtMs: 200 };
    expect(faultWindows(profile)).toEqual([{ startMs: 0, endMs: 30 }, { startMs: 70, endMs: 100 }]);
    expect(run([], profile).labels).toEqual(["fault-tick@0", "fault-tick@20", "phase-heal@30", "fault-tick@70", "fault-tick@90", "heal@200"]);
    expect([0, 1, 2, 3].map((tick) => tickTimeMs(profile, tick))).toEqual([0, 20, 70, 90]);
  });

  it("draw no message fault in the quiet between windows", () => {
    const profile = { ...NAMED_PROFILES.none!, dropProbability: 1, faultStartMs: 0, faultEndMs: 100, faultPhases: 2, quietMs: 40, healAtMs: 100 };
    const network = new Network(profile, new RandomChooser(1), ["a", "b"]);
    expect([10, 50, 80].map((atMs) => network.transmit("a", "b", atMs).dropped)).toEqual([true, false, true]);
  });
});
