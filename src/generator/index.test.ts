import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ChatSpec as FakeApiChatSpec, UserSpec as FakeApiUserSpec } from "../fake-api/objects.ts";
import * as generator from "./index.ts";

describe("the generator's public API", () => {
  test("exports the entry points", () => {
    const entryPoints = {
      createRng: generator.createRng,
      createArrivals: generator.createArrivals,
      parseTimeline: generator.parseTimeline,
      createPopulation: generator.createPopulation,
      createUpdateFactory: generator.createUpdateFactory,
      createUpdateStream: generator.createUpdateStream,
      correlationToken: generator.correlationToken,
      parseCorrelationToken: generator.parseCorrelationToken,
    };
    for (const [name, entryPoint] of Object.entries(entryPoints))
      assert.equal(typeof entryPoint, "function", name);
    assert.deepEqual(Object.keys(generator.ARRIVAL_PROCESSES), [
      "constant",
      "poisson",
      "burst",
      "ramp",
      "replay",
    ]);
  });

  test("a replay timeline parsed from text drives a stream end to end", () => {
    const timelineMs = generator.parseTimeline("0\n250\n250\n1000\n");
    const specs = [...generator.createUpdateStream({ arrivals: { process: "replay", timelineMs } }, "e2e")];
    assert.deepEqual(
      specs.map((s) => s.intendedAtMs),
      [0, 250, 250, 1000],
    );
  });

  test("specs are assignable to the fake API's UserSpec and ChatSpec", () => {
    const [spec] = generator.createUpdateStream({ arrivals: { process: "poisson", maxCount: 1 } }, 1);
    assert.ok(spec !== undefined);
    const user: FakeApiUserSpec = spec.from;
    const chat: FakeApiChatSpec = spec.chat;
    assert.ok(chat.id === user.id || chat.id < 0);
  });
});
