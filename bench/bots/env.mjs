// @ts-check
/**
 * The environment contract every echo bot in bench/bots/ is configured by (docs/bot-contract.md).
 * It is read and validated once, at start-up, into a {@link BotEnv} with every default filled in.
 * A missing or bad value ends the process with exit code 2 and one stderr line that names the
 * variable and says what it must be.
 *
 * Plain JavaScript so the bots run under plain `node`: a TypeScript loader would add its own
 * thread and memory to the CPU and RSS figures the benchmark measures.
 */
import { basename } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** @typedef {"polling" | "webhook"} BotMode */

/**
 * @typedef {object} BotEnv
 * @property {string} name The bot's file name without extension; prefixes every line it prints.
 * @property {string} token `BOT_TOKEN`.
 * @property {string} apiRoot `TELEGRAM_API_ROOT`, a bare origin.
 * @property {BotMode} mode `BOT_MODE`.
 * @property {string} webhookHost `WEBHOOK_HOST`, the interface the webhook server listens on.
 * @property {number} webhookPort `WEBHOOK_PORT`; 0 lets the OS choose.
 * @property {string} webhookPath `WEBHOOK_PATH`, the only path the webhook server accepts.
 * @property {string | undefined} webhookUrl `WEBHOOK_URL`; undefined means "build it from the bound port".
 * @property {string | undefined} webhookSecret `WEBHOOK_SECRET`; undefined means no secret header is checked.
 * @property {number | undefined} webhookMaxConnections `WEBHOOK_MAX_CONNECTIONS` for setWebhook; undefined leaves Telegram's 40.
 * @property {boolean} webhookReply `WEBHOOK_REPLY=1`: send the reply in the webhook response body.
 * @property {number | undefined} pollTimeoutSeconds `POLL_TIMEOUT`; undefined keeps the framework's default.
 * @property {number} pollIntervalMs `POLL_INTERVAL_MS`, least time between the starts of two getUpdates calls.
 * @property {number} handlerDelayMs `HANDLER_DELAY_MS`, simulated work before each reply.
 */

/** Defaults of the optional variables, in one place. */
export const BOT_ENV_DEFAULTS = Object.freeze({
  webhookHost: "127.0.0.1",
  webhookPort: 0,
  webhookPath: "/webhook",
  webhookReply: false,
  pollIntervalMs: 0,
  handlerDelayMs: 0,
});

/** Exit code for a configuration error, so a harness can tell it from a crash (1). */
export const EXIT_CONFIG_ERROR = 2;

/** How long a bot may take to stop after SIGTERM/SIGINT before it gives up and exits 1. */
export const SHUTDOWN_GRACE_MS = 8_000;

/** Telegram clamps getUpdates' `timeout` to 50 s; a larger POLL_TIMEOUT would only mislead. */
const MAX_POLL_TIMEOUT_SECONDS = 50;
/** Telegram's upper bound for setWebhook's `max_connections`. */
const MAX_WEBHOOK_CONNECTIONS = 100;
const TOKEN_FORMAT = /^\d+:\S+$/;
/** Telegram's rule for `secret_token` (1–256 of A-Z, a-z, 0-9, `_`, `-`). */
const SECRET_FORMAT = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * Reads the environment contract. Exits with {@link EXIT_CONFIG_ERROR} on the first bad value.
 * @param {readonly BotMode[]} supportedModes the `BOT_MODE` values this bot implements
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {BotEnv}
 */
export function readBotEnv(supportedModes, env = process.env) {
  const name = basename(process.argv[1] ?? "bot").replace(/\.m?js$/, "");
  try {
    return { name, ...parseBotEnv(supportedModes, env) };
  } catch (error) {
    if (!(error instanceof ContractError)) throw error;
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exit(EXIT_CONFIG_ERROR);
  }
}

/** A variable of the contract is missing or malformed. */
export class ContractError extends Error {
  /** @override */
  name = "ContractError";
}

/**
 * The validation behind {@link readBotEnv}, without exiting; throws a {@link ContractError}.
 * @param {readonly BotMode[]} supportedModes
 * @param {NodeJS.ProcessEnv} env
 * @returns {Omit<BotEnv, "name">}
 */
