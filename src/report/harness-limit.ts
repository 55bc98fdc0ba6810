/**
 * The harness's own ceiling in the reports (Report.harnessCeiling, measured by src/calibration/):
 * one sentence with its figures and where they came from, a section for report.md and
 * report.html, the mark on cells that ran close to it, and the verdict's caveat. Pure.
 */
import { ceilingPerSecond, type HarnessCeiling, nearHarnessLimit, type Report } from "../results/index.ts";
import { escapeHtml } from "./html-escape.ts";

/** What a flagged cell's row says after its label. */
export const NEAR_LIMIT_MARK = "⚠ near harness limit";

/** At most this many cells are named in the caveat; the rest are counted. */
const MAX_NAMED = 5;

const whole = (value: number): string => Math.round(value).toLocaleString("en-US");

/** What a report without the field says: it was written before reports carried the ceiling. */
const PREDATES = "not measured (this report was written before reports carried it)";

/** Where a measured ceiling came from, in words. */
function provenance(ceiling: Extract<HarnessCeiling, { status: "measured" }>): string {
  const when =
    ceiling.source === "fresh"
      ? `measured in this run at ${ceiling.measuredAt}`
      : `cached from ${ceiling.measuredAt}`;
  return `${when}, commit ${ceiling.commit.slice(0, 12)} on ${ceiling.host} (${ceiling.cpuModel})`;
}

/** The ceiling in one line, for the terminal. */
export function ceilingLine(ceiling: HarnessCeiling | undefined): string {
  return `Harness ceiling: ${ceilingFacts(ceiling).join("; ")}`;
}

/** The ceiling's facts, one phrase each. */
export function ceilingFacts(ceiling: HarnessCeiling | undefined): string[] {
  if (ceiling === undefined) return [PREDATES];
  if (ceiling.status === "not-measured") return [`not measured: ${ceiling.reason}`];
  const ratio = ceiling.fakeApiRequestsPerSecond / ceiling.bareFastifyRequestsPerSecond;
  const facts = [
    `fake API ${whole(ceiling.fakeApiRequestsPerSecond)} requests/s against bare fastify ${whole(ceiling.bareFastifyRequestsPerSecond)} requests/s (${ratio.toFixed(2)}×, getMe, autocannon closed loop)`,
  ];
  const perSecond = ceilingPerSecond(ceiling);
  facts.push(
    perSecond === null
      ? `the reference bot's webhook rate was not measured (${ceiling.referenceNote ?? "no figure"})`
      : `the reference bot in webhook mode answered ${whole(perSecond)} updates/s through the fake API (closed loop, ${ceiling.referenceInFlight} updates outstanding, ${ceiling.referenceDurationMs / 1000} s); cells offered ≥ ${Math.round(ceiling.nearLimitShare * 100)} % of it (≥ ${whole(ceiling.nearLimitShare * perSecond)}/s) are marked "${NEAR_LIMIT_MARK}"`,
  );
  facts.push(provenance(ceiling));
  return facts;
}

/** The cells of a report that ran close to the harness's limit (cells that ran at all). */
export function cellsNearLimit(report: Report): Report["cells"] {
  return report.cells.filter(
    (cell) => cell.trials.length > 0 && nearHarnessLimit(cell.ratePerSecond, report.harnessCeiling),
  );
}

/** The verdict's caveat about cells near the harness's limit; null when there are none. */
export function harnessLimitCaveat(report: Report): string | null {
  const near = cellsNearLimit(report);
  const perSecond = ceilingPerSecond(report.harnessCeiling);
  if (near.length === 0 || perSecond === null) return null;
  const labels = near.map((cell) => `${cell.bot} · ${cell.mode} · ${cell.ratePerSecond}/s`);
  const named =
    labels.length <= MAX_NAMED
      ? labels.join(", ")
      : `${labels.slice(0, MAX_NAMED).join(", ")} and ${labels.length - MAX_NAMED} more`;
  return (
    `${near.length === 1 ? "1 cell" : `${near.length} cells`} ran close to the harness's limit ` +
    `(offered at least ${Math.round((report.harnessCeiling as { nearLimitShare: number }).nearLimitShare * 100)} % of the ` +
    `${whole(perSecond)} updates/s the reference bot reaches here): ${named}; their figures measure tgbench as much as the bot.`
  );
}

/** report.md's section on the harness's ceiling. */
export function ceilingMarkdown(report: Report): string[] {
  return ["## The harness's ceiling", "", ...ceilingFacts(report.harnessCeiling).map((f) => `- ${f}`), ""];
}

/** report.html's section on the harness's ceiling. */
export function ceilingHtml(report: Report): string {
  const items = ceilingFacts(report.harnessCeiling)
    .map((f) => `<li>${escapeHtml(f)}</li>`)
    .join("");
  return `<h2 id="harness-ceiling">The harness's ceiling</h2><ul class="ceiling">${items}</ul>`;
}
