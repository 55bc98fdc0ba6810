/** The tables of `npm run bench:model` as Markdown. Pure. */
import type { Agreement, AgreementRow } from "./rows.ts";

const fmt = (x: number) =>
  !Number.isFinite(x)
    ? "–"
    : Math.abs(x) >= 100
      ? x.toFixed(0)
      : Math.abs(x) >= 1
        ? x.toFixed(2)
        : x.toFixed(4);

const signed = (x: number) => (Number.isFinite(x) && x > 0 ? `+${fmt(x)}` : fmt(x));

function verdict(r: AgreementRow): string {
  if (r.within === null) return "";
  if (!r.within) return "**OUTSIDE**";
  return r.by === "2σ" ? "within (2σ)" : "within";
}

/** One row per figure of every cell. */
export function agreementTable(agreement: Agreement): string[] {
  const lines = [
    "| cell | figure | n | measured | model (source) | difference | σ | target |",
    "|---|---|--:|--:|--:|--:|--:|---|",
  ];
  for (const r of agreement.rows) {
    lines.push(
      `| ${r.cell} | ${r.figure} | ${r.samples} | ${fmt(r.measured)} | ${fmt(r.model)} (${r.source}) | ${signed(r.difference)} | ${fmt(r.standardError)} | ${verdict(r)} |`,
    );
  }
  for (const s of agreement.skipped) lines.push(`skipped ${s.cell}: ${s.reason}`);
  return lines;
}

/** The share of figures within their targets, overall and per figure, and those that are not. */
export function agreementSummary(agreement: Agreement): string[] {
  const targeted = agreement.rows.filter((r) => r.within !== null);
  const lines: string[] = [];
  const share = (n: number, of: number) => (of === 0 ? "–" : `${((100 * n) / of).toFixed(0)}%`);
  lines.push(
    `${agreement.withinTargets}/${agreement.targeted} figures with a target are within it (${share(agreement.withinTargets, agreement.targeted)}); ` +
      `${targeted.filter((r) => r.by === "2σ").length} of them only within 2σ of their sampling noise.`,
  );
  const cells = new Set(targeted.map((r) => r.cell));
  const goodCells = [...cells].filter((c) => targeted.every((r) => r.cell !== c || r.within));
  lines.push(
    `${goodCells.length}/${cells.size} cells have every figure within its target (${share(goodCells.length, cells.size)}).`,
  );
  for (const figure of [...new Set(targeted.map((r) => r.figure))]) {
    const of = targeted.filter((r) => r.figure === figure);
    lines.push(`- ${figure}: ${of.filter((r) => r.within).length}/${of.length} within`);
  }
  const outside = targeted.filter((r) => !r.within);
  if (outside.length > 0) {
    lines.push("", "Outside the target:");
    for (const r of outside)
      lines.push(
        `- ${r.cell}, ${r.figure}: measured ${fmt(r.measured)}, model ${fmt(r.model)} (${signed(r.difference)}, σ ${fmt(r.standardError)}, n ${r.samples})`,
      );
  }
  return lines;
}
