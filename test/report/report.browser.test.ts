// Failure pages in a real browser: a sweep's index and failure page opened in headless Chromium
// (driven by playwright-core), checked the way a person would: one lifeline per node, one arrow
// per copy of a message, a cross per drop, the highlighted events explain the logical trace, every
// mark is in the legend, note labels use the room they have, every difference is marked, the jump
// button shows where the invariant broke, the index says what behaved as declared with each row's
// headline and tally, the replay command is there, no console errors, no network. Screenshots go to
// test-artifacts/.
//
// The browser comes from the npm registry, so `npm ci && npm test` needs no system package: the
// dev dependency @sparticuz/chromium holds a brotli-compressed headless Chromium (x86_64 Linux),
// which this file unpacks once per package version into node_modules/.cache/dsim/. Without it (or
// where it cannot start: another architecture) a system Chromium at /usr/bin/chromium is tried;
// DSIM_CHROMIUM names one to use instead of both. The test never skips: if no browser starts, it
// fails with one message saying what was tried and why each failed.

import { spawnSync } from "node:child_process";
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { pipeline } from "node:stream/promises";
import { brotliDecompressSync, createBrotliDecompress } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import type { Json } from "../../src/core/scenario.ts";
import type { TraceEvent } from "../../src/core/events.ts";
import { executeReplay } from "../../src/execution/replay.ts";
import { loadScenario } from "../../src/cli/registry.ts";
import { readReplayFile } from "../../src/execution/replayFile.ts";
import { diffJson } from "../../src/core/diff.ts";
import { canonicalJson } from "../../src/core/hash.ts";
import { runCli, temporaryFolder } from "../fixtures/cli.ts";

const ARTIFACTS = "test-artifacts";
const SYSTEM_CHROMIUM = "/usr/bin/chromium";
/** Root in a container (no sandbox), no GPU, and nothing that reaches the network by itself. */
const CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const LAUNCH_TIMEOUT_MS = 60_000;

interface Executable {
  readonly path: string;
  /** What the browser's environment adds to ours. */
  readonly environment: Readonly<Record<string, string>>;
}

interface BrowserSource {
  readonly name: string;
  readonly executable: () => Promise<Executable>;
}

/** Decompresses a .tar.br file of the package into a folder (tar is in every Debian). */
function untar(archive: string, folder: string): void {
  const tar = spawnSync("tar", ["-x", "--no-same-owner", "-C", folder], { input: brotliDecompressSync(readFileSync(archive)) });
  if (tar.error !== undefined) throw new Error(`cannot run tar to unpack ${archive}: ${tar.error.message}`);
  if (tar.status !== 0) throw new Error(`tar could not unpack ${archive}: ${tar.stderr.toString().trim()}`);
}

/**
 * Unpacks the package's four brotli files into `folder`: the browser; its software GL beside it,
 * where it looks; a font (Open Sans), with a fontconfig file of our own that also takes the
 * system's fonts where there are any (the package's own file names Lambda's paths); and the NSS,
 * NSPR and expat libraries, built for Amazon Linux 2023 (glibc 2.34), which a bare Debian lacks.
 * Unpacked beside the folder and renamed into place, so an interrupted unpack is never reused.
 * (The package's own executablePath() unpacks into a shared /tmp, reuses any /tmp/chromium it
 * finds, whatever its version, and unpacks the libraries only when it thinks it runs on Lambda.)
 */
async function unpackChromium(bin: string, folder: string): Promise<void> {
  const partial = `${folder}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(join(partial, "al2023"), { recursive: true });
  await pipeline(createReadStream(join(bin, "chromium.br")), createBrotliDecompress(), createWriteStream(join(partial, "chromium"), { mode: 0o755 }));
  untar(join(bin, "swiftshader.tar.br"), partial);
  untar(join(bin, "fonts.tar.br"), partial);
  untar(join(bin, "al2023.tar.br"), join(partial, "al2023"));
  writeFileSync(
    join(partial, "fonts.conf"),
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${join(folder, "fonts")}</dir>\n  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n  <cachedir>${join(folder, "fonts-cache")}</cachedir>\n</fontconfig>\n`,
  );
  try {
    renameSync(partial, folder);
  } catch (error) {
    // Another test process unpacked the same version first: use its copy.
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(join(folder, "chromium"))) throw error;
  }
}

