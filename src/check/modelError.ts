// A user's model that failed while checking (its step, stateKey or partition threw): the model is
// broken, not the history and not dsim. `dsim check` reports it with exit 4.

export class ModelError extends Error {
  override name = "ModelError";
}
