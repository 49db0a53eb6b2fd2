// A pool of worker threads, each running sweepWorker.ts. Tasks queue here; a task may ask to run
// on one worker (`on`) or anywhere but one worker (`avoid`), which the determinism check needs.

import { Worker } from "node:worker_threads";
import { DsimBug, errorOfKind } from "../../core/errors.ts";
import type { WorkerReply, WorkerTask } from "./sweepWorker.ts";

interface Queued {
  readonly task: WorkerTask;
  readonly on: number | undefined;
  readonly avoid: number | undefined;
  readonly resolve: (done: { reply: WorkerReply; worker: number }) => void;
  readonly reject: (error: Error) => void;
}

export interface Placement {
  /** Run on this worker only. */
  readonly on?: number;
  /** Run on any worker but this one. */
  readonly avoid?: number;
}

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly running = new Map<number, Queued>();
  private readonly queue: Queued[] = [];
  private closed = false;
  private readonly readiness: Promise<void>[] = [];

  constructor(readonly size: number) {
    const boot = new URL("./boot.js", import.meta.url);
    const entry = new URL("./sweepWorker.ts", import.meta.url).href;
    for (let index = 0; index < size; index++) {
      const worker = new Worker(boot, { workerData: { entry } });
      this.readiness.push(new Promise((resolve) => worker.once("message", () => resolve())));
      worker.on("message", (reply: WorkerReply | { kind: "ready" }) => {
        if (reply.kind !== "ready") this.settle(index, reply);
      });
      worker.on("error", (error) => this.fail(index, error));
      worker.on("exit", (code) => {
        if (!this.closed) this.fail(index, new Error(`worker ${index} exited with code ${code}`));
      });
      this.workers.push(worker);
    }
  }

  /** Resolves once every worker has loaded (so that timings leave out the start-up). */
  async ready(): Promise<void> {
    await Promise.all(this.readiness);
  }

  run(task: WorkerTask, placement: Placement = {}): Promise<{ reply: WorkerReply; worker: number }> {
    if (this.closed) return Promise.reject(new DsimBug("the worker pool is closed"));
    const { on, avoid } = placement;
    if (on !== undefined && (on < 0 || on >= this.size)) return Promise.reject(new DsimBug(`no worker ${on} in a pool of ${this.size}`));
    if (avoid !== undefined && this.size === 1 && avoid === 0) return Promise.reject(new DsimBug("a pool of one worker cannot avoid it"));
    return new Promise((resolve, reject) => {
      this.queue.push({ task, on, avoid, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private dispatch(): void {
    for (let index = 0; index < this.size; index++) {
      if (this.running.has(index)) continue;
      const position = this.queue.findIndex((queued) => (queued.on === undefined || queued.on === index) && queued.avoid !== index);
      if (position < 0) continue;
      const [queued] = this.queue.splice(position, 1);
      this.running.set(index, queued!);
      this.workers[index]!.postMessage(queued!.task);
    }
  }

  private settle(index: number, reply: WorkerReply): void {
    const queued = this.running.get(index);
    this.running.delete(index);
    if (queued === undefined) return;
    if (reply.kind === "error") queued.reject(errorOfKind(reply.errorKind, reply.message));
    else queued.resolve({ reply, worker: index });
    this.dispatch();
  }

  private fail(index: number, error: Error): void {
    const queued = this.running.get(index);
    this.running.delete(index);
    queued?.reject(new DsimBug(`worker ${index} failed: ${error.message}`));
    this.closed = true;
    for (const waiting of this.queue.splice(0)) waiting.reject(new DsimBug(`worker ${index} failed: ${error.message}`));
  }
}
