import { readFileSync } from "node:fs";
import {
  ARRIVAL_PROCESSES,
  type ArrivalProcessName,
  type ArrivalSpec,
  parseTimeline,
  resolveContentOptions,
  resolvePopulationOptions,
  type TrafficOptions,
} from "../generator/index.ts";
import {
  NetworkOptionError,
  type NetworkOptions,
  type NetworkProfile,
  resolveNetworkProfiles,
} from "../network/index.ts";
import {
  type CellConcurrency,
  type CellDurationRule,
  type CellFilter,
  cellExcluded,
  type ResolvedScenario,
  type SubjectRef,
  type WebhookFront,
} from "../results/index.ts";
import { CustomBotError, parseBotCommands } from "../subjects/custom-bot.ts";
import { BUILT_IN_SUBJECTS, type BuiltInSubject, isBuiltInSubject } from "../subjects/registry.ts";
import { SCENARIO_DEFAULTS, SCENARIO_LIMITS } from "./defaults.ts";
import { isModeName, MODE_NAMES, type ModeName } from "./modes.ts";

/**
 * A scenario: which bots, in which modes, at which rates, for how long, and with what traffic.
 * Every option is optional; {@link resolveScenario} applies {@link SCENARIO_DEFAULTS} once and
 * checks everything, and the resolved scenario is stored in every result.
 */
export interface ScenarioOptions {
  name?: string;
  description?: string;
  /**
   * Built-in bots to measure (see `tgbench run --help`). Default: the reference bot, unless
   * `botCommands` are given, which then run alone.
   */
  bots?: readonly string[];
  /**
   * Any other bots, beside the built-in ones: shell commands configured by the environment
   * contract, each `label[:modes]=command` (src/subjects/custom-bot.ts), e.g.
   * `mybot:polling=python3 my_bot.py`.
   */
  botCommands?: readonly string[];
  modes?: readonly string[];
  ratesPerSecond?: readonly number[];
  /**
   * The networks between the bot and the fake API (`--network`, `--rtt-ms`, `--jitter-ms`,
   * `--loss-percent`, `--bandwidth-mbit`, `--no-https`): each network is a cell of its own.
   * Default: loopback, nothing added (src/network/options.ts).
   */
  network?: NetworkOptions;
  /** Arrival process: constant, poisson, burst, ramp, replay. */
  arrival?: string;
  /** replay: a file with one relative timestamp (ms) per line. */
  timelineFile?: string;
  /**
   * Measured length of each trial (the schedule), ms: every cell's, and then `cellDuration` is not
   * used (`--duration` sets it).
   */
  durationMs?: number;
  /**
   * Size each cell's measured length to its rate instead (src/results/scenario-record.ts,
   * cellDurationMs): `updatesPerCell` updates, at least `minMs`; a rate that would need more than
   * `maxMs` runs `minMs`. Not used when `durationMs` is given.
   */
  cellDuration?: CellDurationRule;
  /** Cells of the sweep not to run: each filter names bots, modes, rates and/or networks (all must match). */
  excludeCells?: readonly CellFilter[];
  /**
   * Run the cells at or below `maxRatePerSecond` up to `cells` at a time (default: one cell at a
   * time). For bots that mostly wait: their polls and requests follow the clock, not the CPU.
   */
  concurrency?: CellConcurrency;
  /** Stop after this many updates instead (or as well). */
  maxUpdates?: number;
  /** Updates sent and answered before measuring starts (not measured). */
  warmupUpdates?: number;
  trials?: number;
  seed?: string | number;
  pollIntervalMs?: number;
  /** Long polling timeout; default: the framework's own. */
  pollTimeoutSeconds?: number;
  webhookMaxConnections?: number;
  webhookReply?: boolean;
  handlerDelayMs?: number;
  antiBusyLoop?: boolean;
  drainTimeoutMs?: number;
  /** How long a bot may take to be ready, and to answer its warm-up, ms. */
  startupTimeoutMs?: number;
  /** SIGTERM → SIGKILL grace when a bot is stopped, ms. */
  stopGraceMs?: number;
  /** What stands in front of a webhook bot: nothing (`direct`) or tgbench's reverse proxy (`proxy`). */
  webhookFront?: string;
  users?: number;
  groups?: number;
  mix?: { text?: number; command?: number; callback?: number };
}