export function parseBotEnv(supportedModes, env) {
  const mode = optional(env, "BOT_MODE");
  const modes = supportedModes.map((m) => `"${m}"`).join(" or ");
  if (mode === undefined) throw new ContractError(`BOT_MODE is not set; set it to ${modes}`);
  if (!supportedModes.some((m) => m === mode)) {
    throw new ContractError(`BOT_MODE "${mode}" is not supported by this bot; set it to ${modes}`);
  }
  const token = optional(env, "BOT_TOKEN");
  if (token === undefined || !TOKEN_FORMAT.test(token)) {
    throw new ContractError("BOT_TOKEN must be set to a token like 123456:ABC-secret");
  }
  return {
    token,
    apiRoot: readApiRoot(env),
    mode: /** @type {BotMode} */ (mode),
    webhookHost: optional(env, "WEBHOOK_HOST") ?? BOT_ENV_DEFAULTS.webhookHost,
    webhookPort: readInteger(env, "WEBHOOK_PORT", 0, 65_535) ?? BOT_ENV_DEFAULTS.webhookPort,
    webhookPath: readWebhookPath(env),
    webhookUrl: readWebhookUrl(env),
    webhookSecret: readSecret(env),
    webhookMaxConnections: readInteger(env, "WEBHOOK_MAX_CONNECTIONS", 1, MAX_WEBHOOK_CONNECTIONS),
    webhookReply: readFlag(env, "WEBHOOK_REPLY") ?? BOT_ENV_DEFAULTS.webhookReply,
    pollTimeoutSeconds: readInteger(env, "POLL_TIMEOUT", 0, MAX_POLL_TIMEOUT_SECONDS),
    pollIntervalMs: readMilliseconds(env, "POLL_INTERVAL_MS") ?? BOT_ENV_DEFAULTS.pollIntervalMs,
    handlerDelayMs: readMilliseconds(env, "HANDLER_DELAY_MS") ?? BOT_ENV_DEFAULTS.handlerDelayMs,
  };
}

/**
 * The URL the bot registers with setWebhook: `WEBHOOK_URL`, else `http://HOST:PORT/PATH` with the
 * port the server actually bound.
 * @param {BotEnv} env
 * @param {number} boundPort
 */
export function webhookUrlFor(env, boundPort) {
  if (env.webhookUrl !== undefined) return env.webhookUrl;
  const host = env.webhookHost.includes(":") ? `[${env.webhookHost}]` : env.webhookHost;
  return `http://${host}:${boundPort}${env.webhookPath}`;
}

/**
 * The options of the bot's own setWebhook call: `secret_token` and `max_connections` when set.
 * @param {BotEnv} env
 * @returns {{ secret_token?: string, max_connections?: number }}
 */
export function setWebhookOptions(env) {
  return {
    ...(env.webhookSecret === undefined ? {} : { secret_token: env.webhookSecret }),
    ...(env.webhookMaxConnections === undefined ? {} : { max_connections: env.webhookMaxConnections }),
  };
}

/**
 * Starts a server listening; resolves with the bound port.
 * @param {import("node:net").Server} server
 * @param {string} host
 * @param {number} port
 * @returns {Promise<number>}
 */
export function listen(server, host, port) {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address();
      if (address === null || typeof address === "string") reject(new Error("server is not on TCP"));
      else resolve(address.port);
    });
  });
}

/**
 * The simulated work of `HANDLER_DELAY_MS` (a timer, not CPU: it models waiting on a database).
 * @param {number} delayMs
 * @returns {Promise<void>}
 */
export async function simulateWork(delayMs) {
  if (delayMs > 0) await sleep(delayMs);
}

/**
 * `POLL_INTERVAL_MS` for frameworks that poll in a loop: await the returned function before each
 * getUpdates, and it holds the call until POLL_INTERVAL_MS after the previous one started (the
 * first goes at once). A no-op when the interval is 0.
 * @param {BotEnv} env
 * @returns {() => Promise<void>}
 */
export function pollPacer(env) {
  let lastStartMs = Number.NEGATIVE_INFINITY;
  return async () => {
    const waitMs = lastStartMs + env.pollIntervalMs - performance.now();
    if (waitMs > 0) await sleep(waitMs);
    lastStartMs = performance.now();
  };
}

/**
 * One error report on stderr, prefixed with the bot's name.
 * @param {BotEnv} env
 * @param {string} what
 * @param {unknown} error
 */
export function logError(env, what, error) {
  console.error(`${env.name}: ${what}:`, error);
}

