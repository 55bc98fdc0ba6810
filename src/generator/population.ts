/**
 * The simulated users and group chats that updates come from. Built once from its own Rng, then
 * read-only: who sends each update is drawn by the caller's Rng through {@link Population.pickSender}.
 */
import { POPULATION_DEFAULTS, POPULATION_IDS } from "./defaults.ts";
import { requireChoice, requireInteger, requireShare, withoutUndefined } from "./option-checks.ts";
import type { Rng } from "./rng.ts";
import type { ChatSpec, Sender, UserSpec } from "./types.ts";
import { FIRST_NAMES, LAST_NAMES } from "./vocabulary.ts";

/** Options of the population. All optional; defaults in `POPULATION_DEFAULTS`. */
export interface PopulationOptions {
  /** Number of users, >= 1. User ids count up from 100000001; a private chat has its user's id. Default 1000. */
  users?: number;
  /** Number of group chats, >= 0. Group chat ids count down from -1000000001. Default 10. */
  groups?: number;
  /** Members per group, drawn at random from the users, 1..users. Default min(20, users). */
  groupSize?: number;
  /** Share of updates sent in a group rather than a private chat, 0–1. Default 0.2 with groups, 0 without. */
  groupShare?: number;
  /** `type` of the group chats. Default `"group"`. */
  groupType?: "group" | "supergroup";
  /** Share of users who have a last name, 0–1. Default 0.5. */
  lastNameShare?: number;
  /** Language codes given to users, uniformly. Default en, ru, es, pt, de, uk, tr, id. */
  languageCodes?: readonly string[];
}

/** Every population option with its default applied. */
export type ResolvedPopulationOptions = Required<PopulationOptions>;

/** A group chat and the users in it. */
export interface GroupSpec {
  readonly chat: ChatSpec;
  readonly members: readonly UserSpec[];
}

/** A built population. Its users, chats and lists are frozen, so specs can share them safely. */
export interface Population {
  readonly options: ResolvedPopulationOptions;
  readonly users: readonly UserSpec[];
  readonly groups: readonly GroupSpec[];
  /**
   * The sender of one update: with probability `groupShare` a uniformly chosen member of a
   * uniformly chosen group, in that group; otherwise a uniformly chosen user in their private chat.
   */
  pickSender(rng: Rng): Sender;
}

const GROUP_TYPES: ReadonlyArray<ResolvedPopulationOptions["groupType"]> = ["group", "supergroup"];

/** Applies the defaults and checks every option; throws a RangeError naming the bad one. */
export function resolvePopulationOptions(options: PopulationOptions = {}): ResolvedPopulationOptions {
  const given = withoutUndefined(options);
  const users = requireInteger("population.users", given.users ?? POPULATION_DEFAULTS.users, 1);
  const groups = requireInteger("population.groups", given.groups ?? POPULATION_DEFAULTS.groups, 0);
  const groupSize = given.groupSize ?? Math.min(POPULATION_DEFAULTS.groupSize, users);
  requireInteger("population.groupSize", groupSize, 1);
  if (groupSize > users) {
    throw new RangeError(`population.groupSize (${groupSize}) cannot exceed population.users (${users})`);
  }
  const groupShare = requireShare(
    "population.groupShare",
    given.groupShare ?? (groups > 0 ? POPULATION_DEFAULTS.groupShare : 0),
  );
  if (groups === 0 && groupShare > 0) {
    throw new RangeError(
      "population.groupShare is above 0 but population.groups is 0; add groups or set groupShare: 0",
    );
  }
  const languageCodes = given.languageCodes ?? POPULATION_DEFAULTS.languageCodes;
  if (languageCodes.length === 0) throw new RangeError("population.languageCodes needs at least one code");
  return {
    users,
    groups,
    groupSize,
    groupShare,
    groupType: requireChoice(
      "population.groupType",
      given.groupType ?? POPULATION_DEFAULTS.groupType,
      GROUP_TYPES,
    ),
    lastNameShare: requireShare(
      "population.lastNameShare",
      given.lastNameShare ?? POPULATION_DEFAULTS.lastNameShare,
    ),
    languageCodes: Object.freeze([...languageCodes]),
  };
}

/**
 * Builds a population from `rng` (fork one for it: the population then does not depend on how
 * much any other consumer draws). The same options and Rng stream give the same population.
 */
export function createPopulation(options: PopulationOptions, rng: Rng): Population {
  const resolved = resolvePopulationOptions(options);
  const users = Object.freeze(
    Array.from({ length: resolved.users }, (_, index) => makeUser(index, resolved, rng)),
  );
  const groups = Object.freeze(
    Array.from({ length: resolved.groups }, (_, index) => makeGroup(index, users, resolved, rng)),
  );
  return {
    options: resolved,
    users,
    groups,
    pickSender(senderRng: Rng): Sender {
      if (groups.length > 0 && senderRng.chance(resolved.groupShare)) {
        const group = senderRng.pick(groups);
        return { user: senderRng.pick(group.members), chat: group.chat };
      }
      const user = senderRng.pick(users);
      return { user, chat: privateChatOf(user) };
    },
  };
}

/** The private chat between `user` and the bot: same id as the user. */
export function privateChatOf(user: UserSpec): ChatSpec {
  return { id: user.id, type: "private" };
}

function makeUser(index: number, options: ResolvedPopulationOptions, rng: Rng): UserSpec {
  const id = POPULATION_IDS.firstUserId + index;
  const user: UserSpec = { id, first_name: rng.pick(FIRST_NAMES) };
  if (rng.chance(options.lastNameShare)) user.last_name = rng.pick(LAST_NAMES);
  user.username = `user${id}`;
  user.language_code = rng.pick(options.languageCodes);
  return Object.freeze(user);
}

function makeGroup(
  index: number,
  users: readonly UserSpec[],
  options: ResolvedPopulationOptions,
  rng: Rng,
): GroupSpec {
  const id = POPULATION_IDS.firstGroupChatId - index;
  const chat: ChatSpec = Object.freeze({ id, type: options.groupType, title: `tgbench group ${index + 1}` });
  const memberIndexes = sampleIndexes(users.length, options.groupSize, rng);
  return Object.freeze({ chat, members: Object.freeze(memberIndexes.map((i) => users[i]!)) });
}

/**
 * `count` distinct indexes in [0, length), uniformly: a partial Fisher–Yates shuffle over a
 * virtual array, so it costs O(count) rather than O(length) for large populations.
 */
function sampleIndexes(length: number, count: number, rng: Rng): number[] {
  const moved = new Map<number, number>();
  const chosen: number[] = [];
  for (let i = 0; i < count; i++) {
    const j = rng.int(i, length - 1);
    chosen.push(moved.get(j) ?? j);
    moved.set(j, moved.get(i) ?? i);
  }
  return chosen;
}
