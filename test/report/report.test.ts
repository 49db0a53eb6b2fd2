// The report pages' parts without a browser, on hand-built traces and summaries: what π read
// becomes the highlighted events, the page data keeps every event and each payload once, every
// difference of the logical trace is marked on both sides, the jump button finds where the first
// invariant broke, the legend explains every mark the diagram draws, a page is self-contained; the
// index says whether each variant behaved as declared, with its headline and tally; JUnit too.

import { describe, expect, test } from "vitest";
import type { ExecutionView, Json } from "../../src/core/scenario.ts";
import type { TraceEvent } from "../../src/core/events.ts";
import { recordingView, type ProjectionUse } from "../../src/execution/view.ts";
import { readFileSync } from "node:fs";
import { breachOf, highlightedEvents, pageData, PAYLOAD_CHARS_MAX } from "../../src/report/html/pageData.ts";
import { LEGEND } from "../../src/report/html/legend.ts";
import { COLUMNS, indexPage, rowResultOf } from "../../src/report/html/indexPage.ts";
import { junitXml } from "../../src/report/junit.ts";
import type { SweepEntry } from "../../src/report/summary.ts";
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

  /** The paths of the lines marked `mark` (diff: any difference; first-diff: the first) on one side. */
  const marked = (html: string, side: string, mark = "diff") => {
    const column = html.split(`data-side="${side}"`)[1]!.split("</pre>")[0]!;
    return [...column.matchAll(/class="json-line([^"]*)" data-path="([^"]+)"/g)].filter((match) => match[1]!.split(" ").includes(mark)).map((match) => match[2]);
  };

  test("marks every differing path on both sides, the first more strongly", () => {
    const html = logicalSection({ name: "a", value: [1, 2, 5] }, { name: "b", value: [1, 3, 5, 4] });
    expect(marked(html, "reference")).toEqual(["$.name", "$.value", "$.value[1]", "$.value"]);
    expect(marked(html, "execution")).toEqual(["$.name", "$.value[1]", "$.value[3]"]);
    expect(marked(html, "reference", "first-diff")).toEqual(["$.name"]);
    expect(marked(html, "execution", "first-diff")).toEqual(["$.name"]);
    expect(html.match(/<li/g)).toHaveLength(3);
  });

  test("a path absent on one side marks the brackets of its nearest container there", () => {
    const absent = logicalSection({ value: [1] }, { value: [1, 2] });
    expect(marked(absent, "reference")).toEqual(["$.value", "$.value"]);
    expect(marked(absent, "execution")).toEqual(["$.value[1]"]);
  });

  test("lists the first differences in words and says how many more are marked", () => {
    const many = (offset: number) => Array.from({ length: 30 }, (_, index) => index + offset);
    const html = logicalSection(many(0), many(1));
    expect(html.match(/<li/g)).toHaveLength(20);
    expect(html).toContain("… and 10 more differences, marked below.");
    expect(marked(html, "execution")).toHaveLength(30);
  });

  test("an admissible trace that differs from the reference says the difference is allowed", () => {
    expect(logicalSection({ outcome: "commit" }, { outcome: "abort" }, true)).toContain("the scenario declares this outcome admissible");
    expect(logicalSection({ outcome: "commit" }, { outcome: "abort" }, false)).not.toContain("admissible");
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

describe("where the first invariant broke", () => {
  const violation = (invariant: string, traceIndex?: number) => ({ invariant, message: "m", ...(traceIndex === undefined ? {} : { traceIndex }) });

  test("the earliest event a check named, whichever invariant named it", () => {
    expect(breachOf(TRACE, [violation("logical-trace"), violation("atomicity", 9), violation("validity", 7)], [4])).toEqual({ index: 7, invariant: "validity", source: "invariant" });
  });

  test("an index outside the trace is not trusted", () => {
    expect(breachOf(TRACE, [violation("atomicity", TRACE.length)], [4])).toEqual({ index: 4, invariant: "atomicity", source: "projection" });
  });

  test("a handler error's event; the last event of a budget; else the last event π used", () => {
    const withError: TraceEvent[] = [...TRACE, { kind: "error", timeMs: 7, node: "a", message: "boom" }];
    expect(breachOf(withError, [violation("handler-error")], [4])).toEqual({ index: TRACE.length, invariant: "handler-error", source: "error" });
    expect(breachOf(TRACE, [violation("budget")], [4])).toEqual({ index: TRACE.length - 1, invariant: "budget", source: "budget" });
    expect(breachOf(TRACE, [violation("logical-trace")], [4, 8])).toEqual({ index: 8, invariant: "logical-trace", source: "projection" });
  });

  test("nothing broken, or nothing to point at: no jump", () => {
    expect(breachOf(TRACE, [], [4])).toBeNull();
    expect(breachOf(TRACE, [violation("logical-trace")], [])).toBeNull();
  });

  test("the page's button says which invariant and how the page knows", () => {
    const result = { ...execute({ scenario: delivery, variant: "sum", seed: 3, faults: "heavy" }) };
    const named = failurePage({ result: { ...result, violations: [{ invariant: "sum-check", message: "x", traceIndex: 2 }] }, reference: { value: 15 }, replay: "r" });
    expect(named).toContain('id="jump-to-breach" data-index="2"');
    expect(named).toContain("Jump to where sum-check broke (event #2)");
    const unnamed = failurePage({ result, reference: { value: 15 }, replay: "r" });
    expect(unnamed).toMatch(/Jump to the last event π used \(event #\d+\)/);
    const holds = failurePage({ result: { ...result, violations: [] }, reference: { value: 15 }, replay: "r" });
    expect(holds).not.toContain('id="jump-to-breach"');
  });
});

describe("the legend", () => {
  test("explains every mark diagram.js can draw", () => {
    const script = readFileSync(new URL("../../src/report/html/diagram.js", import.meta.url), "utf8");
    const explained = new Set(LEGEND.flatMap((entry) => entry.marks));
    // Literal data-mark names, the kinds of event groups (data-mark: kind), and the arrow marks.
    const literal = [...script.matchAll(/"data-mark": "([a-z-]+)"/g)].map((match) => match[1]!);
    const arrows = [...script.matchAll(/"(arrow(?:-[a-z]+)?)"/g)].map((match) => match[1]!);
    const kinds: readonly TraceEvent["kind"][] = ["start", "send", "deliver", "drop", "duplicate", "timer", "crash", "restart", "partition", "heal", "skew", "write", "fsync", "torn", "note", "error"];
    for (const mark of [...literal, ...arrows, ...kinds]) expect(explained, mark).toContain(mark);
  });
});

describe("the index page and JUnit, on hand-built summary entries", () => {
  const base: SweepEntry = {
    scenario: "s", variant: "v", expect: "diverges", verdict: "diverges", expectationMet: true, expectMode: false,
    seeds: { from: 0, count: 10, budget: 10, stopsAtFirstDivergence: false }, shard: null, faults: "swarm", workloadSeed: 0,
    physicalTraces: 10, logicalTraces: 3, admissibleLogicalTraces: 1, inadmissibleLogicalTraces: 2, divergences: 4,
    invariants: [
      { invariant: "logical-trace", seeds: 4, firstSeed: 2, replayFile: "out/s/v/seed-2.replay.json", replay: "dsim replay out/s/v/seed-2.replay.json" },
      { invariant: "atomicity", seeds: 1, firstSeed: 7, replayFile: "out/s/v/seed-7.replay.json", replay: "dsim replay out/s/v/seed-7.replay.json" },
    ],
    firstDivergence: {
      seed: 2, violations: [{ invariant: "logical-trace", message: "differs" }, { invariant: "validity", message: "committed over a no" }],
      replay: "dsim replay out/s/v/seed-2.replay.json", replayFile: "out/s/v/seed-2.replay.json", shrunk: null, page: "out/s/v/seed-2.html",
    },
    scenarioError: null, lost: null,
    determinism: null, events: 100, wallSeconds: 1, eventsPerSecond: 100,
  };
  const holds: SweepEntry = { ...base, expect: "holds", verdict: "holds", divergences: 0, invariants: [], firstDivergence: null };

  test("a row says whether the variant behaved as declared, and how", () => {
    expect(rowResultOf(holds)).toBe("holds");
    expect(rowResultOf(base)).toBe("caught");
    expect(rowResultOf({ ...base, expect: "holds", expectationMet: false })).toBe("diverged");
    expect(rowResultOf({ ...holds, expect: "diverges", expectationMet: false })).toBe("not-caught");
    expect(rowResultOf({ ...base, verdict: "nondeterministic", expectationMet: false })).toBe("nondeterministic");
    expect(rowResultOf({ ...base, verdict: "scenario-error", expectationMet: false })).toBe("scenario-error");
  });

  test("a scenario error is neither a pass nor a caught bug: its row, and a JUnit <error>, carry its seed and message", () => {
    const scenarioError = { seed: 3, workloadSeed: 0, kind: "nondeterminism" as const, message: "s/v seed 3: Date.now() was called while an execution ran", run: "dsim run s --variant v --seed 3 --faults swarm" };
    const broken: SweepEntry = { ...base, verdict: "scenario-error", expectationMet: false, divergences: 0, invariants: [], firstDivergence: null, scenarioError };
    const html = indexPage({ dsimVersion: "0", faults: "swarm", expectMode: true, divergences: 0, expectationsUnmet: 1, nondeterministic: 0, scenarioErrors: 1, sweeps: [broken] }, (file) => file);
    expect(html).toContain('<span class="result scenario-error"');
    expect(html).toContain("scenario error at seed 3: s/v seed 3: Date.now() was called while an execution ran");
    const xml = junitXml([broken], true);
    expect(xml).toContain('errors="1"');
    expect(xml).toContain('<error type="scenario-error" message="scenario error at seed 3: s/v seed 3: Date.now() was called while an execution ran">dsim run s --variant v --seed 3 --faults swarm</error>');
  });

  test("every heading explains itself on hover and under the table; a caught row carries its headline and tally", () => {
    const html = indexPage({ dsimVersion: "0", faults: "swarm", expectMode: false, divergences: 4, expectationsUnmet: 0, nondeterministic: 0, scenarioErrors: 0, sweeps: [holds, base] }, (file) => file.replace(/^out\//, ""));
    for (const column of COLUMNS) {
      expect(html).toContain(`<th title="${escapeHtml(column.meaning)}">${escapeHtml(column.heading)}</th>`);
      expect(html).toContain(`<dt>${escapeHtml(column.heading)}</dt><dd>${escapeHtml(column.meaning)}</dd>`);
    }
    expect(html).toContain('<span class="result caught"');
    expect(html).toContain("bug caught ✓");
    expect(html).toContain('<div class="headline" title="validity: committed over a no">validity: committed over a no</div>');
    expect(html).toContain('<li data-invariant="atomicity"><b>atomicity</b> <span class="count">1</span> <span class="muted">seed · first</span> <a class="replay-file" href="s/v/seed-7.replay.json"');
    expect(html).toContain('3<div class="split">1 admissible · 2 not</div>');
  });

  test("JUnit carries the tally per invariant, and leads with the named invariant", () => {
    const xml = junitXml([base], false);
    expect(xml).toContain("3 logical traces (1 admissible, 2 not)");
    expect(xml).toContain("atomicity: broken in 1 of 10 seeds, first at seed 7: dsim replay out/s/v/seed-7.replay.json");
    expect(xml).toContain('<failure type="diverges" message="diverges (declared diverges)">seed 2: validity: committed over a no');
  });
});