/** @sparticuz/chromium, unpacked once per version into node_modules/.cache/dsim/chromium-VERSION. */
const packagedChromium: BrowserSource = {
  name: "@sparticuz/chromium (npm dev dependency)",
  executable: async () => {
    const packageFolder = resolve(dirname(createRequire(import.meta.url).resolve("@sparticuz/chromium")), "..", "..");
    const { version } = JSON.parse(readFileSync(join(packageFolder, "package.json"), "utf8")) as { version: string };
    const folder = resolve(packageFolder, "..", "..", ".cache", "dsim", `chromium-${version}`);
    if (!existsSync(join(folder, "chromium"))) {
      mkdirSync(dirname(folder), { recursive: true });
      await unpackChromium(join(packageFolder, "bin"), folder);
    }
    const libraries = join(folder, "al2023", "lib");
    const inherited = process.env.LD_LIBRARY_PATH;
    return {
      path: join(folder, "chromium"),
      environment: { LD_LIBRARY_PATH: inherited ? `${libraries}:${inherited}` : libraries, FONTCONFIG_FILE: join(folder, "fonts.conf") },
    };
  },
};

function systemChromium(path: string, name: string): BrowserSource {
  return {
    name,
    executable: async () => {
      if (!existsSync(path)) throw new Error(`${path} does not exist`);
      return { path, environment: {} };
    },
  };
}

/** Starts the first browser that starts, or fails with what each source said. */
async function launchBrowser(): Promise<Browser> {
  const explicit = process.env.DSIM_CHROMIUM;
  const sources = explicit ? [systemChromium(explicit, `DSIM_CHROMIUM=${explicit}`)] : [packagedChromium, systemChromium(SYSTEM_CHROMIUM, SYSTEM_CHROMIUM)];
  const failures: string[] = [];
  for (const source of sources) {
    try {
      const executable = await source.executable();
      return await chromium.launch({
        executablePath: executable.path,
        args: CHROMIUM_FLAGS,
        env: { ...process.env, ...executable.environment },
        timeout: LAUNCH_TIMEOUT_MS,
      });
    } catch (error) {
      failures.push(`${source.name}: ${launchFailure(error)}`);
    }
  }
  throw new Error(`no Chromium could be started for the browser test (${failures.join("; ")}); run \`npm ci\`, or set DSIM_CHROMIUM to a Chromium binary`);
}

/** The line of a launch error that says why: the browser's own complaint when it printed one. */
function launchFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split("\n");
  const browserSaid = lines.find((line) => /\[err\]/.test(line) && !/<[a-z ]+>/.test(line));
  return (browserSaid?.replace(/^.*\[err\]\s*/, "") ?? lines[0]!).trim();
}

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
}, LAUNCH_TIMEOUT_MS * 3);

afterAll(async () => {
  await browser?.close();
});

interface Opened {
  readonly page: Page;
  readonly problems: string[];
}

/** Opens a file in a fresh page, recording console errors, page errors and any network request. */
async function open(file: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("request", (request) => {
    if (!request.url().startsWith("file:") && !request.url().startsWith("data:")) problems.push(`network: ${request.url()}`);
  });
  await page.goto(pathToFileURL(file).href);
  return { page, problems };
}

/** What the page must show, from the trace that `dsim replay` re-executes. */
async function replayed(replayFile: string) {
  const replay = readReplayFile(replayFile);
  return executeReplay((await loadScenario(replay.scenario)).scenario, replay).result;
}

const count = (trace: readonly TraceEvent[], kind: TraceEvent["kind"]) => trace.filter((event) => event.kind === kind).length;

interface Case {
  readonly scenario: string;
  readonly variant: string;
  /** That the highlighted events (by trace index) explain this logical trace. */
  readonly explains: (highlighted: readonly TraceEvent[], logical: Json) => void;
  /** Whether the failure's logical trace differs from the reference (its page marks the difference). */
  readonly meaningDiffers: boolean;
}

const CASES: readonly Case[] = [
  {
    scenario: "idempotency",
    variant: "naive",
    // The lost reply's operation is applied twice: the operations' counts differ from the reference's.
    meaningDiffers: true,
    explains: (highlighted, logical) => {
      // Each operation was applied as often as the highlighted "applied" notes say.
      const operations = (logical as { operations: { op: number; applied: number }[] }).operations;
      for (const { op, applied } of operations) {
        const notes = highlighted.filter((event) => event.kind === "note" && event.label === "applied" && (event.value as { op: number }).op === op);
        expect(notes).toHaveLength(applied);
      }
    },
  },
  {
    // retry-sum, not sum: sum's smallest failure is one message, lost, with nothing delivered.
    scenario: "delivery",
    variant: "retry-sum",
    // A retried message counted twice: the sum differs from the reference's.
    meaningDiffers: true,
    explains: (highlighted, logical) => {
      // The receiver's sum is the sum of the highlighted deliveries (a retried one counted twice).
      const delivered = highlighted.filter((event) => event.kind === "deliver");
      expect(delivered.every((event) => event.node === "receiver")).toBe(true);
      const sum = delivered.reduce((total, event) => total + (event.kind === "deliver" ? (event.message as { value: number }).value : 0), 0);
      expect(sum).toBe((logical as { value: number }).value);
    },
  },
];

