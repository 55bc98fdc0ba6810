import type { ArrivalProcessName } from "../generator/index.ts";
import type { NetworkProfile } from "../network/index.ts";
import type { BotMode, BuiltInSubject } from "../subjects/registry.ts";
import type { ModeName } from "./mode-name.ts";

/** One bot under test as a run saw it (and as report.json stores it). */
export interface SubjectRef {
  name: string;
  /** The registry entry of a built-in bot; undefined for `--bot-command`. */
  builtIn: BuiltInSubject | undefined;
  command: string | undefined;
  modes: readonly BotMode[];
}

/**
 * What stands between the fake API's webhook dispatcher and a webhook bot: nothing (`direct`, as
 * with telegram-bot-api), or a reverse proxy tgbench runs on loopback (`proxy`, as nginx or a load
 * balancer does in production).
 */
export type WebhookFront = "direct" | "proxy";

/**
 * A scenario with every option resolved (src/runner/scenario.ts resolves it once), stored in every
 * report so that a result says exactly what was run.
 */
export interface ResolvedScenario {
  name: string;
  description: string;
  subjects: SubjectRef[];
  modes: ModeName[];
  ratesPerSecond: number[];
  /** The networks of the sweep (src/network/), each a cell of its own; `[loopback]` by default. */
  networks: NetworkProfile[];
  arrival: ArrivalProcessName;
  timelineMs: number[] | null;
  /** Every cell's measured length, ms, unless {@link cellDuration} sizes each cell to its rate. */
  durationMs: number;
  /**
   * Each cell's measured length sized to its rate ({@link cellDurationMs}); null or absent: every
   * cell runs {@link durationMs}.
   */
  cellDuration?: CellDurationRule | null;
  /** Cells of the sweep that are not run (absent in older reports: none). */
  excludedCells?: CellFilter[];
  /**
   * Cells at or below a rate that run several at a time (bots that mostly wait); null or absent:
   * one cell at a time.
   */
  concurrency?: CellConcurrency | null;
  maxUpdates: number | null;
  warmupUpdates: number;
  trials: number;
  seed: string | number;
  pollIntervalMs: number;
  pollTimeoutSeconds: number | null;
  webhookMaxConnections: number;
  webhookReply: boolean;
  handlerDelayMs: number;
  antiBusyLoop: boolean;
  drainTimeoutMs: number;
  startupTimeoutMs: number;
  /** What is in front of a webhook bot (absent in reports before the option existed: `direct`). */
  webhookFront?: WebhookFront;
  /** How long a bot may take to exit after SIGTERM before it is killed, ms (absent in older reports). */
  stopGraceMs?: number;
  users: number;
  groups: number;
  /** Shares of the update kinds (normalised: they sum to 1). */
  mix: { text: number; command: number; callback: number };
}

/**
 * A cell's measured length sized to its rate: long enough for `updatesPerCell` updates at the
 * cell's rate, at least `minMs`. A rate that would need more than `maxMs` (an idle bot) runs
 * `minMs`: its latency and request rates are the model's either way, so a longer window buys
 * nothing the report states.
 */
export interface CellDurationRule {
  updatesPerCell: number;
  minMs: number;
  maxMs: number;
}

/** Cells of a sweep picked by what they have: every field given must match (an absent one matches all). */
export interface CellFilter {
  bots?: string[];
  modes?: ModeName[];
  ratesPerSecond?: number[];
  /** Network names (`loopback`, `continent`, `rtt-20ms` …). */
  networks?: string[];
}

/** Cells at or below `maxRatePerSecond` run up to `cells` at a time. */
export interface CellConcurrency {
  maxRatePerSecond: number;
  cells: number;
}

/** The measured length of a cell at `ratePerSecond`, ms: the scenario's rule, else its duration. */
export function cellDurationMs(
  scenario: Pick<ResolvedScenario, "durationMs" | "cellDuration">,
  ratePerSecond: number,
): number {
  const rule = scenario.cellDuration;
  if (rule == null) return scenario.durationMs;
  const neededMs = (rule.updatesPerCell / ratePerSecond) * 1000;
  if (neededMs > rule.maxMs) return rule.minMs;
  // Whole tenths of a second, so reports and the progress line show round figures.
  return Math.max(rule.minMs, Math.ceil(neededMs / 100) * 100);
}

/** Whether a cell is left out of the sweep by one of the scenario's filters. */
export function cellExcluded(
  scenario: Pick<ResolvedScenario, "excludedCells">,
  cell: { bot: string; mode: ModeName; ratePerSecond: number; network: string },
): boolean {
  return (scenario.excludedCells ?? []).some(
    (f) =>
      (f.bots === undefined || f.bots.includes(cell.bot)) &&
      (f.modes === undefined || f.modes.includes(cell.mode)) &&
      (f.ratesPerSecond === undefined || f.ratesPerSecond.includes(cell.ratePerSecond)) &&
      (f.networks === undefined || f.networks.includes(cell.network)),
  );
}

/** How many cells a scenario's sweep runs (the excluded ones left out). */
export function plannedCellCount(scenario: ResolvedScenario): number {
  let count = 0;
  for (const subject of scenario.subjects)
    for (const mode of scenario.modes)
      for (const ratePerSecond of scenario.ratesPerSecond)
        for (const network of scenario.networks)
          if (!cellExcluded(scenario, { bot: subject.name, mode, ratePerSecond, network: network.name }))
            count++;
  return count;
}
