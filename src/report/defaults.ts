/** Every default of the report renderers, in one place. */
export const REPORT_DEFAULTS = {
  /**
   * Traffic a month's cost is shown at, updates per day (`--traffic`): a quiet bot, a busy
   * group bot, a popular public bot.
   */
  trafficPerDay: [100, 10_000, 1_000_000] as readonly number[],
} as const;

/** What a renderer may be told besides the report. */
export interface RenderOptions {
  /** Updates per day to cost a month at; default {@link REPORT_DEFAULTS.trafficPerDay}. */
  trafficPerDay?: readonly number[];
}

/** The days in an average month (365.25 / 12). */
export const DAYS_PER_MONTH = 30.4375;
