// A sweep's index page (reports/index.html): one row per scenario and variant saying at a glance
// whether it behaved as declared (a `diverges` variant that was caught is a success, not a red
// failure), its counts, its headline violation, the tally per invariant (seeds that broke it, the
// first seed and its replay file) and links to its failure page; above the table, the run's
// options; under it, what each column means (also on hover over each heading).

import { headlineViolation } from "../headline.ts";
import type { SweepDocument, SweepEntry } from "../summary.ts";
import { escapeHtml, page } from "./markup.ts";

interface Column {
  readonly heading: string;
  readonly meaning: string;
}

/** The columns, with what each means: the heading's hover text and the line under the table. */
export const COLUMNS: readonly Column[] = [
  { heading: "scenario/variant", meaning: "the scenario and the implementation of its protocol that was swept" },
  { heading: "declared", meaning: "what the variant says of itself: holds (correct) or diverges (a known bug dsim must catch)" },
  { heading: "result", meaning: "what the sweep found, against the declaration: holds ✓ and caught ✓ are as declared; diverged ✗ (a correct variant broke) and not caught ✗ (a known bug went unseen) are not; scenario error ✗ (the scenario itself broke at a seed: no verdict) neither, nor hung ✗ and out of memory ✗ (a seed's execution ran past the watchdog's time or its worker's heap)" },
  { heading: "seeds", meaning: "the seeds run, from the first; a CI sweep (--expect) stops a diverges variant at its first divergence, within its seed budget" },
  { heading: "physical traces", meaning: "distinct physical traces (schedules of events) among the seeds run" },
  { heading: "logical traces", meaning: "distinct logical traces (what the executions meant, by π) per logical input; admissible ones equal the reference or are admitted by the scenario, the others are divergences" },
  { heading: "divergences", meaning: "seeds whose execution broke an invariant or meant something inadmissible" },
  { heading: "invariants broken", meaning: "for each invariant (and dsim's own checks, such as logical-trace) the seeds that broke it and the first seed that did, linked to its replay file" },
  { heading: "first divergence", meaning: "the lowest diverging seed and its headline violation (a named invariant before the generic logical-trace difference), with its failure page and replay files" },
];

/** What a row says at a glance: as declared or not, and how. */
export type RowResult = "holds" | "caught" | "diverged" | "not-caught" | "nondeterministic" | "scenario-error" | "hung" | "out-of-memory";

export function rowResultOf(entry: SweepEntry): RowResult {
  if (entry.verdict === "nondeterministic") return "nondeterministic";
  if (entry.verdict === "scenario-error") return "scenario-error";
  if (entry.verdict === "hung" || entry.verdict === "out-of-memory") return entry.verdict;
  if (entry.expect === "holds") return entry.verdict === "holds" ? "holds" : "diverged";
  return entry.verdict === "diverges" ? "caught" : "not-caught";
}

const RESULT_TEXT: Readonly<Record<RowResult, string>> = {
  holds: "holds ✓",
  caught: "bug caught ✓",
  diverged: "diverged ✗",
  "not-caught": "not caught ✗",
  nondeterministic: "nondeterministic ✗",
  "scenario-error": "scenario error ✗",
  hung: "hung ✗",
  "out-of-memory": "out of memory ✗",
};

/** `link` turns a file path into an href relative to the index page. */
export function indexPage(document: SweepDocument, link: (file: string) => string): string {
  const modes = document.expectMode ? "CI mode (--expect): each variant checked against its declaration" : "sweep";
  const met = document.sweeps.filter((entry) => entry.expectationMet).length;
  const outcome = `${met}/${document.sweeps.length} variants behaved as declared · ${document.divergences} divergences`;
  const facts: [string, string][] = [
    ["dsim", document.dsimVersion],
    ["faults", document.faults],
    ["mode", modes],
    ["outcome", outcome],
  ];
  const body = `<header>
<h1>dsim sweep report</h1>
<dl class="facts">${facts.map(([name, value]) => `<div><dt>${escapeHtml(name)}</dt><dd data-fact="${escapeHtml(name)}">${escapeHtml(value)}</dd></div>`).join("")}</dl>
</header>
<table id="sweeps">
<thead><tr>${COLUMNS.map((column) => `<th title="${escapeHtml(column.meaning)}">${escapeHtml(column.heading)}</th>`).join("")}</tr></thead>
<tbody>
${document.sweeps.map((entry) => row(entry, link)).join("\n")}
</tbody>
</table>
<dl id="columns">${COLUMNS.map((column) => `<div><dt>${escapeHtml(column.heading)}</dt><dd>${escapeHtml(column.meaning)}</dd></div>`).join("")}</dl>
<footer>A shard's sweep shows its own seeds. Each failure page shows the first divergence, shrunk where shrinking ran; every other replay file reproduces its seed as it ran.</footer>`;
  return page("dsim sweep report", body);
}

