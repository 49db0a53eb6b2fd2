// The logical trace of a failing execution beside the reference, as two pretty-printed columns
// whose lines know their JSON path, so every difference can be marked on both sides.

import { describeDifference, diffJson, type Difference } from "../../core/diff.ts";
import type { Json } from "../../core/json.ts";
import { escapeHtml } from "./markup.ts";

interface Line {
  readonly path: string;
  readonly text: string;
}

/** Pretty-prints a JSON value two spaces an indent, each line with the path of its value. */
export function jsonLines(value: Json, path = "$", indent = "", key = ""): Line[] {
  const prefix = `${indent}${key}`;
  if (Array.isArray(value)) {
    if (value.length === 0) return [{ path, text: `${prefix}[]` }];
    const inner = value.flatMap((item, index) => withComma(jsonLines(item, `${path}[${index}]`, `${indent}  `), index < value.length - 1));
    return [{ path, text: `${prefix}[` }, ...inner, { path, text: `${indent}]` }];
  }
  if (value !== null && typeof value === "object") {
    const record = value as { readonly [key: string]: Json };
    const keys = Object.keys(record).sort();
    if (keys.length === 0) return [{ path, text: `${prefix}{}` }];
    const inner = keys.flatMap((name, index) => withComma(jsonLines(record[name]!, `${path}.${name}`, `${indent}  `, `${JSON.stringify(name)}: `), index < keys.length - 1));
    return [{ path, text: `${prefix}{` }, ...inner, { path, text: `${indent}}` }];
  }
  return [{ path, text: `${prefix}${JSON.stringify(value)}` }];
}

function withComma(lines: Line[], comma: boolean): Line[] {
  if (!comma) return lines;
  const last = lines[lines.length - 1]!;
  return [...lines.slice(0, -1), { ...last, text: `${last.text},` }];
}

/** Differences marked on the page; the words list the first DIFFERENCES_LISTED_MAX of them. */
const DIFFERENCES_MARKED_MAX = 500;
const DIFFERENCES_LISTED_MAX = 20;

/**
 * The lines to mark for a differing path on one side: the path's own lines where the side has
 * it; where it is absent, the opening and closing lines of its nearest ancestor on this side.
 */
function marked(lines: readonly Line[], path: string): number[] {
  const own = lines.flatMap((line, index) => (line.path === path || line.path.startsWith(`${path}.`) || line.path.startsWith(`${path}[`) ? [index] : []));
  if (own.length > 0) return own;
  for (let candidate = parentOf(path); ; candidate = parentOf(candidate)) {
    const found = lines.flatMap((line, index) => (line.path === candidate ? [index] : []));
    if (found.length > 0 || candidate === "$") return found;
  }
}

function parentOf(path: string): string {
  const cut = Math.max(path.lastIndexOf("."), path.lastIndexOf("["));
  return cut <= 0 ? "$" : path.slice(0, cut);
}

function column(title: string, value: Json, differences: readonly Difference[], side: string): string {
  const lines = jsonLines(value);
  const marks = new Map<number, "first-diff" | "diff">();
  differences.forEach((difference, position) => {
    for (const index of marked(lines, difference.path)) if (!marks.has(index)) marks.set(index, position === 0 ? "first-diff" : "diff");
  });
  const body = lines
    .map((line, index) => {
      const mark = marks.get(index);
      const kind = mark === undefined ? "" : mark === "first-diff" ? " diff first-diff" : " diff";
      return `<span class="json-line${kind}" data-path="${escapeHtml(line.path)}">${escapeHtml(line.text)}</span>`;
    })
    .join("\n");
  return `<div class="logical-column" data-side="${side}"><h3>${escapeHtml(title)}</h3><pre>${body}</pre></div>`;
}

/**
 * The section: the differences in words, then reference and execution side by side with every
 * differing path marked on both sides (the first more strongly). A trace that differs from the
 * reference but is admissible says so: the difference is allowed, not a divergence.
 */
export function logicalSection(reference: Json, logical: Json, admissible = false): string {
  const differences = diffJson(reference, logical, DIFFERENCES_MARKED_MAX);
  const listed = differences.slice(0, DIFFERENCES_LISTED_MAX).map((difference, index) => `<li${index === 0 ? ' class="first"' : ""}>${escapeHtml(describeDifference(difference))}</li>`);
  const more = differences.length > DIFFERENCES_LISTED_MAX ? `<p class="more-differences">… and ${differences.length - DIFFERENCES_LISTED_MAX}${differences.length === DIFFERENCES_MARKED_MAX ? " or more" : ""} more differences, marked below.</p>` : "";
  const allowed = admissible ? `<p class="admissible">It differs from the reference, but the scenario declares this outcome admissible: the difference is not a divergence.</p>` : "";
  const summary = differences.length === 0
    ? `<p class="same">The logical trace equals the reference: this execution broke an invariant, not the meaning.</p>`
    : `${allowed}<ol class="differences">${listed.join("")}</ol>${more}`;
  return `<section id="logical"><h2>Logical trace</h2>${summary}<div class="logical-columns">${column("Reference (faults off)", reference, differences, "reference")}${column("This execution", logical, differences, "execution")}</div></section>`;
}
