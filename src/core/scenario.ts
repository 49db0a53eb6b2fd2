// The public scenario interface: what a scenario author writes, and the only thing built-in
// scenarios use. A scenario names its nodes (state machines), its workload (logical input), its
// projection π (finished execution → logical trace) and its invariants.

import type { Disk } from "./disk.ts";
import type { TraceEvent } from "./events.ts";
import type { Json, JsonShaped, NodeId } from "./json.ts";
import type { Random } from "./random.ts";

export type { Json, JsonShaped, NodeId } from "./json.ts";

/** How a node reaches the world: the only way out of a handler. */
export interface NodeContext {
  readonly id: NodeId;
  /** Every other node of the execution, in a fixed order. */
  readonly peers: readonly NodeId[];
  /** The node's clock: virtual time plus this node's clock skew, in ms. */
  now(): number;
  /** Sends a message. The network may drop, delay, duplicate it, or lose it across a partition. */
  send(to: NodeId, message: Json): void;
  /** Arms a timer that fires `delayMs` of virtual time from now. Timers die with a crash. */
  setTimer(name: string, delayMs: number): number;
  cancelTimer(timerId: number): void;
  /** The node's durable store: what was fsynced survives a crash. */
  readonly disk: Disk;
  /** The node's own random stream, drawn from the seed. */
  readonly random: Random;
  /** Records an observation in the physical trace (an acknowledgement, an applied operation). */
  note(label: string, value?: Json): void;
}

/**
 * A node is a state machine. `init` builds fresh volatile state at first start and after every
 * restart; the handlers change only that state, and reach the world only through the context.
 */
export interface NodeSpec<State = unknown> {
  init(ctx: NodeContext): State;
  /** First boot. */
  start?(state: State, ctx: NodeContext): void;
  /** Boot after a crash: volatile state is fresh from `init`, the disk holds what survived. */
  recover?(state: State, ctx: NodeContext): void;
  message?(state: State, ctx: NodeContext, from: NodeId, message: Json): void;
  timer?(state: State, ctx: NodeContext, name: string): void;
}

export type Expectation = "holds" | "diverges";

export interface Variant {
  readonly name: string;
  readonly expect: Expectation;
  readonly description: string;
  /** For `diverges` variants: the seeds within which a sweep must catch the bug. */
  readonly seedBudget?: number;
}

export interface NodeView<State = unknown> {
  readonly up: boolean;
  readonly state: State;
  readonly disk: Disk;
}

/** A finished execution, as π and the invariants see it. */
export interface ExecutionView<Workload = Json> {
  readonly variant: string;
  readonly workload: Workload;
  readonly trace: readonly TraceEvent[];
  readonly nodes: Readonly<Record<NodeId, NodeView>>;
  readonly endedAtMs: number;
  /** The state of a node, typed by the caller. */
  state<State>(node: NodeId): State;
  /** The notes recorded under a label, in trace order. */
  notes(label: string): readonly NoteRecord[];
}

export interface NoteRecord {
  readonly node: NodeId;
  readonly timeMs: number;
  readonly value: Json;
  /** Index of the note in the physical trace. */
  readonly traceIndex: number;
}

/**
 * One way an invariant broke, with where: `traceIndex` is the physical trace event at which it
 * broke (a note's `traceIndex`, say), so a failure page can jump to it.
 */
export interface Breach {
  readonly message: string;
  readonly traceIndex?: number;
}

export interface Invariant<Workload = Json> {
  readonly name: string;
  readonly description: string;
  /** Returns nothing when the invariant holds, else one message (or Breach) per way it broke. */
  check(view: ExecutionView<Workload>): string | Breach | readonly (string | Breach)[] | undefined;
}

/**
 * How a logical trace other than the reference is judged: null (or nothing) when it is admissible
 * for this workload, else the reason it is not. `logical` is π's result for the execution,
 * `reference` the fault-free execution's.
 */
export type Admissible<Workload = Json> = (logical: Json, reference: Json, workload: Workload) => string | null | undefined;

export interface SetupInput<Workload> {
  readonly variant: string;
  readonly workload: Workload;
  /** Every size of this execution (a protocol knob such as a batch size reaches the nodes here). */
  readonly sizes: Sizes;
}

/**
 * A size knob of a scenario (how many messages, replicas, clients; a protocol knob such as a batch
 * size): an integer the user may set with `--size name=N`.
 */
export interface SizeSpec {
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly description: string;
  /**
   * Optional: the size is variable. Under swarm faults each seed draws it within [min, max] of this
   * range (inside the size's own), unless the user set it; the replay file records what was drawn.
   */
  readonly swarm?: { readonly min: number; readonly max: number };
}

/** The sizes of one execution: every size the scenario declares, by name. */
export type Sizes = Readonly<Record<string, number>>;

/**
 * Who holds which role at one moment, as the targeted nemeses see it (world/targeted.ts). Each list
 * names nodes of the execution; the first node of a list is the one aimed at.
 */
