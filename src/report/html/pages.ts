// Writing report pages: a failure page for a replay file (re-executed, so a page can be made for
// any replay file, from a sweep, a merge or `dsim replay --html`), and a sweep's index page.

import { dirname, join, relative } from "node:path";
import { executeReplay } from "../../explore/replay.ts";
import { loadScenario } from "../../explore/scenarios.ts";
import { writeFileAtomic } from "../atomicWrite.ts";
import { readReplayFile } from "../replayFile.ts";
import type { SweepDocument } from "../summary.ts";
import { failurePage } from "./failurePage.ts";
import { indexPage } from "./indexPage.ts";

/** `x/seed-7.shrunk.replay.json` → `x/seed-7.shrunk.html`. */
export function pagePath(replayFile: string): string {
  return `${replayFile.replace(/\.replay\.json$|\.json$/, "")}.html`;
}

/** Re-executes a replay file and writes its failure page beside it; returns the page's path. */
export async function writeFailurePage(replayFile: string): Promise<string> {
  const replay = readReplayFile(replayFile);
  const scenario = await loadScenario(replay.scenario);
  const { result, reference } = executeReplay(scenario, replay, replayFile);
  const path = pagePath(replayFile);
  writeFileAtomic(path, failurePage({ result, reference: reference.logical, replay: `dsim replay ${replayFile}`, ...(replay.shrunk === undefined ? {} : { shrunk: replay.shrunk }) }));
  return path;
}

/** Writes `index.html` under `out`, its links relative to it; returns its path. */
export function writeIndexPage(out: string, document: SweepDocument): string {
  const path = join(out, "index.html");
  writeFileAtomic(path, indexPage(document, (file) => relative(dirname(path), file).split("\\").join("/")));
  return path;
}
