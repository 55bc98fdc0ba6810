/**
 * uPlot's script and style sheet, read from node_modules when a report is rendered and inlined in
 * report.html, so the page stays one file that opens offline. uPlot (MIT, ~50 KiB minified) is a
 * small, well-kept canvas chart library: hover values in its legend, series switched on and off
 * from the legend, log axes.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

let cached: { script: string; css: string } | null = null;

/** The minified IIFE build (defines `uPlot`) and its CSS. */
export function uplotAssets(): { script: string; css: string } {
  if (cached !== null) return cached;
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve("uplot/dist/uPlot.iife.min.js"));
  cached = {
    script: readFileSync(join(dist, "uPlot.iife.min.js"), "utf8"),
    css: readFileSync(join(dist, "uPlot.min.css"), "utf8"),
  };
  return cached;
}
