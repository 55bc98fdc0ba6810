import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  biggerIsBetterEntries,
  renderBenchmarkJson,
  renderBenchmarkThroughputJson,
  smallerIsBetterEntries,
} from "./benchmark-json.ts";
import { fixtureCell, fixtureReport, fixtureTrial, realisticReport, unsupported } from "./report-fixtures.ts";

describe("github-action-benchmark exports", () => {
  test("benchmark.json: latency, requests, bytes and exact bot CPU per measured cell", () => {
    const report = fixtureReport([
      fixtureCell("a", "webhook", 100, [
        fixtureTrial("webhook", 100, { trial: 1, generated: 400, p50Us: 2_000, botCpuMs: 400 }),
        fixtureTrial("webhook", 100, { trial: 2, generated: 400, p50Us: 3_000, botCpuMs: 400 }),
      ]),
      fixtureCell("t", "short-polling", 100, [], unsupported("t cannot short-poll")),
    ]);
    const entries = smallerIsBetterEntries(report);
    // Latency is the cell's (its trials' histograms merged); the range, half the spread of the trials' own.
    const cell = report.cells[0]!;
    const [t1, t2] = cell.trials;
    const ms = (us: number | null | undefined) => Number((us! / 1000).toPrecision(4));
    const half = (a: number | null, b: number | null) => `± ${Number(((b! - a!) / 2000).toPrecision(4))}`;
    assert.deepEqual(
      entries.map((e) => [e.name, e.unit, e.value, e.range]),
      [
        [
          "a · webhook · 100/s p50 latency",
          "ms",
          ms(cell.latency?.endToEnd.p50?.us),
          half(t1!.latency.endToEnd.p50Us, t2!.latency.endToEnd.p50Us),
        ],
        [
          "a · webhook · 100/s p99 latency",
          "ms",
          ms(cell.latency?.endToEnd.p99?.us),
          half(t1!.latency.endToEnd.p99Us, t2!.latency.endToEnd.p99Us),
        ],
        ["a · webhook · 100/s requests per update", "requests", 2, "± 0"],
        ["a · webhook · 100/s bytes per update", "bytes", 840, "± 0"],
        ["a · webhook · 100/s bot CPU per update", "µs", 1000, "± 0"],
      ],
    );
    const p50 = entries[0]!.value;
    assert.ok(p50 > 2 && p50 < 3, `between the trials' p50s (2 and 3 ms): ${p50}`);
    assert.equal(
      entries[0]?.extra,
      "2 trials (latency of all their updates, other figures the median); answered 400/400",
    );
  });

  test("leaves out figures that are zero or too coarse, and cells that did not run", () => {
    const report = fixtureReport([
      fixtureCell("a", "webhook", 10, [fixtureTrial("webhook", 10, { botCpuMs: 0 })]),
      fixtureCell("a", "long-polling", 1, [fixtureTrial("long-polling", 1, { generated: 0 })]),
    ]);
    const names = smallerIsBetterEntries(report).map((e) => e.name);
    assert.ok(!names.some((n) => n.includes("bot CPU")), "zero clock ticks: no CPU entry");
    assert.ok(!names.some((n) => n.includes("long-polling")), "no answered update: no entries");
    assert.ok(smallerIsBetterEntries(report).every((e) => e.value > 0 && e.range === undefined));
  });

  test("benchmark-throughput.json: answered per second, flagged when a cell fell behind", () => {
    const report = fixtureReport([
      fixtureCell("a", "short-polling", 200, [
        fixtureTrial("short-polling", 200, { generated: 800, answered: 700 }),
      ]),
    ]);
    assert.deepEqual(biggerIsBetterEntries(report), [
      {
        name: "a · short-polling · 200/s answered per second",
        unit: "updates/s",
        value: 175,
        extra:
          "1 trial (latency of all their updates, other figures the median); answered 700/800; did not keep up",
      },
    ]);
  });

  test("both files are JSON arrays in the custom format", () => {
    for (const render of [renderBenchmarkJson, renderBenchmarkThroughputJson]) {
      const parsed = JSON.parse(render(realisticReport())) as unknown[];
      assert.ok(Array.isArray(parsed) && parsed.length > 0);
      for (const entry of parsed as Array<Record<string, unknown>>) {
        assert.equal(typeof entry.name, "string");
        assert.equal(typeof entry.unit, "string");
        assert.equal(typeof entry.value, "number");
        assert.ok(Number.isFinite(entry.value));
      }
      const names = (parsed as Array<{ name: string }>).map((e) => e.name);
      assert.equal(new Set(names).size, names.length, "names are unique");
    }
  });
});
