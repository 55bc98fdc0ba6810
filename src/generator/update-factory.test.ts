import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseCallbackData, parseCorrelationToken } from "./correlation.ts";
import { createPopulation } from "./population.ts";
import { createRng } from "./rng.ts";
import type { UpdateSpec } from "./types.ts";
import { createUpdateFactory, createUpdateStream, type TrafficOptions } from "./update-factory.ts";

function take<T>(items: Iterable<T>, count: number): T[] {
  const taken: T[] = [];
  for (const item of items) {
    if (taken.length === count) break;
    taken.push(item);
  }
  return taken;
}

/** Every kind of update, button presses included (the default mix has none). */
const MIX = { text: 0.8, command: 0.15, callback: 0.05 };

const TRAFFIC: TrafficOptions = {
  arrivals: { process: "poisson", ratePerSecond: 200, maxCount: 20_000 },
  population: { users: 500, groups: 5, groupSize: 50 },
  mix: MIX,
};

/** One stream of 20k specs, shared by the read-only checks below. */
const SPECS: readonly UpdateSpec[] = [...createUpdateStream(TRAFFIC, "shared")];

/** What a spec is about, without its timing: kind, sender, chat. */
const who = (spec: UpdateSpec) => [spec.kind, spec.from.id, spec.chat.id];

