// What a failure page's diagram script draws from: the physical trace in a compact form (one array
// per event, message payloads once per message), the lifelines, and the events π used. Embedded in
// the page as JSON, so the page needs no network and no second file.

import type { TraceEvent } from "../../core/events.ts";
import { canonicalJson } from "../../core/hash.ts";
import type { NodeId } from "../../core/json.ts";
import type { Violation } from "../../execution/verdict.ts";
import type { ProjectionUse } from "../../execution/view.ts";
import { headlineViolation } from "../headline.ts";

/** A payload longer than this is cut in the page (the replay file reproduces it whole). */
export const PAYLOAD_CHARS_MAX = 400;

/**
 * One event: [kind, timeMs, node index (-1 for the network), ...details by kind]:
 * send/duplicate [to, messageId]; deliver [from, messageId]; drop [from, messageId, reason];
 * timer [name]; partition [groups of node indexes]; skew [skewMs]; write [file, mode, bytes];
 * fsync [file]; torn [file, keptBytes, lostBytes]; note [label, value]; error [message];
 * crash-point [before, target, invocation, effect]; corrupt [file, offset, bit]; lost-fsync [file];
 * misdirect [file, offset, intendedOffset, bytes].
 */
export type PageEvent = readonly (string | number | readonly (readonly number[])[])[];

export interface PageData {
  readonly nodes: readonly NodeId[];
  readonly endedAtMs: number;
  readonly events: readonly PageEvent[];
  /** Payload of each message by id, as canonical JSON, cut at PAYLOAD_CHARS_MAX. */
  readonly messages: Readonly<Record<number, string>>;
  /** Indexes of the events π used, ascending. */
  readonly highlighted: readonly number[];
  /** Where the first invariant broke, for the page's jump button and mark; null when nothing says. */
  readonly breach: Breach | null;
}

/**
 * The event where the first invariant broke, and how the page knows: `invariant` (the check named
 * the event; the earliest such), `error` (the handler error's event), `budget` (the last event
 * before the budget ran out), `projection` (no check named one: the last event π used).
 */
export interface Breach {
  readonly index: number;
  readonly invariant: string;
  readonly source: "invariant" | "error" | "budget" | "projection";
}

export function pageData(trace: readonly TraceEvent[], use: ProjectionUse, endedAtMs: number, violations: readonly Violation[] = []): PageData {
  const nodes = lifelines(trace);
  const index = new Map(nodes.map((node, position) => [node, position]));
  const at = (node: NodeId) => index.get(node) ?? -1;
  const messages: Record<number, string> = {};
  const events = trace.map((event): PageEvent => {
    const head = [event.kind, event.timeMs, at(event.node)] as const;
    switch (event.kind) {
      case "send":
        messages[event.messageId] = cut(canonicalJson(event.message));
        return [...head, at(event.to), event.messageId];
      case "duplicate":
        return [...head, at(event.to), event.messageId];
      case "deliver":
        return [...head, at(event.from), event.messageId];
      case "drop":
        return [...head, at(event.from), event.messageId, event.reason];
      case "timer":
        return [...head, event.name];
      case "partition":
        return [...head, event.groups.map((group) => group.map(at))];
      case "skew":
        return [...head, event.skewMs];
      case "write":
        return [...head, event.file, event.mode, event.bytes];
      case "fsync":
        return [...head, event.file];
      case "torn":
        return [...head, event.file, event.keptBytes, event.lostBytes];
      case "crash-point":
        return [...head, event.before, event.target, event.invocation, event.effect];
      case "corrupt":
        return [...head, event.file, event.offset, event.bit];
      case "lost-fsync":
        return [...head, event.file];
      case "misdirect":
        return [...head, event.file, event.offset, event.intendedOffset, event.bytes];
      case "note":
        return [...head, event.label, cut(canonicalJson(event.value))];
      case "error":
        return [...head, cut(event.message)];
      case "start": case "crash": case "restart": case "heal":
        return head;
    }
  });
  const highlighted = highlightedEvents(trace, use);
  return { nodes, endedAtMs, events, messages, highlighted, breach: breachOf(trace, violations, highlighted) };
}

/** Where the first invariant broke (see Breach), or null for an execution that broke nothing. */
export function breachOf(trace: readonly TraceEvent[], violations: readonly Violation[], highlighted: readonly number[]): Breach | null {
  let named: Violation | undefined;
  for (const violation of violations) {
    const index = violation.traceIndex;
    if (index !== undefined && index >= 0 && index < trace.length && (named === undefined || index < named.traceIndex!)) named = violation;
  }
  if (named !== undefined) return { index: named.traceIndex!, invariant: named.invariant, source: "invariant" };
  const headline = headlineViolation(violations);
  if (headline === undefined || trace.length === 0) return null;
  const thrown = violations.find((violation) => violation.invariant === "handler-error" || violation.invariant === "determinism");
  const errorIndex = trace.findIndex((event) => event.kind === "error");
  if (thrown !== undefined && errorIndex >= 0) return { index: errorIndex, invariant: thrown.invariant, source: "error" };
  const budget = violations.find((violation) => violation.invariant === "budget");
  if (budget !== undefined) return { index: trace.length - 1, invariant: "budget", source: "budget" };
  const lastUsed = highlighted[highlighted.length - 1];
  return lastUsed === undefined ? null : { index: lastUsed, invariant: headline.invariant, source: "projection" };
}

/**
 * The events that made the logical trace: the notes π was handed, every delivery to a node whose
 * state π read (its state is what those messages built), and every fsync of a node whose disk π
 * read.
 */
export function highlightedEvents(trace: readonly TraceEvent[], use: ProjectionUse): number[] {
  const notes = new Set(use.notes);
  const states = new Set(use.states);
  const disks = new Set(use.disks);
  const used: number[] = [];
  trace.forEach((event, index) => {
    const counts = notes.has(index) || (event.kind === "deliver" && states.has(event.node)) || (event.kind === "fsync" && disks.has(event.node));
    if (counts) used.push(index);
  });
  return used;
}

/** The nodes in the order they first appear in the trace (start events come first). */
function lifelines(trace: readonly TraceEvent[]): NodeId[] {
  const seen = new Set<NodeId>();
  for (const event of trace) {
    if (event.node !== "*") seen.add(event.node);
    if (event.kind === "send" || event.kind === "duplicate") seen.add(event.to);
  }
  return [...seen];
}

function cut(text: string): string {
  return text.length <= PAYLOAD_CHARS_MAX ? text : `${text.slice(0, PAYLOAD_CHARS_MAX - 1)}…`;
}
