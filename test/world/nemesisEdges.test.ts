// The nemesis and the targeted nemeses at their edges, on the hand-made host: one partition at a
// time, and only between several nodes; a crash strikes only an up node; an old partition's end
// does not end a newer one; drawn durations reach both ends of their range; a phase's heal is not
// the final heal; the leader-isolate cut draws the non-members that go with the leader; a trap is
// disarmed by a heal and springs on nothing that is down; a churn stops after its count.

import { describe, expect, test } from "vitest";
import type { Roles } from "../../src/core/scenario.ts";
import { Tape, type Decision } from "../../src/core/tape.ts";
import { RecordingChooser, TapeChooser } from "../../src/kernel/choosers.ts";
import { NAMED_PROFILES, type FaultProfile } from "../../src/world/faults.ts";
import { Nemesis } from "../../src/world/nemesis.ts";
import { Network } from "../../src/world/network.ts";
import { FakeHost } from "../fixtures/worldHost.ts";

const QUIET: FaultProfile = { ...NAMED_PROFILES.none!, faultStartMs: 0, faultEndMs: 100, tickMs: 20, healAtMs: 1000, restartMinMs: 20, restartMaxMs: 200, partitionMinMs: 50, partitionMaxMs: 300 };

function run(decisions: Decision[], profile: FaultProfile, nodeIds?: readonly string[], roles: Roles = {}, before?: (host: FakeHost, network: Network) => void) {
  const host = new FakeHost(nodeIds);
  host.rolesNow = roles;
  const chooser = new RecordingChooser(new TapeChooser(new Tape(decisions)));
  const network = new Network(profile, chooser, host.nodeIds);
  const nemesis = new Nemesis(host, network, profile, chooser);
  nemesis.arm();
  before?.(host, network);
  const healedAt: string[] = [];
  host.at(profile.healAtMs - 1, "probe", () => void healedAt.push(`${nemesis.healed}`));
  host.at(profile.healAtMs + 1, "probe", () => void healedAt.push(`${nemesis.healed}`));
  const labels = host.runAll();
  return { host, network, chooser, labels, healedAt };
}

const faultsIn = (host: FakeHost) => host.trace.filter((event) => event.kind !== "restart").map((event) => `${event.kind}@${event.timeMs}`);

