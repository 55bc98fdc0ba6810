/**
 * The grid of `npm run bench:model` (issue 12): short polling over λT from 0.05 to 3 at
 * T = 0.1, 0.3 and 1 s, long polling at τ = 2, 5 and 30 s, Telegram's anti-busy-loop rule on and
 * off, round trips of 0, 20 and 160 ms, and webhooks with max_connections 1 and 40 and a 50 ms
 * handler up to and past saturation. Every cell runs the reference bot through the real runner.
 *
 * Each cell is as long as its figures need to settle and no longer: fast cells (many polls or
 * updates a second) run 10–20 s, slow ones 30–40 s (and the slowest still see only a few updates:
 * their waits are judged against their own sampling noise). Low-rate cells run several at a time (they
 * use a few per cent of a core each); high-rate and overloaded cells run alone.
 */
import type { ModeName } from "../../src/results/index.ts";

/** One cell of the grid. */
export interface GridCell {
  /** Short, unique: `short T=0.1s λT=0.3 abl`, printed in the tables. */
  name: string;
  mode: ModeName;
  ratePerSecond: number;
  /** Short polling's T, ms. */
  intervalMs?: number;
  /** Long polling's τ, s. */
  timeoutSeconds?: number;
  /** Webhook max_connections. */
  maxConnections?: number;
  handlerMs: number;
  antiBusyLoop: boolean;
  /** 0: loopback; otherwise `--rtt-ms` (no jitter, TLS handshakes on new connections). */
  rttMs: number;
  /** Group chats (default the generator's 5); 0 puts every update in a private chat. */
  groups?: number;
  durationMs: number;
  /**
   * Runs by itself (after the cells that run together), in grid order: cells near or past
   * saturation, whose waits depend steeply on the machine's load.
   */
  alone?: boolean;
  /** A calibration cell: measured for an input of the model, not compared with it (calibration.ts). */
  calibration?: boolean;
}

const LAMBDA_T = [0.05, 0.3, 1, 3] as const;

/** Seconds a short-polling cell runs: long enough for about 20 updates and 100 polls, 10–40 s. */
function shortPollSeconds(intervalMs: number, ratePerSecond: number): number {
  const forUpdates = 20 / ratePerSecond;
  const forPolls = (100 * intervalMs) / 1_000;
  return Math.min(40, Math.max(10, Math.ceil(Math.max(forUpdates, forPolls) / 5) * 5));
}

function shortPolling(): GridCell[] {
  return [100, 300, 1_000].flatMap((intervalMs) =>
    LAMBDA_T.flatMap((lt) =>
      [true, false].map((antiBusyLoop): GridCell => {
        const ratePerSecond = Number(((lt * 1_000) / intervalMs).toFixed(4));
        return {
          name: `short T=${intervalMs / 1_000}s λT=${lt}${antiBusyLoop ? " abl" : ""}`,
          mode: "short-polling",
          ratePerSecond,
          intervalMs,
          handlerMs: 0,
          antiBusyLoop,
          rttMs: 0,
          durationMs: shortPollSeconds(intervalMs, ratePerSecond) * 1_000,
        };
      }),
    ),
  );
}

const longSeconds = (ratePerSecond: number) => (ratePerSecond < 1 ? 40 : ratePerSecond < 10 ? 30 : 10);

function longPolling(): GridCell[] {
  const cases: Array<[number, boolean]> = [
    [2, true],
    [2, false],
    [5, true],
    [30, true],
  ];
  return cases.flatMap(([timeoutSeconds, antiBusyLoop]) =>
    [0.2, 2, 20].map(
      (ratePerSecond): GridCell => ({
        name: `long τ=${timeoutSeconds}s λ=${ratePerSecond}${antiBusyLoop ? " abl" : ""}`,
        mode: "long-polling",
        ratePerSecond,
        timeoutSeconds,
        handlerMs: 0,
        antiBusyLoop,
        rttMs: 0,
        durationMs: longSeconds(ratePerSecond) * 1_000,
      }),
    ),
  );
}

