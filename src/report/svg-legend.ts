import { escapeHtml } from "./html-escape.ts";

/** One entry of a chart's legend: a line (with its dash) or a filled box (solid or hatched). */
export interface LegendItem {
  label: string;
  color: string;
  kind: "line" | "box";
  /** SVG stroke-dasharray of a line, null for solid. */
  dash?: string | null;
  /** A hatched box: a modelled rather than a measured figure. */
  hatched?: boolean;
}

/** A legend as an HTML list with a small inline SVG swatch per entry. Pure. */
export function renderLegend(items: readonly LegendItem[]): string {
  return `<ul class="legend">${items.map((item) => `<li>${swatch(item)}${escapeHtml(item.label)}</li>`).join("")}</ul>`;
}

function swatch(item: LegendItem): string {
  if (item.kind === "line") {
    const dash = item.dash ? ` stroke-dasharray="${item.dash}"` : "";
    return `<svg class="swatch" width="30" height="10" aria-hidden="true"><line x1="1" x2="29" y1="5" y2="5" stroke="${item.color}" stroke-width="2.5"${dash}/></svg>`;
  }
  const fill = item.hatched ? "none" : item.color;
  const hatch = item.hatched
    ? `<line x1="0" y1="10" x2="10" y2="0" stroke="${item.color}"/><line x1="6" y1="10" x2="16" y2="0" stroke="${item.color}"/>`
    : "";
  return `<svg class="swatch" width="16" height="10" aria-hidden="true"><rect x="0.5" y="0.5" width="15" height="9" fill="${fill}" stroke="${item.color}"/>${hatch}</svg>`;
}