describe("the random nemesis", () => {
  const PARTITIONS = { ...QUIET, partitionProbability: 0.5 };

  test("splits only a whole network: a partition drawn while one lasts is not even asked", () => {
    const { host, chooser } = run([{ kind: "partition", tick: 0, value: 1 }, { kind: "partition", tick: 1, value: 1 }, { kind: "partition", tick: 3, value: 1 }], PARTITIONS);
    expect(faultsIn(host)).toEqual(["partition@0", "heal@50", "partition@60", "heal@110"]);
    // Ticks 1 and 2 (20, 40 ms) fall inside the first partition, tick 4 (80 ms) inside the second.
    expect(chooser.asked.filter((decision) => decision.kind === "partition").map((decision) => "tick" in decision && decision.tick)).toEqual([0, 3]);
  });

  test("never splits a single node", () => {
    const { chooser, host } = run([{ kind: "partition", tick: 0, value: 1 }], PARTITIONS, ["solo"]);
    expect(chooser.asked).toEqual([]);
    expect(host.trace).toEqual([]);
  });

  test("the cut and the duration reach both ends of their ranges", () => {
    // Four nodes: the cut is 1 + a draw below 2^3 - 1 = 7; asking 10 is clamped to 6, so mask 7 moves all three.
    const wide = run([{ kind: "partition", tick: 0, value: 1 }, { kind: "partition-cut", tick: 0, value: 10 }, { kind: "partition-ms", tick: 0, value: 999 }], PARTITIONS, ["a", "b", "c", "d"]);
    expect(wide.host.trace.slice(0, 2)).toEqual([
      { kind: "partition", timeMs: 0, node: "*", groups: [["a"], ["b", "c", "d"]] },
      { kind: "heal", timeMs: QUIET.partitionMaxMs, node: "*" },
    ]);
    // Cut 1 + 4 = 0b101: the first and third node after a.
    const picked = run([{ kind: "partition", tick: 0, value: 1 }, { kind: "partition-cut", tick: 0, value: 4 }], PARTITIONS, ["a", "b", "c", "d"]);
    expect(picked.host.trace[0]).toEqual({ kind: "partition", timeMs: 0, node: "*", groups: [["a", "c"], ["b", "d"]] });
    expect(picked.host.trace[1]).toEqual({ kind: "heal", timeMs: QUIET.partitionMinMs, node: "*" });
  });

  test("a partition's end does not end a newer partition", () => {
    // Two phases: [0, 30) and [70, 100). Partition 1 (at 0, drawn to last 300 ms) ends at the phase heal (30);
    // partition 2 starts at 80 for 60 ms. Partition 1's own end, at 300, must leave nothing to end.
    const phased = { ...PARTITIONS, faultPhases: 2, quietMs: 40, tickMs: 10 };
    const { host } = run([
      { kind: "partition", tick: 0, value: 1 }, { kind: "partition-ms", tick: 0, value: 250 },
      { kind: "partition", tick: 4, value: 1 }, { kind: "partition-ms", tick: 4, value: 250 },
    ], phased);
    expect(faultsIn(host)).toEqual(["partition@0", "heal@30", "partition@80", "heal@380"]);
    // And partition 2's own end still ends it when nothing else did.
    const late = run([{ kind: "partition", tick: 4, value: 1 }, { kind: "partition-ms", tick: 4, value: 10 }], phased);
    expect(faultsIn(late.host)).toEqual(["partition@80", "heal@140"]);
  });

  test("crashes only up nodes, and the restart delay reaches both ends of its range", () => {
    const CRASHES = { ...QUIET, crashProbability: 0.5 };
    const { host, chooser } = run([
      { kind: "crash", tick: 0, node: "b", value: 1 }, { kind: "restart-ms", tick: 0, node: "b", value: 999 },
      { kind: "crash", tick: 1, node: "c", value: 1 },
    ], CRASHES);
    expect(host.restarts).toEqual([{ node: "b", atMs: QUIET.restartMaxMs }, { node: "c", atMs: 20 + QUIET.restartMinMs }]);
    // The fake host never runs a scheduled restart: b and c stay down and are never asked about again.
    const askedAbout = (node: string) => chooser.asked.filter((decision) => decision.kind === "crash" && "node" in decision && decision.node === node).length;
    expect([askedAbout("a"), askedAbout("b"), askedAbout("c")]).toEqual([5, 1, 2]);
  });

  test("asks about no fault whose probability is 0: no split while only crashes are on, no tear while torn writes are off", () => {
    const { chooser } = run([{ kind: "crash", tick: 0, node: "a", value: 1 }], { ...QUIET, crashProbability: 0.5, tornWriteProbability: 0 }, undefined, {}, (host) => {
      host.diskOf("a").append("log", "unsynced");
    });
    expect(new Set(chooser.asked.map((decision) => decision.kind))).toEqual(new Set(["crash", "restart-ms"]));
  });

  test("with torn writes on, a crash asks about the tear, and its cut only when the tear happens", () => {
    const { chooser } = run([{ kind: "crash", tick: 0, node: "a", value: 1 }], { ...QUIET, crashProbability: 0.5, tornWriteProbability: 0.5 }, undefined, {}, (host) => {
      host.diskOf("a").append("log", "unsynced");
    });
    expect(chooser.asked.filter((decision) => "node" in decision && decision.node === "a" && "tick" in decision && decision.tick === 0).map((decision) => decision.kind)).toEqual(["crash", "torn", "restart-ms"]);
  });

  test("a skew reaches both ends of ±clockSkewMaxMs", () => {
    const SKEWS = { ...QUIET, clockSkewProbability: 0.5, clockSkewMaxMs: 15 };
    const { host } = run([
      { kind: "skew", tick: 0, node: "a", value: 1 },
      { kind: "skew", tick: 1, node: "a", value: 1 }, { kind: "skew-ms", tick: 1, node: "a", value: 999 },
    ], SKEWS);
    expect(host.trace.filter((event) => event.kind === "skew").map((event) => event.kind === "skew" && event.skewMs)).toEqual([-15, 15]);
  });

  test("a phase's heal ends its partition and restarts crashed nodes but is not the final heal", () => {
    const phased = { ...QUIET, crashProbability: 0.5, faultPhases: 2, quietMs: 40 };
    const { host, labels, healedAt } = run([{ kind: "crash", tick: 0, node: "a", value: 1 }], phased);
    expect(labels).toContain("phase-heal@30");
    expect(host.trace.filter((event) => event.kind === "restart")).toEqual([{ kind: "restart", timeMs: 30, node: "a" }]);
    expect(healedAt).toEqual(["false", "true"]);
  });
});

