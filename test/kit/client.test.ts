// The kit's client driver, run by hand against a fake context: it calls each operation after its
// think time, retries on the next server, follows a redirect, ignores answers to other calls,
// records call and return once each, and after a crash resends the call in flight with the same
// idempotency key without noting it twice. clientHistory turns the notes into checker operations.

import { describe, expect, test } from "vitest";
import { CALL_NOTE, clientDone, clientHistory, clientNode, RETURN_NOTE, type ClientState } from "../../src/kit/index.ts";
import type { Disk, Json, NodeContext, NoteRecord } from "../../src/index.ts";

type Operation = { readonly op: string };

/** A fake context over one disk that outlives "crashes"; it records sends, notes and live timers. */
function world() {
  const files = new Map<string, string>();
  const disk: Disk = {
    read: (file) => files.get(file),
    write: (file, content) => void files.set(file, content),
    append: (file, data) => void files.set(file, (files.get(file) ?? "") + data),
    fsync: () => undefined,
    replace: (file, content) => void files.set(file, content),
    files: () => [...files.keys()].sort(),
  };
  const sent: { to: string; message: Json }[] = [];
  const notes: { label: string; value: Json }[] = [];
  let timers = new Map<number, string>();
  let nextTimer = 1;
  const ctx = {
    id: "c1",
    peers: ["s1", "s2", "s3"],
    now: () => 0,
    send: (to: string, message: Json) => void sent.push({ to, message }),
    setTimer: (name: string) => {
      timers.set(nextTimer, name);
      return nextTimer++;
    },
    cancelTimer: (id: number) => void timers.delete(id),
    disk,
    random: { below: () => 0 },
    note: (label: string, value: Json) => void notes.push({ label, value }),
  } as unknown as NodeContext;
  const fire = (prefix: string): string => {
    const entry = [...timers].find(([, name]) => name.startsWith(prefix));
    if (entry === undefined) throw new Error(`no timer ${prefix} armed: ${[...timers.values()].join(", ")}`);
    timers.delete(entry[0]);
    return entry[1];
  };
  const crash = () => void (timers = new Map());
  return { ctx, sent, notes, fire, crash, timers: () => [...timers.values()] };
}

const node = clientNode<Operation, Json>({
  operations: [{ op: "a" }, { op: "b" }],
  servers: ["s1", "s2", "s3"],
  retryMs: 100,
  thinkMs: (_ctx, index) => 10 * (index + 1),
  request: (call) => ({ key: call.key, index: call.index, op: call.operation.op }),
  reply: (_ctx, message) => {
    const reply = message as { index: number; output?: string; leader?: string | null };
    return reply.output !== undefined ? { index: reply.index, output: reply.output } : { index: reply.index, redirect: reply.leader ?? null };
  },
});

describe("client driver", () => {
  test("think, call, retry on the next server, follow a redirect, return; stale answers are ignored", () => {
    const w = world();
    const state = node.init(w.ctx);
    node.start!(state, w.ctx);
    expect(w.timers()).toEqual(["think 0"]);
    node.timer!(state, w.ctx, w.fire("think"));
    expect(w.notes).toEqual([{ label: CALL_NOTE, value: { index: 0, key: "c1#0", operation: { op: "a" } } }]);
    expect(w.sent).toEqual([{ to: "s1", message: { key: "c1#0", index: 0, op: "a" } }]);
    node.timer!(state, w.ctx, w.fire("retry"));
    expect(w.sent.at(-1)).toEqual({ to: "s2", message: { key: "c1#0", index: 0, op: "a" } });
    node.message!(state, w.ctx, "s2", { index: 0, leader: "s3" });
    expect(w.sent.at(-1)!.to).toBe("s3");
    node.message!(state, w.ctx, "s3", { index: 1, output: "too early" }); // not the call in flight
    expect(w.notes).toHaveLength(1);
    node.message!(state, w.ctx, "s3", { index: 0, output: "A" });
    node.message!(state, w.ctx, "s1", { index: 0, output: "A again" }); // a late duplicate
    expect(w.notes).toEqual([
      { label: CALL_NOTE, value: { index: 0, key: "c1#0", operation: { op: "a" } } },
      { label: RETURN_NOTE, value: { index: 0, output: "A" } },
    ]);
    expect(w.timers()).toEqual(["think 1"]);
    expect(clientDone(state, 2)).toBe(false);
    node.timer!(state, w.ctx, w.fire("think"));
    node.message!(state, w.ctx, "s3", { index: 1, output: "B" });
    expect(clientDone(state, 2)).toBe(true);
    expect(w.timers()).toEqual([]);
  });

  test("after a crash, the call in flight is resent with its key and not noted again; a returned one is not repeated", () => {
    const w = world();
    let state: ClientState = node.init(w.ctx);
    node.start!(state, w.ctx);
    node.timer!(state, w.ctx, w.fire("think"));
    w.crash();
    state = node.init(w.ctx);
    node.recover!(state, w.ctx);
    expect(w.sent.map((send) => send.message)).toEqual([{ key: "c1#0", index: 0, op: "a" }, { key: "c1#0", index: 0, op: "a" }]);
    node.message!(state, w.ctx, "s1", { index: 0, output: "A" });
    w.crash();
    state = node.init(w.ctx);
    node.recover!(state, w.ctx);
    expect(state).toMatchObject({ next: 1, called: false });
    expect(w.timers()).toEqual(["think 1"]);
    expect(w.notes.map((note) => note.label)).toEqual([CALL_NOTE, RETURN_NOTE]);
  });

  test("clientHistory pairs calls with returns and leaves an unanswered call open", () => {
    const records: Record<string, NoteRecord[]> = {
      [CALL_NOTE]: [
        { node: "c1", timeMs: 0, traceIndex: 0, value: { index: 0, key: "c1#0", operation: { op: "a" } } },
        { node: "c2", timeMs: 5, traceIndex: 1, value: { index: 0, key: "c2#0", operation: { op: "b" } } },
      ],
      [RETURN_NOTE]: [{ node: "c1", timeMs: 9, traceIndex: 2, value: { index: 0, output: "A" } }],
    };
    const history = clientHistory((label) => records[label] ?? [], { input: (operation) => (operation as Operation).op, output: (output) => String(output) });
    expect(history).toEqual([
      { client: "c1", input: "a", output: "A", callMs: 0, returnMs: 9 },
      { client: "c2", input: "b", callMs: 5 },
    ]);
  });

  test("a client without servers is refused", () => {
    expect(() => clientNode({ operations: [], servers: [], retryMs: 1, thinkMs: () => 0, request: () => null, reply: () => undefined })).toThrow(/at least one server/);
  });
});
