// The failure page of a replay file executed again, as `dsim replay --html` and `dsim report merge`
// draw it: the shrink it came from (if any) and the faults it followed (its schedule's or its seed's).

import type { Replayed } from "../execution/replay.ts";
import type { ReplayFile } from "../execution/replayFile.ts";
import { faultLines } from "../explore/faultList.ts";
import type { FailurePageInput } from "../report/html/failurePage.ts";

export function replayPageInput(replayFile: ReplayFile, replayed: Pick<Replayed, "result" | "reference" | "tape">, replay: string): FailurePageInput {
  const { result, reference, tape } = replayed;
  return {
    result,
    reference: reference.logical,
    replay,
    ...(replayFile.shrunk === undefined ? {} : { shrunk: replayFile.shrunk }),
    faults: faultLines(tape, result),
  };
}
