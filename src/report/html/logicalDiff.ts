// The logical trace of a failing execution beside the reference, as two pretty-printed columns
// whose lines know their JSON path, so the first difference can be marked on both sides.

import { describeDifference, diffJson } from "../../core/diff.ts";
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

/** The lines to mark for a path: its own, else those of its nearest ancestor on this side. */
function marked(lines: readonly Line[], path: string): Set<number> {
  for (let candidate = path; candidate !== ""; candidate = parentOf(candidate)) {
    const found = lines.flatMap((line, index) => (line.path === candidate || line.path.startsWith(`${candidate}.`) || line.path.startsWith(`${candidate}[`) ? [index] : []));
    if (found.length > 0) return new Set(found);
    if (candidate === "$") break;
  }
  return new Set();
}

function parentOf(path: string): string {
  const cut = Math.max(path.lastIndexOf("."), path.lastIndexOf("["));
  return cut <= 0 ? "$" : path.slice(0, cut);
}

function column(title: string, value: Json, firstPath: string | undefined, side: string): string {
  const lines = jsonLines(value);
  const marks = firstPath === undefined ? new Set<number>() : marked(lines, firstPath);
  const body = lines
    .map((line, index) => `<span class="json-line${marks.has(index) ? " first-diff" : ""}" data-path="${escapeHtml(line.path)}">${escapeHtml(line.text)}</span>`)
    .join("\n");
  return `<div class="logical-column" data-side="${side}"><h3>${escapeHtml(title)}</h3><pre>${body}</pre></div>`;
}

/** The section: the differences in words, then reference and execution side by side. */
export function logicalSection(reference: Json, logical: Json): string {
  const differences = diffJson(reference, logical);
  const first = differences[0];
  const summary = first === undefined
    ? `<p class="same">The logical trace equals the reference: this execution broke an invariant, not the meaning.</p>`
    : `<ol class="differences">${differences.map((difference, index) => `<li${index === 0 ? ' class="first"' : ""}>${escapeHtml(describeDifference(difference))}</li>`).join("")}</ol>`;
  return `<section id="logical"><h2>Logical trace</h2>${summary}<div class="logical-columns">${column("Reference (faults off)", reference, first?.path, "reference")}${column("This execution", logical, first?.path, "execution")}</div></section>`;
}
