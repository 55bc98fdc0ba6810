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
  durationMs: number;
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