export type { ResolvedScenario, SubjectRef };

/** One cell of the sweep: a bot, a mode, a rate, a network. */
export interface Cell {
  subject: SubjectRef;
  mode: ModeName;
  ratePerSecond: number;
  network: NetworkProfile;
}

/** A scenario option that cannot be used; the message says which and why. */
export class ScenarioError extends Error {
  override readonly name = "ScenarioError";
}

export function resolveScenario(options: ScenarioOptions): ResolvedScenario {
  const d = SCENARIO_DEFAULTS;
  const modes = [...(options.modes ?? d.modes)];
  for (const mode of modes) {
    if (!isModeName(mode))
      throw new ScenarioError(`unknown mode "${mode}"; choose from ${MODE_NAMES.join(", ")}`);
  }
  const arrival = options.arrival ?? d.arrival;
  if (!Object.hasOwn(ARRIVAL_PROCESSES, arrival)) {
    throw new ScenarioError(
      `unknown arrival process "${arrival}"; choose from ${Object.keys(ARRIVAL_PROCESSES).join(", ")}`,
    );
  }
  const ratesPerSecond = [...(options.ratesPerSecond ?? d.ratesPerSecond)];
  for (const rate of ratesPerSecond) {
    positive("rate", rate, SCENARIO_LIMITS.maxRatePerSecond);
  }
  const resolved: ResolvedScenario = {
    name: options.name ?? d.name,
    description: options.description ?? "",
    subjects: resolveSubjects(options),
    modes: modes as ModeName[],
    ratesPerSecond,
    networks: resolveNetworks(options.network),
    arrival: arrival as ArrivalProcessName,
    timelineMs: arrival === "replay" ? readTimeline(options.timelineFile) : null,
    durationMs: positive("duration (ms)", options.durationMs ?? d.durationMs, SCENARIO_LIMITS.maxDurationMs),
    // A duration given is every cell's (the command line's --duration overrides a scenario's rule).
    cellDuration:
      options.durationMs === undefined && options.cellDuration !== undefined
        ? resolveCellDuration(options.cellDuration)
        : null,
    excludedCells: (options.excludeCells ?? []).map(resolveFilter),
    concurrency: options.concurrency === undefined ? null : resolveConcurrency(options.concurrency),
    maxUpdates:
      options.maxUpdates === undefined
        ? null
        : integer("max updates", options.maxUpdates, 1, SCENARIO_LIMITS.maxUpdatesPerCell),
    warmupUpdates: integer("warm-up updates", options.warmupUpdates ?? d.warmupUpdates, 0, 10_000),
    trials: integer("trials", options.trials ?? d.trials, 1, SCENARIO_LIMITS.maxTrials),
    seed: options.seed ?? d.seed,
    pollIntervalMs: positive("poll interval (ms)", options.pollIntervalMs ?? d.pollIntervalMs, 3_600_000),
    pollTimeoutSeconds:
      options.pollTimeoutSeconds === undefined
        ? null
        : integer("poll timeout", options.pollTimeoutSeconds, 0, 50),
    webhookMaxConnections: integer(
      "max connections",
      options.webhookMaxConnections ?? d.webhookMaxConnections,
      1,
      100,
    ),
    webhookReply: options.webhookReply ?? d.webhookReply,
    handlerDelayMs: integer("handler delay", options.handlerDelayMs ?? d.handlerDelayMs, 0, 600_000),
    antiBusyLoop: options.antiBusyLoop ?? d.antiBusyLoop,
    drainTimeoutMs: integer("drain timeout", options.drainTimeoutMs ?? d.drainTimeoutMs, 0, 600_000),
    startupTimeoutMs: integer(
      "start-up timeout (ms)",
      options.startupTimeoutMs ?? d.startupTimeoutMs,
      100,
      600_000,
    ),
    stopGraceMs: integer("stop grace (ms)", options.stopGraceMs ?? d.stopGraceMs, 0, 600_000),
    webhookFront: resolveWebhookFront(options.webhookFront ?? d.webhookFront),
    ...resolvePopulation(options),
    mix: resolveMix(options.mix),
  };
  return resolved;
}