/** The reference's logical trace of a replay file's execution. */
async function replayedReference(replayFile: string): Promise<Json> {
  const replay = readReplayFile(replayFile);
  return executeReplay((await loadScenario(replay.scenario)).scenario, replay).reference.logical;
}

/** The marks drawn on the whole run's diagram that no legend entry explains. */
async function unexplainedMarks(page: Page): Promise<string[]> {
  await page.locator("#window-all").click();
  const drawn = await page.locator("#diagram [data-mark]").evaluateAll((nodes) => [...new Set(nodes.map((node) => node.getAttribute("data-mark")!))]);
  expect(drawn.length).toBeGreaterThan(3);
  const explained = new Set((await page.locator("#legend [data-marks]").evaluateAll((items) => items.map((item) => item.getAttribute("data-marks")!))).flatMap((marks) => marks.split(" ")));
  return drawn.filter((mark) => !explained.has(mark));
}

async function expectEveryDifferenceMarked(page: Page, logical: Json, reference: Json): Promise<void> {
  const differences = diffJson(reference, logical, 1000);
  const markedPaths = async (side: string) => new Set(await page.locator(`[data-side="${side}"] .json-line.diff`).evaluateAll((lines) => lines.map((line) => line.getAttribute("data-path")!)));
  const [onReference, onExecution] = [await markedPaths("reference"), await markedPaths("execution")];
  for (const difference of differences) {
    if (difference.expected !== undefined) expect(onReference, difference.path).toContain(difference.path);
    if (difference.seen !== undefined) expect(onExecution, difference.path).toContain(difference.path);
  }
}

/**
 * Note labels use the room they have: the diagram is as wide as its panel; a label shows its whole
 * note (label and value) or, cut with an ellipsis, runs to within a few pixels of its limit: the
 * next lifeline, or the diagram's right edge from the last lifeline.
 */
async function expectLabelsFit(page: Page): Promise<void> {
  const layout = await page.evaluate(() => {
    const svg = document.getElementById("diagram") as unknown as SVGSVGElement;
    const data = JSON.parse(document.getElementById("dsim-data")!.textContent!) as { events: (string | number)[][] };
    const lifelines = [...svg.querySelectorAll(".lifeline")].map((line) => Number(line.getAttribute("x1")));
    const labels = [...svg.querySelectorAll(".ev.note .label")].map((label) => {
      const box = (label as SVGTextElement).getBBox();
      const event = data.events[Number(label.parentElement!.getAttribute("data-i"))]!;
      return { left: box.x, right: box.x + box.width, text: label.textContent!, full: `${event[3]} ${event[4]}` };
    });
    return { svgWidth: Number(svg.getAttribute("width")), panelWidth: document.getElementById("diagram-scroll")!.clientWidth, lifelines, labels };
  });
  expect(layout.svgWidth).toBeGreaterThanOrEqual(layout.panelWidth - 2);
  expect(layout.labels.length).toBeGreaterThan(0);
  for (const label of layout.labels) {
    const next = layout.lifelines.find((x) => x > label.left);
    const limit = next === undefined ? layout.svgWidth - 6 : next - 8;
    expect(label.right, label.text).toBeLessThanOrEqual(limit + 1);
    if (label.text !== label.full) {
      expect(label.text.endsWith("…"), label.text).toBe(true);
      expect(label.right, `${label.text} stops ${limit - label.right} px short of its room`).toBeGreaterThan(limit - 14);
    }
  }
}

