// A failure page: one self-contained HTML file per failing execution. Header (what broke, a button
// that jumps to the event where it broke, how to replay it), a space-time diagram drawn in the
// browser from the embedded trace with a legend of its marks, and the logical trace beside the
// reference. Opens offline: no network, no second file.

import type { Json } from "../../core/json.ts";
import { DSIM_VERSION } from "../../core/version.ts";
import type { ExecutionResult } from "../../execution/execute.ts";
import { headlineViolation } from "../headline.ts";
import { faultListSection, type PageFault } from "./faultList.ts";
import { logicalSection } from "./logicalDiff.ts";
import { asset, escapeHtml, page, scriptJson } from "./markup.ts";
import { legendSection } from "./legend.ts";
import { pageData, type Breach } from "./pageData.ts";

export interface FailurePageInput {
  readonly result: ExecutionResult;
  /** The reference's logical trace (faults off). */
  readonly reference: Json;
  /** The command that reproduces the execution. */
  readonly replay: string;
  /** Set when the execution is a shrunk one: how much it shrank, and the invariant it kept broken. */
  readonly shrunk?: { readonly faultsBefore: number; readonly faultsAfter: number; readonly eventsBefore: number; readonly eventsAfter: number; readonly invariant?: string };
  /** The faults of its schedule, in the order they struck, when it has one (a shrunk or explored execution). */
  readonly faults?: readonly PageFault[];
}

export function failurePage(input: FailurePageInput): string {
  const { result } = input;
  const title = `${result.scenario}/${result.variant} seed ${result.seed}: ${result.verdict}`;
  const data = pageData(result.trace, result.projectionUse, result.endedAtMs, result.violations);
  const body = [
    header(input, data.breach),
    faultListSection(input.faults),
    `<section id="diagram-section">
<h2>Space-time diagram</h2>
<p class="legend">Time flows down, one lifeline per node; a row per event, quiet stretches of virtual time collapsed into a marked gap.
<span class="key used-key">highlighted</span> events made the logical trace (π read them). Click an event for its payload.</p>
<form id="window-form" class="controls">
<label>from <input id="window-from" type="number" min="0" step="1"> ms</label>
<label>to <input id="window-to" type="number" min="0" step="1"> ms</label>
<button type="submit">Zoom</button>
<button type="button" id="window-earlier">◀ earlier</button>
<button type="button" id="window-later">later ▶</button>
<button type="button" id="window-all">whole run</button>
<span id="window-status"></span>
</form>
<div class="diagram-layout"><div id="diagram-scroll"><svg id="diagram" xmlns="http://www.w3.org/2000/svg"></svg></div>
<aside id="detail"><p class="hint">Click an event or a message arrow.</p></aside></div>
${legendSection()}
</section>`,
    logicalSection(input.reference, result.logical, result.admissible),
    `<footer>dsim ${escapeHtml(DSIM_VERSION)} · ${result.events} events · ended at ${result.endedAtMs} ms (${escapeHtml(result.endReason)})</footer>`,
    `<script type="application/json" id="dsim-data">${scriptJson(data)}</script>`,
  ].join("\n");
  return page(title, body, asset("diagram.js"));
}

/** The jump button's words: which invariant, and how the page knows the event. */
function jumpLabel(breach: Breach): { readonly text: string; readonly title: string } {
  const at = `event #${breach.index}`;
  switch (breach.source) {
    case "invariant":
      return { text: `Jump to where ${breach.invariant} broke (${at})`, title: "the event the broken invariant named" };
    case "error":
      return { text: `Jump to the handler error (${at})`, title: "the event at which a handler threw" };
    case "budget":
      return { text: `Jump to the last event before the budget ran out (${at})`, title: "the execution hit its event or virtual-time budget here" };
    case "projection":
      return { text: `Jump to the last event π used (${at})`, title: `${breach.invariant} did not say where it broke: this is the last event that made the logical trace` };
  }
}

function header(input: FailurePageInput, breach: Breach | null): string {
  const { result } = input;
  const first = headlineViolation(result.violations);
  const sentence = first === undefined ? "This execution holds." : `${first.invariant}: ${first.message}`;
  const more = result.violations.length > 1
    ? `<details><summary>${result.violations.length} violations</summary><ul>${result.violations.map((violation) => `<li><b>${escapeHtml(violation.invariant)}</b>: ${escapeHtml(violation.message)}</li>`).join("")}</ul></details>`
    : "";
  const shrunk = input.shrunk === undefined
    ? ""
    : `<p class="shrunk">Shrunk from ${input.shrunk.faultsBefore} faults and ${input.shrunk.eventsBefore} events to ${input.shrunk.faultsAfter} faults and ${input.shrunk.eventsAfter} events${input.shrunk.invariant === undefined ? "" : `, still breaking ${escapeHtml(input.shrunk.invariant)}`}.</p>`;
  const facts: [string, string][] = [
    ["scenario", result.scenario],
    ["variant", result.variant],
    ["seed", String(result.seed)],
    ["workload seed", String(result.workloadSeed)],
    ["faults", result.faults.name],
  ];
  return `<header>
<h1>${escapeHtml(result.scenario)}/${escapeHtml(result.variant)} <span class="verdict ${result.verdict}">${escapeHtml(result.verdict)}</span></h1>
<dl class="facts">${facts.map(([name, value]) => `<div><dt>${escapeHtml(name)}</dt><dd data-fact="${escapeHtml(name)}">${escapeHtml(value)}</dd></div>`).join("")}</dl>
<p id="violation" class="violation">${escapeHtml(sentence)}</p>
${jump(breach)}${more}${shrunk}
<p class="replay"><code id="replay-command">${escapeHtml(input.replay)}</code> <button type="button" id="copy-replay">Copy</button></p>
</header>`;
}

function jump(breach: Breach | null): string {
  if (breach === null) return "";
  const label = jumpLabel(breach);
  return `<p><button type="button" id="jump-to-breach" data-index="${breach.index}" title="${escapeHtml(label.title)}">${escapeHtml(label.text)}</button></p>
`;
}