function row(entry: SweepEntry, link: (file: string) => string): string {
  const result = rowResultOf(entry);
  const declaredAs = result === "diverged" || result === "not-caught" ? ` (declared ${entry.expect})` : "";
  const budget = entry.seeds.count !== entry.seeds.budget ? `budget ${entry.seeds.budget}` : "";
  const shard = entry.shard === null ? "" : `shard ${entry.shard}`;
  const seeds = `${entry.seeds.count} from ${entry.seeds.from}${[budget, shard].filter((part) => part !== "").map((part) => `<div class="split">${escapeHtml(part)}</div>`).join("")}`;
  const logical = `${entry.logicalTraces}<div class="split">${entry.admissibleLogicalTraces} admissible · ${entry.inadmissibleLogicalTraces} not</div>`;
  const cells = [
    `<td>${escapeHtml(`${entry.scenario}/${entry.variant}`)}</td>`,
    `<td>${escapeHtml(entry.expect)}</td>`,
    `<td><span class="result ${result}" title="${escapeHtml(`declared ${entry.expect}, found ${entry.verdict}`)}">${escapeHtml(RESULT_TEXT[result])}</span>${escapeHtml(declaredAs)}</td>`,
    `<td class="seeds">${seeds}</td>`,
    `<td class="number">${entry.physicalTraces}</td>`,
    `<td class="number logical">${logical}</td>`,
    `<td class="number">${entry.divergences}</td>`,
    `<td class="invariants">${tally(entry, link)}</td>`,
    `<td class="first">${firstDivergence(entry, link)}</td>`,
  ];
  return `<tr class="${entry.expectationMet ? "met" : "unmet"}" data-sweep="${escapeHtml(`${entry.scenario}/${entry.variant}`)}" data-result="${result}">${cells.join("")}</tr>`;
}

function tally(entry: SweepEntry, link: (file: string) => string): string {
  if (entry.invariants.length === 0) return "—";
  const items = entry.invariants.map(
    (invariant) =>
      `<li data-invariant="${escapeHtml(invariant.invariant)}"><b>${escapeHtml(invariant.invariant)}</b> <span class="count">${invariant.seeds}</span> <span class="muted">${invariant.seeds === 1 ? "seed" : "seeds"} · first</span> <a class="replay-file" href="${escapeHtml(link(invariant.replayFile))}" title="${escapeHtml(invariant.replay)}">seed ${invariant.firstSeed}</a></li>`,
  );
  return `<ul class="tally">${items.join("")}</ul>`;
}

function firstDivergence(entry: SweepEntry, link: (file: string) => string): string {
  const broken = entry.scenarioError;
  const lost = entry.lost ?? null;
  const trouble =
    (broken === null ? "" : `<div class="scenario-error">scenario error at seed ${broken.seed}: ${escapeHtml(broken.message)}</div>`) +
    (lost === null ? "" : `<div class="scenario-error">${escapeHtml(lost.verdict)} at seed ${lost.seed}: ${escapeHtml(lost.message)} · <a class="replay-file" href="${escapeHtml(link(lost.replayFile))}">replay file</a></div>`);
  const first = entry.firstDivergence;
  if (first === null) return trouble || "—";
  const headline = headlineViolation(first.violations);
  const sentence = headline === undefined ? "" : `${headline.invariant}: ${headline.message}`;
  const links: string[] = [];
  if (first.page !== null) links.push(`<a class="failure-page" href="${escapeHtml(link(first.page))}">failure page${first.shrunk === null ? "" : " (shrunk)"}</a>`);
  links.push(`<a class="replay-file" href="${escapeHtml(link(first.replayFile))}">replay file</a>`);
  if (first.shrunk !== null) links.push(`<a class="replay-file" href="${escapeHtml(link(first.shrunk.shrunkFile))}">shrunk replay file</a>`);
  return `${trouble}<div class="seed">seed ${first.seed}</div><div class="headline" title="${escapeHtml(sentence)}">${escapeHtml(sentence)}</div><div class="links">${links.join(" · ")}</div>`;
}
