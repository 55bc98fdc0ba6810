/**
 * Every default of the generator, in one place. Option interfaces document these values; the
 * resolvers (`resolve…Options`) are the only code that reads them.
 */
import { BUILT_IN_WORDS } from "./vocabulary.ts";

/**
 * Defaults of the arrival processes. There is deliberately no default `durationMs` or
 * `maxCount`: an unbounded schedule is a mistake to report, not to paper over.
 */
export const ARRIVAL_DEFAULTS = {
  /** Process used when a traffic description names none. */
  process: "poisson",
  /** Rate of `constant` and `poisson`, and of `burst` while on. */
  ratePerSecond: 10,
  /** How `burst` and `ramp` space arrivals: a (non-homogeneous) Poisson process. */
  spacing: "poisson",
  /** `burst`: length of each on window. */
  onMs: 1_000,
  /** `burst`: length of each silent window. */
  offMs: 4_000,
  /** `ramp`: rate at the start. */
  fromRatePerSecond: 0,
  /** `ramp`: rate at the end of the ramp, kept afterwards. */
  toRatePerSecond: 50,
  /** `replay`: factor applied to every timestamp (0.5 replays twice as fast). */
  timeScale: 1,
} as const;

/**
 * Defaults of the simulated population; also the defaults of a scenario's `users` and `groups`
 * (src/runner/scenario.ts applies these, no other). 200 users in private chats and 5 groups are
 * what every `tgbench run` has measured so far, so figures stay comparable across versions.
 */
export const POPULATION_DEFAULTS = {
  users: 200,
  groups: 5,
  /** Members per group; capped at `users` when not given. */
  groupSize: 20,
  /** Share of updates sent in groups, when there are groups (otherwise 0). */
  groupShare: 0.2,
  groupType: "group",
  /** Share of users who have a last name. */
  lastNameShare: 0.5,
  languageCodes: Object.freeze(["en", "ru", "es", "pt", "de", "uk", "tr", "id"]),
} as const;

/** Fixed numbering of the population; not options. */
export const POPULATION_IDS = {
  /** Id of the first user (and of their private chat); users are numbered upwards. */
  firstUserId: 100_000_001,
  /** Id of the first group chat; groups are numbered downwards. */
  firstGroupChatId: -1_000_000_001,
} as const;

/** Defaults of the update content; `mix` is also a scenario's default mix. */
export const CONTENT_DEFAULTS = {
  /**
   * Relative weights of the update kinds. No button presses by default: the environment contract
   * (docs/bot-contract.md) asks a bot to answer texts and commands, and answering callback queries
   * is optional (the grammY and telegraf bots do not), so a default run is answerable by any bot
   * that follows the contract. Ask for them with a mix (`mix: { callback: … }`).
   */
  mix: Object.freeze({ text: 0.85, command: 0.15, callback: 0 }),
  /** Shortest text, in UTF-16 code units, correlation token included. */
  minTextChars: 8,
  /** Longest text, in UTF-16 code units, correlation token included. */
  maxTextChars: 64,
  commands: Object.freeze(["/start", "/help", "/echo"]),
  words: BUILT_IN_WORDS,
} as const;

/** Telegram's limit on a message text, in UTF-16 code units. */
export const MAX_TEXT_CHARS = 4_096;
