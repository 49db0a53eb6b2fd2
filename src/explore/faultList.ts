// The faults of a schedule, one line each, as a person reads them: when, what, to which message or
// node, how large. One line per fault decision of the tape (a fault answered yes), so a list counts
// exactly the faults a shrink reports; latency jitter is listed apart, as jitter, never as a fault.

import type { TraceEvent } from "../core/events.ts";
import { belongsTo, describeDecision, isChance, isFree, positionOf, type Decision, type DecisionKind, type Tape } from "../core/tape.ts";
import { tickTimeMs, type FaultProfile } from "../world/faults.ts";
import { SEND_CHURN_MIN } from "../world/sendChurn.ts";
import { LEADER_CHURN_MIN } from "../world/targeted.ts";

export interface FaultLine {
  readonly kind: DecisionKind;
  /** When it struck: the message's send, the fault tick. */
  readonly timeMs: number;
  readonly text: string;
}

/** What a list is drawn from: the execution's trace and fault profile. */
export interface ExecutionFacts {
  readonly trace: readonly TraceEvent[];
  readonly faults: FaultProfile;
}

/** The tape's faults, in the order they struck, each with its magnitudes. */
export function faultLines(tape: Tape, execution: ExecutionFacts): FaultLine[] {
  const decisions = tape.decisions();
  const sends = sendsByChannel(execution.trace);
  return decisions
    .filter((decision) => isChance(decision.kind))
    .map((fault) => {
      const magnitude = (kind: DecisionKind) => decisions.find((decision) => decision.kind === kind && belongsTo(decision, fault))?.value ?? 0;
      return describeFault(fault, magnitude, sends, execution);
    })
    .sort((a, b) => a.timeMs - b.timeMs);
}

/** The free decisions away from their gentlest: `c1→n1 #3 (message 17) +4 ms latency jitter`. */
export function jitterLines(tape: Tape, execution: ExecutionFacts): string[] {
  const sends = sendsByChannel(execution.trace);
  return tape.decisions().filter((decision) => isFree(decision.kind)).map((decision) => {
    if (decision.kind !== "latency" || !("n" in decision)) return describeDecision(decision);
    return `${messageName(decision, sends).text} +${decision.value} ms latency jitter`;
  });
}

type Sends = ReadonlyMap<string, readonly Extract<TraceEvent, { kind: "send" }>[]>;

function sendsByChannel(trace: readonly TraceEvent[]): Sends {
  const sends = new Map<string, Extract<TraceEvent, { kind: "send" }>[]>();
  for (const event of trace) {
    if (event.kind !== "send") continue;
    const key = `${event.node}→${event.to}`;
    let list = sends.get(key);
    if (list === undefined) sends.set(key, (list = []));
    list.push(event);
  }
  return sends;
}

/** `c1→n1 #3 (message 17)`: the n-th message on its channel, and its id in the trace. */
function messageName(decision: Decision & { readonly from: string; readonly to: string; readonly n: number }, sends: Sends): { text: string; timeMs: number } {
  const send = sends.get(`${decision.from}→${decision.to}`)?.[decision.n - 1];
  const id = send === undefined ? "" : ` (message ${send.messageId})`;
  return { text: `${decision.from}→${decision.to} #${decision.n}${id}`, timeMs: send?.timeMs ?? 0 };
}

