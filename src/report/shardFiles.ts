// Reading a shard's output folder back, for `dsim report merge`: its summary.json and seeds.jsonl,
// each validated (zod) before anything is counted, so a folder that is not a shard's, a summary cut
// short, or a hand-edited file is bad input with one line naming the field, never a TypeError.
// The schemas check what the merge reads and let other fields through (a newer summary may carry
// more). Its paths, stored relative to the folder, are read as paths from here.

import { join } from "node:path";
import { UsageError } from "../core/errors.ts";
import { readTextFile, statOf } from "../core/files.ts";
import { describeIssue, integerAtLeast, z } from "../core/schema.ts";
import { LOST_VERDICTS } from "../execution/lost.ts";
import type { SeedLine, SweepDocument, SweepEntry } from "./summary.ts";
import { summaryFromStore } from "./summaryPaths.ts";

/** The largest summary.json and seeds.jsonl read (a million seeds' lines is about 200 MB). */
const SUMMARY_BYTES_MAX = 64 * 2 ** 20;
const SEED_LINES_BYTES_MAX = 512 * 2 ** 20;

const text = z.string({ error: "must be a string" });
const violation = z.looseObject({ invariant: text, message: text });
const replayReference = { replay: text, replayFile: text };

const ENTRY = z.looseObject({
  scenario: text,
  variant: text,
  expect: z.enum(["holds", "diverges"], { error: "must be holds or diverges" }),
  expectMode: z.boolean({ error: "must be true or false" }),
  seeds: z.looseObject({ from: integerAtLeast(0), count: integerAtLeast(0), budget: integerAtLeast(1), stopsAtFirstDivergence: z.boolean({ error: "must be true or false" }) }),
  shard: text.regex(/^\d+\/\d+$/, { error: "must be i/n: the summary of a sweep run with --shard" }),
  faults: text,
  workloadSeed: z.union([integerAtLeast(0), z.literal("varies")], { error: "must be an integer or \"varies\"" }),
  firstDivergence: z
    .looseObject({
      seed: integerAtLeast(0),
      violations: z.array(violation),
      ...replayReference,
      shrunk: z.looseObject({ shrunkFile: text, replay: text }).nullable(),
      page: text.nullable(),
    })
    .nullable(),
  lost: z.looseObject({ seed: integerAtLeast(0), verdict: z.enum(LOST_VERDICTS), message: text, ...replayReference }).nullable().optional(),
  determinism: z
    .looseObject({ checkedSeeds: integerAtLeast(0), mismatches: z.array(z.looseObject({ seed: integerAtLeast(0) })) })
    .nullable(),
  wallSeconds: z.number({ error: "must be a number" }).min(0),
});

const SUMMARY = z.union(
  [
    z.looseObject({ sweeps: z.array(ENTRY).min(1), faults: text, expectMode: z.boolean(), complete: z.boolean().optional() }),
    ENTRY.extend({ complete: z.boolean().optional() }),
  ],
  { error: "is not a sweep's summary" },
);

const LINE_HEAD = { scenario: text, variant: text, seed: integerAtLeast(0), workloadSeed: integerAtLeast(0) };

/** A seed's outcome (`broken` and `admissible` are checked by the merge, which names an older dsim). */
const OUTCOME_LINE = z.looseObject({
  ...LINE_HEAD,
  physicalHash: text,
  logicalHash: text,
  sizes: z.record(z.string(), integerAtLeast(0), { error: "must be an object of sizes by name" }).optional(),
  events: integerAtLeast(0),
  verdict: z.enum(["holds", "diverges"]),
  checked: z.literal(true).optional(),
});
/** The seed where the scenario broke: the last line of its variant. */
const TROUBLE_LINE = z.looseObject({ ...LINE_HEAD, verdict: z.literal("scenario-error"), kind: z.enum(["scenario", "nondeterminism"]), message: text });
/** The seed that did not finish: the last line of its variant. */
const LOST_LINE = z.looseObject({ ...LINE_HEAD, verdict: z.enum(LOST_VERDICTS), message: text });

const VERDICTS = ["holds", "diverges", "scenario-error", ...LOST_VERDICTS];

/** A line's schema, by its verdict. */
function lineSchemaOf(line: unknown): z.ZodType | undefined {
  const verdict = line !== null && typeof line === "object" ? (line as { verdict?: unknown }).verdict : undefined;
  if (verdict === "holds" || verdict === "diverges") return OUTCOME_LINE;
  if (verdict === "scenario-error") return TROUBLE_LINE;
  if (verdict === "hung" || verdict === "out-of-memory") return LOST_LINE;
  return undefined;
}

export interface ShardFiles {
  readonly document: SweepDocument | SweepEntry;
  readonly entries: readonly SweepEntry[];
  readonly lines: readonly SeedLine[];
}

/** Reads and validates the summary and seed lines of a shard's --out folder. */
export function readShardFiles(directory: string): ShardFiles {
  if (statOf(directory)?.isDirectory() !== true) throw new UsageError(`'${directory}' is not a folder: merge the --out folders of sweeps run with --shard`);
  const summaryPath = join(directory, "summary.json");
  const linesPath = join(directory, "seeds.jsonl");
  for (const path of [summaryPath, linesPath]) if (statOf(path) === undefined) throw new UsageError(`${path} does not exist: merge the --out folders of sweeps run with --shard`);
  const raw = parseJson(readTextFile(summaryPath, "summary", SUMMARY_BYTES_MAX), summaryPath);
  const checked = SUMMARY.safeParse(raw);
  if (!checked.success) throw new UsageError(`${summaryPath} is not the summary of a sweep: ${issueOf(checked.error, raw)}`);
  // The fields the merge reads are checked; the others pass through as the shard wrote them.
  const summary = summaryFromStore(checked.data as unknown as (SweepDocument | SweepEntry) & { readonly complete?: boolean }, directory);
  if (summary.complete === false) throw new UsageError(`${summaryPath} is a partial report (its sweep was interrupted): run that shard again`);
  const entries = "sweeps" in summary ? summary.sweeps : [summary];
  const lines = readTextFile(linesPath, "seed lines", SEED_LINES_BYTES_MAX)
    .split("\n")
    .map((line, index) => ({ line, index }))
    .filter(({ line }) => line !== "")
    .map(({ line, index }) => {
      const where = `${linesPath}: line ${index + 1}`;
      const value = parseJson(line, where);
      const schema = lineSchemaOf(value);
      if (schema === undefined) throw new UsageError(`${where}: 'verdict' must be one of ${VERDICTS.join(", ")}`);
      const parsed = schema.safeParse(value);
      if (!parsed.success) throw new UsageError(`${where}: ${describeIssue(parsed.error.issues[0]!)}`);
      return parsed.data as SeedLine;
    });
  return { document: summary, entries, lines };
}

function parseJson(textValue: string, where: string): unknown {
  try {
    return JSON.parse(textValue);
  } catch {
    throw new UsageError(`${where} is not valid JSON`);
  }
}

/** The issue to report of a summary that fits neither shape: the one of the shape it looks like. */
function issueOf(error: z.ZodError, raw: unknown): string {
  const union = error.issues[0];
  if (union?.code === "invalid_union") {
    const shape = raw !== null && typeof raw === "object" && "sweeps" in raw ? 0 : 1;
    const issue = union.errors[shape]?.[0];
    if (issue !== undefined) return describeIssue(issue);
  }
  return union === undefined ? "is not a sweep's summary" : describeIssue(union);
}
