// What the linearizability checker checks a history against, and what the history is made of: an
// operation (a call and a return in time, an input and an output) and a sequential model (plain
// functions, as Porcupine's Model). Apart from linearizability.ts so the search (wglSearch.ts) and
// the minimization (explainViolation.ts) can name them without importing the checker that runs them.

export interface Operation<Input, Output> {
  readonly client: string;
  readonly input: Input;
  /** The observed result; undefined when the operation never returned (or returned an unknown result). */
  readonly output?: Output;
  readonly callMs: number;
  /** Undefined when the operation never returned. */
  readonly returnMs?: number;
}

/** A sequential specification, as plain functions (Porcupine's Model). */
export interface Model<State, Input, Output> {
  readonly name: string;
  /** Independent sub-histories (per key); each is checked alone. Default: the whole history. */
  partition?(operations: readonly Operation<Input, Output>[]): readonly (readonly Operation<Input, Output>[])[];
  init(): State;
  /** The state after `input` produced `output`, or undefined if that output is impossible. Output is undefined when it is unknown (the operation never returned). Must not change `state`. */
  step(state: State, input: Input, output: Output | undefined): State | undefined;
  /**
   * A key equal (as a Map key: primitives by value) for equal states and only for them: the memo's
   * key. Default: the state itself when it is a primitive (string, number, boolean, null), else its
   * canonical JSON, so a state that is not a JSON value (a Map, a class) needs its own stateKey.
   */
  stateKey?(state: State): unknown;
  describe(operation: Operation<Input, Output>): string;
  /** What is wrong with an operation read from a history file, or undefined; used by `dsim check`. */
  validate?(operation: Operation<Input, Output>): string | undefined;
}
