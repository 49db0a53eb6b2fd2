// The heartbeat of the executions a thread runs, for the watchdog in another thread: a counter of
// executions started (each Simulation built adds one) and the position of the task's current item
// (which seed of a chunk). The watchdog reads them from shared memory, so it sees progress, or its
// absence, even while this thread is stuck in an endless loop. Nothing on the simulation path reads
// them back: an execution cannot depend on its heartbeat.

/** The cells of the heartbeat: executions started, and the current position in the task. */
export const HEARTBEAT_CELLS = { executionsStarted: 0, position: 1 } as const;
export const HEARTBEAT_BYTES = 2 * Int32Array.BYTES_PER_ELEMENT;

let cells: Int32Array | undefined;

/** Makes this thread's executions beat into `buffer` (a worker's, shared with its watchdog). */
export function attachHeartbeat(buffer: SharedArrayBuffer): void {
  cells = new Int32Array(buffer);
}

/** An execution starts. */
export function beat(): void {
  if (cells !== undefined) Atomics.add(cells, HEARTBEAT_CELLS.executionsStarted, 1);
}

/** The task moves on to its item at `position` (a chunk's seed). */
export function beatPosition(position: number): void {
  if (cells !== undefined) Atomics.store(cells, HEARTBEAT_CELLS.position, position);
}
