// The environment contract (docs/bot-contract.md), parsed in process (env.integration.test.ts has the
// exit code of every bot when the contract is broken).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { SCENARIO_DEFAULTS } from "../../src/runner/defaults.ts";
import { BOT_ENV_DEFAULTS, type BotEnv, parseBotEnv, SHUTDOWN_GRACE_MS, webhookUrlFor } from "./env.mjs";

const BASE = {
  BOT_TOKEN: "123456789:secret",
  TELEGRAM_API_ROOT: "http://127.0.0.1:8081",
  BOT_MODE: "webhook",
};

describe("parseBotEnv", () => {
  test("fills in the documented defaults", () => {
    assert.deepEqual(parseBotEnv(["webhook"], BASE), {
      token: "123456789:secret",
      apiRoot: "http://127.0.0.1:8081",
      mode: "webhook",
      webhookHost: BOT_ENV_DEFAULTS.webhookHost,
      webhookPort: BOT_ENV_DEFAULTS.webhookPort,
      webhookPath: BOT_ENV_DEFAULTS.webhookPath,
      webhookUrl: undefined,
      webhookSecret: undefined,
      webhookMaxConnections: undefined,
      webhookReply: BOT_ENV_DEFAULTS.webhookReply,
      pollTimeoutSeconds: undefined,
      pollIntervalMs: BOT_ENV_DEFAULTS.pollIntervalMs,
      handlerDelayMs: BOT_ENV_DEFAULTS.handlerDelayMs,
    });
  });

  test("treats an empty variable as unset", () => {
    const env = parseBotEnv(["webhook"], { ...BASE, WEBHOOK_PORT: "", WEBHOOK_SECRET: "", POLL_TIMEOUT: "" });
    assert.equal(env.webhookPort, 0);
    assert.equal(env.webhookSecret, undefined);
    assert.equal(env.pollTimeoutSeconds, undefined);
  });

  test("reads every variable when set", () => {
    const env = parseBotEnv(["polling", "webhook"], {
      ...BASE,
      BOT_MODE: "polling",
      WEBHOOK_HOST: "::1",
      WEBHOOK_PORT: "8443",
      WEBHOOK_PATH: "/hook/abc",
      WEBHOOK_URL: "https://example.org/hook/abc",
      WEBHOOK_SECRET: "s3cret_-X",
      WEBHOOK_MAX_CONNECTIONS: "100",
      WEBHOOK_REPLY: "1",
      POLL_TIMEOUT: "10",
      POLL_INTERVAL_MS: "250",
      HANDLER_DELAY_MS: "2.5",
    });
    assert.deepEqual(
      [env.mode, env.webhookHost, env.webhookPort, env.webhookPath, env.webhookUrl, env.webhookSecret],
      ["polling", "::1", 8443, "/hook/abc", "https://example.org/hook/abc", "s3cret_-X"],
    );
    assert.deepEqual(
      [
        env.webhookMaxConnections,
        env.webhookReply,
        env.pollTimeoutSeconds,
        env.pollIntervalMs,
        env.handlerDelayMs,
      ],
      [100, true, 10, 250, 2.5],
    );
  });

  const rejected: [string, Record<string, string>, RegExp][] = [
    ["BOT_MODE is missing", { BOT_MODE: "" }, /BOT_MODE is not set/],
    ["BOT_MODE is a mode the bot does not implement", { BOT_MODE: "polling" }, /"polling" is not supported/],
    ["BOT_TOKEN is missing", { BOT_TOKEN: "" }, /BOT_TOKEN/],
    ["BOT_TOKEN has no colon", { BOT_TOKEN: "123456789" }, /BOT_TOKEN/],
    ["TELEGRAM_API_ROOT is missing", { TELEGRAM_API_ROOT: "" }, /TELEGRAM_API_ROOT is not set/],
    ["TELEGRAM_API_ROOT ends with a slash", { TELEGRAM_API_ROOT: "http://127.0.0.1:8081/" }, /bare origin/],
    ["TELEGRAM_API_ROOT has a path", { TELEGRAM_API_ROOT: "http://127.0.0.1:8081/bot" }, /bare origin/],
    ["WEBHOOK_PORT is out of range", { WEBHOOK_PORT: "70000" }, /WEBHOOK_PORT/],
    ["WEBHOOK_PATH lacks its leading slash", { WEBHOOK_PATH: "webhook" }, /WEBHOOK_PATH/],
    ["WEBHOOK_URL is not http(s)", { WEBHOOK_URL: "ftp://127.0.0.1/x" }, /WEBHOOK_URL/],
    ["WEBHOOK_SECRET has a space", { WEBHOOK_SECRET: "a b" }, /WEBHOOK_SECRET/],
    ["WEBHOOK_MAX_CONNECTIONS is 0", { WEBHOOK_MAX_CONNECTIONS: "0" }, /WEBHOOK_MAX_CONNECTIONS/],
    [
      "WEBHOOK_MAX_CONNECTIONS exceeds Telegram's 100",
      { WEBHOOK_MAX_CONNECTIONS: "101" },
      /WEBHOOK_MAX_CONNECTIONS/,
    ],
    ["WEBHOOK_REPLY is neither 0 nor 1", { WEBHOOK_REPLY: "yes" }, /WEBHOOK_REPLY must be 0 or 1/],
    ["POLL_TIMEOUT exceeds Telegram's 50 s", { POLL_TIMEOUT: "60" }, /POLL_TIMEOUT/],
    ["POLL_INTERVAL_MS is not a number", { POLL_INTERVAL_MS: "soon" }, /POLL_INTERVAL_MS/],
    ["HANDLER_DELAY_MS is negative", { HANDLER_DELAY_MS: "-1" }, /HANDLER_DELAY_MS/],
  ];
  for (const [when, overrides, message] of rejected) {
    test(`rejects the environment when ${when}`, () => {
      assert.throws(() => parseBotEnv(["webhook"], { ...BASE, ...overrides }), {
        name: "ContractError",
        message,
      });
    });
  }
});

