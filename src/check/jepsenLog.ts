// Reading a Jepsen log of a register test, the format of Porcupine's etcd histories
// (test_data/jepsen/etcd_*.log): one event per line,
//   INFO  jepsen.util - 3	:invoke	:cas	[1 4]
//   INFO  jepsen.util - 3	:fail	:cas	[1 4]
// Lines that are not events are skipped. Time is the line's position. Read as Porcupine reads it:
// `:ok` completes the process's open operation; `:fail` of a cas completes it with "did not set"
// (false); a read that `:fail`s with :timed-out, and every `:info`, leave it open (it may or may not
// have happened); any other `:fail` leaves it open too. Operations still open at the end never
// returned.

import { UsageError } from "../core/errors.ts";
import type { Operation } from "./sequentialModel.ts";

const EVENT = /^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(invoke|ok|fail|info)\s+:([\w-]+)\s+(.*?)\s*$/;

type LogValue = number | string | null | readonly LogValue[];

export function parseJepsenLog(text: string, source: string): Operation<unknown, unknown>[] {
  const operations: Operation<unknown, unknown>[] = [];
  const open = new Map<string, { readonly client: string; readonly input: Record<string, unknown>; readonly callMs: number }>();
  text.split("\n").forEach((line, lineIndex) => {
    const match = EVENT.exec(line);
    if (match === null) return;
    const [, process, type, f, rawValue] = match as unknown as [string, string, string, string, string];
    const where = `${source}: line ${lineIndex + 1}`;
    const value = parseLogValue(rawValue, where);
    if (type === "invoke") {
      if (open.has(process)) throw new UsageError(`${where}: process ${process} invokes while its previous operation is still open`);
      open.set(process, { client: process, input: inputOf(f, value, where), callMs: lineIndex });
      return;
    }
    const invoked = open.get(process);
    if (invoked === undefined) throw new UsageError(`${where}: process ${process} completes an operation it never invoked`);
    if (invoked.input.op !== f) throw new UsageError(`${where}: process ${process} completes :${f} but invoked :${String(invoked.input.op)}`);
    if (type === "ok") operations.push({ ...invoked, output: f === "read" ? value : f === "cas" ? true : null, returnMs: lineIndex });
    else if (type === "fail" && f === "cas") operations.push({ ...invoked, output: false, returnMs: lineIndex });
    else operations.push(invoked);
    open.delete(process);
  });
  for (const invoked of open.values()) operations.push(invoked);
  return operations.sort((a, b) => a.callMs - b.callMs);
}

function inputOf(f: string, value: LogValue, where: string): Record<string, unknown> {
  switch (f) {
    case "read":
      return { op: "read" };
    case "write":
      return { op: "write", value };
    case "cas":
      if (!Array.isArray(value) || value.length !== 2) throw new UsageError(`${where}: a cas needs [from to]`);
      return { op: "cas", from: value[0], to: value[1] };
    default:
      return { op: f, value };
  }
}

/** nil, an integer, a keyword (as its name), or a vector of those. */
function parseLogValue(raw: string, where: string): LogValue {
  if (raw === "nil") return null;
  if (/^-?\d+$/.test(raw)) return Number(raw);
  if (/^:[\w-]+$/.test(raw)) return raw.slice(1);
  const vector = /^\[(.*)\]$/.exec(raw);
  if (vector !== null) return vector[1]!.trim() === "" ? [] : vector[1]!.trim().split(/[\s,]+/).map((item) => parseLogValue(item, where));
  throw new UsageError(`${where}: cannot read the value '${raw}'`);
}