/**
 * The cells of the sweep, in run order: bot, then mode, then rate, then network; the scenario's
 * excluded cells left out.
 */
export function cellsOf(scenario: ResolvedScenario): Cell[] {
  return scenario.subjects
    .flatMap((subject) =>
      scenario.modes.flatMap((mode) =>
        scenario.ratesPerSecond.flatMap((ratePerSecond) =>
          scenario.networks.map((network) => ({ subject, mode, ratePerSecond, network })),
        ),
      ),
    )
    .filter(
      (c) =>
        !cellExcluded(scenario, {
          bot: c.subject.name,
          mode: c.mode,
          ratePerSecond: c.ratePerSecond,
          network: c.network.name,
        }),
    );
}

function resolveCellDuration(rule: CellDurationRule): CellDurationRule {
  const max = SCENARIO_LIMITS.maxDurationMs;
  const resolved = {
    updatesPerCell: integer("updates per cell", rule.updatesPerCell, 1, SCENARIO_LIMITS.maxUpdatesPerCell),
    minMs: positive("shortest cell (ms)", rule.minMs, max),
    maxMs: positive("longest cell (ms)", rule.maxMs, max),
  };
  if (resolved.minMs > resolved.maxMs)
    throw new ScenarioError(`shortest cell (${rule.minMs} ms) is longer than the longest (${rule.maxMs} ms)`);
  return resolved;
}

function resolveFilter(filter: CellFilter): CellFilter {
  for (const mode of filter.modes ?? []) {
    if (!isModeName(mode))
      throw new ScenarioError(`unknown mode "${mode}" in excludeCells; choose from ${MODE_NAMES.join(", ")}`);
  }
  const resolved: CellFilter = {};
  if (filter.bots !== undefined) resolved.bots = [...filter.bots];
  if (filter.modes !== undefined) resolved.modes = [...filter.modes];
  if (filter.ratesPerSecond !== undefined) resolved.ratesPerSecond = [...filter.ratesPerSecond];
  if (filter.networks !== undefined) resolved.networks = [...filter.networks];
  return resolved;
}

function resolveConcurrency(concurrency: CellConcurrency): CellConcurrency {
  return {
    maxRatePerSecond: positive(
      "concurrent cells' rate",
      concurrency.maxRatePerSecond,
      SCENARIO_LIMITS.maxRatePerSecond,
    ),
    cells: integer("concurrent cells", concurrency.cells, 1, SCENARIO_LIMITS.maxConcurrentCells),
  };
}

/** The network options, resolved once (a bad value is a usage error before any bot starts). */
function resolveNetworks(options: NetworkOptions | undefined): NetworkProfile[] {
  try {
    return resolveNetworkProfiles(options);
  } catch (error: unknown) {
    if (error instanceof NetworkOptionError) throw new ScenarioError(error.message);
    throw error;
  }
}

/** The generator's traffic options for one cell (the rate is the cell's). */
export function trafficFor(
  scenario: ResolvedScenario,
  ratePerSecond: number,
  durationMs: number,
  maxCount?: number,
): TrafficOptions {
  const bounds = { durationMs, ...(maxCount === undefined ? {} : { maxCount }) };
  let arrivals: ArrivalSpec;
  switch (scenario.arrival) {
    case "replay":
      arrivals = { process: "replay", timelineMs: scenario.timelineMs ?? [], ...bounds };
      break;
    case "ramp":
      arrivals = { process: "ramp", fromRatePerSecond: 0, toRatePerSecond: ratePerSecond, ...bounds };
      break;
    default:
      arrivals = { process: scenario.arrival, ratePerSecond, ...bounds };
  }
  return {
    arrivals,
    population: { users: scenario.users, groups: scenario.groups },
    mix: scenario.mix,
  };
}

