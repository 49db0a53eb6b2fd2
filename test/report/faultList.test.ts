// A failure page's fault list: a numbered list up to 20 faults, grouped by kind past that (each
// fault keeping its number), and a plain sentence for a failure that needs none.

import { describe, expect, it } from "vitest";
import { FAULTS_LISTED_MAX, faultListSection } from "../../src/report/html/faultList.ts";
import { failurePage } from "../../src/report/html/failurePage.ts";
import { execute } from "../../src/execution/execute.ts";
import delivery from "../../scenarios/delivery.ts";

const fault = (index: number) => ({ kind: index % 3 === 0 ? "crash" : "drop", text: `${index * 10} ms  fault <${index}>` });

describe("the fault list of a failure page", () => {
  it("lists a few faults in order, numbered, escaped", () => {
    const html = faultListSection([fault(1), fault(2), fault(3)]);
    expect(html).toMatch(/<h2>Faults \(3\)<\/h2><ol class="faults"><li><code>10 ms {2}fault &lt;1&gt;<\/code><\/li><li>.*20 ms/);
    expect(html).not.toMatch(/<details/);
  });

  it("groups more than 20 by kind, each fault keeping its number", () => {
    const faults = Array.from({ length: FAULTS_LISTED_MAX + 1 }, (_unused, index) => fault(index + 1));
    const html = faultListSection(faults);
    expect(html).toMatch(/<h2>Faults \(21\)<\/h2>/);
    expect(html.match(/<details class="fault-group">/g)).toHaveLength(2);
    expect(html).toMatch(/<summary>drop × 14<\/summary>/);
    expect(html).toMatch(/<summary>crash × 7<\/summary><ol class="faults"><li value="3"><code>30 ms/);
    expect(html.match(/<li value=/g)).toHaveLength(21);
  });

  it("says so when the failure needs no fault, and draws nothing without a schedule", () => {
    expect(faultListSection([])).toMatch(/<h2>Faults \(0\)<\/h2><p class="legend">None/);
    expect(faultListSection(undefined)).toBe("");
  });

  it("sits on the page under the header, with the invariant the shrink kept broken", () => {
    const result = execute({ scenario: delivery, variant: "sum", seed: 0, faults: "heavy" });
    const page = failurePage({
      result, reference: null, replay: "dsim replay x",
      shrunk: { faultsBefore: 9, faultsAfter: 1, eventsBefore: 30, eventsAfter: 4, invariant: "logical-trace" },
      faults: [fault(1)],
    });
    expect(page).toMatch(/Shrunk from 9 faults and 30 events to 1 faults and 4 events, still breaking logical-trace\./);
    expect(page.indexOf('<section id="faults">')).toBeGreaterThan(page.indexOf("</header>"));
    expect(page.indexOf('<section id="faults">')).toBeLessThan(page.indexOf('<section id="diagram-section">'));
  });
});
