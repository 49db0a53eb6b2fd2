// The signal that ends a handler at a crash point (world/crashPoints.ts): thrown by the node's
// context just before the effect where the node crashed, caught by the kernel (simulation.ts).

import type { EffectKind } from "../core/events.ts";
import type { EffectPoint } from "../world/crashPoints.ts";

/**
 * Ends a handler at a crash point. Not an Error, so that `catch (error) { if (error instanceof
 * Error) ... }` passes it by; it carries where it struck, for the message when a handler swallows it.
 */
export class CrashSignal {
  /** The stack at the effect where the node crashed: the user's line, if a handler swallows the signal. */
  readonly where = new Error("crash point");

  constructor(
    readonly point: EffectPoint,
    readonly effect: EffectKind,
  ) {}
}
