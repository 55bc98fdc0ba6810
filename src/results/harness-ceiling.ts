/**
 * The harness's own ceiling on this machine, as every `tgbench run` report carries it
 * (`Report.harnessCeiling`): how many requests per second the fake API answers against a bare
 * fastify route (autocannon, closed loop), and how many updates per second the fake API's webhook
 * pipeline (update created → queued → POSTed → reference bot → sendMessage) answers with the
 * reference bot, closed loop. A cell whose offered rate is close to that figure measured the
 * harness as much as the bot.
 */

/** Where a measured ceiling came from: this run, or a calibration of the same commit and machine. */
export type CeilingSource = "fresh" | "cached";

/** A ceiling that was measured. */
export interface MeasuredCeiling {
  status: "measured";
  source: CeilingSource;
  /** When it was measured (ISO 8601). */
  measuredAt: string;
  /** What it was measured on: the commit (or "unknown"), the host name and the CPU model. */
  commit: string;
  host: string;
  cpuModel: string;
  /** getMe through the fake API, requests per second (autocannon, closed loop). */
  fakeApiRequestsPerSecond: number;
  /** The same request to a bare fastify route answering the same JSON, requests per second. */
  bareFastifyRequestsPerSecond: number;
  /**
   * The reference bot in webhook mode through the whole fake API (created, queued, POSTed by the
   * dispatcher, answered with sendMessage), closed loop: updates answered per second, the most
   * the pipeline takes here (its highest sustained open-loop rate is at most this). Null when
   * that part could not be measured (see `referenceNote`).
   */
  referenceWebhookPerSecond: number | null;
  /** Updates outstanding in that closed loop, and for how long it ran (ms). */
  referenceInFlight: number;
  referenceDurationMs: number;
  /** Why the reference figure is missing, when it is. */
  referenceNote?: string;
  /** How long the measurement took, ms (not the cache's reading). */
  tookMs: number;
  /** Cells offered at least this share of `referenceWebhookPerSecond` are flagged. */
  nearLimitShare: number;
}

/** A ceiling that was not measured, and why (skipped with --no-calibrate, or it failed). */
export interface UnmeasuredCeiling {
  status: "not-measured";
  reason: string;
}

/** The report's `harnessCeiling`. */
export type HarnessCeiling = MeasuredCeiling | UnmeasuredCeiling;

/** The figure cells are compared with: the reference bot's webhook ceiling, updates per second. */
export function ceilingPerSecond(ceiling: HarnessCeiling | undefined): number | null {
  return ceiling?.status === "measured" ? ceiling.referenceWebhookPerSecond : null;
}

/**
 * Whether a cell offered at `ratePerSecond` ran close to the harness's limit: at or above the
 * ceiling's `nearLimitShare` of the reference bot's webhook ceiling. False when it is unknown.
 */
export function nearHarnessLimit(ratePerSecond: number, ceiling: HarnessCeiling | undefined): boolean {
  const perSecond = ceilingPerSecond(ceiling);
  if (perSecond === null || perSecond <= 0 || ceiling?.status !== "measured") return false;
  return ratePerSecond >= ceiling.nearLimitShare * perSecond;
}

/** Whether a value read from a report.json is a {@link HarnessCeiling} the renderers can show. */
export function isHarnessCeiling(value: unknown): value is HarnessCeiling {
  if (typeof value !== "object" || value === null) return false;
  const c = value as Record<string, unknown>;
  if (c.status === "not-measured") return typeof c.reason === "string";
  if (c.status !== "measured") return false;
  const numbers = [
    "fakeApiRequestsPerSecond",
    "bareFastifyRequestsPerSecond",
    "referenceInFlight",
    "referenceDurationMs",
    "nearLimitShare",
  ];
  const strings = ["source", "measuredAt", "commit", "host", "cpuModel"];
  return (
    numbers.every((k) => typeof c[k] === "number") &&
    strings.every((k) => typeof c[k] === "string") &&
    (c.referenceWebhookPerSecond === null || typeof c.referenceWebhookPerSecond === "number")
  );
}
