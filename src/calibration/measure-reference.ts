import { startBotSession, warmUpChats } from "../capacity/bot-session.ts";
import { cellsOf, resolveScenario } from "../runner/scenario.ts";

/** The bot whose webhook ceiling every report carries (bench/bots/reference.mjs, registered by the CLI). */
export const REFERENCE_BOT = "reference";

const FIRST_USER_ID = 300_000_001;
const WARM_UP_TIMEOUT_MS = 20_000;

/** What the reference bot answered in the closed loop. */
export interface ReferenceCeiling {
  answeredPerSecond: number;
  inFlight: number;
}

/**
 * The reference bot in webhook mode, fed through the whole fake API (updates created as users
 * would, queued, POSTed by the webhook dispatcher with its max_connections, answered with
 * sendMessage) in a closed loop: `inFlight` updates outstanding at any time, a new one created the
 * moment a reply arrives, for `durationMs` after a warm-up of one update per user. Updates
 * answered per second is the most this pipeline takes here: an open-loop rate near it has no
 * headroom left. The bot and its fake API are stopped whatever happens.
 */
export async function measureReference(
  options: { durationMs: number; inFlight: number; users: number },
  signal: AbortSignal,
): Promise<ReferenceCeiling> {
  const scenario = resolveScenario({
    name: "calibration",
    bots: [REFERENCE_BOT],
    modes: ["webhook"],
    ratesPerSecond: [1],
    users: options.users,
    groups: 0,
    mix: { text: 1 },
  });
  const [cell] = cellsOf(scenario);
  const session = await startBotSession(scenario, cell!, signal);
  const { api, token, botId } = session;
  let seq = 0;
  let answered = 0;
  let open = true;
  const inject = () => {
    const from = { id: FIRST_USER_ID + (seq % options.users) };
    api.control.injectText(token, { text: `#${seq} calibration`, from });
    seq++;
  };
  const onMessage = (e: { botId: number }) => {
    if (e.botId !== botId || !open) return;
    answered++;
    inject();
  };
  try {
    await warmUpChats(session, options.users, FIRST_USER_ID, WARM_UP_TIMEOUT_MS, signal);
    api.events.on("message", onMessage);
    const startMs = performance.now();
    for (let i = 0; i < options.inFlight; i++) inject();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.durationMs);
      signal.addEventListener(
        "abort",
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
    open = false;
    const elapsedMs = performance.now() - startMs;
    if (signal.aborted) throw new Error("cancelled");
    if (!session.bot.running) throw new Error("the reference bot exited during the calibration");
    if (answered === 0) throw new Error("the reference bot answered nothing");
    return { answeredPerSecond: (answered * 1000) / elapsedMs, inFlight: options.inFlight };
  } finally {
    api.events.off("message", onMessage);
    await session.close();
  }
}
