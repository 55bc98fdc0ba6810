/** The bot and chat both sides of the fake API cost benchmark use. */
export const BENCH_TOKEN = "123456:bench";
export const BENCH_CHAT_ID = 1001;
