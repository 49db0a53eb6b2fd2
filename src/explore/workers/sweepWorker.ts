// The body of one worker thread: every execution the CLI runs happens here, where the watchdog in
// the main thread can stop it (pool.ts). It loads scenarios by their module, runs the task it is
// given (seeds of a sweep, one execution, a shrink, an exhaustive search, a fresh load of a
// scenario to fingerprint) and answers with plain data; a seed the scenario broke ends a chunk
// with its trouble (explore/tally.ts). Its executions beat into the heartbeat the pool shares with it (kernel/heartbeat.ts), and it
// marks which seed of a chunk it is on, so a hung or out-of-memory seed can be named.

import { parentPort, workerData } from "node:worker_threads";
import { errorKindOf } from "../../core/errors.ts";
import type { Scenario } from "../../core/scenario.ts";
import { Tape, tapeFromJson, tapeToJson } from "../../core/tape.ts";
import { computeReference, execute } from "../../execution/execute.ts";
import type { ReplayFile } from "../../execution/replayFile.ts";
import { RandomChooser, RecordingChooser, TapeChooser } from "../../kernel/choosers.ts";
import { attachHeartbeat, beatPosition } from "../../kernel/heartbeat.ts";
import { searchBounded } from "../bounded.ts";
import { boundedReport } from "../boundedReport.ts";
import { definitionFingerprint } from "../definitionFingerprint.ts";
import { exploreExhaustively } from "../exhaustive.ts";
import { explorationReport } from "../explorationReport.ts";
import { importScenario, type ScenarioModule } from "../loader.ts";
import { shrinkReplayFile } from "../shrink/report.ts";
import { seedOutcomeOf, SeedRunner } from "../sweep.ts";
import type { SeedOutcome } from "../tally.ts";
import type { Preload } from "./pool.ts";
import type { ScheduleText, SearchJob, SweepJob, WorkerReply, WorkerTask } from "./tasks.ts";

export type { SeedCheck, SweepJob, WorkerReply, WorkerTask } from "./tasks.ts";

const scenarios = new Map<string, Promise<Scenario<any>>>();
const runners = new Map<string, Promise<SeedRunner>>();

function scenarioOf(module: ScenarioModule, source: string): Promise<Scenario<any>> {
  const key = JSON.stringify(module);
  let scenario = scenarios.get(key);
  if (scenario === undefined) scenarios.set(key, (scenario = importScenario(module, source)));
  return scenario;
}

function runnerOf(job: SweepJob): Promise<SeedRunner> {
  const key = JSON.stringify(job);
  let runner = runners.get(key);
  if (runner === undefined) {
    runner = scenarioOf(job.scenario, job.source).then((scenario) => new SeedRunner({ ...job, scenario }));
    runners.set(key, runner);
  }
  return runner;
}

function tapeOf(schedule: ScheduleText | null, source: string): Tape | null {
  return schedule === null ? null : tapeFromJson(JSON.parse(schedule), source);
}

/** A search of a scenario's schedules, run and timed here, turned into its report (which writes its replay files). */
async function searched<Request extends { readonly scenario: Scenario<any> }, Result, Report>(
  job: SearchJob<Request>,
  search: (request: Request) => Result,
  report: (result: Result, request: Request, source: string, out: string, wallSeconds: number) => Report,
): Promise<Report> {
  const request = { ...job.request, scenario: await scenarioOf(job.scenario, job.source) } as Request;
  const startedMs = performance.now(); // determinism-ok: times the search for its report, outside every execution
  const result = search(request);
  return report(result, request, job.source, job.out, (performance.now() - startedMs) / 1000); // determinism-ok: as above
}

async function handle(task: WorkerTask): Promise<WorkerReply> {
  beatPosition(0);
  switch (task.kind) {
    case "sweep": {
      const runner = await runnerOf(task.job);
      const outcomes: SeedOutcome[] = [];
      const startedMs = performance.now(); // determinism-ok: times the chunk for the sizes of the next ones, outside every execution
      const executionMs = () => performance.now() - startedMs; // determinism-ok: as above
      for (const [position, seed] of task.seeds.entries()) {
        beatPosition(position);
        const attempt = runner.attempt(seed);
        if ("trouble" in attempt) return { kind: "sweep", outcomes, trouble: attempt.trouble, executionMs: executionMs() };
        outcomes.push(seedOutcomeOf(attempt.result));
      }
      return { kind: "sweep", outcomes, trouble: null, executionMs: executionMs() };
    }
    case "fingerprint":
      return { kind: "fingerprint", fingerprint: definitionFingerprint(await importScenario(task.scenario, task.source)) };
    case "check": {
      const runner = await runnerOf(task.job);
      return {
        kind: "check",
        checks: task.seeds.map((seed, position) => {
          beatPosition(position);
          const result = runner.execute(seed);
          const same = result.physicalHash === task.physicalHashes[position];
          return same ? { seed, physicalHash: result.physicalHash } : { seed, physicalHash: result.physicalHash, trace: result.trace };
        }),
      };
    }
    case "trace": {
      const result = (await runnerOf(task.job)).execute(task.seed);
      return { kind: "trace", physicalHash: result.physicalHash, trace: result.trace };
    }
    case "execute": {
      // As `dsim replay` executes a replay file (execution/replay.ts): recording the decisions it follows.
      const { job, seed } = task;
      const scenario = await scenarioOf(job.scenario, job.source);
      const spec = { scenario, variant: job.variant, seed, workloadSeed: job.workloadSeed, sizes: job.sizes, faults: job.faults, limits: job.limits };
      const schedule = tapeOf(task.schedule, job.source);
      const reference = computeReference(spec);
      const chooser = schedule === null ? undefined : new TapeChooser(schedule);
      const recorder = new RecordingChooser(chooser ?? new RandomChooser(seed));
      const result = execute({ ...spec, chooser: recorder }, reference);
      return { kind: "execute", result, reference, unused: chooser?.unused() ?? [], tape: JSON.stringify(tapeToJson(recorder.tape())) };
    }
    case "shrink": {
      const scenario = await scenarioOf(task.scenario, task.replay.scenario);
      const replay: ReplayFile = { ...task.replay, schedule: tapeOf(task.replay.schedule, task.path) };
      const { report, result, faults } = shrinkReplayFile(scenario, replay, task.path, task.options);
      return { kind: "shrink", report, shrunk: result.shrunk.result, reference: result.reference, faults };
    }
    case "explore":
      return { kind: "explore", report: await searched(task.job, exploreExhaustively, explorationReport) };
    case "bounded":
      return { kind: "bounded", report: await searched(task.job, searchBounded, boundedReport) };
  }
}

const port = parentPort;
if (port !== null) {
  const { heartbeat, preload } = workerData as { heartbeat: SharedArrayBuffer; preload: readonly Preload[] };
  attachHeartbeat(heartbeat);
  // A worker the pool grew loads the sweep's scenarios first (their modules already loaded once on
  // another worker, so they do not hang); a failure to load is the first task's to report.
  await Promise.all(preload.map(({ module, source }) => scenarioOf(module, source).catch(() => undefined)));
  port.on("message", (task: WorkerTask) => {
    handle(task).then(
      (reply) => port.postMessage(reply),
      (error: unknown) => port.postMessage({ kind: "error", errorKind: errorKindOf(error), message: error instanceof Error ? error.message : String(error) }),
    );
  });
  port.postMessage({ kind: "ready" });
}