export interface Roles {
  /** The node in charge: Raft's leader, a 2PC coordinator, a primary. Crashed, cut off, churned. */
  readonly leader?: readonly NodeId[];
  /** A node that just acted for another: Raft's follower that granted its vote this term. Isolated. */
  readonly voter?: readonly NodeId[];
  /** The nodes among which a majority counts (the replicas, not the clients); by default every node. */
  readonly members?: readonly NodeId[];
}

export const ROLE_NAMES = ["leader", "voter", "members"] as const satisfies readonly (keyof Roles)[];

/** A scenario; its workload is JSON in shape (checked at run time when the workload is drawn). */
export interface Scenario<Workload = Json> {
  readonly name: string;
  readonly description: string;
  readonly variants: readonly Variant[];
  /** The logical input: what clients ask for, drawn from the workload stream only, at the given sizes. */
  workload(random: Random, sizes: Sizes): Workload;
  /**
   * Optional size knobs, by name (`messages`: how many the sender sends). Small sizes make a
   * scenario small enough to explore exhaustively (`dsim explore --messages 3`).
   */
  readonly sizes?: Readonly<Record<string, SizeSpec>>;
  /** The nodes of one execution, by id. Their order is the order they start in. */
  nodes(input: SetupInput<Workload>): Record<NodeId, NodeSpec<any>>;
  /** π: a finished execution's meaning. Canonically serialized and hashed. */
  project(view: ExecutionView<Workload>): Json;
  /**
   * Optional: the outcomes a correct execution may legitimately reach. By default a logical trace
   * must equal the reference's; a protocol whose meaning may vary with the faults (a 2PC
   * coordinator that aborts on a vote timeout) says here which other outcomes are admissible.
   * A trace equal to the reference is always admissible and is not asked about; an inadmissible
   * one is a `logical-trace` violation with the reason. `allowedOutcomes` builds the common case.
   */
  readonly admissible?: Admissible<Workload>;
  readonly invariants?: readonly Invariant<Workload>[];
  /**
   * Optional: true once the execution has reached what it must reach after heal (for protocols
   * with endless timers, such as heartbeats). Without it an execution runs to quiescence.
   */
  settled?(view: ExecutionView<Workload>): boolean;
  /**
   * Optional liveness: what must eventually be true once the faults are over. After the final heal
   * each property is asked after every event until it first holds; one that never holds before the
   * execution ends (quiescent, settled, or out of budget) is a violation under its own name.
   */
  readonly eventually?: readonly Invariant<Workload>[];
  /**
   * Optional: who holds which role now (leader, voter, members), for the targeted nemeses. Asked
   * only while one is on, at fault ticks; it must be cheap and a pure function of the view. Without
   * it the targeted nemeses find no target and do nothing.
   */
  roles?(view: ExecutionView<Workload>): Roles;
  /** Per-scenario budgets; hitting one is reported as a violation. */
  readonly limits?: Partial<ExecutionLimits>;
  /**
   * Optional: the storage faults the scenario is built to survive, and on which files. Under a
   * profile's default `storageFaultTargets: "declared"`, a bit flip, a lost fsync or a misdirected
   * write strikes only the files listed for it here; without this field, none.
   */
  readonly storageFaults?: StorageFaultDeclaration;
}

/**
 * Files as `node:file`, either part `*` for any (`store:wal.log`, `*:log`, `client:*`). A file that
 * holds data no other copy holds cannot survive a fault on it, whatever the protocol does: list it
 * only for faults the protocol makes harmless there.
 */
export type FilePattern = string;

export interface StorageFaultDeclaration {
  /** Files whose durable content may have a bit flipped. */
  readonly corruption?: readonly FilePattern[];
  /** Files whose fsync may be silently ignored. */
  readonly lostFsync?: readonly FilePattern[];
  /** Files whose appends may land over an earlier append's bytes. */
  readonly misdirectedWrite?: readonly FilePattern[];
  /**
   * Groups of files that hold copies of the same data (a mirrored log; `*:log`, one log on every
   * replica): the storage faults strike at most one file of each group in an execution, so some
   * copy always survives, as TigerBeetle's storage faults never corrupt every replica's copy.
   */
  readonly copies?: readonly (readonly FilePattern[])[];
}

export interface ExecutionLimits {
  /** Events the scheduler may carry out in one execution. */
  readonly eventsMax: number;
  /** Virtual time an execution may reach. */
  readonly virtualTimeMaxMs: number;
}

/** Nothing when the workload type is JSON in shape; else a field no scenario has, which tsc names. */
export type JsonWorkload<Workload> = [Workload] extends [JsonShaped<Workload>] ? unknown : { readonly "the workload must be JSON: no functions, Maps, Sets, Dates or class instances": never };

/**
 * Identity function that gives a scenario object its types. The workload may be declared as an
 * interface or a type alias; one holding functions, Maps, Sets or class instances does not compile.
 */
export function defineScenario<Workload = Json>(scenario: Scenario<Workload> & JsonWorkload<Workload>): Scenario<Workload> {
  return scenario;
}

/** Identity function that types a node's state machine. */
export function defineNode<State>(spec: NodeSpec<State>): NodeSpec<State> {
  return spec;
}
