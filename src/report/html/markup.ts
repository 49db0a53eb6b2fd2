// Small pieces shared by the HTML pages: escaping, JSON embedded in a script element, the page
// shell with its stylesheet, and the assets (stylesheet, diagram script) read once from beside
// this file.

import { readFileSync } from "node:fs";

const ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ENTITIES[character]!);
}

/** JSON for a `<script type="application/json">` element: `<` escaped so no `</script>` ends it. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

const assets = new Map<string, string>();

/** A file beside this module (style.css, diagram.js), read once. */
export function asset(name: string): string {
  let text = assets.get(name);
  if (text === undefined) assets.set(name, (text = readFileSync(new URL(`./${name}`, import.meta.url), "utf8")));
  return text;
}

export function page(title: string, body: string, script = ""): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${asset("style.css")}</style>
</head>
<body>
${body}
${script === "" ? "" : `<script>${script}</script>`}
</body>
</html>
`;
}
