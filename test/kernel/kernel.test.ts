// Properties of the simulation kernel, checked with fast-check over seeds and fault profiles:
// same seed same trace; (time, seq) order; partitions; heal; delivery counts; timers and crashes.

import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { defineNode, defineScenario, execute } from "../../src/index.ts";
import { NAMED_PROFILES, resolveFaults } from "../../src/world/faults.ts";
import { propertyOptions } from "../fixtures/propertyRuns.ts";
import { chatterRun } from "../fixtures/traces.ts";

const seeds = fc.integer({ min: 0, max: 1_000_000 });
const profiles = fc.constantFrom("light", "heavy", "swarm");
const runs = propertyOptions(60);

describe("kernel properties", () => {
  test("same seed, same trace and hashes", () => {
    fc.assert(
      fc.property(seeds, profiles, (seed, profile) => {
        const first = chatterRun(seed, profile);
        const second = chatterRun(seed, profile);
        expect(second.physicalHash).toBe(first.physicalHash);
        expect(second.logicalHash).toBe(first.logicalHash);
        expect(second.trace).toEqual(first.trace);
      }),
      runs,
    );
  });

  test("events are carried out in virtual-time order", () => {
    fc.assert(
      fc.property(seeds, profiles, (seed, profile) => {
        const trace = chatterRun(seed, profile).trace;
        for (let index = 1; index < trace.length; index++) expect(trace[index]!.timeMs).toBeGreaterThanOrEqual(trace[index - 1]!.timeMs);
      }),
      runs,
    );
  });

  test("nothing crosses a partition, and nothing is delivered to a down node", () => {
    const partitioning = { ...NAMED_PROFILES.heavy!, partitionProbability: 0.2, crashProbability: 0.05 };
    let partitionsSeen = 0;
    fc.assert(
      fc.property(seeds, (seed) => {
        let group = new Map<string, number>();
        const down = new Set<string>();
        for (const event of chatterRun(seed, partitioning).trace) {
          if (event.kind === "partition") {
            partitionsSeen++;
            group = new Map(event.groups.flatMap((nodes, index) => nodes.map((node) => [node, index] as const)));
          }
          if (event.kind === "heal") group = new Map();
          if (event.kind === "crash") down.add(event.node);
          if (event.kind === "restart") down.delete(event.node);
          if (event.kind === "deliver") {
            expect(group.get(event.from) ?? 0).toBe(group.get(event.node) ?? 0);
            expect(down.has(event.node)).toBe(false);
          }
        }
      }),
      runs,
    );
    expect(partitionsSeen).toBeGreaterThan(0);
  });

  test("no fault happens at or after the heal time, and every node is up after it", () => {
    fc.assert(
      fc.property(seeds, profiles, (seed, profile) => {
        const healAtMs = resolveFaults(profile, seed).healAtMs;
        const result = chatterRun(seed, profile);
        const faultKinds = new Set(["duplicate", "crash", "partition", "skew", "torn"]);
        for (const event of result.trace) {
          if (event.timeMs < healAtMs) continue;
          expect(faultKinds.has(event.kind)).toBe(false);
          if (event.kind === "drop") expect.fail(`a message was dropped (${event.reason}) at ${event.timeMs} ms, after the heal at ${healAtMs} ms`);
        }
      }),
      runs,
    );
  });

  test("every copy of a message is delivered or dropped once: deliveries + drops = 1 + duplicates", () => {
    // Not only at most once plus once per duplicate: a copy the kernel lost without a drop event,
    // or delivered twice, breaks the equality. The run is quiescent, so nothing is left in flight.
    let duplicated = 0;
    let dropped = 0;
    fc.assert(
      fc.property(seeds, profiles, (seed, profile) => {
        const result = chatterRun(seed, profile);
        expect(result.endReason).toBe("quiescent");
        const copies = new Map<number, number>();
        const fates = new Map<number, number>();
        for (const event of result.trace) {
          if (event.kind === "send") copies.set(event.messageId, 1);
          if (event.kind === "duplicate") {
            copies.set(event.messageId, copies.get(event.messageId)! + 1);
            duplicated++;
          }
          if (event.kind === "deliver" || event.kind === "drop") fates.set(event.messageId, (fates.get(event.messageId) ?? 0) + 1);
          if (event.kind === "drop") dropped++;
        }
        expect(new Map([...fates].sort((a, b) => a[0] - b[0]))).toEqual(new Map([...copies].sort((a, b) => a[0] - b[0])));
      }),
      runs,
    );
    expect(duplicated).toBeGreaterThan(0);
    expect(dropped).toBeGreaterThan(0);
  });

  test("timers of a crashed incarnation never fire, and volatile state is rebuilt by init", () => {
    const crashAtZero = (crashProbability: number) => ({
      ...NAMED_PROFILES.none!, name: "crash-at-zero", crashProbability, faultStartMs: 0, faultEndMs: 10, healAtMs: 10, restartMinMs: 5, restartMaxMs: 5,
    });
    const sleeper = defineScenario({
      name: "sleeper",
      description: "arms one timer at start",
      variants: [{ name: "default", expect: "holds", description: "" }],
      workload: () => null,
      nodes: () => ({
        a: defineNode<{ booted: number }>({
          init: () => ({ booted: 1 }),
          start: (_state, ctx) => void ctx.setTimer("late", 500),
          timer: (_state, ctx, name) => ctx.note("fired", name),
        }),
      }),
      project: (view) => view.notes("fired").map((note) => note.value),
    });
    const calm = execute({ scenario: sleeper, variant: "default", seed: 1, faults: crashAtZero(0) });
    expect(calm.logical).toEqual(["late"]);
    const crashed = execute({ scenario: sleeper, variant: "default", seed: 1, faults: crashAtZero(1) });
    expect(crashed.trace.map((event) => event.kind)).toEqual(["start", "crash", "restart"]);
    expect(crashed.logical).toEqual([]);
  });

  test("distinct seeds give distinct physical traces under faults", () => {
    const hashes = new Set<string>();
    for (let seed = 1; seed <= 100; seed++) hashes.add(chatterRun(seed, "heavy").physicalHash);
    expect(hashes.size).toBe(100);
  });
});
