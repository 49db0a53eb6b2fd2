// The sweep's record under --out: summary.json (what `dsim sweep --json` prints), and for a shard
// seeds.jsonl, one line per seed, which `dsim report merge` recounts.

import { join } from "node:path";
import { writeFileAtomic } from "../../core/files.ts";
import type { Reporter } from "./types.ts";

export function summaryFilesReporter(): Reporter {
  return {
    sweepEnd({ document, lines, out }) {
      writeFileAtomic(join(out, "summary.json"), `${JSON.stringify(document, null, 2)}\n`);
      if (lines !== null) writeFileAtomic(join(out, "seeds.jsonl"), lines.map((line) => `${JSON.stringify(line)}\n`).join(""));
    },
  };
}
