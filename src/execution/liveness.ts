// Liveness: what a scenario says must eventually be true (`eventually`), watched after the final
// heal. Each property is asked after every event from the heal on until it first holds; one that
// has not held by the time the execution ends (quiescent, settled, or out of budget) is a violation
// under its own name, saying when the heal was and how the execution ended.

import { describeThrown } from "../core/errors.ts";
import type { ExecutionView, Invariant } from "../core/scenario.ts";
import type { EndReason } from "../kernel/simulation.ts";
import { isScenarioTrouble } from "./scenarioStep.ts";
import type { Violation } from "./verdict.ts";

export class LivenessWatch {
  /** The properties that have not held yet since the heal, with why they did not when last asked. */
  private readonly pending = new Map<Invariant<any>, string>();

  constructor(properties: readonly Invariant<any>[], private readonly view: ExecutionView<any>) {
    for (const property of properties) this.pending.set(property, "never asked: the final heal did not come");
  }

  /** Whether every property has held since the heal. */
  get done(): boolean {
    return this.pending.size === 0;
  }

  /** Asks each property that has not held yet (call after the heal). */
  observe(): void {
    for (const property of this.pending.keys()) {
      const why = this.whyNot(property);
      if (why === undefined) this.pending.delete(property);
      else this.pending.set(property, why);
    }
  }

  /** One violation per property that never held after the heal. */
  violations(healAtMs: number, healed: boolean, endReason: EndReason, endedAtMs: number): Violation[] {
    const ended = healed ? `the execution ended (${endReason}) at ${endedAtMs} ms without it holding since the final heal at ${healAtMs} ms` : `the execution ended (${endReason}) at ${endedAtMs} ms, before the final heal at ${healAtMs} ms`;
    return [...this.pending].map(([property, why]) => ({ invariant: property.name, message: `never held: ${ended}; last: ${why}` }));
  }

  private whyNot(property: Invariant<any>): string | undefined {
    let result: unknown;
    try {
      result = property.check(this.view);
    } catch (thrown) {
      if (isScenarioTrouble(thrown)) throw thrown;
      return `the check threw: ${describeThrown(thrown)}`;
    }
    if (result === undefined || (Array.isArray(result) && result.length === 0)) return undefined;
    const first: unknown = Array.isArray(result) ? result[0] : result;
    return typeof first === "string" ? first : typeof first === "object" && first !== null && typeof (first as { message?: unknown }).message === "string" ? (first as { message: string }).message : String(first);
  }
}
