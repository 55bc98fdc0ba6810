import type { ModeName } from "../results/index.ts";

/**
 * One colour per delivery mode, the same in every chart and table (Okabe–Ito: told apart with
 * every common kind of colour blindness).
 */
export const MODE_COLORS: Readonly<Record<ModeName, string>> = {
  "short-polling": "#D55E00",
  "long-polling": "#0072B2",
  webhook: "#009E73",
};

/** Neutral colour for reference lines (offered rate) and figures that belong to no mode. */
export const NEUTRAL_COLOR = "#7a7a7a";

/** A mode's colour; neutral for a mode this version does not know (a report from a newer tgbench). */
export const modeColor = (mode: string): string => MODE_COLORS[mode as ModeName] ?? NEUTRAL_COLOR;

/** The page's whole style sheet: inline, no web fonts, readable printed and on a phone. */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1d1f21; --muted: #5f6368; --rule: #dadce0; --bg: #fff; --panel: #f6f8fa;
  --warn: #8a4b00; --warn-bg: #fff4e5; --bad: #b3261e; --good: #0b6e4f; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1360px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.25rem; margin: 36px 0 8px; padding-top: 8px; border-top: 1px solid var(--rule); }
h3 { font-size: 1.05rem; margin: 20px 0 6px; }
p { margin: 6px 0; }
.subtitle, .note { color: var(--muted); font-size: 0.9rem; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 0.8rem; vertical-align: middle;
  background: var(--warn-bg); color: var(--warn); border: 1px solid #f0c36d; }
.verdict { background: var(--panel); border-left: 5px solid ${MODE_COLORS.webhook}; padding: 14px 18px; margin: 18px 0;
  border-radius: 4px; }
.verdict .headline { font-size: 1.12rem; font-weight: 600; margin: 0 0 8px; }
.verdict ul { margin: 6px 0; padding-left: 20px; }
.caveats { background: var(--warn-bg); border-left: 5px solid #f0a020; padding: 8px 18px; border-radius: 4px; }
.caveats li { color: var(--warn); }
nav.toc { font-size: 0.9rem; } nav.toc a { margin-right: 14px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.8rem; margin: 8px 0; }
th, td { padding: 4px 5px; border-bottom: 1px solid var(--rule); text-align: right; white-space: nowrap; }
th { background: var(--panel); font-weight: 600; white-space: normal; vertical-align: bottom; min-width: 4em; }
th:first-child, td:first-child, td.text { text-align: left; }
td.reason { text-align: left; white-space: normal; color: var(--muted); }
tr.skipped td, tr.no-data td { color: var(--muted); }
tr.failed td, td.bad { color: var(--bad); }
td.good { color: var(--good); }
td .ci { display: block; color: var(--muted); font-size: 0.7rem; }
.mode-dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 12px 28px; }
figure.chart { margin: 10px 0; }
figure.chart figcaption { font-weight: 600; margin-bottom: 4px; }
ul.legend { list-style: none; padding: 0; margin: 4px 0; display: flex; flex-wrap: wrap; gap: 2px 16px; font-size: 0.8rem; }
ul.legend li { display: flex; align-items: center; gap: 5px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; font-size: 0.9rem; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
pre.error { white-space: pre-wrap; background: var(--panel); padding: 8px; font-size: 0.8rem; max-height: 14em; overflow: auto; }
footer { margin-top: 40px; color: var(--muted); font-size: 0.8rem; }
figure.chart .plot { width: 100%; min-height: 300px; }
.answers li { margin: 6px 0; }
@media print { .charts { display: block; } }
`;
