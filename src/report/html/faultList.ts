// The faults of a failure page: a short numbered list, one line per fault of the schedule (exactly
// the faults the shrink counts); past FAULTS_LISTED_MAX, grouped by kind, each group folded.

import { escapeHtml } from "./markup.ts";

/** One fault as the page lists it. */
export interface PageFault {
  readonly kind: string;
  readonly text: string;
}

/** Faults listed one by one; more are grouped by kind. */
export const FAULTS_LISTED_MAX = 20;

export function faultListSection(faults: readonly PageFault[] | undefined): string {
  if (faults === undefined) return "";
  const title = `<h2>Faults (${faults.length})</h2>`;
  if (faults.length === 0) return `<section id="faults">${title}<p class="legend">None: the ordinary nondeterminism of the network (latency jitter) suffices.</p></section>`;
  const line = (fault: PageFault) => `<code>${escapeHtml(fault.text)}</code>`;
  if (faults.length <= FAULTS_LISTED_MAX) return `<section id="faults">${title}<ol class="faults">${faults.map((fault) => `<li>${line(fault)}</li>`).join("")}</ol></section>`;
  // Numbered in the order they struck, grouped by kind: each item keeps its number.
  const numbered = faults.map((fault, index) => ({ fault, number: index + 1 }));
  const kinds = [...new Set(faults.map((fault) => fault.kind))];
  const groups = kinds.map((kind) => {
    const members = numbered.filter((entry) => entry.fault.kind === kind);
    const items = members.map(({ fault, number }) => `<li value="${number}">${line(fault)}</li>`).join("");
    return `<details class="fault-group"><summary>${escapeHtml(kind)} × ${members.length}</summary><ol class="faults">${items}</ol></details>`;
  });
  return `<section id="faults">${title}<p class="legend">${faults.length} faults, grouped by kind; each keeps its place in the order they struck.</p>${groups.join("")}</section>`;
}