/**
 * One informational line on stdout (not a readiness signal: harnesses must not rely on it).
 * @param {BotEnv} env
 * @param {string} line
 */
export function logInfo(env, line) {
  console.log(`${env.name}: ${line}`);
}

/**
 * On the first SIGTERM or SIGINT, runs `stop` and exits 0; exits 1 if it fails or takes longer
 * than {@link SHUTDOWN_GRACE_MS}. A second signal kills the process (the default action).
 * @param {BotEnv} env
 * @param {() => Promise<void>} stop
 */
export function stopOnSignals(env, stop) {
  /** @param {NodeJS.Signals} signal */
  const onSignal = (signal) => {
    stopRequested = true;
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
    setTimeout(() => {
      console.error(`${env.name}: did not stop within ${SHUTDOWN_GRACE_MS} ms of ${signal}`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    stop().then(
      () => process.exit(0),
      (/** @type {unknown} */ error) => {
        logError(env, `failed to stop on ${signal}`, error);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}

/** Set by the first SIGTERM/SIGINT: a failure after it is part of stopping, not a crash. */
let stopRequested = false;

/**
 * Ends the process when the bot's main task fails (an invalid token, a 409 conflict …) with exit
 * code 1, or 0 if a stop was requested (a start-up step cancelled by SIGTERM is no failure).
 * @param {BotEnv} env
 * @param {string} what
 * @returns {(error: unknown) => never}
 */
export function exitOnFailure(env, what) {
  return (error) => {
    if (stopRequested) process.exit(0);
    logError(env, what, error);
    process.exit(1);
  };
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {string} key
 * @returns {string | undefined} the value, or undefined when unset or empty
 */
function optional(env, key) {
  const value = env[key];
  return value === undefined || value === "" ? undefined : value;
}

/** @param {NodeJS.ProcessEnv} env */
function readApiRoot(env) {
  const value = optional(env, "TELEGRAM_API_ROOT");
  const hint = "a bare origin like http://127.0.0.1:8081 (no path, no trailing slash)";
  if (value === undefined) throw new ContractError(`TELEGRAM_API_ROOT is not set; set it to ${hint}`);
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new ContractError(`TELEGRAM_API_ROOT "${value}" is not a URL; set it to ${hint}`);
  }
  const bare = url.pathname === "/" && !value.endsWith("/") && url.search === "" && url.hash === "";
  if (!(url.protocol === "http:" || url.protocol === "https:") || !bare) {
    throw new ContractError(`TELEGRAM_API_ROOT "${value}" must be ${hint}`);
  }
  return value;
}

/** @param {NodeJS.ProcessEnv} env */
function readWebhookPath(env) {
  const value = optional(env, "WEBHOOK_PATH") ?? BOT_ENV_DEFAULTS.webhookPath;
  if (!value.startsWith("/") || /[?#\s]/.test(value)) {
    throw new ContractError(`WEBHOOK_PATH "${value}" must be a path starting with "/", like /webhook`);
  }
  return value;
}

/** @param {NodeJS.ProcessEnv} env */
function readWebhookUrl(env) {
  const value = optional(env, "WEBHOOK_URL");
  if (value === undefined) return undefined;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new ContractError(`WEBHOOK_URL "${value}" must be an http:// or https:// URL`);
  }
  return value;
}

/** @param {NodeJS.ProcessEnv} env */
function readSecret(env) {
  const value = optional(env, "WEBHOOK_SECRET");
  if (value !== undefined && !SECRET_FORMAT.test(value)) {
    throw new ContractError("WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -");
  }
  return value;
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {string} key
 * @returns {boolean | undefined}
 */
function readFlag(env, key) {
  const value = optional(env, key);
  if (value === undefined) return undefined;
  if (value !== "0" && value !== "1") throw new ContractError(`${key} must be 0 or 1, got "${value}"`);
  return value === "1";
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {string} key
 * @param {number} min
 * @param {number} max
 * @returns {number | undefined}
 */
function readInteger(env, key, min, max) {
  const value = optional(env, key);
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new ContractError(`${key} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return number;
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {string} key
 * @returns {number | undefined}
 */
function readMilliseconds(env, key) {
  const value = optional(env, key);
  if (value === undefined) return undefined;
  const ms = Number(value);
  if (!Number.isFinite(ms) || ms < 0) {
    throw new ContractError(`${key} must be a number of milliseconds >= 0, got "${value}"`);
  }
  return ms;
}
