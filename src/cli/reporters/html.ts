// The HTML reporter: a failure page for each execution it is handed (a sweep's first divergence,
// shrunk where shrinking ran; `dsim replay --html`), and the sweep's index.html.

import { writeFailurePage, writeIndexPage } from "../../report/html/pages.ts";
import { sweepDocument } from "../../report/summary.ts";
import type { Reporter } from "./types.ts";

export function htmlReporter(): Reporter {
  return {
    execution({ page, replayFile }) {
      if (page !== undefined && replayFile !== null) writeFailurePage(replayFile, page.input);
    },
    variant({ page }) {
      if (page !== null) writeFailurePage(page.replayFile, page.input);
    },
    sweepEnd({ document, out }) {
      writeIndexPage(out, "sweeps" in document ? document : sweepDocument([document], document.faults, document.expectMode));
    },
  };
}