/** The fronts a webhook bot can have. */
export const WEBHOOK_FRONTS: readonly WebhookFront[] = ["direct", "proxy"];

function resolveWebhookFront(front: string): WebhookFront {
  if (!(WEBHOOK_FRONTS as readonly string[]).includes(front))
    throw new ScenarioError(`unknown webhook front "${front}"; choose from ${WEBHOOK_FRONTS.join(", ")}`);
  return front as WebhookFront;
}

/** The built-in bots, then the `--bot-command` ones, in the order given. */
function resolveSubjects(options: ScenarioOptions): SubjectRef[] {
  const commands = options.botCommands ?? [];
  const names = options.bots ?? (commands.length > 0 ? [] : SCENARIO_DEFAULTS.bots);
  if (names.length === 0 && commands.length === 0) throw new ScenarioError("no bot selected");
  const builtIn = names.map((name): SubjectRef => {
    if (!isBuiltInSubject(name)) {
      throw new ScenarioError(
        `unknown bot "${name}"; choose from ${Object.keys(BUILT_IN_SUBJECTS).join(", ")} or use --bot-command`,
      );
    }
    const entry: BuiltInSubject = BUILT_IN_SUBJECTS[name]!;
    return {
      name,
      builtIn: entry,
      command: undefined,
      modes: Object.keys(entry.scripts) as ("polling" | "webhook")[],
    };
  });
  if (new Set(names).size !== names.length) throw new ScenarioError("a bot is named twice in --bot");
  try {
    const custom = parseBotCommands(commands, Object.keys(BUILT_IN_SUBJECTS)).map(
      (spec): SubjectRef => ({
        name: spec.label,
        builtIn: undefined,
        command: spec.command,
        modes: spec.modes,
      }),
    );
    return [...builtIn, ...custom];
  } catch (error: unknown) {
    if (error instanceof CustomBotError) throw new ScenarioError(error.message);
    throw error;
  }
}

/**
 * Users and groups: the generator's defaults and rules (checked here, once, at the boundary, so a
 * bad value is a usage error before any bot starts), within the run's limits.
 */
function resolvePopulation(options: ScenarioOptions): Pick<ResolvedScenario, "users" | "groups"> {
  const { users, groups } = generatorRules(() =>
    resolvePopulationOptions({ users: options.users, groups: options.groups }),
  );
  if (users > SCENARIO_LIMITS.maxUsers)
    throw new ScenarioError(`users must be at most ${SCENARIO_LIMITS.maxUsers}, got ${users}`);
  if (groups > SCENARIO_LIMITS.maxGroups)
    throw new ScenarioError(`groups must be at most ${SCENARIO_LIMITS.maxGroups}, got ${groups}`);
  return { users, groups };
}

/** The mix as shares: the generator's default and rules. */
function resolveMix(mix: ScenarioOptions["mix"]): ResolvedScenario["mix"] {
  return { ...generatorRules(() => resolveContentOptions({ mix })).mix };
}

/** Runs a generator resolver, turning its RangeError (which names the option) into a usage error. */
function generatorRules<T>(resolve: () => T): T {
  try {
    return resolve();
  } catch (error: unknown) {
    if (error instanceof RangeError) throw new ScenarioError(error.message);
    throw error;
  }
}

function readTimeline(file: string | undefined): number[] {
  if (file === undefined) throw new ScenarioError("arrival replay needs --timeline <file>");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error: unknown) {
    throw new ScenarioError(`cannot read timeline ${file}: ${(error as Error).message}`);
  }
  try {
    return parseTimeline(text);
  } catch (error: unknown) {
    throw new ScenarioError(`timeline ${file}: ${(error as Error).message}`);
  }
}

function positive(what: string, value: number, max: number): number {
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    throw new ScenarioError(`${what} must be a number in (0, ${max}], got ${value}`);
  }
  return value;
}

function integer(what: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ScenarioError(`${what} must be an integer in ${min}..${max}, got ${value}`);
  }
  return value;
}