describe("createUpdateStream", () => {
  test("the same seed gives an identical stream, and so does iterating it again", () => {
    const stream = createUpdateStream(TRAFFIC, 7);
    const first = take(stream, 1_000);
    assert.equal(first.length, 1_000);
    assert.deepEqual(take(createUpdateStream(TRAFFIC, 7), 1_000), first);
    assert.deepEqual(take(stream, 1_000), first);
  });

  test("a different seed gives a different stream", () => {
    assert.notDeepEqual(take(createUpdateStream(TRAFFIC, 8), 100), take(createUpdateStream(TRAFFIC, 7), 100));
  });

  test("seq counts 0, 1, 2 … and intendedAtMs never decreases", () => {
    assert.equal(SPECS.length, 20_000);
    for (const [index, spec] of SPECS.entries()) {
      assert.equal(spec.seq, index);
      if (index > 0) assert.ok(spec.intendedAtMs >= SPECS[index - 1]!.intendedAtMs);
    }
  });

  test("the default mix has texts and commands, no button presses", () => {
    const { mix: _, ...defaults } = TRAFFIC;
    const kinds = new Set([...createUpdateStream(defaults, "default")].slice(0, 2_000).map((s) => s.kind));
    assert.deepEqual([...kinds].sort(), ["command", "text"]);
  });

  test("the mix holds within tolerance over 20k updates", () => {
    for (const [kind, share] of Object.entries(MIX)) {
      const observed = SPECS.filter((s) => s.kind === kind).length / SPECS.length;
      // 4 standard errors of a share at n = 20k is at most 0.0142.
      assert.ok(Math.abs(observed - share) < 0.015, `${kind}: ${observed}`);
    }
  });

  test("a given mix replaces the default; kinds it leaves out never occur", () => {
    const specs = [...createUpdateStream({ ...TRAFFIC, mix: { command: 1, callback: 3 } }, 1)];
    const commandShare = specs.filter((s) => s.kind === "command").length / specs.length;
    assert.ok(Math.abs(commandShare - 0.25) < 0.015, `command share ${commandShare}`);
    assert.equal(specs.filter((s) => s.kind === "text").length, 0);
  });

  test("every text and command carries its own correlation token; callbacks carry btn:<seq>", () => {
    const tokens = new Set<number>();
    for (const spec of SPECS) {
      const seq =
        spec.kind === "text"
          ? parseCorrelationToken(spec.text)
          : spec.kind === "command"
            ? parseCorrelationToken(spec.args ?? "")
            : parseCallbackData(spec.data);
      assert.equal(seq, spec.seq);
      tokens.add(seq);
    }
    assert.equal(tokens.size, SPECS.length);
  });

  test("commands start with '/' and come from the configured list", () => {
    const specs = [...createUpdateStream({ ...TRAFFIC, mix: { command: 1 }, commands: ["/a", "/b_2"] }, 2)];
    for (const spec of specs) {
      assert.equal(spec.kind, "command");
      if (spec.kind === "command") assert.ok(spec.command === "/a" || spec.command === "/b_2");
    }
    for (const spec of SPECS) if (spec.kind === "command") assert.ok(spec.command.startsWith("/"));
  });

  test("texts are within the configured length and do not end in whitespace", () => {
    const specs = [
      ...createUpdateStream({ ...TRAFFIC, minTextChars: 10, maxTextChars: 30, mix: { text: 1 } }, 3),
    ];
    const lengths = new Set<number>();
    for (const spec of specs) {
      if (spec.kind !== "text") continue;
      assert.ok(spec.text.length >= 10 && spec.text.length <= 30, `"${spec.text}"`);
      assert.doesNotMatch(spec.text, /\s$/);
      lengths.add(spec.text.length);
    }
    assert.equal(lengths.size, 21);
  });

  test("every update comes from a private chat of its sender or from a group", () => {
    for (const spec of SPECS) assert.ok(spec.chat.id === spec.from.id || spec.chat.id < 0);
    const groupShare = SPECS.filter((s) => s.chat.id < 0).length / SPECS.length;
    assert.ok(Math.abs(groupShare - 0.2) < 0.015, `group share ${groupShare}`);
  });

  test("changing the content options shifts neither the timing nor the senders", () => {
    const other = take(
      createUpdateStream({ ...TRAFFIC, minTextChars: 100, maxTextChars: 300 }, "shared"),
      2_000,
    );
    assert.deepEqual(
      other.map((s) => [s.intendedAtMs, ...who(s)]),
      SPECS.slice(0, 2_000).map((s) => [s.intendedAtMs, ...who(s)]),
    );
  });

  test("changing the arrival rate shifts nothing but the timing", () => {
    const other = take(
      createUpdateStream(
        { ...TRAFFIC, arrivals: { process: "constant", ratePerSecond: 5, maxCount: 500 } },
        "shared",
      ),
      500,
    );
    assert.deepEqual(
      other.map((s) => [...who(s), s.kind === "text" ? s.text : ""]),
      SPECS.slice(0, 500).map((s) => [...who(s), s.kind === "text" ? s.text : ""]),
    );
  });

  test("editing the options after creating the stream does not change it", () => {
    const traffic: TrafficOptions = { arrivals: { process: "constant", ratePerSecond: 10, maxCount: 3 } };
    const stream = createUpdateStream(traffic, 1);
    const before = [...stream];
    if (traffic.arrivals?.process === "constant") traffic.arrivals.ratePerSecond = 1;
    assert.deepEqual([...stream], before);
  });

  test("exposes its seed and population", () => {
    const stream = createUpdateStream(
      { arrivals: { process: "poisson", maxCount: 1 }, population: { users: 3 } },
      "x",
    );
    assert.equal(stream.seed, "x");
    assert.equal(stream.population.users.length, 3);
  });

  const invalid: Array<[string, TrafficOptions, RegExp]> = [
    ["no arrivals at all", {}, /durationMs or arrivals\.maxCount/],
    ["an unbounded process", { arrivals: { process: "burst" } }, /durationMs or arrivals\.maxCount/],
    ["an empty mix", { arrivals: { process: "poisson", maxCount: 1 }, mix: { text: 0 } }, /mix/],
    [
      "a bad population",
      { arrivals: { process: "poisson", maxCount: 1 }, population: { users: 0 } },
      /users/,
    ],
  ];
  for (const [name, traffic, message] of invalid) {
    test(`${name} throws a RangeError when the stream is created`, () => {
      assert.throws(
        () => createUpdateStream(traffic, 1),
        (error: unknown) => {
          assert.ok(error instanceof RangeError);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }
});

describe("createUpdateFactory", () => {
  test("makes specs for the seq and time it is given", () => {
    const population = createPopulation({ users: 10, groups: 0 }, createRng(1));
    const makeSpec = createUpdateFactory({ mix: { text: 1 } }, population, createRng(2));
    const spec = makeSpec(41, 1_234.5);
    assert.equal(spec.kind, "text");
    assert.equal(spec.seq, 41);
    assert.equal(spec.intendedAtMs, 1_234.5);
    assert.deepEqual(spec.chat, { id: spec.from.id, type: "private" });
    if (spec.kind === "text") assert.match(spec.text, /^#41( |$)/);
  });
});
