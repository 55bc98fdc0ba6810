import type { Report } from "../results/index.ts";

/** report.json: the whole report, versioned by `schema`. Pure. */
export const renderJson = (report: Report): string => `${JSON.stringify(report, null, 2)}\n`;
