import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { NetworkOptionError, networkPreset, networkWithRtt, resolveNetworkProfiles } from "./options.ts";
import { NETWORK_PRESET_NAMES, NETWORK_PRESETS } from "./presets.ts";
import { isLoopback } from "./profile.ts";

describe("resolveNetworkProfiles", () => {
  test("with no options the only network is loopback, which adds nothing", () => {
    const profiles = resolveNetworkProfiles();
    assert.deepEqual(
      profiles.map((p) => p.name),
      ["loopback"],
    );
    assert.equal(isLoopback(profiles[0]!), true);
  });

  test("every preset resolves to its round trip, split evenly over the two legs", () => {
    for (const name of NETWORK_PRESET_NAMES) {
      const profile = networkPreset(name);
      const preset = NETWORK_PRESETS[name];
      assert.equal(profile.name, name);
      assert.equal(profile.rttMs, preset.rttMs);
      assert.equal(profile.toTelegram.delayMs + profile.toBot.delayMs, preset.rttMs);
      // Independent legs with sd jitter/√2 each: the round trip's sd is the preset's jitter.
      assert.ok(
        Math.abs(Math.hypot(profile.toTelegram.jitterMs, profile.toBot.jitterMs) - preset.jitterMs) < 1e-9,
      );
      assert.equal(isLoopback(profile), name === "loopback");
    }
  });

  test("presets and round trips form one sweep, presets first, in the order given", () => {
    const profiles = resolveNetworkProfiles({ networks: ["continent", "region"], rttMs: [40, "5"] });
    assert.deepEqual(
      profiles.map((p) => [p.name, p.rttMs]),
      [
        ["continent", 60],
        ["region", 20],
        ["rtt-40ms", 40],
        ["rtt-5ms", 5],
      ],
    );
  });

  test("HTTPS (the default) adds TLS 1.3's round trip to TCP's before the first request", () => {
    assert.equal(networkWithRtt(40).setupRoundTrips, 2);
    assert.equal(networkWithRtt(40, { https: false }).setupRoundTrips, 1);
    assert.equal(networkWithRtt(40, { https: false }).name, "rtt-40ms+no-tls");
  });

  test("extras apply to every network but loopback and are named in the profile", () => {
    const profiles = resolveNetworkProfiles({
      networks: ["loopback", "continent"],
      rttMs: [10],
      jitterMs: 3,
      lossPercent: "1",
      bandwidthMbitPerSecond: 8,
    });
    assert.deepEqual(
      profiles.map((p) => p.name),
      ["loopback", "continent+jitter-3ms+loss-1%+8mbit", "rtt-10ms+jitter-3ms+loss-1%+8mbit"],
    );
    assert.equal(isLoopback(profiles[0]!), true);
    const continent = profiles[1]!;
    assert.equal(continent.jitterMs, 3);
    assert.equal(continent.toBot.lossProbability, 0.01);
    assert.equal(continent.toTelegram.bandwidthBitsPerSecond, 8_000_000);
  });

  test("a preset's own jitter is kept unless --jitter-ms changes it", () => {
    assert.equal(resolveNetworkProfiles({ networks: ["continent"], jitterMs: 2 })[0]!.name, "continent");
    assert.equal(
      resolveNetworkProfiles({ networks: ["continent"], jitterMs: 0 })[0]!.name,
      "continent+jitter-0ms",
    );
  });

  const mistakes: Array<[string, Parameters<typeof resolveNetworkProfiles>[0], RegExp]> = [
    [
      "an unknown preset",
      { networks: ["contnent"] },
      /^unknown network "contnent"; choose from loopback, same-dc/,
    ],
    ["a negative round trip", { rttMs: [-5] }, /^--rtt-ms must be a number from 0 to 10000 \(ms\), got -5$/],
    ["a round trip that is not a number", { rttMs: ["abc"] }, /^--rtt-ms must be .*, got "abc"$/],
    ["an empty round trip", { rttMs: [""] }, /^--rtt-ms must be .*, got ""$/],
    [
      "loss over the bound",
      { rttMs: [10], lossPercent: 60 },
      /^--loss-percent must be a number from 0 to 50 \(%\), got 60$/,
    ],
    [
      "zero bandwidth",
      { rttMs: [10], bandwidthMbitPerSecond: 0 },
      /^--bandwidth-mbit must be .*\(Mbit\/s\), got 0$/,
    ],
    ["jitter with only loopback", { jitterMs: 5 }, /^--jitter-ms needs a network other than loopback/],
    [
      "loss on loopback",
      { networks: ["loopback"], lossPercent: 1 },
      /^--loss-percent needs a network other than/,
    ],
    [
      "several extras with only loopback",
      { jitterMs: 5, lossPercent: 1 },
      /^--jitter-ms, --loss-percent need a network other than loopback; add --network <preset> or --rtt-ms <n>$/,
    ],
    ["a preset listed twice", { networks: ["region", "region"] }, /^network "region" is listed twice$/],
    ["a round trip listed twice", { rttMs: [20, "20"] }, /^network "rtt-20ms" is listed twice$/],
  ];
  for (const [what, options, message] of mistakes) {
    test(`${what} is a NetworkOptionError with a one-line message`, () => {
      assert.throws(
        () => resolveNetworkProfiles(options),
        (error: unknown) => {
          assert.ok(error instanceof NetworkOptionError);
          assert.match(error.message, message);
          assert.equal(error.message.includes("\n"), false);
          return true;
        },
      );
    });
  }
});
