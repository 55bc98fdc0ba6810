/**
 * The sentences that explain a report's figures, shared by report.md and report.html so that both
 * say the same. Markdown emphasis (`*…*`) is turned into `<em>` by the HTML renderer.
 */
import { KEPT_UP_DEFINITION } from "../results/index.ts";

/** What the latency figures are, and what the interval in brackets is. */
export const LATENCY_NOTE =
  "Latency is end to end, from each update's *intended* send time to the bot's reply reaching the fake API " +
  "(open model: a slow bot cannot hide behind a late generator); each percentile is that of all the cell's " +
  "updates (the trials' histograms merged), with its 95% confidence interval in brackets (a bootstrap over " +
  "the trials, or over the updates of a single trial).";

/** What "from actual send" is, and how it differs from the end-to-end figure. */
export const FROM_ACTUAL_SEND_NOTE =
  "*From actual send* times each update from when the harness really handed it to the fake API instead of " +
  "when it was meant to be sent: the end-to-end latency minus the generator's lateness, so the two differ " +
  "only where the generator fell behind (it is not a closed-loop figure: updates keep arriving on schedule, " +
  "so a queue in front of a slow bot counts in both).";

/** What "kept up" means: the one definition, src/results/kept-up.ts. */
export const SUSTAINED_NOTE = KEPT_UP_DEFINITION;

/** Markdown emphasis as HTML, for notes shown in report.html (the notes contain no other markup). */
export const emphasisToHtml = (escaped: string): string => escaped.replace(/\*([^*]+)\*/g, "<em>$1</em>");
