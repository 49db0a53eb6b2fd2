// The storage fault atlas: what a disk does wrong beside losing and tearing unsynced writes at a
// crash (disk.ts, nemesis.ts). Three kinds, each a profile field and a decision kind:
//
//   corrupt       at a fault tick, one bit of a file's durable content flips (anywhere in it, not
//                 only at its end); the page cache shows it where it holds those bytes
//   lost-fsync    an fsync does nothing: the file's writes stay unsynced, lost at a crash unless a
//                 later fsync makes them durable
//   misdirect     an append lands over an earlier append's bytes in the file instead of at its end;
//                 the file still grows, the place meant for it holds zero bytes
//
// TigerBeetle's rule: a fault no correct protocol survives (the only copy of acknowledged data
// corrupted; every replica's copy of it) must be avoidable, so correct variants hold under the
// default swarm. So by default (`storageFaultTargets: "declared"`) a kind strikes only the files a
// scenario declares it is built to survive it on (Scenario.storageFaults), and at most one file of
// each declared group of copies in an execution: the first one struck. `all` strikes any file
// (groups still apply), to see what a protocol without redundancy loses.
//
// The effect faults (lost-fsync, misdirect) are keyed by the effect, as crash points are
// (crashPoints.ts), and drawn inside the fault window; bit flips by fault tick, node and file.
// (A read that returns stale data is not a fault of its own: no built-in scenario reads a file
// except at recovery, and there an older version of a file is, to the protocol, the later fsyncs
// lost, which the lost-fsync fault already does.)

import type { NodeId } from "../core/json.ts";
import type { FilePattern, StorageFaultDeclaration } from "../core/scenario.ts";
import type { Chooser } from "../core/tape.ts";
import type { EffectPoint } from "./crashPoints.ts";
import type { SimulatedDisk } from "./disk.ts";
import { faultWindows, inFaultWindow, tickTimeMs, type FaultProfile, type FaultWindow } from "./faults.ts";
import type { WorldHost } from "./host.ts";
import { effectFileQuestion, fileTickQuestion } from "./questions.ts";

type StorageKind = keyof Omit<StorageFaultDeclaration, "copies">;

/** `node:file`, either part `*`. */
function matches(pattern: FilePattern, node: NodeId, file: string): boolean {
  const colon = pattern.indexOf(":");
  const nodePart = pattern.slice(0, colon);
  const filePart = pattern.slice(colon + 1);
  return (nodePart === "*" || nodePart === node) && (filePart === "*" || filePart === file);
}

export class StorageFaults {
  private tick = 0;
  /** For each group of copies (by index in the declaration), the file faults struck first: the only one they may strike. */
  private readonly struck = new Map<number, string>();

  constructor(
    private readonly host: WorldHost,
    private readonly profile: FaultProfile,
    private readonly chooser: Chooser,
    private readonly declaration: StorageFaultDeclaration = {},
  ) {
    this.windows = faultWindows(profile);
    this.corruptionStrikesSome = this.mayStrikeAny("corruption");
  }

  /** The profile's fault windows (its phases): storage faults strike only inside them. */
  private readonly windows: readonly FaultWindow[];

  /** One action for every storage tick, made once (not a closure per tick). */
  private readonly tickAction = this.onTick.bind(this); // bound, not an arrow field: under tsx a named closure is renamed when made

  /** Schedules the first tick of bit flips, when they are on. */
  arm(): void {
    const profile = this.profile;
    const firstMs = tickTimeMs(profile, 0, this.windows);
    if (profile.corruptionProbability > 0 && firstMs < profile.faultEndMs) this.host.at(firstMs, "storage-tick", this.tickAction);
  }

  /** Whether a kind may strike some file: `all`, or the scenario declares a file for it. */
  private mayStrikeAny(kind: StorageKind): boolean {
    return this.profile.storageFaultTargets === "all" || (this.declaration[kind] ?? []).length > 0;
  }

