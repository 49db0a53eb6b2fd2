// The body of one sweep worker thread: loads scenarios by their reference (a built-in name or a
// file path), executes the seeds it is given and answers with their outcomes; for the determinism
// check it re-executes seeds and returns the trace of any whose physical hash differs.

import { parentPort } from "node:worker_threads";
import { errorKindOf } from "../../core/errors.ts";
import type { TraceEvent } from "../../core/events.ts";
import type { VariantSpec } from "../../execution/spec.ts";
import { definitionFingerprint, type DefinitionFingerprint } from "../definitionFingerprint.ts";
import { importScenario, type ScenarioModule } from "../loader.ts";
import { seedOutcomeOf, SeedRunner } from "../sweep.ts";
import type { ScenarioTrouble, SeedOutcome } from "../tally.ts";

/** A sweep as a worker can load it: the variant spec with its scenario named by module. */
export interface SweepJob extends VariantSpec<ScenarioModule> {
  /** How the user named the scenario, for messages. */
  readonly source: string;
  readonly varyWorkload: boolean;
}

export type WorkerTask =
  | { readonly kind: "sweep"; readonly job: SweepJob; readonly seeds: readonly number[] }
  | { readonly kind: "check"; readonly job: SweepJob; readonly seeds: readonly number[]; readonly physicalHashes: readonly string[] }
  | { readonly kind: "trace"; readonly job: SweepJob; readonly seed: number }
  /** A fresh load of a scenario's module, fingerprinted (explore/stableDefinition.ts). */
  | { readonly kind: "fingerprint"; readonly scenario: ScenarioModule; readonly source: string };

export interface SeedCheck {
  readonly seed: number;
  readonly physicalHash: string;
  /** Only when the hash differs from the one asked about. */
  readonly trace?: readonly TraceEvent[];
}

export type WorkerReply =
  /** The seeds' outcomes, up to the first seed the scenario broke (then `trouble`). */
  | { readonly kind: "sweep"; readonly outcomes: readonly SeedOutcome[]; readonly trouble: ScenarioTrouble | null }
  | { readonly kind: "check"; readonly checks: readonly SeedCheck[] }
  | { readonly kind: "trace"; readonly physicalHash: string; readonly trace: readonly TraceEvent[] }
  | { readonly kind: "fingerprint"; readonly fingerprint: DefinitionFingerprint }
  /** A typed error (core/errors.ts) crosses the thread by its kind. */
  | { readonly kind: "error"; readonly errorKind: string; readonly message: string };

const runners = new Map<string, Promise<SeedRunner>>();

function runnerOf(job: SweepJob): Promise<SeedRunner> {
  const key = JSON.stringify(job);
  let runner = runners.get(key);
  if (runner === undefined) {
    runner = importScenario(job.scenario, job.source).then((scenario) => new SeedRunner({ ...job, scenario }));
    runners.set(key, runner);
  }
  return runner;
}

async function handle(task: WorkerTask): Promise<WorkerReply> {
  if (task.kind === "fingerprint") return { kind: "fingerprint", fingerprint: definitionFingerprint(await importScenario(task.scenario, task.source)) };
  const runner = await runnerOf(task.job);
  switch (task.kind) {
    case "sweep": {
      const outcomes: SeedOutcome[] = [];
      for (const seed of task.seeds) {
        const attempt = runner.attempt(seed);
        if ("trouble" in attempt) return { kind: "sweep", outcomes, trouble: attempt.trouble };
        outcomes.push(seedOutcomeOf(attempt.result));
      }
      return { kind: "sweep", outcomes, trouble: null };
    }
    case "check":
      return {
        kind: "check",
        checks: task.seeds.map((seed, index) => {
          const result = runner.execute(seed);
          const same = result.physicalHash === task.physicalHashes[index];
          return same ? { seed, physicalHash: result.physicalHash } : { seed, physicalHash: result.physicalHash, trace: result.trace };
        }),
      };
    case "trace": {
      const result = runner.execute(task.seed);
      return { kind: "trace", physicalHash: result.physicalHash, trace: result.trace };
    }
  }
}

const port = parentPort;
if (port !== null) {
  port.on("message", (task: WorkerTask) => {
    handle(task).then(
      (reply) => port.postMessage(reply),
      (error: unknown) => port.postMessage({ kind: "error", errorKind: errorKindOf(error), message: error instanceof Error ? error.message : String(error) }),
    );
  });
  port.postMessage({ kind: "ready" });
}
