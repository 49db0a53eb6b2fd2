// The paths of summary.json as stored: each replay file, shrunk replay file and failure page it
// names is relative to the summary's own folder (core/storedPaths.ts), so `dsim report merge` of
// shards given from another folder, or moved as CI artifacts, finds them. The commands it carries
// (`replay`, `run`) stay as printed where the sweep ran: text for a person, not paths to follow.
// In memory (and in `--json` on stdout) every path is one from the working folder.

import { join } from "node:path";
import { loadedPath, storedPath } from "../core/storedPaths.ts";
import type { SweepDocument, SweepEntry } from "./summary.ts";

type PathMap = (path: string) => string;

/** An entry with every path it names mapped. Fields an older or partial entry lacks stay absent. */
function mapEntryPaths(entry: SweepEntry, map: PathMap): SweepEntry {
  const first = entry.firstDivergence;
  const shrunk = first?.shrunk ?? null;
  return {
    ...entry,
    ...(entry.invariants === undefined ? {} : { invariants: entry.invariants.map((invariant) => ({ ...invariant, replayFile: map(invariant.replayFile) })) }),
    ...(first === null || first === undefined
      ? {}
      : {
          firstDivergence: {
            ...first,
            replayFile: map(first.replayFile),
            page: first.page === null ? null : map(first.page),
            shrunk: shrunk === null ? null : { ...shrunk, shrunkFile: map(shrunk.shrunkFile), ...(shrunk.from === undefined ? {} : { from: map(shrunk.from) }) },
          },
        }),
    ...(entry.lost === null || entry.lost === undefined ? {} : { lost: { ...entry.lost, replayFile: map(entry.lost.replayFile) } }),
  };
}

function mapDocumentPaths<Document extends object>(document: Document, map: PathMap): Document {
  if ("sweeps" in document && Array.isArray(document.sweeps)) return { ...document, sweeps: (document as unknown as SweepDocument).sweeps.map((entry) => mapEntryPaths(entry, map)) };
  if ("variant" in document) return mapEntryPaths(document as unknown as SweepEntry, map) as unknown as Document;
  return document;
}

/** A summary (a document, one entry, or a partial marker) as stored in `folder`/summary.json. */
export function summaryToStore<Document extends object>(document: Document, folder: string): Document {
  const holder = join(folder, "summary.json");
  return mapDocumentPaths(document, (path) => storedPath(path, holder));
}

/** A summary read from `folder`/summary.json, its paths as paths from here. */
export function summaryFromStore<Document extends object>(document: Document, folder: string): Document {
  const holder = join(folder, "summary.json");
  return mapDocumentPaths(document, (path) => loadedPath(path, holder));
}
