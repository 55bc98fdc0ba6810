import type { ModeName } from "../results/index.ts";
import type { BotMode } from "../subjects/registry.ts";

export type { ModeName };

/** What a mode needs from a cell to configure the bot. */
export interface ModeSettings {
  pollIntervalMs: number;
  /** null: the framework's own default. */
  pollTimeoutSeconds: number | null;
  webhookMaxConnections: number;
  webhookReply: boolean;
}

export interface ModeDefinition {
  readonly name: ModeName;
  readonly description: string;
  /** BOT_MODE for the environment contract. */
  readonly botMode: BotMode;
  /** Mode-specific variables of the environment contract. */
  env(settings: ModeSettings): Record<string, string>;
}

/** Registry of modes; the CLI's `--mode` choices come from its keys. */
export const MODES: Record<ModeName, ModeDefinition> = {
  "short-polling": {
    name: "short-polling",
    description: "getUpdates with timeout 0 every POLL_INTERVAL_MS",
    botMode: "polling",
    env: (s) => ({ BOT_MODE: "polling", POLL_TIMEOUT: "0", POLL_INTERVAL_MS: String(s.pollIntervalMs) }),
  },
  "long-polling": {
    name: "long-polling",
    description: "getUpdates held by the server until an update arrives or the timeout ends",
    botMode: "polling",
    env: (s) => ({
      BOT_MODE: "polling",
      ...(s.pollTimeoutSeconds === null ? {} : { POLL_TIMEOUT: String(s.pollTimeoutSeconds) }),
    }),
  },
  webhook: {
    name: "webhook",
    description: "Telegram POSTs each update to the bot's HTTP server",
    botMode: "webhook",
    env: (s) => ({
      BOT_MODE: "webhook",
      WEBHOOK_MAX_CONNECTIONS: String(s.webhookMaxConnections),
      WEBHOOK_REPLY: s.webhookReply ? "1" : "0",
    }),
  },
};

export const MODE_NAMES = Object.keys(MODES) as ModeName[];

export const isModeName = (name: string): name is ModeName => Object.hasOwn(MODES, name);