/** The round-trip cells: short and long polling and a webhook at 20 and 160 ms. */
function distant(): GridCell[] {
  return [20, 160].flatMap((rttMs) => [
    ...[1, 10].map(
      (ratePerSecond): GridCell => ({
        name: `short T=0.3s λ=${ratePerSecond} rtt=${rttMs}`,
        mode: "short-polling",
        ratePerSecond,
        intervalMs: 300,
        handlerMs: 0,
        antiBusyLoop: true,
        rttMs,
        durationMs: (ratePerSecond < 5 ? 30 : 15) * 1_000,
      }),
    ),
    ...[2, 20].map(
      (ratePerSecond): GridCell => ({
        name: `long τ=5s λ=${ratePerSecond} rtt=${rttMs}`,
        mode: "long-polling",
        ratePerSecond,
        timeoutSeconds: 5,
        handlerMs: 0,
        antiBusyLoop: true,
        rttMs,
        durationMs: longSeconds(ratePerSecond) * 1_000,
      }),
    ),
    {
      name: `webhook mc=40 λ=5 rtt=${rttMs}`,
      mode: "webhook",
      ratePerSecond: 5,
      maxConnections: 40,
      handlerMs: 0,
      antiBusyLoop: true,
      rttMs,
      durationMs: 20_000,
    },
  ]);
}

/**
 * Webhooks with a 50 ms handler up to and past saturation: one connection on loopback (the
 * ceiling is one POST at a time), and 40 connections at 160 ms with every update in a private
 * chat (the ceiling is max_connections POSTs of d + h + r + u each).
 */
function webhookSaturation(): GridCell[] {
  const one = [5, 15, 30].map(
    (ratePerSecond): GridCell => ({
      name: `webhook mc=1 h=50 λ=${ratePerSecond}`,
      mode: "webhook",
      ratePerSecond,
      maxConnections: 1,
      handlerMs: 50,
      antiBusyLoop: true,
      rttMs: 0,
      durationMs: 10_000,
      alone: true,
    }),
  );
  const forty = [30, 80, 150].map(
    (ratePerSecond): GridCell => ({
      name: `webhook mc=40 h=50 λ=${ratePerSecond} rtt=160`,
      mode: "webhook",
      ratePerSecond,
      maxConnections: 40,
      handlerMs: 50,
      antiBusyLoop: true,
      rttMs: 160,
      groups: 0,
      durationMs: 10_000,
      alone: true,
    }),
  );
  // Each cell's service time is measured right before it (the machine's load drifts).
  const calibrate = (k: number): GridCell => ({
    ...WEBHOOK_SERVICE_CALIBRATION,
    name: `${WEBHOOK_SERVICE_CALIBRATION.name} #${k}`,
  });
  return [...one.flatMap((cell, k) => [calibrate(k + 1), cell]), calibrate(one.length + 1), ...forty];
}

/**
 * Measures one webhook POST's service time on this machine now (calibration.ts): the reference
 * bot with a 50 ms handler and one connection, offered twice what it can take, for 5 s; its
 * answered per second is one over the service time.
 */
export const WEBHOOK_SERVICE_CALIBRATION: GridCell = {
  name: "calibration: webhook mc=1 h=50 λ=40",
  mode: "webhook",
  ratePerSecond: 40,
  maxConnections: 1,
  handlerMs: 50,
  antiBusyLoop: true,
  rttMs: 0,
  durationMs: 5_000,
  alone: true,
  calibration: true,
};

/** Every cell of `npm run bench:model`. */
export const MODEL_GRID: readonly GridCell[] = [
  ...shortPolling(),
  ...longPolling(),
  ...distant(),
  ...webhookSaturation(),
];

/** The few cells `npm test` runs (bench/model-agreement/grid.integration.test.ts), shortened. */
export const TEST_GRID: readonly GridCell[] = [
  { ...MODEL_GRID.find((c) => c.name === "short T=0.1s λT=1 abl")!, durationMs: 10_000 },
  { ...MODEL_GRID.find((c) => c.name === "long τ=5s λ=2 abl")!, durationMs: 10_000 },
  { ...MODEL_GRID.find((c) => c.name === "webhook mc=1 h=50 λ=30")!, durationMs: 5_000 },
];
