// Writing report pages from results in hand: a failure page for an execution (the caller executed
// it: a sweep's first divergence, a shrunk execution, a replay) and a sweep's index page. This
// module renders and writes; it never executes anything.

import { dirname, join, relative } from "node:path";
import { writeFileAtomic } from "../../core/files.ts";
import type { SweepDocument } from "../summary.ts";
import { failurePage, type FailurePageInput } from "./failurePage.ts";
import { indexPage } from "./indexPage.ts";

/** `x/seed-7.shrunk.replay.json` → `x/seed-7.shrunk.html`. */
export function pagePath(replayFile: string): string {
  return `${replayFile.replace(/\.replay\.json$|\.json$/, "")}.html`;
}

/** Writes the failure page of a replay file's execution beside the file; returns the page's path. */
export function writeFailurePage(replayFile: string, input: FailurePageInput): string {
  const path = pagePath(replayFile);
  writeFileAtomic(path, failurePage(input));
  return path;
}

/** Writes `index.html` under `out`, its links relative to it; returns its path. */
export function writeIndexPage(out: string, document: SweepDocument): string {
  const path = join(out, "index.html");
  writeFileAtomic(path, indexPage(document, (file) => relative(dirname(path), file).split("\\").join("/")));
  return path;
}
