import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createPopulation, type PopulationOptions, resolvePopulationOptions } from "./population.ts";
import { createRng } from "./rng.ts";

describe("createPopulation", () => {
  test("the same options and seed give the same population; another seed a different one", () => {
    const options: PopulationOptions = { users: 200, groups: 5, groupSize: 30 };
    const a = createPopulation(options, createRng("p"));
    const b = createPopulation(options, createRng("p"));
    assert.deepEqual([b.users, b.groups], [a.users, a.groups]);
    assert.notDeepEqual(createPopulation(options, createRng("q")).users, a.users);
  });

  test("users are numbered from 100000001 and have names, usernames and language codes", () => {
    const population = createPopulation({ users: 50, languageCodes: ["en", "fa"] }, createRng(1));
    assert.deepEqual(
      population.users.map((u) => u.id),
      Array.from({ length: 50 }, (_, i) => 100_000_001 + i),
    );
    for (const user of population.users) {
      assert.ok(user.first_name !== undefined && user.first_name.length > 0);
      assert.equal(user.username, `user${user.id}`);
      assert.ok(user.language_code === "en" || user.language_code === "fa");
    }
    const withLastName = population.users.filter((u) => u.last_name !== undefined).length;
    assert.ok(withLastName > 10 && withLastName < 40, `${withLastName} of 50 have a last name`);
  });

  test("groups have negative ids counting down, distinct members, and the group type", () => {
    const population = createPopulation(
      { users: 40, groups: 3, groupSize: 40, groupType: "supergroup" },
      createRng(2),
    );
    assert.deepEqual(
      population.groups.map((g) => g.chat.id),
      [-1_000_000_001, -1_000_000_002, -1_000_000_003],
    );
    for (const group of population.groups) {
      assert.equal(group.chat.type, "supergroup");
      assert.equal(new Set(group.members.map((m) => m.id)).size, 40);
      for (const member of group.members) assert.ok(population.users.includes(member));
    }
  });

  test("pickSender sends groupShare of updates in groups, always from a member", () => {
    const population = createPopulation(
      { users: 300, groups: 4, groupSize: 10, groupShare: 0.3 },
      createRng(3),
    );
    const rng = createRng("senders");
    let inGroups = 0;
    for (let i = 0; i < 20_000; i++) {
      const { user, chat } = population.pickSender(rng);
      if (chat.id < 0) {
        inGroups++;
        const group = population.groups.find((g) => g.chat === chat);
        assert.ok(group?.members.includes(user), `user ${user.id} is not in group ${chat.id}`);
      } else {
        assert.deepEqual(chat, { id: user.id, type: "private" });
      }
    }
    assert.ok(Math.abs(inGroups / 20_000 - 0.3) < 0.015, `group share ${inGroups / 20_000}`);
  });

  test("without groups every update is private", () => {
    const population = createPopulation({ users: 3, groups: 0 }, createRng(4));
    const rng = createRng(5);
    for (let i = 0; i < 100; i++) assert.equal(population.pickSender(rng).chat.type, "private");
  });

  test("users, chats and lists are frozen", () => {
    const population = createPopulation({ users: 2, groups: 1 }, createRng(6));
    assert.ok(Object.isFrozen(population.users) && Object.isFrozen(population.users[0]));
    assert.ok(Object.isFrozen(population.groups[0]?.chat) && Object.isFrozen(population.groups[0]?.members));
  });
});

describe("resolvePopulationOptions", () => {
  test("applies the defaults", () => {
    assert.deepEqual(resolvePopulationOptions(), {
      users: 200,
      groups: 5,
      groupSize: 20,
      groupShare: 0.2,
      groupType: "group",
      lastNameShare: 0.5,
      languageCodes: ["en", "ru", "es", "pt", "de", "uk", "tr", "id"],
    });
  });

  test("caps the default group size at the number of users, and drops the group share without groups", () => {
    assert.equal(resolvePopulationOptions({ users: 5 }).groupSize, 5);
    assert.equal(resolvePopulationOptions({ groups: 0 }).groupShare, 0);
  });

  const invalid: Array<[string, PopulationOptions, RegExp]> = [
    ["no users", { users: 0 }, /population\.users/],
    ["fractional groups", { groups: 1.5 }, /population\.groups/],
    ["groups larger than the population", { users: 5, groupSize: 6 }, /groupSize \(6\) cannot exceed/],
    ["a group share without groups", { groups: 0, groupShare: 0.1 }, /add groups or set groupShare: 0/],
    ["a share above 1", { lastNameShare: 2 }, /lastNameShare/],
    ["no language codes", { languageCodes: [] }, /languageCodes/],
    ["an unknown group type", { groupType: "channel" as never }, /groupType/],
  ];
  for (const [name, options, message] of invalid) {
    test(`rejects ${name} with a RangeError`, () => {
      assert.throws(
        () => resolvePopulationOptions(options),
        (error: unknown) => {
          assert.ok(error instanceof RangeError);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }
});