describe("the targeted nemeses", () => {
  const TARGETED = { ...QUIET, tickMs: 20, isolateMinMs: 10, isolateMaxMs: 40 };

  test("leader-isolate: the drawn cut sends chosen non-members with the leader, members never", () => {
    const profile = { ...TARGETED, leaderIsolateProbability: 0.5 };
    const roles: Roles = { leader: ["b"], members: ["a", "b", "c"] };
    const nodes = ["a", "b", "c", "x", "y"];
    // Non-members x and y: cut 0b10 sends y with the leader.
    const { host } = run([{ kind: "leader-isolate", tick: 0, value: 1 }, { kind: "leader-isolate-cut", tick: 0, value: 2 }, { kind: "leader-isolate-ms", tick: 0, value: 999 }], profile, nodes, roles);
    expect(host.trace.slice(0, 2)).toEqual([
      { kind: "partition", timeMs: 0, node: "*", groups: [["a", "c", "x"], ["b", "y"]] },
      { kind: "heal", timeMs: TARGETED.isolateMaxMs, node: "*" },
    ]);
    // Without members named, every node is a member: no cut is asked.
    const all = run([{ kind: "leader-isolate", tick: 0, value: 1 }], profile, nodes, { leader: ["b"] });
    expect(all.chooser.asked.map((decision) => decision.kind)).not.toContain("leader-isolate-cut");
    expect(all.host.trace[0]).toEqual({ kind: "partition", timeMs: 0, node: "*", groups: [["a", "c", "x", "y"], ["b"]] });
    expect(all.host.trace[1]).toEqual({ kind: "heal", timeMs: TARGETED.isolateMinMs, node: "*" });
  });

  test("each targeted nemesis is asked about only when it is on, and only when its role has a holder", () => {
    const roles: Roles = { leader: ["a"], voter: ["b"] };
    const only = (field: "leaderCrashProbability" | "leaderIsolateProbability" | "voterIsolateProbability" | "leaderChurnProbability") =>
      new Set(run([], { ...TARGETED, [field]: 0.5 }, undefined, roles).chooser.asked.map((decision) => decision.kind));
    expect(only("leaderCrashProbability")).toEqual(new Set(["leader-crash"]));
    expect(only("leaderIsolateProbability")).toEqual(new Set(["leader-isolate"]));
    expect(only("voterIsolateProbability")).toEqual(new Set(["voter-isolate"]));
    expect(only("leaderChurnProbability")).toEqual(new Set(["leader-churn"]));
    const everything = { ...TARGETED, leaderCrashProbability: 0.5, leaderIsolateProbability: 0.5, voterIsolateProbability: 0.5 };
    expect(run([{ kind: "leader-crash", tick: 0, value: 1 }, { kind: "voter-isolate", tick: 0, value: 1 }], everything, undefined, {}).chooser.asked).toEqual([]);
  });

  test("an armed trap is not drawn again until it springs", () => {
    const profile = { ...TARGETED, leaderCrashProbability: 0.5 };
    const { chooser } = run([{ kind: "leader-crash", tick: 0, value: 1 }, { kind: "leader-crash", tick: 1, value: 1 }], profile, undefined, { leader: ["a"] });
    expect(chooser.asked.map((decision) => "tick" in decision && `${decision.kind}@${decision.tick}`)).toEqual(["leader-crash@0"]);
  });

  test("a voter's isolation lasts the drawn time", () => {
    const profile = { ...TARGETED, voterIsolateProbability: 0.5 };
    const { host } = run([{ kind: "voter-isolate", tick: 0, value: 1 }, { kind: "voter-isolate-ms", tick: 0, value: 7 }], profile, undefined, { voter: ["c"] });
    expect(host.trace.slice(0, 2).map((event) => `${event.kind}@${event.timeMs}`)).toEqual(["partition@0", `heal@${TARGETED.isolateMinMs + 7}`]);
  });

  test("a churn isolates exactly the leader, and nothing while no leader is up", () => {
    const profile = { ...TARGETED, leaderChurnProbability: 0.5, isolateMinMs: 5, isolateMaxMs: 5 };
    const { host } = run([{ kind: "leader-churn", tick: 0, value: 1 }], profile, undefined, { leader: ["a"] });
    expect(host.trace[0]).toEqual({ kind: "partition", timeMs: 0, node: "*", groups: [["b", "c"], ["a"]] });
    const leaderless = run([{ kind: "leader-churn", tick: 0, value: 1 }], profile, undefined, { leader: ["a"] }, (fake) => void fake.up.set("a", false));
    expect(leaderless.host.trace.filter((event) => event.kind === "partition")).toEqual([]);
  });

  test("a sprung trap's restart delay reaches the top of its range", () => {
    const profile = { ...TARGETED, leaderCrashProbability: 0.5 };
    const { host } = run([{ kind: "leader-crash", tick: 0, value: 1 }, { kind: "leader-crash-ms", tick: 0, value: 999 }], profile, undefined, { leader: ["b"] }, (fake, network) => {
      fake.at(10, "b sends", () => void network.transmit("b", "a", fake.timeMs));
    });
    expect(host.restarts).toEqual([{ node: "b", atMs: 10 + TARGETED.restartMaxMs }]);
  });

  test("a leader-isolate cut draws from at most 16 non-members", () => {
    const profile = { ...TARGETED, leaderIsolateProbability: 0.5 };
    const nodes = ["a", "b", ...Array.from({ length: 18 }, (_, index) => `client${index}`)];
    const { chooser } = run([{ kind: "leader-isolate", tick: 0, value: 1 }], profile, nodes, { leader: ["a"], members: ["a", "b"] });
    const cut = chooser.asked.findIndex((decision) => decision.kind === "leader-isolate-cut");
    expect(chooser.options[cut]).toBe(2 ** 16);
  });

  test("a leader the roles do not list among the members is not drawn into its own cut", () => {
    const profile = { ...TARGETED, leaderIsolateProbability: 0.5 };
    // x leads but is not a member: the only non-member that can go with it is y.
    const { chooser, host } = run([{ kind: "leader-isolate", tick: 0, value: 1 }, { kind: "leader-isolate-cut", tick: 0, value: 1 }], profile, ["a", "b", "x", "y"], { leader: ["x"], members: ["a", "b"] });
    const cut = chooser.asked.findIndex((decision) => decision.kind === "leader-isolate-cut");
    expect(chooser.options[cut]).toBe(2);
    expect(host.trace[0]).toEqual({ kind: "partition", timeMs: 0, node: "*", groups: [["a", "b"], ["x", "y"]] });
  });

  test("the role's holder is the first up node of its list", () => {
    const profile = { ...TARGETED, voterIsolateProbability: 0.5 };
    const { host } = run([{ kind: "voter-isolate", tick: 0, value: 1 }], profile, undefined, { voter: ["a", "c"] }, (fake) => void fake.up.set("a", false));
    expect(host.trace[0]).toEqual({ kind: "partition", timeMs: 0, node: "*", groups: [["a", "b"], ["c"]] });
  });

  test("no isolation is drawn while the network is split", () => {
    const profile = { ...TARGETED, leaderIsolateProbability: 0.5, voterIsolateProbability: 0.5, partitionProbability: 0.5 };
    const roles: Roles = { leader: ["a"], voter: ["b"] };
    const { chooser } = run([{ kind: "partition", tick: 0, value: 1 }, { kind: "partition-ms", tick: 0, value: 250 }], profile, undefined, roles);
    // The random partition lasts from 0 to 300 ms, past the fault period: no targeted isolation is asked.
    expect(chooser.asked.map((decision) => decision.kind).filter((kind) => kind.endsWith("isolate"))).toEqual([]);
  });

  test("a trap is disarmed by a phase's heal, and springs on nothing while its leader is down", () => {
    const profile = { ...TARGETED, leaderCrashProbability: 0.5, faultPhases: 2, quietMs: 40 };
    const roles: Roles = { leader: ["b"] };
    // Armed at tick 0; the phase heal at 30 disarms it; b's send at 50 crashes nothing.
    const disarmed = run([{ kind: "leader-crash", tick: 0, value: 1 }], profile, undefined, roles, (host, network) => {
      host.at(50, "b sends", () => void network.transmit("b", "a", host.timeMs));
    });
    expect(disarmed.host.trace.filter((event) => event.kind === "crash")).toEqual([]);
    // Armed at tick 0; b sends at 10 but is down by then (crashed by hand): the trap springs on nothing.
    const down = run([{ kind: "leader-crash", tick: 0, value: 1 }], profile, undefined, roles, (host, network) => {
      host.at(10, "b sends and goes down", () => {
        network.transmit("b", "a", host.timeMs);
        host.up.set("b", false);
      });
    });
    expect(down.host.trace.filter((event) => event.kind === "crash")).toEqual([]);
    expect(down.host.restarts).toEqual([]);
  });

  test("a churn stops after its count and is not redrawn while it runs", () => {
    const profile = { ...TARGETED, leaderChurnProbability: 0.5, faultEndMs: 200, isolateMinMs: 5, isolateMaxMs: 5 };
    const { host, chooser } = run([{ kind: "leader-churn", tick: 0, value: 1 }], profile, undefined, { leader: ["a"] });
    // 2 depositions (count 0), at ticks 0 and 1; the next churn draw is at tick 2.
    expect(host.trace.filter((event) => event.kind === "partition").map((event) => event.timeMs)).toEqual([0, 20]);
    expect(chooser.asked.filter((decision) => decision.kind === "leader-churn").map((decision) => "tick" in decision && decision.tick)).toEqual([0, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe("a fault period with nothing in it", () => {
  test("draws no tick, and still heals at healAtMs", () => {
    const { labels } = run([], { ...QUIET, crashProbability: 0.5, faultStartMs: 60, faultEndMs: 60 });
    expect(labels).toEqual(["probe@999", "heal@1000", "probe@1001"]);
  });
});
