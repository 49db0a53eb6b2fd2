// Merging shards: `dsim sweep --shard i/n --out DIR` on n machines, then `dsim report merge DIR...`
// recounts the shards' seeds.jsonl through the same tally as an unsharded sweep (seed order, stop
// at the first divergence in CI mode; per invariant, the seeds that broke it and the first),
// takes the first divergence (and its shrunk execution) and each invariant's first replay file from
// the shard that ran it, and gives the summary the unsharded sweep gives, timings apart. Every
// shard's files are read and checked (shardFiles.ts) before anything is written.

import { UsageError } from "../core/errors.ts";
import { isLostVerdict } from "../execution/lost.ts";
import { readReplayFile, replayPath, writeReplayFile } from "../execution/replayFile.ts";
import { SweepTally, type SeedOutcome } from "../explore/tally.ts";
import { pagePath } from "./html/pages.ts";
import { readShardFiles } from "./shardFiles.ts";
import { sweepDocument, sweepEntry, type FirstDivergenceSummary, type LostLine, type LostSummary, type OutcomeLine, type SeedLine, type SweepDocument, type SweepEntry } from "./summary.ts";

interface ShardOutput {
  readonly directory: string;
  readonly document: SweepDocument | SweepEntry;
  readonly entries: readonly SweepEntry[];
  readonly lines: readonly SeedLine[];
  readonly shard: { readonly index: number; readonly count: number };
}

export interface MergeResult {
  /** The merged summary: a document, or one entry when the shards swept one variant. */
  readonly document: SweepDocument | SweepEntry;
  readonly entries: readonly SweepEntry[];
  readonly expectMode: boolean;
}

/**
 * Merges the shard folders into `out`: writes the first divergences' replay files there. Every
 * shard is read and checked before anything is written; `beforeWriting` runs in between (the
 * caller claims `out` there).
 */
export function mergeShards(directories: readonly string[], out: string, beforeWriting: () => void = () => undefined): MergeResult {
  if (directories.length === 0) throw new UsageError("name the shards' output folders to merge");
  const shards = directories.map(readShard).sort((a, b) => a.shard.index - b.shard.index);
  const count = shards[0]!.shard.count;
  const indices = shards.map((shard) => shard.shard.index).join(",");
  const expected = Array.from({ length: count }, (_, index) => index).join(",");
  if (shards.some((shard) => shard.shard.count !== count) || indices !== expected) {
    throw new UsageError(`the folders hold shards ${shards.map((shard) => `${shard.shard.index}/${shard.shard.count}`).join(", ")}: give each shard 0/${count} … ${count - 1}/${count} once`);
  }
  const first = shards[0]!;
  const jobs = first.entries.map((entry) => `${entry.scenario}/${entry.variant}`);
  for (const shard of shards) {
    if (shard.entries.map((entry) => `${entry.scenario}/${entry.variant}`).join() !== jobs.join()) throw new UsageError(`${shard.directory} swept other variants than ${first.directory}`);
    if ("sweeps" in shard.document !== "sweeps" in first.document) throw new UsageError(`${shard.directory} and ${first.directory} are different kinds of sweep`);
  }
  const writes: Writes = [];
  const entries = first.entries.map((entry, position) => mergeEntry(shards.map((shard) => ({ shard, entry: shard.entries[position]! })), out, writes));
  beforeWriting();
  for (const write of writes) write();
  const expectMode = first.entries[0]!.expectMode;
  const document = "sweeps" in first.document ? sweepDocument(entries, first.document.faults, first.document.expectMode) : entries[0]!;
  return { document, entries, expectMode };
}

/** Files to write once every shard has been checked. */
type Writes = (() => void)[];

