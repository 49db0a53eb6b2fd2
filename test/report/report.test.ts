// The failure page's parts without a browser, on hand-built traces: what π read becomes the
// highlighted events, the page data keeps every event and each payload once, the logical trace's
// first difference is marked on both sides, and a page is self-contained.

import { describe, expect, test } from "vitest";
import type { ExecutionView, Json } from "../../src/core/scenario.ts";
import type { TraceEvent } from "../../src/core/events.ts";
import { recordingView, type ProjectionUse } from "../../src/execution/view.ts";
import { highlightedEvents, pageData, PAYLOAD_CHARS_MAX } from "../../src/report/html/pageData.ts";
import { jsonLines, logicalSection } from "../../src/report/html/logicalDiff.ts";
import { failurePage } from "../../src/report/html/failurePage.ts";
import { escapeHtml, scriptJson } from "../../src/report/html/markup.ts";
import { execute } from "../../src/execution/execute.ts";
import delivery from "../../scenarios/delivery.ts";

const TRACE: readonly TraceEvent[] = [
  { kind: "start", timeMs: 0, node: "a" },
  { kind: "start", timeMs: 0, node: "b" },
  { kind: "send", timeMs: 1, node: "a", to: "b", messageId: 1, message: { value: 1 } },
  { kind: "duplicate", timeMs: 1, node: "a", to: "b", messageId: 1 },
  { kind: "deliver", timeMs: 3, node: "b", from: "a", messageId: 1, message: { value: 1 } },
  { kind: "write", timeMs: 3, node: "b", file: "log", mode: "append", bytes: 2 },
  { kind: "fsync", timeMs: 3, node: "b", file: "log" },
  { kind: "note", timeMs: 3, node: "b", label: "received", value: 1 },
  { kind: "deliver", timeMs: 4, node: "b", from: "a", messageId: 1, message: { value: 1 } },
  { kind: "send", timeMs: 5, node: "b", to: "a", messageId: 2, message: { ack: 1 } },
  { kind: "drop", timeMs: 5, node: "a", from: "b", messageId: 2, reason: "fault" },
  { kind: "fsync", timeMs: 6, node: "a", file: "log" },
];

const NOTHING: ProjectionUse = { notes: [], states: [], disks: [] };

describe("the events π used", () => {
  test("a π that read nothing highlights nothing", () => {
    expect(highlightedEvents(TRACE, NOTHING)).toEqual([]);
  });

  test("reading a node's state highlights the deliveries to it, not those elsewhere", () => {
    expect(highlightedEvents(TRACE, { ...NOTHING, states: ["b"] })).toEqual([4, 8]);
    expect(highlightedEvents(TRACE, { ...NOTHING, states: ["a"] })).toEqual([]);
  });

  test("notes by trace index, fsyncs of the disks read", () => {
    expect(highlightedEvents(TRACE, { notes: [7], states: [], disks: ["a"] })).toEqual([7, 11]);
  });

  test("the recording view records what π reads, through state(), nodes and notes()", () => {
    const view: ExecutionView = {
      variant: "v",
      workload: null,
      trace: TRACE,
      endedAtMs: 6,
      nodes: { a: { up: true, state: { n: 1 }, disk: undefined as never }, b: { up: true, state: { n: 2 }, disk: undefined as never } },
      state: <State>(node: string) => ({ n: node.length }) as State,
      notes: (label: string) => (label === "received" ? [{ node: "b", timeMs: 3, value: 1, traceIndex: 7 }] : []),
    };
    const untouched = recordingView(view);
    expect(untouched.use()).toEqual(NOTHING);
    const recording = recordingView(view);
    recording.view.state("b");
    void recording.view.nodes.a!.disk;
    recording.view.notes("received");
    recording.view.notes("absent");
    expect(recording.use()).toEqual({ notes: [7], states: ["b"], disks: ["a"] });
  });

  test("a real execution's projection use: delivery's π reads the receiver's state", () => {
    const result = execute({ scenario: delivery, variant: "sum", seed: 3, faults: "heavy" });
    expect(result.projectionUse).toEqual({ notes: [], states: ["receiver"], disks: [] });
  });
});

describe("page data", () => {
  test("keeps every event, with each message's payload once, and the lifelines in order", () => {
    const data = pageData(TRACE, { ...NOTHING, states: ["b"] }, 6);
    expect(data.nodes).toEqual(["a", "b"]);
    expect(data.events).toHaveLength(TRACE.length);
    expect(data.events[2]).toEqual(["send", 1, 0, 1, 1]);
    expect(data.events[10]).toEqual(["drop", 5, 0, 1, 2, "fault"]);
    expect(data.messages).toEqual({ 1: '{"value":1}', 2: '{"ack":1}' });
    expect(data.highlighted).toEqual([4, 8]);
  });

  test("cuts a long payload", () => {
    const long: TraceEvent[] = [{ kind: "send", timeMs: 0, node: "a", to: "b", messageId: 9, message: { text: "x".repeat(5000) } }];
    expect(pageData(long, NOTHING, 0).messages[9]).toHaveLength(PAYLOAD_CHARS_MAX);
  });

  test("embedded JSON cannot close its script element", () => {
    expect(scriptJson({ text: "</script><script>alert(1)</script>" })).not.toContain("</script>");
    expect(JSON.parse(scriptJson({ text: "</script>" }))).toEqual({ text: "</script>" });
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});

describe("the logical trace beside the reference", () => {
  test("pretty-prints with a path per line", () => {
    expect(jsonLines({ b: [1, 2], a: null } as Json)).toEqual([
      { path: "$", text: "{" },
      { path: "$.a", text: '  "a": null,' },
      { path: "$.b", text: '  "b": [' },
      { path: "$.b[0]", text: "    1," },
      { path: "$.b[1]", text: "    2" },
      { path: "$.b", text: "  ]" },
      { path: "$", text: "}" },
    ]);
  });

  const marked = (html: string, side: string) => {
    const column = html.split(`data-side="${side}"`)[1]!.split("</pre>")[0]!;
    return [...column.matchAll(/class="json-line first-diff" data-path="([^"]+)"/g)].map((match) => match[1]);
  };

  test("marks the first difference on both sides, or its nearest ancestor where it is absent", () => {
    const html = logicalSection({ value: [1, 2] }, { value: [1, 3, 4] });
    expect(marked(html, "reference")).toEqual(["$.value[1]"]);
    expect(marked(html, "execution")).toEqual(["$.value[1]"]);
    const absent = logicalSection({ value: [1] }, { value: [1, 2] });
    expect(marked(absent, "reference")).toEqual(["$.value", "$.value[0]", "$.value"]);
    expect(marked(absent, "execution")).toEqual(["$.value[1]"]);
  });

  test("says so when the meaning is intact and only an invariant broke", () => {
    const html = logicalSection({ value: 1 }, { value: 1 });
    expect(html).toContain("equals the reference");
    expect(marked(html, "execution")).toEqual([]);
  });
});

describe("a failure page", () => {
  test("is one file: no external script, stylesheet or image", () => {
    const result = execute({ scenario: delivery, variant: "sum", seed: 3, faults: "heavy" });
    const html = failurePage({ result, reference: { value: 15 }, replay: "dsim replay x.replay.json" });
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet|<img|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html).toContain('<script type="application/json" id="dsim-data">');
    expect(html).toContain("dsim replay x.replay.json");
  });
});
