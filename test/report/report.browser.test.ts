// Failure pages in a real browser: a sweep's index and failure page opened in headless Chromium
// (Debian's chromium, driven by playwright-core; no browser download), checked the way a person
// would: one lifeline per node, one arrow per copy of a message, a cross per drop, the highlighted
// events explain the logical trace, the replay command is there, no console errors, no network.
// Screenshots go to test-artifacts/. `.ci/run` installs chromium, so this never skips in CI.

import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import type { Json } from "../../src/core/scenario.ts";
import type { TraceEvent } from "../../src/core/events.ts";
import { executeReplay } from "../../src/execution/replay.ts";
import { loadScenario } from "../../src/cli/registry.ts";
import { readReplayFile } from "../../src/execution/replayFile.ts";
import { runCli, temporaryFolder } from "../fixtures/cli.ts";

const CHROMIUM = process.env.DSIM_CHROMIUM ?? "/usr/bin/chromium";
const ARTIFACTS = "test-artifacts";

let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (.ci/install-browser) or set DSIM_CHROMIUM`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

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
}

const CASES: readonly Case[] = [
  {
    scenario: "idempotency",
    variant: "naive",
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
    scenario: "delivery",
    variant: "sum",
    explains: (highlighted, logical) => {
      // The receiver's sum is the sum of the highlighted deliveries.
      const delivered = highlighted.filter((event) => event.kind === "deliver");
      expect(delivered.every((event) => event.node === "receiver")).toBe(true);
      const sum = delivered.reduce((total, event) => total + (event.kind === "deliver" ? (event.message as { value: number }).value : 0), 0);
      expect(sum).toBe((logical as { value: number }).value);
    },
  },
];

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
      // The logical traces side by side, the first difference marked on both sides (when the
      // meaning differs; an invariant may break with the meaning intact).
      if (result.violations.some((violation) => violation.invariant === "logical-trace")) {
        expect(await page.locator('[data-side="reference"] .first-diff').count()).toBeGreaterThan(0);
        expect(await page.locator('[data-side="execution"] .first-diff').count()).toBeGreaterThan(0);
      }
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
    expect(problems).toEqual([]);
    await page.close();
  });
});
