// The architecture of src/ (docs/architecture.md): floors that import only downward, and no import
// circle. Read from the code's own import statements, type-only imports included, so the picture in
// the docs cannot drift from the code. Built-in scenarios are users' code: they import dsim's public
// interface (src/index.ts) and the scenario kit (src/kit/), nothing else of src/.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

/** The floors, bottom first: a file may import from its own floor or any floor below. */
const FLOORS = ["core", "world", "kernel", "execution", "check", "kit", "explore", "report", "api", "cli"] as const;

function floorOf(file: string): number {
  if (file === "src/index.ts") return FLOORS.indexOf("api");
  const folder = file.split("/")[1] ?? "";
  const floor = FLOORS.indexOf(folder as (typeof FLOORS)[number]);
  if (floor < 0) throw new Error(`${file} is in no floor: put it in one of ${FLOORS.join(", ")}`);
  return floor;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(name) ? [path] : [];
  });
}

/** The repository-relative paths a file imports (static imports and re-exports, types included). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)].map((match) => match[1]!);
  return specifiers.filter((specifier) => specifier.startsWith(".")).map((specifier) => normalize(join(dirname(file), specifier)));
}

/** Every import that runs up a floor: `from → to`. */
export function upwardImports(files: readonly string[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    for (const target of importsOf(file)) {
      if (!target.startsWith("src/")) {
        if (file !== "src/cli/registry.ts" || !target.startsWith("scenarios/")) found.push(`${file} → ${target} (outside src/)`);
        continue;
      }
      if (floorOf(target) > floorOf(file)) found.push(`${file} (${FLOORS[floorOf(file)]}) → ${target} (${FLOORS[floorOf(target)]})`);
    }
  }
  return found;
}

/** Every import circle among the files, each as the list of files around it. */
export function importCircles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const circles: string[][] = [];
  const state = new Map<string, "visiting" | "done">();
  const path: string[] = [];
  const visit = (file: string): void => {
    state.set(file, "visiting");
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "visiting") circles.push([...path.slice(path.indexOf(next)), next]);
      else if (state.get(next) === undefined && graph.has(next)) visit(next);
    }
    path.pop();
    state.set(file, "done");
  };
  for (const file of [...graph.keys()].sort()) if (state.get(file) === undefined) visit(file);
  return circles;
}

const SOURCES = sourceFiles("src").map((file) => relative(".", file).split("\\").join("/"));

describe("the architecture of src/", () => {
  it("has every file in a floor", () => {
    for (const file of SOURCES) expect(() => floorOf(file), file).not.toThrow();
  });

  it("has no import that runs from a lower floor to a higher one", () => {
    expect(upwardImports(SOURCES)).toEqual([]);
  });

  it("has no import circle", () => {
    const graph = new Map(SOURCES.map((file) => [file, importsOf(file)]));
    expect(importCircles(graph)).toEqual([]);
  });

  it("lets scenarios/ import only the public interface and the kit", () => {
    const offenders = sourceFiles("scenarios").flatMap((file) =>
      importsOf(file).filter((target) => target.startsWith("src/") && target !== "src/index.ts" && !target.startsWith("src/kit/")).map((target) => `${file} → ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it("would catch an upward import and a circle (the rule can fail)", () => {
    expect(floorOf("src/kernel/simulation.ts")).toBeLessThan(floorOf("src/explore/sweep.ts"));
    const graph = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]);
    expect(importCircles(graph)).toEqual([["a", "b", "c", "a"]]);
    expect(importCircles(new Map([["a", ["b"]], ["b", []]]))).toEqual([]);
  });
});