describe("webhookUrlFor", () => {
  const env: BotEnv = { name: "test", ...parseBotEnv(["webhook"], BASE) };

  test("builds http://HOST:PORT/PATH from the port the server bound", () => {
    assert.equal(webhookUrlFor(env, 4321), "http://127.0.0.1:4321/webhook");
  });

  test("puts an IPv6 host in brackets", () => {
    assert.equal(webhookUrlFor({ ...env, webhookHost: "::1" }, 4321), "http://[::1]:4321/webhook");
  });

  test("prefers WEBHOOK_URL as given", () => {
    assert.equal(
      webhookUrlFor({ ...env, webhookUrl: "https://example.org/h" }, 4321),
      "https://example.org/h",
    );
  });
});

describe("stopping", () => {
  test("tgbench waits longer after SIGTERM than a bot's own shutdown watchdog, as docs/bot-contract.md says", () => {
    const pythonGraceSeconds = Number(
      /SHUTDOWN_GRACE_SECONDS = ([\d.]+)/.exec(
        readFileSync(new URL("./python/contract.py", import.meta.url), "utf8"),
      )?.[1],
    );
    assert.equal(pythonGraceSeconds * 1000, SHUTDOWN_GRACE_MS, "the Node and Python bots agree");
    assert.ok(SCENARIO_DEFAULTS.stopGraceMs > SHUTDOWN_GRACE_MS);
    const contract = readFileSync(new URL("../../docs/bot-contract.md", import.meta.url), "utf8");
    assert.match(contract, new RegExp(`exits? 0 on SIGTERM within ${SHUTDOWN_GRACE_MS / 1000} s`));
    assert.match(contract, new RegExp(`waits ${SCENARIO_DEFAULTS.stopGraceMs / 1000} s`));
  });
});
