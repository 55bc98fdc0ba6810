import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { renderHtml } from "./html.ts";
import { renderMarkdown } from "./markdown.ts";
import { arrivalsNote, modelMarkdown, modelTable } from "./model-table.ts";
import { fixtureCell, fixtureReport, fixtureTrial, unsupported } from "./report-fixtures.ts";

const report = fixtureReport([
  fixtureCell("a", "short-polling", 2, [
    fixtureTrial("short-polling", 2, { getUpdates: 10, emptyGetUpdates: 4 }),
  ]),
  fixtureCell("a", "webhook", 2, [fixtureTrial("webhook", 2, { p50Us: 3_000 })]),
  fixtureCell("b", "short-polling", 2, [], unsupported("b cannot short-poll")),
]);

describe("the model beside the measurement", () => {
  const table = modelTable(report);

  test("has a row per measured cell, with a column per figure the model predicts", () => {
    assert.deepEqual(
      table.rows.map((r) => r.label),
      ["a · short-polling · 2/s", "a · webhook · 2/s"],
    );
    assert.ok(table.columns.includes("empty getUpdates"));
    assert.ok(table.columns.includes("end to end, p50"));
    assert.ok(table.columns.includes("throughput ceiling"));
    for (const row of table.rows) assert.equal(row.figures.length, table.columns.length);
  });

  test("shows measured, model and the difference", () => {
    const short = table.rows[0]!.figures[table.columns.indexOf("empty getUpdates")]!;
    assert.equal(short.measured, "40%");
    const model = report.cells[0]!.prediction!.emptyShare!;
    assert.equal(short.model, `${Number((model * 100).toFixed(1))}%`);
    assert.match(short.difference, /^[+−]\d+\.\d pp$/);
    const p50 = table.rows[1]!.figures[table.columns.indexOf("end to end, p50")]!;
    assert.equal(p50.measured, "3 ms");
    assert.notEqual(p50.model, "–");
    assert.match(p50.difference, /^[+−]/);
  });

  test("a webhook has no getUpdates to compare", () => {
    const webhook = table.rows[1]!.figures[table.columns.indexOf("empty getUpdates")]!;
    assert.deepEqual(webhook, { measured: "–", model: "–", difference: "" });
  });

  test("says in one line when arrivals are not Poisson", () => {
    assert.equal(arrivalsNote(report), null);
    const burst = { ...report, scenario: { ...report.scenario, arrival: "burst" as const } };
    const line = arrivalsNote(burst)!;
    assert.match(line, /^Arrivals are burst, not Poisson: .* a reference only\.$/);
    assert.ok(modelMarkdown(burst).includes(`${line} `));
    assert.ok(modelTable(burst).notes.includes(line));
  });

  test("is a section of report.md and of report.html", () => {
    const md = renderMarkdown(report);
    assert.ok(md.includes("## Model beside the measurement"));
    assert.ok(md.includes("| a · webhook · 2/s |"));
    assert.ok(renderHtml(report).includes('<h2 id="model">Model beside the measurement</h2>'));
  });

  test("is left out when no cell was measured", () => {
    const none = fixtureReport([fixtureCell("b", "webhook", 2, [], unsupported("no"))]);
    assert.deepEqual(modelMarkdown(none), []);
  });
});
