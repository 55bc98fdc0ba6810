/**
 * report.html's "What the bots did" section: per trial, the mode the fake API saw the bot use, its
 * API calls and errors, how it stopped, and what the webhook proxy cost. Pure.
 */
import { describeStop, formatApiErrors, formatCallsByMethod, type Report } from "../results/index.ts";
import { webhookFrontCosts } from "./behaviour-notes.ts";
import { cellLabel, formatUs } from "./figures.ts";
import { escapeHtml } from "./html-escape.ts";

const td = (text: string, cls = "") => `<td${cls === "" ? "" : ` class="${cls}"`}>${escapeHtml(text)}</td>`;

export function behaviourSection(report: Report): string {
  const rows = report.cells.flatMap((cell) =>
    cell.trials.flatMap((t) => {
      const b = t.behaviour;
      if (b === undefined) return [];
      const errors =
        b.activity.errors === 0
          ? "none"
          : `${b.activity.errors} of ${b.activity.calls}: ${formatApiErrors(b.activity.errors, b.activity.firstErrors)}`;
      const stop =
        b.stop === null
          ? "–"
          : (describeStop(b.stop) ?? `exit 0 after ${(b.stop.afterMs / 1000).toFixed(1)} s`);
      const proxy =
        b.webhookFront === null
          ? "–"
          : `${b.webhookFront.requests} requests, ${formatUs(b.webhookFront.cpuUsPerRequest)} CPU each, ${formatUs(b.webhookFront.inProxyP50Us)} p50 in the proxy`;
      return [
        `<tr>${[
          td(cellLabel(cell), "text"),
          td(String(t.trial)),
          td(b.observedMode.summary, b.observedMode.mode === cell.mode ? "text" : "text bad"),
          td(formatCallsByMethod(b.activity.callsByMethod), "text"),
          td(errors, b.activity.errors === 0 ? "text" : "text bad"),
          td(stop, b.stop === null || b.stop.clean ? "text" : "text bad"),
          td(proxy, "text"),
        ].join("")}</tr>`,
      ];
    }),
  );
  if (rows.length === 0) return "";
  const head = [
    "bot · mode · rate",
    "trial",
    "mode seen",
    "API calls",
    "API errors",
    "stop",
    "webhook proxy",
  ];
  const costs = webhookFrontCosts(report);
  const proxyNote =
    costs.length === 0
      ? ""
      : " The webhook proxy (<code>--webhook-front proxy</code>) is measured on its own: its CPU time per request and the time a request spent in it, the bot's left out; the latency figures include it.";
  return (
    `<h2 id="behaviour">What the bots did</h2>` +
    `<p class="note">From the fake API's side, while each trial was measured: the mode the bot used (getUpdates timeouts and intervals, webhook POSTs), its calls and the API errors it got, and how it stopped on SIGTERM.${proxyNote}</p>` +
    `<div class="table-wrap"><table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>` +
    `<tbody>${rows.join("")}</tbody></table></div>`
  );
}