describe("failure pages in headless Chromium", () => {
  for (const testCase of CASES) {
    it(`${testCase.scenario}/${testCase.variant}: the sweep's index links a failure page a person can read`, async () => {
      const out = temporaryFolder();
      const swept = await runCli(["sweep", testCase.scenario, "--variant", testCase.variant, "--seeds", "200", "--workers", "1", "--json", "--out", out]);
      expect(swept.code).toBe(1);
      const first = JSON.parse(swept.stdout).firstDivergence;
      const replayFile: string = first.shrunk.shrunkFile;
      expect(first.page).toBe(replayFile.replace(/\.replay\.json$/, ".html"));
      const result = await replayed(replayFile);
      const trace = result.trace;

      // The index: one row, linking the failure page.
      const index = await open(join(out, "index.html"));
      expect(await index.page.locator("#sweeps tbody tr").count()).toBe(1);
      await index.page.locator("a.failure-page").click();
      await index.page.waitForSelector("#diagram .lifeline", { state: "attached" });
      expect(index.page.url()).toBe(pathToFileURL(first.page).href);
      expect(index.problems).toEqual([]);
      await index.page.close();

      const { page, problems } = await open(first.page);
      await page.locator("#window-all").click();
      // One lifeline per node.
      const nodes = [...new Set(trace.filter((event) => event.kind === "start").map((event) => event.node))];
      expect(await page.locator("#diagram .lifeline").evaluateAll((lines) => lines.map((line) => line.getAttribute("data-node")))).toEqual(nodes);
      // One arrow per copy of a message (each send, each duplicate), a cross per drop.
      expect(await page.locator("#diagram .arrow").count()).toBe(count(trace, "send") + count(trace, "duplicate"));
      expect(await page.locator("#diagram .cross").count()).toBe(count(trace, "drop"));
      // The highlighted events explain the logical trace.
      const highlighted = await page.locator("#diagram .ev.used").evaluateAll((events) => events.map((event) => Number(event.getAttribute("data-i"))));
      expect(highlighted.length).toBeGreaterThan(0);
      testCase.explains(highlighted.map((index) => trace[index]!), result.logical);
      // The header: what broke, and the replay command with its copy button.
      expect(await page.locator("#replay-command").textContent()).toBe(`dsim replay ${replayFile}`);
      expect(await page.locator("#copy-replay").isVisible()).toBe(true);
      const sentence = (await page.locator("#violation").textContent())!;
      expect(result.violations.some((violation) => sentence === `${violation.invariant}: ${violation.message}`)).toBe(true);
      // The logical traces side by side: the first difference marked on both sides exactly when
      // the meaning differs (an invariant may break with the meaning intact; each case says which).
      const reference = await replayedReference(replayFile);
      const meaningDiffers = canonicalJson(result.logical) !== canonicalJson(reference);
      expect(meaningDiffers).toBe(testCase.meaningDiffers);
      expect((await page.locator('[data-side="reference"] .first-diff').count()) > 0).toBe(meaningDiffers);
      expect((await page.locator('[data-side="execution"] .first-diff').count()) > 0).toBe(meaningDiffers);
      // Every mark on the diagram is explained by the legend.
      expect(await unexplainedMarks(page)).toEqual([]);
      // Every differing path is marked, on the side that has it.
      await expectEveryDifferenceMarked(page, result.logical, reference);
      // Note labels use the room they have: the diagram is as wide as its panel, a label on the last
      // lifeline runs to the diagram's edge, one on another lifeline stops before the next.
      await expectLabelsFit(page);
      // Clicking a delivery shows its payload.
      const delivery = trace.findIndex((event) => event.kind === "deliver");
      await page.locator(`#diagram .ev[data-i="${delivery}"]`).click();
      const payload = JSON.parse((await page.locator("#detail-payload").textContent())!);
      expect(payload).toEqual((trace[delivery] as { message: Json }).message);

      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, `${testCase.scenario}-${testCase.variant}.png`), fullPage: true });
      expect(problems).toEqual([]);
      await page.close();
    });
  }

  it("two-phase-commit: the index says at a glance what behaved as declared, with each row's headline and tally; a page jumps to where it broke", async () => {
    const out = temporaryFolder();
    const swept = await runCli(["sweep", "two-phase-commit", "--seeds", "150", "--workers", "1", "--json", "--out", out]);
    expect(swept.code).toBe(1);
    const sweeps = JSON.parse(swept.stdout).sweeps as { variant: string; invariants: { invariant: string; seeds: number; firstSeed: number; replayFile: string }[]; firstDivergence: { page: string; shrunk: { shrunkFile: string } } | null }[];

    const index = await open(join(out, "index.html"));
    // Each heading explains itself on hover, and again under the table.
    const headings = await index.page.locator("#sweeps th").evaluateAll((cells) => cells.map((cell) => ({ text: cell.textContent, title: cell.getAttribute("title") })));
    expect(headings.every((heading) => (heading.title ?? "").length > 20)).toBe(true);
    expect(await index.page.locator("#columns dt").allTextContents()).toEqual(headings.map((heading) => heading.text));
    // The correct variant holds, the two broken ones are caught: as declared, so not red.
    const rows = await index.page.locator("#sweeps tbody tr").evaluateAll((trs) => trs.map((tr) => {
      const badge = tr.querySelector(".result")!;
      return { sweep: tr.getAttribute("data-sweep"), result: tr.getAttribute("data-result"), badge: badge.textContent, background: getComputedStyle(badge).backgroundColor, row: getComputedStyle(tr.querySelector("td")!).backgroundColor };
    }));
    expect(rows.map((row) => [row.sweep, row.result, row.badge])).toEqual([
      ["two-phase-commit/abort-on-timeout", "holds", "holds ✓"],
      ["two-phase-commit/commit-on-timeout", "caught", "bug caught ✓"],
      ["two-phase-commit/abort-after-yes", "caught", "bug caught ✓"],
    ]);
    const red = "rgb(192, 38, 45)";
    for (const row of rows) expect([row.background, row.row]).not.toContain(red);
    // Each caught row: its headline violation, and its tally per invariant linking each first seed's replay file.
    for (const sweep of sweeps.filter((entry) => entry.firstDivergence !== null)) {
      const row = index.page.locator(`#sweeps tr[data-sweep="two-phase-commit/${sweep.variant}"]`);
      expect(await row.locator(".headline").textContent()).toMatch(/^(validity|atomicity): transaction \d+/);
      const tally = await row.locator(".tally li").evaluateAll((items) => items.map((item) => ({ invariant: item.getAttribute("data-invariant"), count: item.querySelector(".count")!.textContent, href: item.querySelector("a")!.getAttribute("href") })));
      expect(tally.map((item) => item.invariant)).toEqual(sweep.invariants.map((invariant) => invariant.invariant));
      expect(tally.map((item) => Number(item.count))).toEqual(sweep.invariants.map((invariant) => invariant.seeds));
      for (const item of tally) expect(existsSync(join(out, item.href!))).toBe(true);
    }
    expect(sweeps.find((entry) => entry.variant === "commit-on-timeout")!.invariants.length).toBeGreaterThan(1);
    mkdirSync(ARTIFACTS, { recursive: true });
    await index.page.screenshot({ path: join(ARTIFACTS, "index-two-phase-commit.png"), fullPage: true });
    expect(index.problems).toEqual([]);
    await index.page.close();

    // abort-after-yes: atomicity names the event where the participant gave up; the button goes there.
    const first = sweeps.find((entry) => entry.variant === "abort-after-yes")!.firstDivergence!;
    const result = await replayed(first.shrunk.shrunkFile);
    const atomicity = result.violations.find((violation) => violation.invariant === "atomicity")!;
    const { page, problems } = await open(first.page);
    const jump = page.locator("#jump-to-breach");
    expect(await jump.textContent()).toBe(`Jump to where atomicity broke (event #${atomicity.traceIndex})`);
    await page.locator("#window-from").fill("0");
    await page.locator("#window-to").fill("1");
    await page.locator("#window-form button[type=submit]").click();
    await jump.click();
    const target = page.locator(`#diagram .ev[data-i="${atomicity.traceIndex}"]`);
    expect(await target.getAttribute("class")).toContain("selected");
    expect(await target.locator(".broke").count()).toBe(1);
    expect(await page.locator("#detail .detail-title").textContent()).toMatch(new RegExp(`^#${atomicity.traceIndex} .* note recorded$`));
    const [box, panel] = [await target.boundingBox(), await page.locator("#diagram-scroll").boundingBox()];
    expect(box!.y).toBeGreaterThanOrEqual(panel!.y);
    expect(box!.y + box!.height).toBeLessThanOrEqual(panel!.y + panel!.height);
    expect(await unexplainedMarks(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, "two-phase-commit-abort-after-yes.png"), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it("zooms a long execution to a time window, and back to the whole run", async () => {
    const out = temporaryFolder();
    const swept = await runCli(["sweep", "consensus", "--variant", "commit-on-first-ack", "--seeds", "300", "--expect", "--workers", "1", "--json", "--out", out]);
    const first = JSON.parse(swept.stdout).firstDivergence;
    const result = await replayed(first.shrunk.shrunkFile);
    const { page, problems } = await open(first.page);
    await page.locator("#window-all").click();
    expect(await page.locator("#diagram .ev").count()).toBe(result.trace.length);
    const from = 100;
    const to = 300;
    await page.locator("#window-from").fill(String(from));
    await page.locator("#window-to").fill(String(to));
    await page.locator("#window-form button[type=submit]").click();
    const shown = result.trace.filter((event) => event.timeMs >= from && event.timeMs <= to).length;
    expect(await page.locator("#diagram .ev").count()).toBe(shown);
    expect(await page.locator("#window-status").textContent()).toContain(`showing ${shown} of ${result.trace.length} events`);
    expect(await unexplainedMarks(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
