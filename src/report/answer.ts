/**
 * The answer to "polling or webhook for my bot?", per bot under test: at each rate and network
 * distance of the run, what the bot's polling mode and webhook cost in requests, how fast each
 * answered, and which could not keep up. Every figure of one finding comes from the same two cells
 * (one bot, one rate, one network); a difference is called one only when {@link TestFamily} finds
 * it significant after Holm's correction over every test of the report.
 */

import { predict } from "../model/index.ts";
import type { ModeName, Report } from "../results/index.ts";
import { cellKeptUp, fellBehindBecause, pooledTrials } from "../results/index.ts";
import { type Ceiling, modeCeiling } from "./ceilings.ts";
import { type CellNetwork, cellNetwork } from "./cell-network.ts";
import { type CellSummary, summarizeCell } from "./cell-summary.ts";
import { cellEvidence } from "./evidence.ts";
import { modelInputFor, settingsPollTimeout } from "./model-input.ts";
import { latencyTest, type PendingTest, rateTest, TestFamily } from "./significance.ts";

/** The modes in the order reports list them. */
export const MODE_ORDER: readonly ModeName[] = ["short-polling", "long-polling", "webhook"];

/** A figure and where it came from. */
export interface SourcedFigure {
  value: number | null;
  /** `measured`: from the cell, with enough samples; `model`: too few samples, the model's figure. */
  source: "measured" | "model";
}

/** A mode that did not keep up, and why it cannot. */
export interface FellBehind {
  mode: ModeName;
  why: string;
  ceiling: Ceiling;
}

/** What one bot showed at one rate and network: its polling mode against webhook (or the two polling modes). */
export interface Finding {
  bot: string;
  ratePerSecond: number;
  network: CellNetwork;
  /** The two modes compared (the first a polling mode); one when only one was measured. */
  modes: ModeName[];
  cells: Partial<Record<ModeName, CellSummary>>;
  requestsPerHour: Partial<Record<ModeName, SourcedFigure>>;
  requestsTest: PendingTest | null;
  /** p50 end to end, µs, measured; null with too few updates (then `modelP50Us` has the model's). */
  p50Us: Partial<Record<ModeName, number | null>>;
  modelP50Us: Partial<Record<ModeName, number | null>>;
  updates: Partial<Record<ModeName, number>>;
  latencyTest: PendingTest | null;
  fellBehind: FellBehind[];
}

/** One bot's findings, lowest rate and nearest network first. */
export interface BotAnswer {
  bot: string;
  framework: string;
  findings: Finding[];
}

/** Every bot's answer, with the family of tests that decided what is significant. */
export interface Answer {
  bots: BotAnswer[];
  family: TestFamily;
}

/** Computes the answer of a report. Pure. */
export function computeAnswer(report: Report): Answer {
  const family = new TestFamily();
  // A cell whose trials ran but where nothing arrived (an idle rate) is part of the answer too:
  // its figures are the model's, marked so.
  const measured = report.cells
    .map(summarizeCell)
    .filter((s) => s.status === "measured" || s.status === "no-data");
  const bots = [...new Set(report.cells.map((c) => c.bot))];
  const answers = bots.map((bot): BotAnswer => {
    const own = measured.filter((s) => s.cell.bot === bot);
    const points = new Map<string, CellSummary[]>();
    for (const s of own) {
      const key = `${s.cell.ratePerSecond}\u0000${cellNetwork(s.cell).name}`;
      points.set(key, [...(points.get(key) ?? []), s]);
    }
    const findings = [...points.values()]
      .map((cells) => finding(report, family, cells))
      .sort((a, b) => a.ratePerSecond - b.ratePerSecond || a.network.rttMs - b.network.rttMs);
    const framework = report.cells.find((c) => c.bot === bot)?.framework ?? bot;
    return { bot, framework, findings };
  });
  family.settle();
  return { bots: answers, family };
}

