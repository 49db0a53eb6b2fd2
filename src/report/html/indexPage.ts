// A sweep's index page (reports/index.html): one row per scenario and variant with its verdict,
// counts, seeds to the first divergence and links to its failure page and replay files; above
// them, the run's options and dsim's version.

import type { SweepDocument, SweepEntry } from "../summary.ts";
import { escapeHtml, page } from "./markup.ts";

/** `link` turns a file path into an href relative to the index page. */
export function indexPage(document: SweepDocument, link: (file: string) => string): string {
  const modes = document.expectMode ? "CI mode (--expect): each variant checked against its declaration" : "sweep";
  const unmet = document.expectationsUnmet;
  const outcome = document.expectMode
    ? `${document.sweeps.length - unmet}/${document.sweeps.length} variants behaved as declared`
    : `${document.divergences} divergences`;
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
<thead><tr><th>scenario/variant</th><th>declared</th><th>verdict</th><th>seeds</th><th>physical traces</th><th>logical traces</th><th>divergences</th><th>seeds to first divergence</th><th>failure</th></tr></thead>
<tbody>
${document.sweeps.map((entry) => row(entry, link)).join("\n")}
</tbody>
</table>
<footer>Seeds: first seed and count run (of the budget asked for); a shard's sweep shows its own seeds. Each failure page shows the first divergence, shrunk where shrinking ran.</footer>`;
  return page("dsim sweep report", body);
}

function row(entry: SweepEntry, link: (file: string) => string): string {
  const first = entry.firstDivergence;
  const mark = entry.expectationMet ? "✓" : "✗";
  const seeds = `${entry.seeds.count} from ${entry.seeds.from}${entry.seeds.count !== entry.seeds.budget ? ` (budget ${entry.seeds.budget})` : ""}${entry.shard === null ? "" : `, shard ${entry.shard}`}`;
  const links: string[] = [];
  const broken = entry.scenarioError;
  if (broken !== null) links.push(`<span class="scenario-error">scenario error at seed ${broken.seed}: ${escapeHtml(broken.message)}</span>`);
  if (first !== null) {
    if (first.page !== null) links.push(`<a class="failure-page" href="${escapeHtml(link(first.page))}">seed ${first.seed}${first.shrunk === null ? "" : ", shrunk"}</a>`);
    links.push(`<a class="replay-file" href="${escapeHtml(link(first.replayFile))}">replay file</a>`);
    if (first.shrunk !== null) links.push(`<a class="replay-file" href="${escapeHtml(link(first.shrunk.shrunkFile))}">shrunk replay file</a>`);
  }
  const cells = [
    `<td>${escapeHtml(`${entry.scenario}/${entry.variant}`)}</td>`,
    `<td>${escapeHtml(entry.expect)}</td>`,
    `<td><span class="verdict ${entry.verdict}">${escapeHtml(entry.verdict)}</span> ${mark}</td>`,
    `<td>${escapeHtml(seeds)}</td>`,
    `<td class="number">${entry.physicalTraces}</td>`,
    `<td class="number">${entry.logicalTraces}</td>`,
    `<td class="number">${entry.divergences}</td>`,
    `<td class="number">${first === null ? "—" : first.seed - entry.seeds.from + 1}</td>`,
    `<td>${links.join(" · ") || "—"}</td>`,
  ];
  return `<tr class="${entry.expectationMet ? "met" : "unmet"}" data-sweep="${escapeHtml(`${entry.scenario}/${entry.variant}`)}">${cells.join("")}</tr>`;
}
