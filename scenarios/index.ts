// The built-in scenarios, by name. Each is a module under scenarios/ written against the public
// interface in src/index.ts, exactly as a user's own scenario is.

import type { Scenario } from "../src/index.ts";
import { consensus, consensusFive } from "./consensus/index.ts";
import crdt from "./crdt/index.ts";
import delivery from "./delivery.ts";
import idempotency from "./idempotency/index.ts";
import wal from "./wal/index.ts";
import yjs from "./yjs/index.ts";

export const BUILT_IN_SCENARIOS: readonly Scenario<any>[] = [delivery, idempotency, wal, consensus, consensusFive, crdt, yjs];
