// The built-in scenarios, by name. Each is a module under scenarios/ written against the public
// interface in src/index.ts, exactly as a user's own scenario is. A module that holds several
// scenarios exports them as `scenarios`: this one is how the CLI (and its worker threads) find
// the built-ins by name.

import type { Scenario } from "../src/index.ts";
import { consensus, consensusFive } from "./consensus/index.ts";
import crdt from "./crdt/index.ts";
import delivery from "./delivery.ts";
import idempotency from "./idempotency/index.ts";
import twoPhaseCommit from "./two-phase-commit/index.ts";
import wal from "./wal/index.ts";
import yjs from "./yjs/index.ts";

export const scenarios: readonly Scenario<any>[] = [delivery, idempotency, twoPhaseCommit, wal, consensus, consensusFive, crdt, yjs];
