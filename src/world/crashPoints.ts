// Crash points: a node may crash inside a handler, just before one of its effects (a send, a disk
// write, append or fsync), so that the effects before it happened and that one and every later one
// never do. Between handlers (the nemesis's crashes) a handler's effects are all-or-nothing; here
// a reply can leave before the record that makes it true is durable.
//
// Just before, not just after: an effect either happens whole or not at all, the crash right
// after effect k is the crash just before effect k+1, and a crash before a handler's first effect
// loses all of them. (After the last effect is a crash between handlers, the nemesis's.) The page
// cache loses what was not fsynced, torn writes as at any crash, and the node restarts after a
// drawn delay. Every decision is keyed by the effect: the node, which of its handler invocations
// (counted over its whole life), which effect within it.
//
// The world decides and crashes the node; the kernel's context asks before each effect and, on a
// crash, ends the handler with a signal of its own (kernel/context.ts).

import type { EffectKind } from "../core/events.ts";
import type { NodeId } from "../core/json.ts";
import type { Chooser } from "../core/tape.ts";
import { faultWindows, inFaultWindow, type FaultProfile, type FaultWindow } from "./faults.ts";
import type { WorldHost } from "./host.ts";
import { effectFileQuestion, effectQuestion } from "./questions.ts";

/** One effect of a handler: the `effect`-th (from 1) of the node's `invocation`-th handler run (from 1). */
export interface EffectPoint {
  readonly node: NodeId;
  readonly invocation: number;
  readonly effect: number;
}

export class CrashPoints {
  constructor(
    private readonly host: WorldHost,
    private readonly profile: FaultProfile,
    private readonly chooser: Chooser,
  ) {
    this.windows = faultWindows(profile);
  }

  /** The profile's fault windows (its phases): crash points fall only inside them. */
  private readonly windows: readonly FaultWindow[];

  /**
   * Asked just before an effect inside the fault window: true when the node crashed there (it is
   * down, its unsynced writes lost or torn, its restart scheduled); the handler must then end.
   * `target` is the send's receiver or the file.
   */
  crashesBefore(point: EffectPoint, effect: EffectKind, target: string): boolean {
    const { host, profile, chooser } = this;
    if (profile.crashPointProbability === 0 || !inFaultWindow(this.windows, host.timeMs)) return false;
    if (!chooser.chance(effectQuestion("crash-point", point), profile.crashPointProbability)) return false;
    const node = point.node;
    host.record({ kind: "crash-point", timeMs: host.timeMs, node, invocation: point.invocation, effect: point.effect, before: effect, target });
    host.crash(node);
    const tornProbability = profile.tornWriteProbability;
    const torn = host.diskOf(node).crash((file, limit) =>
      tornProbability > 0 && chooser.chance(effectFileQuestion("crash-point-torn", point, file), tornProbability) ? chooser.below(effectFileQuestion("crash-point-torn-bytes", point, file), limit) : undefined,
    );
    for (const tear of torn) host.record({ kind: "torn", timeMs: host.timeMs, node, ...tear });
    host.restartAfter(node, profile.restartMinMs + chooser.below(effectQuestion("crash-point-ms", point), profile.restartMaxMs - profile.restartMinMs + 1));
    return true;
  }
}
