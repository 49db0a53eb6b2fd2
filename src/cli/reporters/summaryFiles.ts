// The sweep's record under --out: summary.json (what `dsim sweep --json` prints, marked
// `"complete": true`: partial ones are written as the sweep goes, report/outFolder.ts), and for a
// shard seeds.jsonl, one line per seed, which `dsim report merge` recounts. The paths in
// summary.json are relative to its folder (report/summaryPaths.ts).

import { join } from "node:path";
import { writeFileAtomic } from "../../core/files.ts";
import { summaryToStore } from "../../report/summaryPaths.ts";
import type { Reporter } from "./types.ts";

export function summaryFilesReporter(): Reporter {
  return {
    sweepEnd({ document, lines, out }) {
      // seeds.jsonl first: a summary that says complete is written last.
      if (lines !== null) writeFileAtomic(join(out, "seeds.jsonl"), lines.map((line) => `${JSON.stringify(line)}\n`).join(""));
      writeFileAtomic(join(out, "summary.json"), `${JSON.stringify({ ...summaryToStore(document, out), complete: true }, null, 2)}\n`);
    },
  };
}
