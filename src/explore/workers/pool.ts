// A pool of worker threads, each running sweepWorker.ts, and the watchdog over them. Tasks queue
// here; a task may ask to run on one worker (`on`) or anywhere but one worker (`avoid`), which the
// determinism check needs, and the task of the lowest `priority` runs first (a sweep's earlier
// variant before a later one). A pool may start fewer workers than it may have (`capacity`) and
// `grow` when there is work enough to pay for a worker's start-up, which it measures; a worker it
// grows loads the scenarios it is told of before it takes a task (`preload`).
//
// The watchdog: each worker's executions beat into memory shared with this thread (a count of
// executions started, and which seed of its task it is on: kernel/heartbeat.ts). A worker whose
// count has not moved for `executionTimeoutMs` is stuck in one execution: it is terminated, its task
// fails with ExecutionLost (`hung`, and the position of the seed), and a fresh worker takes its
// place. A worker past its heap limit (`resourceLimits`) is lost the same way (`out-of-memory`).
// Nothing else in the process is disturbed: the sweep goes on with the other seeds.

import { Worker } from "node:worker_threads";
import { DsimBug, errorOfKind, ScenarioError, UsageError } from "../../core/errors.ts";
import { ownModuleUrl } from "../../core/ownModules.ts";
import { lostMessage, type LostExecution, type LostVerdict, type WatchdogLimits } from "../../execution/lost.ts";
import { HEARTBEAT_BYTES, HEARTBEAT_CELLS } from "../../kernel/heartbeat.ts";
import type { ScenarioModule } from "../loader.ts";
import type { ReplyOf, WorkerReply, WorkerTask } from "./tasks.ts";

/** How often the watchdog looks, at most: a tenth of the timeout, within these bounds (ms). */
const WATCHDOG_POLL_MS_MIN = 10;
const WATCHDOG_POLL_MS_MAX = 1000;
/** How long a worker may take to start (load dsim and tsx) before the pool gives up on it. */
const WORKER_START_MS_MAX = 60_000;

/** A task's execution did not finish: the worker was stopped (hung) or ran out of heap. */
export class ExecutionLost extends Error {
  override name = "ExecutionLost";

  constructor(
    readonly lost: LostExecution,
    /** Which item of the task (a chunk's seed) was running. */
    readonly position: number,
  ) {
    super(lost.message);
  }
}

interface Queued {
  readonly task: WorkerTask;
  readonly on: number | undefined;
  readonly avoid: number | undefined;
  readonly priority: number;
  readonly resolve: (done: { reply: WorkerReply; worker: number }) => void;
  readonly reject: (error: Error) => void;
}

export interface Placement {
  /** Run on this worker only. */
  readonly on?: number;
  /** Run on any worker but this one. */
  readonly avoid?: number;
  /** Lower runs first (default 0); tasks of one priority run in the order given. */
  readonly priority?: number;
}

/** A scenario a grown worker loads before it takes tasks, so its first task runs at full speed. */
export interface Preload {
  readonly module: ScenarioModule;
  readonly source: string;
}

export interface PoolOptions {
  /** Workers started at once (default: all of the capacity); `grow` starts the others. */
  readonly initialWorkers?: number;
}

interface Slot {
  worker: Worker;
  heartbeat: Int32Array;
  ready: Promise<void>;
  /** Loaded and listening: only then is it given tasks, so its start-up never counts against a timeout. */
  started: boolean;
  running: Queued | undefined;
  /** The executions-started count last seen, and when it was seen to change (wall-clock ms). */
  beatsSeen: number;
  beatSeenAtMs: number;
  /** Set once the worker is being replaced: its exit is expected. */
  retired: boolean;
}

