// The failure page's legend: every mark the space-time diagram draws, drawn the same way (the same
// SVG classes, so the same stylesheet rules) beside what it means. Each entry names the marks it
// explains (`data-marks`), the names diagram.js puts on what it draws (`data-mark`), so a test can
// check that nothing on the diagram goes unexplained.

import { escapeHtml } from "./markup.ts";

interface LegendEntry {
  /** The diagram's `data-mark` names this entry explains. */
  readonly marks: readonly string[];
  /** The icon's SVG content, in a 34 × 18 box. */
  readonly icon: string;
  readonly meaning: string;
}

const ARROWHEAD = `<path class="arrowhead" d="M 27 4 L 33 9 L 27 14 z"/>`;

export const LEGEND: readonly LegendEntry[] = [
  { marks: ["lifeline"], icon: `<line class="lifeline" x1="17" y1="0" x2="17" y2="18"/>`, meaning: "a node's lifeline: virtual time flows down, one row per event" },
  { marks: ["send", "deliver", "drop"], icon: `<g class="ev send"><circle cx="17" cy="9" r="3"/></g>`, meaning: "a send, a delivery or a drop on a lifeline" },
  { marks: ["arrow"], icon: `<line class="arrow" x1="1" y1="9" x2="28" y2="9"/>${ARROWHEAD}`, meaning: "a message, from its send to its delivery (one arrow per copy)" },
  { marks: ["arrow-dup", "duplicate"], icon: `<line class="arrow dup" x1="1" y1="9" x2="28" y2="9"/>${ARROWHEAD}`, meaning: "the network's duplicate of a message: its second arrow, dash-dotted; its origin is a hollow circle labelled “duplicated”" },
  { marks: ["arrow-drop"], icon: `<line class="arrow drop" x1="1" y1="9" x2="22" y2="9"/><g class="cross"><line x1="19" y1="4" x2="29" y2="14"/><line x1="19" y1="14" x2="29" y2="4"/></g>`, meaning: "a dropped copy: by a fault, a partition, or a down receiver (click it to see which)" },
  { marks: ["arrow-later"], icon: `<line class="arrow later" x1="1" y1="9" x2="28" y2="9"/>${ARROWHEAD}`, meaning: "a copy still in flight when the execution ended, or delivered outside the window shown" },
  { marks: ["arrow-used"], icon: `<line class="arrow used" x1="1" y1="9" x2="28" y2="9"/>${ARROWHEAD}`, meaning: "a delivery π used to make the logical trace" },
  { marks: ["used"], icon: `<g class="ev used"><circle class="halo" cx="17" cy="9" r="8"/><circle cx="17" cy="9" r="3"/></g>`, meaning: "an event π used to make the logical trace (a note it read, a delivery to a node whose state it read, an fsync of a disk it read)" },
  { marks: ["broke"], icon: `<circle class="broke" cx="17" cy="9" r="8"/>`, meaning: "where the first invariant broke (the “Jump to where it broke” button goes there)" },
  { marks: ["start"], icon: `<g class="ev start"><circle cx="17" cy="9" r="3"/></g>`, meaning: "a node's start, its first event" },
  { marks: ["timer"], icon: `<g class="ev timer"><circle cx="17" cy="9" r="3.5"/></g>`, meaning: "a timer firing" },
  { marks: ["crash"], icon: `<g class="ev crash"><line x1="10" y1="2" x2="24" y2="16"/><line x1="10" y1="16" x2="24" y2="2"/></g>`, meaning: "a crash: volatile state and unsynced writes are lost" },
  { marks: ["down"], icon: `<rect class="down" x="12" y="0" width="10" height="18"/>`, meaning: "the time a node was down" },
  { marks: ["restart"], icon: `<g class="ev restart"><path d="M 11 14 L 17 3 L 23 14 z"/></g>`, meaning: "a restart after a crash" },
  { marks: ["partition-band"], icon: `<g class="partition"><rect x="0" y="0" width="34" height="18"/></g>`, meaning: "a partition, from the split to the heal, labelled with its groups" },
  { marks: ["partition", "heal"], icon: `<line class="network-line" x1="0" y1="9" x2="34" y2="9"/>`, meaning: "the network splitting or healing, across every lifeline" },
  { marks: ["write"], icon: `<g class="ev write"><rect x="14" y="6" width="6" height="6"/></g>`, meaning: "a write to the node's disk (not durable until an fsync)" },
  { marks: ["fsync"], icon: `<g class="ev fsync"><line x1="8" y1="9" x2="26" y2="9"/></g>`, meaning: "an fsync: the file's writes are durable" },
  { marks: ["torn"], icon: `<g class="ev torn"><path d="M 9 9 l 4 -4 l 4 8 l 4 -8 l 4 4"/></g>`, meaning: "a torn write: a crash kept only a prefix of the unsynced bytes" },
  { marks: ["crash-point"], icon: `<g class="ev crash-point"><path d="M 17 3 L 17 11 M 12 15 L 22 15"/></g>`, meaning: "a crash point: the node crashed inside a handler, just before the effect named (a crash follows)" },
  { marks: ["corrupt", "lost-fsync", "misdirect"], icon: `<g class="ev storage-fault"><rect x="12" y="4" width="10" height="10" transform="rotate(45 17 9)"/></g>`, meaning: "a storage fault on the file named: a flipped bit (corrupt), an fsync ignored (lost-fsync), an append landed over earlier bytes (misdirect)" },
  { marks: ["note"], icon: `<g class="ev note"><path d="M 17 4 l 5 5 l -5 5 l -5 -5 z"/></g>`, meaning: "a note (ctx.note) with its label and value, as much as fits before the next lifeline" },
  { marks: ["skew"], icon: `<g class="ev skew"><circle cx="17" cy="9" r="3"/></g>`, meaning: "the node's clock skew changing (labelled with the new skew)" },
  { marks: ["error"], icon: `<g class="ev error"><circle cx="17" cy="9" r="6"/></g>`, meaning: "a handler threw (labelled with the error)" },
  { marks: ["quiet"], icon: `<g class="quiet"><rect x="1" y="3" width="32" height="12"/></g>`, meaning: "a quiet stretch of virtual time with no events, collapsed (labelled with its length)" },
];

export function legendSection(): string {
  const items = LEGEND.map(
    (entry) =>
      `<li data-marks="${escapeHtml(entry.marks.join(" "))}"><svg class="mark" width="34" height="18" viewBox="0 0 34 18" xmlns="http://www.w3.org/2000/svg">${entry.icon}</svg><span>${escapeHtml(entry.meaning)}</span></li>`,
  );
  return `<details id="legend" open><summary>Legend: every mark of the diagram</summary><ul class="legend-items">${items.join("")}</ul></details>`;
}
