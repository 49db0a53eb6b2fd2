// The kinds of trouble dsim tells apart, one class each, so every floor can throw them and the CLI
// can map them to exit codes without reading messages:
//   UsageError          bad input from the user (an unknown scenario, a malformed file, a bad seed): exit 2
//   NondeterminismError a scenario reached for ambient time or randomness, or hashes differed: exit 3
//   ScenarioError       the user's scenario is broken (threw while loading, bad definition): exit 4
//   DsimBug             an internal assertion failed: a bug in dsim, reported as such
// `assert` is TigerBeetle's assert: a broken kernel invariant is a DsimBug, never a divergence.

export class UsageError extends Error {
  override name = "UsageError";
}

export class NondeterminismError extends Error {
  override name = "NondeterminismError";
}

export class ScenarioError extends Error {
  override name = "ScenarioError";
}

export class DsimBug extends Error {
  override name = "DsimBug";
}

export function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new DsimBug(message);
}

/** `Name: message` of anything thrown, for messages. */
export function describeThrown(thrown: unknown): string {
  return thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
}

const KINDS = { UsageError, NondeterminismError, ScenarioError, DsimBug } as const;

/** The name of a typed error, to send it across a thread; plain errors travel as "Error". */
export function errorKindOf(thrown: unknown): string {
  return thrown instanceof Error && thrown.name in KINDS ? thrown.name : "Error";
}

/** Rebuilds a typed error sent across a thread by errorKindOf; an unknown kind is a plain Error. */
export function errorOfKind(kind: string, message: string): Error {
  const Kind = (KINDS as Record<string, new (message: string) => Error>)[kind];
  return Kind === undefined ? new Error(message) : new Kind(message);
}