function describeFault(fault: Decision, magnitude: (kind: DecisionKind) => number, sends: Sends, execution: ExecutionFacts): FaultLine {
  const profile = execution.faults;
  if ("n" in fault) {
    const { text, timeMs } = messageName(fault, sends);
    const detail =
      fault.kind === "drop" ? `drop ${text}` :
      fault.kind === "delay" ? `delay ${text} by ${1 + magnitude("delay-ms")} ms` :
      fault.kind === "duplicate" ? `duplicate ${text}, the copy after ${profile.latencyMs + magnitude("duplicate-ms")} ms` :
      describeDecision(fault);
    return { kind: fault.kind, timeMs, text: `${timeMs} ms  ${detail}` };
  }
  if ("invocation" in fault) return describeEffectFault(fault, magnitude, execution);
  if (!("tick" in fault)) return { kind: fault.kind, timeMs: 0, text: describeDecision(fault) };
  const timeMs = tickTimeMs(profile, positionOf(fault));
  const at = `${timeMs} ms  `;
  const tick = `(tick ${fault.tick})`;
  const event = (kind: TraceEvent["kind"]) => execution.trace.find((candidate) => candidate.kind === kind && candidate.timeMs === timeMs && (fault.node === undefined || candidate.node === fault.node));
  let detail: string;
  switch (fault.kind) {
    case "crash":
      detail = `crash ${fault.node} ${tick}, down ${profile.restartMinMs + magnitude("restart-ms")} ms`;
      break;
    case "torn": {
      const torn = execution.trace.find((candidate) => candidate.kind === "torn" && candidate.timeMs === timeMs && candidate.node === fault.node && candidate.file === fault.file);
      const kept = torn?.kind === "torn" ? `keeps ${torn.keptBytes} of ${torn.keptBytes + torn.lostBytes} unsynced bytes` : "keeps none of its unsynced bytes";
      detail = `torn write ${fault.node}:${fault.file} ${tick}, ${kept}`;
      break;
    }
    case "partition": {
      const split = event("partition");
      const groups = split?.kind === "partition" ? split.groups.map((group) => `{${group.join(", ")}}`).join(" | ") : `cut ${magnitude("partition-cut")}`;
      detail = `partition ${groups} ${tick}, for ${profile.partitionMinMs + magnitude("partition-ms")} ms`;
      break;
    }
    case "skew": {
      const skew = event("skew");
      const skewMs = skew?.kind === "skew" ? skew.skewMs : magnitude("skew-ms") - profile.clockSkewMaxMs;
      detail = `clock skew ${fault.node} ${skewMs >= 0 ? "+" : ""}${skewMs} ms ${tick}`;
      break;
    }
    case "leader-crash":
      detail = `arm a crash of the leader right after its next send ${tick}, down ${profile.restartMinMs + magnitude("leader-crash-ms")} ms`;
      break;
    case "leader-isolate":
    case "voter-isolate": {
      const split = execution.trace.find((candidate) => candidate.kind === "partition" && candidate.timeMs === timeMs);
      const groups = split?.kind === "partition" ? ` ${split.groups.map((group) => `{${group.join(", ")}}`).join(" | ")}` : "";
      const lastsMs = profile.isolateMinMs + magnitude(fault.kind === "leader-isolate" ? "leader-isolate-ms" : "voter-isolate-ms");
      detail = `${fault.kind === "leader-isolate" ? "cut the leader off" : "isolate the node that just voted"}${groups} ${tick}, for ${lastsMs} ms`;
      break;
    }
    case "leader-churn":
      detail = `churn: depose ${LEADER_CHURN_MIN + magnitude("leader-churn-count")} leaders in turn ${tick}, each cut off for ${profile.isolateMinMs + magnitude("leader-churn-ms")} ms`;
      break;
    case "leader-send-churn":
      detail = `send-churn: depose ${SEND_CHURN_MIN + magnitude("leader-send-churn-count")} leaders in turn ${tick}, each right after it sends what it just wrote, cut off for ${profile.isolateMinMs + magnitude("leader-send-churn-ms")} ms`;
      break;
    default:
      detail = describeDecision(fault);
  }
  return { kind: fault.kind, timeMs, text: `${at}${detail}` };
}

/**
 * A fault at a handler's effect: `120 ms  crash point account just before its send to client
 * (effect 4.3), down 20 ms`, a tear at it, a lost fsync, a misdirected append.
 */
function describeEffectFault(fault: Decision & { readonly node: string; readonly invocation: number; readonly effect: number }, magnitude: (kind: DecisionKind) => number, execution: ExecutionFacts): FaultLine {
  const eventKind = fault.kind === "lost-fsync" || fault.kind === "misdirect" ? fault.kind : "crash-point";
  const point = execution.trace.find(
    (candidate) => candidate.kind === eventKind && candidate.node === fault.node && candidate.invocation === fault.invocation && candidate.effect === fault.effect,
  );
  const timeMs = point?.timeMs ?? 0;
  const where = `(effect ${fault.invocation}.${fault.effect})`;
  let detail: string;
  switch (fault.kind) {
    case "crash-point": {
      const before = point?.kind === "crash-point" ? ` just before its ${point.before} ${point.before === "send" ? "to " : ""}${point.target}` : "";
      detail = `crash point ${fault.node}${before} ${where}, down ${execution.faults.restartMinMs + magnitude("crash-point-ms")} ms`;
      break;
    }
    case "crash-point-torn": {
      const torn = execution.trace.find((candidate) => candidate.kind === "torn" && candidate.timeMs === timeMs && candidate.node === fault.node && candidate.file === fault.file);
      const kept = torn?.kind === "torn" ? `keeps ${torn.keptBytes} of ${torn.keptBytes + torn.lostBytes} unsynced bytes` : "keeps none of its unsynced bytes";
      detail = `torn write ${fault.node}:${fault.file} at the crash point ${where}, ${kept}`;
      break;
    }
    case "lost-fsync":
      detail = `lost fsync ${fault.node}:${fault.file} ${where}: its writes stay unsynced`;
      break;
    case "misdirect":
      detail = point?.kind === "misdirect"
        ? `misdirected append ${fault.node}:${fault.file} ${where}: ${point.bytes} bytes meant for byte ${point.intendedOffset} landed at byte ${point.offset}`
        : describeDecision(fault);
      break;
    default:
      detail = describeDecision(fault);
  }
  return { kind: fault.kind, timeMs, text: `${timeMs} ms  ${detail}` };
}