/** How long workers took to start, as this process measured them (ms): the cost of growing a pool. */
let workerStartMsSeen: number | undefined;

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Queued[] = [];
  private closed = false;
  private held = true;
  /** Rejects when a worker fails for good (so that waiting for the pool to start cannot hang). */
  private rejectFailure: (error: Error) => void = () => undefined;
  private readonly failure = new Promise<never>((_, reject) => (this.rejectFailure = reject));
  private readonly watchdogTimer: NodeJS.Timeout;
  private readonly boot = new URL("./boot.js", import.meta.url);
  private readonly entry = ownModuleUrl("./sweepWorker", import.meta.url).href;
  private preloads: readonly Preload[] = [];
  /** Wall-clock time the workers spent executing sweep chunks (ms), as they reported it. */
  private executedMsTotal = 0;

  constructor(
    /** The most workers this pool may have. */
    readonly capacity: number,
    readonly limits: WatchdogLimits,
    options: PoolOptions = {},
  ) {
    this.failure.catch(() => undefined);
    const initial = Math.max(1, Math.min(capacity, options.initialWorkers ?? capacity));
    for (let index = 0; index < initial; index++) this.slots.push(this.start(index));
    const pollMs = Math.min(WATCHDOG_POLL_MS_MAX, Math.max(WATCHDOG_POLL_MS_MIN, Math.floor(limits.executionTimeoutMs / 10)));
    this.watchdogTimer = setInterval(() => this.watch(), pollMs); // determinism-ok: the watchdog's wall clock, outside every execution
    this.watchdogTimer.unref();
  }

  /** The workers started so far (at most the capacity). */
  get size(): number {
    return this.slots.length;
  }

  /**
   * How long a worker takes to start and load what it is told to preload (ms), as measured in this
   * process; before any was measured, undefined.
   */
  get workerStartMs(): number | undefined {
    return workerStartMsSeen;
  }

  /** How long the workers have executed sweep chunks (ms): past a worker's start-up, the JIT is warm. */
  get executedMs(): number {
    return this.executedMsTotal;
  }

  /** The scenarios each worker started from now on loads before it takes tasks. */
  preload(preloads: readonly Preload[]): void {
    this.preloads = preloads;
  }

  /** Starts one more worker, if the capacity allows; true if it did. It takes tasks once loaded. */
  grow(): boolean {
    if (this.closed || this.slots.length >= this.capacity) return false;
    this.slots.push(this.start(this.slots.length));
    return true;
  }

  /** True when open, with no task running or waiting: it can be used again. */
  get idle(): boolean {
    return !this.closed && this.queue.length === 0 && this.slots.every((slot) => slot.running === undefined && !slot.retired);
  }

  /** Whether the workers keep the process alive (they must while a task may run). */
  hold(held: boolean): void {
    this.held = held;
    for (const slot of this.slots) if (held) slot.worker.ref();
    else slot.worker.unref();
  }

  /** Resolves once every worker started so far has loaded (so that timings leave out the start-up). */
  async ready(): Promise<void> {
    await Promise.race([Promise.all(this.slots.map((slot) => slot.ready)), this.failure]);
  }

  /** Runs a task; rejects with ExecutionLost if its execution hangs or runs out of heap. */
  run<Kind extends WorkerTask["kind"]>(task: WorkerTask & { readonly kind: Kind }, placement: Placement = {}): Promise<{ reply: ReplyOf<Kind>; worker: number }> {
    if (this.closed) return Promise.reject(new DsimBug("the worker pool is closed"));
    const { on, avoid, priority = 0 } = placement;
    if (on !== undefined && (on < 0 || on >= this.size)) return Promise.reject(new DsimBug(`no worker ${on} in a pool of ${this.size}`));
    if (avoid !== undefined && this.capacity === 1 && avoid === 0) return Promise.reject(new DsimBug("a pool of one worker cannot avoid it"));
    return new Promise((resolve, reject) => {
      const expectKind = (done: { reply: WorkerReply; worker: number }) => {
        if (done.reply.kind !== task.kind) reject(new DsimBug(`a worker answered a ${task.kind} task with '${done.reply.kind}'`));
        else resolve(done as { reply: ReplyOf<Kind>; worker: number });
      };
      this.queue.push({ task, on, avoid, priority, resolve: expectKind, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchdogTimer);
    for (const waiting of this.queue.splice(0)) waiting.reject(new DsimBug("the worker pool closed with tasks waiting"));
    await Promise.all(
      this.slots.map((slot) => {
        slot.retired = true;
        return slot.worker.terminate();
      }),
    );
  }

  private start(index: number): Slot {
    const buffer = new SharedArrayBuffer(HEARTBEAT_BYTES);
    const startedMs = performance.now(); // determinism-ok: measures the worker's start-up, outside every execution
    const worker = new Worker(this.boot, {
      workerData: { entry: this.entry, heartbeat: buffer, preload: this.preloads },
      resourceLimits: { maxOldGenerationSizeMb: this.limits.heapMaxMb },
    });
    if (!this.held) worker.unref();
    const slot: Slot = { worker, heartbeat: new Int32Array(buffer), ready: Promise.resolve(), started: false, running: undefined, beatsSeen: 0, beatSeenAtMs: 0, retired: false };
    slot.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new DsimBug(`worker ${index} did not start within ${WORKER_START_MS_MAX} ms`)), WORKER_START_MS_MAX); // determinism-ok: start-up limit, outside every execution
      timer.unref();
      worker.once("message", () => {
        clearTimeout(timer);
        workerStartMsSeen = Math.max(workerStartMsSeen ?? 0, performance.now() - startedMs); // determinism-ok: as above
        slot.started = true;
        resolve();
        this.dispatch();
      });
    });
    slot.ready.catch(() => undefined);
    worker.on("message", (reply: WorkerReply | { kind: "ready" }) => {
      if (reply.kind !== "ready" && this.slots[index] === slot) this.settle(index, reply);
    });
    worker.on("error", (error: Error & { code?: string }) => {
      if (this.slots[index] !== slot || slot.retired) return;
      // Every task's own errors are answered as replies: what arrives here escaped the scenario's
      // handlers (a promise it left rejected, a callback it scheduled), so the scenario is broken.
      if (error.code === "ERR_WORKER_OUT_OF_MEMORY" && !slot.started) this.fail(index, new UsageError(`--heap-max-mb ${this.limits.heapMaxMb} is too small for a worker thread to start: give more`));
      else if (error.code === "ERR_WORKER_OUT_OF_MEMORY") this.lose(index, "out-of-memory");
      else this.fail(index, new ScenarioError(`the scenario failed outside its handlers, on worker ${index}: ${error.message}`));
    });
    worker.on("exit", (code) => {
      if (this.slots[index] === slot && !slot.retired && !this.closed) this.fail(index, new ScenarioError(`worker ${index} ended (exit code ${code}) in the middle of a task: does the scenario call process.exit?`));
    });
    return slot;
  }

  private dispatch(): void {
    for (let index = 0; index < this.size; index++) {
      const slot = this.slots[index]!;
      if (!slot.started || slot.running !== undefined) continue;
      let position = -1;
      for (const [at, queued] of this.queue.entries()) {
        const fits = (queued.on === undefined || queued.on === index) && queued.avoid !== index;
        if (fits && (position < 0 || queued.priority < this.queue[position]!.priority)) position = at;
      }
      if (position < 0) continue;
      const [queued] = this.queue.splice(position, 1);
      slot.running = queued!;
      slot.beatsSeen = Atomics.load(slot.heartbeat, HEARTBEAT_CELLS.executionsStarted);
      slot.beatSeenAtMs = performance.now(); // determinism-ok: the watchdog's wall clock
      slot.worker.postMessage(queued!.task);
    }
  }

  private settle(index: number, reply: WorkerReply): void {
    const slot = this.slots[index]!;
    const queued = slot.running;
    slot.running = undefined;
    if (queued === undefined) return;
    if (reply.kind === "sweep") this.executedMsTotal += reply.executionMs;
    if (reply.kind === "error") queued.reject(errorOfKind(reply.errorKind, reply.message));
    else queued.resolve({ reply, worker: index });
    this.dispatch();
  }

  /** The watchdog's round: a busy worker whose executions have not moved for the timeout is hung. */
  private watch(): void {
    const nowMs = performance.now(); // determinism-ok: the watchdog's wall clock
    for (let index = 0; index < this.size; index++) {
      const slot = this.slots[index]!;
      if (slot.running === undefined || slot.retired) continue;
      const beats = Atomics.load(slot.heartbeat, HEARTBEAT_CELLS.executionsStarted);
      if (beats !== slot.beatsSeen) {
        slot.beatsSeen = beats;
        slot.beatSeenAtMs = nowMs;
      } else if (nowMs - slot.beatSeenAtMs > this.limits.executionTimeoutMs) {
        this.lose(index, "hung");
      }
    }
  }

  /** The running execution of worker `index` is lost: fail its task, replace the worker. */
  private lose(index: number, verdict: LostVerdict): void {
    const slot = this.slots[index]!;
    const queued = slot.running;
    const position = Atomics.load(slot.heartbeat, HEARTBEAT_CELLS.position);
    this.replace(index);
    queued?.reject(new ExecutionLost({ verdict, message: lostMessage(verdict, this.limits) }, position));
    this.dispatch();
  }

  private replace(index: number): void {
    const slot = this.slots[index]!;
    slot.retired = true;
    slot.running = undefined;
    void slot.worker.terminate();
    if (!this.closed) this.slots[index] = this.start(index);
  }

  /** A worker failed in a way no task can go on from: every task fails with `error`, the pool closes. */
  private fail(index: number, error: Error): void {
    const slot = this.slots[index]!;
    const queued = slot.running;
    slot.running = undefined;
    slot.retired = true;
    queued?.reject(error);
    this.rejectFailure(error);
    this.closed = true;
    clearInterval(this.watchdogTimer);
    for (const waiting of this.queue.splice(0)) waiting.reject(error);
    for (const other of this.slots) if (other !== slot) other.running?.reject(error);
    void Promise.all(this.slots.map((other) => ((other.retired = true), other.worker.terminate())));
  }
}

/** Idle pools kept for the next command of this process (main() called in-process, as tests do). */
const parked: WorkerPool[] = [];
const PARKED_POOLS_MAX = 2;

/**
 * Runs `work` on a pool of `size` workers under `limits`. A pool left healthy is parked (its
 * threads do not keep the process alive) and taken again by the next call with the same size and
 * limits, so a process that runs many commands starts its workers once.
 */
export async function withWorkerPool<Result>(size: number, limits: WatchdogLimits, work: (pool: WorkerPool) => Promise<Result>, options: PoolOptions = {}): Promise<Result> {
  const index = parked.findIndex((pool) => pool.capacity === size && pool.limits.executionTimeoutMs === limits.executionTimeoutMs && pool.limits.heapMaxMb === limits.heapMaxMb);
  const pool = index >= 0 ? parked.splice(index, 1)[0]! : new WorkerPool(size, limits, options);
  pool.hold(true);
  let healthy = false;
  try {
    await pool.ready();
    const result = await work(pool);
    healthy = pool.idle;
    return result;
  } finally {
    if (healthy && parked.length < PARKED_POOLS_MAX) {
      pool.hold(false);
      parked.push(pool);
    } else await pool.close();
  }
}
