/**
 * The delivery modes tgbench compares. Results name them; the runner's registry of modes
 * (src/runner/modes.ts) defines, for each, how a bot is configured.
 */
export type ModeName = "short-polling" | "long-polling" | "webhook";