function mergeEntry(parts: readonly { shard: ShardOutput; entry: SweepEntry }[], out: string, writes: Writes): SweepEntry {
  const model = parts[0]!.entry;
  const name = `${model.scenario}/${model.variant}`;
  for (const { shard, entry } of parts) {
    const same = entry.seeds.from === model.seeds.from && entry.seeds.budget === model.seeds.budget && entry.seeds.stopsAtFirstDivergence === model.seeds.stopsAtFirstDivergence;
    if (!same || entry.expectMode !== model.expectMode || entry.faults !== model.faults || entry.workloadSeed !== model.workloadSeed || entry.expect !== model.expect) {
      throw new UsageError(`${shard.directory}: ${name} was swept with other options than in ${parts[0]!.shard.directory}`);
    }
  }
  const lines = parts
    .flatMap(({ shard }) => shard.lines.filter((line) => line.scenario === model.scenario && line.variant === model.variant))
    .sort((a, b) => a.seed - b.seed);
  const tally = new SweepTally(model.seeds.stopsAtFirstDivergence);
  const checkedSeeds: number[] = [];
  for (const [offset, line] of lines.entries()) {
    if (tally.stopped) break;
    if (line.seed !== model.seeds.from + offset) throw new UsageError(`seed ${model.seeds.from + offset} of ${name} is in none of the shards given`);
    if (line.verdict === "scenario-error") {
      tally.addTrouble({ seed: line.seed, workloadSeed: line.workloadSeed, kind: line.kind, message: line.message });
      continue;
    }
    if (isLostLine(line)) {
      tally.addLost({ seed: line.seed, workloadSeed: line.workloadSeed, verdict: line.verdict, message: line.message });
      continue;
    }
    tally.add(seedOutcomeOf(line, name));
    if (line.checked === true) checkedSeeds.push(line.seed);
  }
  if (!tally.stopped && tally.outcomes.length !== model.seeds.budget) {
    throw new UsageError(`the shards hold ${tally.outcomes.length} of the ${model.seeds.budget} seeds of ${name}`);
  }
  const lastSeed = tally.outcomes[tally.outcomes.length - 1]?.seed ?? -1;
  const counts = tally.counts({ scenario: model.scenario, variant: model.variant, expect: model.expect, seedFrom: model.seeds.from, seedCount: model.seeds.budget });
  const replayFiles = mergedReplayFiles(parts, tally.firstBreakingSeeds, out, name, writes);
  const lost = mergedLost(parts, counts.lost?.seed, out, name, writes);
  const checking = parts.some(({ entry }) => entry.determinism !== null);
  const mismatches = parts.flatMap(({ entry }) => entry.determinism?.mismatches ?? []).filter((mismatch) => mismatch.seed <= lastSeed).sort((a, b) => a.seed - b.seed);
  return sweepEntry({
    result: counts,
    expectMode: model.expectMode,
    budget: model.seeds.budget,
    stopsAtFirstDivergence: model.seeds.stopsAtFirstDivergence,
    shard: undefined,
    faults: model.faults,
    workloadSeed: model.workloadSeed,
    replayFileOf: (seed) => replayFiles.get(seed)!,
    firstDivergence: mergedFirstDivergence(parts, tally.firstDivergence, replayFiles, name, writes),
    scenarioErrorRun: parts.find(({ entry }) => entry.scenarioError !== null && entry.scenarioError.seed === counts.scenarioError?.seed)?.entry.scenarioError?.run ?? null,
    lostReplayFile: lost?.replayFile ?? null,
    determinism: checking || mismatches.length > 0 ? { checkedSeeds, mismatches } : undefined,
    wallSeconds: Math.max(...parts.map(({ entry }) => entry.wallSeconds)),
  });
}

/** A line of seeds.jsonl as the tally counts it, checked: a line from an older dsim lacks what the tally needs. */
function seedOutcomeOf(line: OutcomeLine, name: string): SeedOutcome {
  const broken = line.broken as unknown;
  if (!Array.isArray(broken) || !broken.every((invariant) => typeof invariant === "string") || typeof line.admissible !== "boolean") {
    throw new UsageError(`seeds.jsonl of ${name}, seed ${line.seed}: no 'broken' list or 'admissible' flag (written by an older dsim?): run the shards again`);
  }
  if ((line.verdict === "diverges") !== (broken.length > 0)) throw new UsageError(`seeds.jsonl of ${name}, seed ${line.seed}: verdict ${line.verdict} with ${broken.length} invariants broken`);
  const { seed, workloadSeed, sizes, physicalHash, logicalHash, admissible, events, verdict } = line;
  return { seed, workloadSeed, ...(sizes === undefined ? {} : { sizes }), physicalHash, logicalHash, admissible, events, verdict, broken };
}

/**
 * The replay file of each seed that first broke an invariant, copied under `out` from the shard
 * that ran it (where that shard's own tally names the seed first for some invariant).
 */
