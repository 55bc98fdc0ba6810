/**
 * Why a mode has a throughput ceiling, in one sentence with its figures: the model's ceiling
 * (src/model, closed forms) for the bot, the scenario's settings and the cell's network.
 * - short polling: `limit / T`: at most `limit` updates per poll, one poll every T;
 * - long polling: `limit` per round trip: a poll brings at most `limit` updates, and the next poll
 *   goes out when the bot has handled them and the answer has travelled;
 * - webhook: `max_connections / (RTT + handler)`: Telegram keeps at most max_connections POSTs
 *   open, each for a round trip plus the bot's handling;
 * - a framework that handles one update at a time (grammY's `bot.start()`, python-telegram-bot)
 *   is bounded by that first: one reply, a round trip each, after another.
 */
import { BOT_BEHAVIOURS, isBuiltInBotName, predict } from "../model/index.ts";
import type { ModeName, ResolvedScenario } from "../results/index.ts";
import type { CellNetwork } from "./cell-network.ts";
import { modelInputFor } from "./model-input.ts";

/** getUpdates' `limit` the bots use (the Bot API's maximum and default). */
export const GET_UPDATES_LIMIT = 100;

/** A mode's ceiling and the reason for it. */
export interface Ceiling {
  /** Updates per second; Infinity when nothing modelled bounds it. */
  perSecond: number | null;
  /** `short polling's ceiling: 100 updates per poll × 1 poll per 1 s = 100 updates/s` */
  explanation: string;
}

/** The ceiling of a bot in a mode at a network distance. */
export function modeCeiling(
  scenario: ResolvedScenario,
  bot: string,
  mode: ModeName,
  network: CellNetwork,
): Ceiling {
  let perSecond: number | null = null;
  try {
    const input = modelInputFor(scenario, { bot, mode, ratePerSecond: 1, network });
    perSecond = predict(input, { simulation: false }).figures.throughputCeilingPerSecond;
  } catch {
    perSecond = null;
  }
  const value =
    perSecond === null || !Number.isFinite(perSecond)
      ? "no modelled bound"
      : `≈ ${round(perSecond)} updates/s`;
  const rtt = `${round(network.rttMs)} ms RTT`;
  const handler = `${scenario.handlerDelayMs} ms handler`;
  const behaviour = isBuiltInBotName(bot) ? BOT_BEHAVIOURS[bot] : undefined;
  const oneAtATime =
    mode === "webhook" ? behaviour?.webhookHandlerConcurrency === 1 : behaviour?.handlerConcurrency === 1;
  if (oneAtATime && mode !== "short-polling") {
    return {
      perSecond,
      explanation: `${bot} handles one update at a time in ${mode.replace("-", " ")}, each reply a round trip (${rtt}, ${handler}): ${value}`,
    };
  }
  switch (mode) {
    case "short-polling":
      return {
        perSecond,
        explanation:
          `short polling's ceiling is limit / T: ${GET_UPDATES_LIMIT} updates per poll × one poll every ${round(scenario.pollIntervalMs / 1000)} s ${value === "no modelled bound" ? "" : `= ${value}`}`.trim(),
      };
    case "long-polling":
      return {
        perSecond,
        explanation: `long polling's ceiling is limit per round trip: ${GET_UPDATES_LIMIT} updates per poll, one poll per round trip and batch handling (${rtt}, ${handler}): ${value}`,
      };
    case "webhook":
      return {
        perSecond,
        explanation: `webhook's ceiling is max_connections / (RTT + handler): ${scenario.webhookMaxConnections} connections / (${rtt} + the bot's handling): ${value}`,
      };
  }
}

const round = (value: number) =>
  value >= 100 ? String(Math.round(value)) : String(Number(value.toPrecision(2)));