  /** A handler's append: at the end, or (misdirected) over an earlier append's bytes. */
  append(point: EffectPoint, disk: SimulatedDisk, file: string, data: string): void {
    const offsets = this.profile.misdirectedWriteProbability > 0 && this.inWindow() ? disk.appendOffsetsOf(file) : [];
    const misdirected =
      offsets.length > 0 && this.strikes("misdirectedWrite", point.node, file) && this.chooser.chance(effectFileQuestion("misdirect", point, file), this.profile.misdirectedWriteProbability);
    if (!misdirected) return disk.append(file, data);
    this.hit(point.node, file);
    const offset = offsets[this.chooser.below(effectFileQuestion("misdirect-to", point, file), offsets.length)]!;
    const intendedOffset = disk.appendAt(file, data, offset);
    this.host.record({ kind: "misdirect", timeMs: this.host.timeMs, ...point, file, offset, intendedOffset, bytes: data.length });
  }

  /** A handler's fsync: done, or (lost) silently not. */
  fsync(point: EffectPoint, disk: SimulatedDisk, file: string): void {
    const probability = this.profile.lostFsyncProbability;
    const lost = probability > 0 && this.inWindow() && this.strikes("lostFsync", point.node, file) && this.chooser.chance(effectFileQuestion("lost-fsync", point, file), probability);
    if (!lost) return disk.fsync(file);
    this.hit(point.node, file);
    this.host.record({ kind: "lost-fsync", timeMs: this.host.timeMs, ...point, file });
  }

  /** A fault tick: each file that holds durable bytes and may be struck may have one bit flipped. */
  private onTick(): void {
    const { host, profile } = this;
    const tick = this.tick++;
    // The tick is still an event (it counts against the event budget) when no file may be struck:
    // it only skips looking at every file of every node (a fifth of a delivery execution's
    // allocation went to that scan, for a scenario that declares no file for bit flips).
    if (this.corruptionStrikesSome) this.flipBits(tick);
    const nextMs = tickTimeMs(profile, this.tick, this.windows);
    if (nextMs < profile.faultEndMs) host.at(nextMs, "storage-tick", this.tickAction);
  }

  /** Whether bit flips may strike any file at all (else a tick need not look at the files). */
  private readonly corruptionStrikesSome: boolean;

  /** Each file that holds durable bytes and may be struck may have one bit flipped. */
  private flipBits(tick: number): void {
    const { host, profile, chooser } = this;
    for (const node of host.nodeIds) {
      const disk = host.diskOf(node);
      for (const file of disk.files()) {
        const length = disk.durableLength(file);
        if (length === 0 || !this.strikes("corruption", node, file) || !chooser.chance(fileTickQuestion("corrupt", tick, node, file), profile.corruptionProbability)) continue;
        this.hit(node, file);
        const at = chooser.below(fileTickQuestion("corrupt-bit", tick, node, file), length * 8);
        const offset = at >> 3;
        const bit = at & 7;
        disk.flipBit(file, offset, bit);
        host.record({ kind: "corrupt", timeMs: host.timeMs, node, file, offset, bit });
      }
    }
  }

  private inWindow(): boolean {
    return inFaultWindow(this.windows, this.host.timeMs);
  }

  /** Whether a fault of this kind may strike the file: declared for it (or every file), and no other copy of it struck. */
  private strikes(kind: StorageKind, node: NodeId, file: string): boolean {
    const declared = this.profile.storageFaultTargets === "all" || (this.declaration[kind] ?? []).some((pattern) => matches(pattern, node, file));
    if (!declared) return false;
    const name = `${node}:${file}`;
    return this.groupsOf(node, file).every((group) => (this.struck.get(group) ?? name) === name);
  }

  /** A fault struck the file: from now on it is the only file of its groups faults may strike. */
  private hit(node: NodeId, file: string): void {
    for (const group of this.groupsOf(node, file)) if (!this.struck.has(group)) this.struck.set(group, `${node}:${file}`);
  }

  private groupsOf(node: NodeId, file: string): number[] {
    const groups: number[] = [];
    (this.declaration.copies ?? []).forEach((group, index) => {
      if (group.some((pattern) => matches(pattern, node, file))) groups.push(index);
    });
    return groups;
  }
}