function mergedReplayFiles(parts: readonly { shard: ShardOutput; entry: SweepEntry }[], seeds: readonly number[], out: string, name: string, writes: Writes): Map<number, string> {
  const files = new Map<number, string>();
  const [scenario, variant] = [parts[0]!.entry.scenario, parts[0]!.entry.variant];
  for (const seed of seeds) {
    const found = parts.flatMap(({ entry }) => entry.invariants ?? []).find((invariant) => invariant.firstSeed === seed);
    if (found === undefined) throw new UsageError(`no shard holds the replay file of ${name} seed ${seed}: were the shards run with the same dsim?`);
    const replayFile = replayPath(out, { scenario, variant, seed });
    const replay = readReplayFile(found.replayFile);
    if (replayFile !== found.replayFile) writes.push(() => writeReplayFile(replayFile, replay));
    files.set(seed, replayFile);
  }
  return files;
}

/** The first divergence from the shard that ran its seed, its shrunk replay file copied under `out`. */
function mergedFirstDivergence(parts: readonly { shard: ShardOutput; entry: SweepEntry }[], seed: number | undefined, replayFiles: ReadonlyMap<number, string>, name: string, writes: Writes): FirstDivergenceSummary | null {
  if (seed === undefined) return null;
  const found = parts.find(({ entry }) => entry.firstDivergence?.seed === seed)?.entry.firstDivergence;
  if (found === undefined || found === null) throw new UsageError(`no shard reports the first divergence of ${name} (seed ${seed}): were the shards run with the same dsim?`);
  const replayFile = replayFiles.get(seed)!;
  let shrunk = found.shrunk;
  if (shrunk !== null) {
    const shrunkFile = replayFile.replace(/\.replay\.json$/, ".shrunk.replay.json");
    const replay = readReplayFile(shrunk.shrunkFile);
    if (shrunkFile !== shrunk.shrunkFile) writes.push(() => writeReplayFile(shrunkFile, { ...replay, ...(replay.shrunk === undefined ? {} : { shrunk: { ...replay.shrunk, from: replayFile } }) }));
    shrunk = { ...shrunk, from: replayFile, shrunkFile, replay: `dsim replay ${shrunkFile}` };
  }
  // The page is written by the merge command, once the merged replay files are in place.
  return { ...found, replay: `dsim replay ${replayFile}`, replayFile, shrunk, page: found.page === null ? null : pagePath(shrunk?.shrunkFile ?? replayFile) };
}

function isLostLine(line: SeedLine): line is LostLine {
  return isLostVerdict(line.verdict);
}

/** The seed that did not finish, from the shard that ran it, its replay file copied under `out`. */
function mergedLost(parts: readonly { shard: ShardOutput; entry: SweepEntry }[], seed: number | undefined, out: string, name: string, writes: Writes): LostSummary | null {
  if (seed === undefined) return null;
  const found = parts.find(({ entry }) => entry.lost?.seed === seed)?.entry.lost;
  if (found === undefined || found === null) throw new UsageError(`no shard reports the seed of ${name} that did not finish (seed ${seed}): were the shards run with the same dsim?`);
  const replayFile = replayPath(out, { scenario: parts[0]!.entry.scenario, variant: parts[0]!.entry.variant, seed });
  const replay = readReplayFile(found.replayFile);
  if (replayFile !== found.replayFile) writes.push(() => writeReplayFile(replayFile, replay));
  return { ...found, replayFile, replay: `dsim replay ${replayFile}` };
}

function readShard(directory: string): ShardOutput {
  const { document, entries, lines } = readShardFiles(directory);
  const shards = new Set(entries.map((entry) => entry.shard));
  const match = shards.size === 1 ? /^(\d+)\/(\d+)$/.exec(String(entries[0]?.shard)) : null;
  if (match === null) throw new UsageError(`${directory}/summary.json is not the summary of one shard (sweep --shard i/n)`);
  const shard = { index: Number(match[1]), count: Number(match[2]) };
  if (shard.count < 1 || shard.index >= shard.count) throw new UsageError(`${directory}/summary.json names shard ${shard.index}/${shard.count}, which is not one`);
  return { directory, document, entries, lines, shard };
}
