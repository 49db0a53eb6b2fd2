// A user's model that failed while checking (its step, stateKey or partition threw): the model is
// broken, not the history and not dsim. Like a broken scenario, it is the user's code: exit 4.

import { ScenarioError } from "../core/errors.ts";

export class ModelError extends ScenarioError {
  override name = "ModelError";
}