/** The modes a finding compares: a polling mode (long polling first) against webhook. */
function comparedModes(present: readonly ModeName[]): ModeName[] {
  const polling = present.includes("long-polling")
    ? "long-polling"
    : present.includes("short-polling")
      ? "short-polling"
      : null;
  if (polling !== null && present.includes("webhook")) return [polling, "webhook"];
  if (present.includes("short-polling") && present.includes("long-polling"))
    return ["short-polling", "long-polling"];
  return present.slice(0, 1);
}

function finding(report: Report, family: TestFamily, cells: readonly CellSummary[]): Finding {
  const first = cells[0]!.cell;
  const network = cellNetwork(first);
  const byMode = Object.fromEntries(cells.map((s) => [s.cell.mode, s])) as Partial<
    Record<ModeName, CellSummary>
  >;
  const present = MODE_ORDER.filter((m) => byMode[m] !== undefined);
  const modes = comparedModes(present);
  const f: Finding = {
    bot: first.bot,
    ratePerSecond: first.ratePerSecond,
    network,
    modes,
    cells: byMode,
    requestsPerHour: {},
    requestsTest: null,
    p50Us: {},
    modelP50Us: {},
    updates: {},
    latencyTest: null,
    fellBehind: [],
  };
  for (const mode of modes) {
    const s = byMode[mode]!;
    const e = cellEvidence(s);
    // The model's figures stand in only where the cell measured too little.
    const model =
      e.requestsEnough && e.latencyEnough
        ? { requestsPerHour: null, p50Us: null }
        : modelFigures(report, s, network);
    f.requestsPerHour[mode] = e.requestsEnough
      ? { value: (e.requests / e.windowMs) * 3_600_000, source: "measured" }
      : { value: model.requestsPerHour, source: "model" };
    f.p50Us[mode] = e.latencyEnough ? s.latency.p50Us : null;
    f.modelP50Us[mode] = model.p50Us;
    f.updates[mode] = e.updates;
  }
  if (modes.length === 2) {
    const [a, b] = [byMode[modes[0]!]!, byMode[modes[1]!]!];
    const [ea, eb] = [cellEvidence(a), cellEvidence(b)];
    if (ea.requestsEnough && eb.requestsEnough) {
      f.requestsTest = rateTest(
        family,
        { count: ea.requests, windowMs: ea.windowMs },
        { count: eb.requests, windowMs: eb.windowMs },
      );
    }
    f.latencyTest = latencyTest(family, a, b);
  }
  for (const mode of present) {
    const s = byMode[mode]!;
    if (cellKeptUp(s.cell) !== false) continue;
    const why =
      pooledTrials(s.cell.trials)
        .map(fellBehindBecause)
        .find((w) => w !== null) ?? "";
    f.fellBehind.push({ mode, why, ceiling: modeCeiling(report.scenario, first.bot, mode, network) });
  }
  return f;
}

function modelFigures(
  report: Report,
  s: CellSummary,
  network: CellNetwork,
): { requestsPerHour: number | null; p50Us: number | null } {
  try {
    const input = modelInputFor(report.scenario, {
      bot: s.cell.bot,
      mode: s.cell.mode,
      ratePerSecond: s.cell.ratePerSecond,
      network,
      pollTimeoutSeconds: settingsPollTimeout(s.cell.settings),
    });
    // The steady state: closed forms where exact, else the model's simulation (a framework that
    // handles one update at a time across a network has no closed form).
    let figures = predict(input, { simulation: false }).figures;
    if (figures.requestsPerHour === null || figures.endToEndMs.p50Ms === null)
      figures = predict(input).figures;
    // Offered at or past the ceiling, the queue grows without end: no steady-state latency.
    const ceiling = figures.throughputCeilingPerSecond;
    const overloaded = ceiling !== null && s.cell.ratePerSecond >= ceiling;
    const p50Ms = overloaded ? null : figures.endToEndMs.p50Ms;
    return { requestsPerHour: figures.requestsPerHour, p50Us: p50Ms === null ? null : p50Ms * 1000 };
  } catch {
    return { requestsPerHour: null, p50Us: null };
  }
}
