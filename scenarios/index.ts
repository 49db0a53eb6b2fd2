// The built-in scenarios, by name. Each is a module under scenarios/ written against the public
// interface in src/index.ts, exactly as a user's own scenario is. A module that holds several
// scenarios exports them as `scenarios`: this one is how the CLI (and its worker threads) find
// the built-ins by name.
//
// `yjs` runs the real Yjs library, which dsim does not depend on (an optional peer dependency,
// installed in this repository for development): it is loaded only if the `yjs` package is there,
// and otherwise listed in `unavailableScenarios` with what it needs.

import type { Scenario } from "../src/index.ts";
import causality from "./causality/index.ts";
import { consensus, consensusFive } from "./consensus/index.ts";
import crdt from "./crdt/index.ts";
import delivery from "./delivery.ts";
import idempotency from "./idempotency/index.ts";
import isolation from "./isolation/index.ts";
import outbox from "./outbox/index.ts";
import saga from "./saga/index.ts";
import twoPhaseCommit from "./two-phase-commit/index.ts";
import wal from "./wal/index.ts";

/** A built-in scenario that cannot run here, and why. */
export interface UnavailableScenario {
  readonly name: string;
  readonly reason: string;
}

/** The module's error when a package it imports is not installed. */
function isMissingPackage(error: unknown, name: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && String((error as Error).message).includes(`'${name}'`);
}

const yjs = await import("./yjs/index.ts").then(
  (module) => module.default,
  (error: unknown) => {
    if (isMissingPackage(error, "yjs")) return undefined;
    throw error;
  },
);

export const scenarios: readonly Scenario<any>[] = [delivery, idempotency, twoPhaseCommit, wal, outbox, saga, consensus, consensusFive, crdt, isolation, causality, ...(yjs === undefined ? [] : [yjs])];

export const unavailableScenarios: readonly UnavailableScenario[] = yjs === undefined ? [{ name: "yjs", reason: "needs the yjs package, an optional peer dependency of dsim: npm install yjs" }] : [];
