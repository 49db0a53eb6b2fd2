// Internal assertions. A failing assertion is a bug in dsim, never a scenario's divergence
// and never an operating error: it is thrown as DsimBug and the CLI reports it as such.

export class DsimBug extends Error {
  override name = "DsimBug";
}

export function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new DsimBug(message);
}
