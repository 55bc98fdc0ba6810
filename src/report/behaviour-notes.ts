/**
 * What the reports say about how the bots behaved, beyond their figures: stops that were not
 * clean (noted, not failed), and what the webhook proxy (`--webhook-front proxy`) cost. Pure.
 */
import { type CellResult, describeStop, type Report } from "../results/index.ts";
import { median } from "./figures.ts";

/** A line about one trial that is not a failure. */
export interface TrialNote {
  cell: CellResult;
  trial: number;
  text: string;
}

/** Every trial whose bot did not exit 0 within its grace after SIGTERM, as docs/bot-contract.md asks. */
export function trialNotes(cells: readonly CellResult[]): TrialNote[] {
  return cells.flatMap((cell) =>
    cell.trials.flatMap((t) => {
      const stop = t.behaviour?.stop;
      const text = stop === undefined || stop === null ? null : describeStop(stop);
      return text === null ? [] : [{ cell, trial: t.trial, text: `the bot ${text}` }];
    }),
  );
}

/** The webhook proxy's cost in one cell: totals over its trials, and medians of the per-trial figures. */
export interface WebhookFrontCostSummary {
  cell: CellResult;
  requests: number;
  badGateway: number;
  badGatewayBeforeMeasuring: number;
  /** Median over trials of the proxy's CPU time in the measured window, ms. */
  cpuMs: number | null;
  cpuUsPerRequest: number | null;
  inProxyP50Us: number | null;
  inProxyP99Us: number | null;
}

/** One entry per cell that ran behind the proxy. */
export function webhookFrontCosts(report: Report): WebhookFrontCostSummary[] {
  return report.cells.flatMap((cell) => {
    const costs = cell.trials.flatMap((t) => (t.behaviour?.webhookFront ? [t.behaviour.webhookFront] : []));
    if (costs.length === 0) return [];
    return [
      {
        cell,
        requests: costs.reduce((sum, c) => sum + c.requests, 0),
        badGateway: costs.reduce((sum, c) => sum + c.badGateway, 0),
        badGatewayBeforeMeasuring: costs.reduce((sum, c) => sum + c.badGatewayBeforeMeasuring, 0),
        cpuMs: median(costs.map((c) => c.cpuMs)),
        cpuUsPerRequest: median(costs.map((c) => c.cpuUsPerRequest)),
        inProxyP50Us: median(costs.map((c) => c.inProxyP50Us)),
        inProxyP99Us: median(costs.map((c) => c.inProxyP99Us)),
      },
    ];
  });
}
