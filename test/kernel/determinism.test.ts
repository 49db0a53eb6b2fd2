// Determinism is the product: no ambient time or randomness in src/ or scenarios/ (a scan), a
// runtime guard that catches what the scan cannot see (a NondeterminismError naming the user's
// line, never a verdict). Same hashes across worker threads: determinism.threads.test.ts.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import * as nodeCrypto from "node:crypto";
import { randomBytes, randomUUID } from "node:crypto";
import { defineNode, defineScenario, execute, NondeterminismError } from "../../src/index.ts";
import delivery from "../../scenarios/delivery.ts";

const FORBIDDEN = /Math\.random|Date\.now|new Date\(|performance\.now|setTimeout|setInterval|setImmediate|process\.hrtime|crypto\.getRandomValues|randomUUID/;
/** Outside the simulation path: the CLI's timing and the benchmarks. */
const EXEMPT = /^src\/(cli|bench)\//;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js|mjs)$/.test(name) ? [path] : [];
  });
}

describe("determinism", () => {
  test("src/ and scenarios/ use no ambient time, randomness or real timers", () => {
    const offenders: string[] = [];
    for (const file of [...sourceFiles("src"), ...sourceFiles("scenarios")]) {
      if (EXEMPT.test(file) || file === "src/kernel/guard.ts") continue;
      readFileSync(file, "utf8").split("\n").forEach((line, index) => {
        if (FORBIDDEN.test(line) && !line.includes("determinism-ok")) offenders.push(`${file}:${index + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  test("the scan would catch an offender", () => {
    expect(FORBIDDEN.test("const x = Math.random();")).toBe(true);
    expect(FORBIDDEN.test("ctx.random.next()")).toBe(false);
  });

  /** A one-node scenario whose node calls `cheat` when it starts (or in a timer, under faults). */
  function cheating(name: string, cheat: () => unknown, swallow = false) {
    return defineScenario({
      name: `cheat-${name}`,
      description: "reaches outside the seed",
      variants: [{ name: "default", expect: "holds", description: "" }],
      workload: () => null,
      nodes: () => ({
        a: defineNode({
          init: () => ({}),
          start: () => {
            if (!swallow) return void cheat();
            try {
              cheat();
            } catch {
              // a library that falls back when the clock throws: the guard must still see it
            }
          },
        }),
      }),
      project: () => null,
    });
  }

  const CHEATS: Readonly<Record<string, () => unknown>> = {
    "Math.random()": () => Math.random(),
    "Date.now()": () => Date.now(),
    "new Date()": () => new Date().getTime(),
    "Date()": () => Date(),
    "performance.now()": () => performance.now(),
    "process.hrtime()": () => process.hrtime(),
    "process.hrtime.bigint()": () => process.hrtime.bigint(),
    "setTimeout()": () => setTimeout(() => {}, 1),
    "setInterval()": () => clearInterval(setInterval(() => {}, 1)),
    "setImmediate()": () => setImmediate(() => {}),
    "queueMicrotask()": () => queueMicrotask(() => {}),
    "crypto.getRandomValues()": () => crypto.getRandomValues(new Uint8Array(4)),
    "crypto.randomUUID()": () => crypto.randomUUID(),
    "crypto.randomBytes()": () => randomBytes(4),
    "crypto.randomInt()": () => nodeCrypto.randomInt(10),
    "crypto.randomUUID() (node:crypto)": () => randomUUID(),
  };

  test("a scenario that reaches for ambient time, randomness or real-time scheduling is non-determinism naming its line, never a verdict", () => {
    for (const [what, cheat] of Object.entries(CHEATS)) {
      const scenario = cheating(what, cheat);
      let thrown: unknown;
      try {
        execute({ scenario, variant: "default", seed: 1, faults: "none" });
      } catch (error) {
        thrown = error;
      }
      expect(thrown, what).toBeInstanceOf(NondeterminismError);
      expect((thrown as Error).message, what).toContain(`${what.replace(/ \(node:crypto\)$/, "")} was called while an execution ran`);
      expect((thrown as Error).message, what).toMatch(/\(at test\/kernel\/determinism\.test\.ts:\d+:\d+\)/);
    }
  });

  test("a hit the scenario catches and swallows is reported all the same", () => {
    expect(() => execute({ scenario: cheating("swallowed", () => Date.now(), true), variant: "default", seed: 1, faults: "none" })).toThrow(NondeterminismError);
  });

  test("outside an execution every guarded function works as before", () => {
    for (const scenario of [cheating("before", () => Math.random())]) expect(() => execute({ scenario, variant: "default", seed: 1, faults: "none" })).toThrow();
    expect(typeof Math.random()).toBe("number");
    expect(typeof Date.now()).toBe("number");
    expect(new Date(0).toISOString()).toBe("1970-01-01T00:00:00.000Z");
    expect(new Date()).toBeInstanceOf(Date);
    expect(new Date().constructor).toBe(Date);
    expect(typeof process.hrtime.bigint()).toBe("bigint");
    expect(randomBytes(4)).toHaveLength(4);
    expect(randomUUID()).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof performance.now()).toBe("number");
  });
});
