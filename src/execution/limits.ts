// The bounds of one execution's budgets, shared by every input that sets them: the CLI's
// --events-max and --time-max-ms, a replay file's `limits`, a scenario's own. A budget above these
// could not run: every event is kept in the physical trace, so the event budget bounds memory.

import { integerAtLeast, ownObject } from "../core/schema.ts";

/** The largest event budget one execution may have: its trace is held in memory (~100 bytes an event). */
export const EVENTS_MAX_LIMIT = 10_000_000;

/** Budgets as a replay file holds them: the same rules as the CLI's options. */
export const LIMITS_SCHEMA = ownObject(
  {
    eventsMax: integerAtLeast(1).max(EVENTS_MAX_LIMIT, { error: `must be an integer in [1, ${EVENTS_MAX_LIMIT}]` }),
    virtualTimeMaxMs: integerAtLeast(1),
  },
  "an object holding eventsMax and virtualTimeMaxMs",
);
