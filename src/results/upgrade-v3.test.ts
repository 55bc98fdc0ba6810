import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseReport } from "../report/read-report.ts";
import { fixtureCell, fixtureReport, fixtureTrial } from "../report/report-fixtures.ts";
import { REPORT_SCHEMA } from "./run-report.ts";
import { REPORT_SCHEMA_V3, V3_PREDICTION_NOTE } from "./upgrade-v3.ts";

/** The fixture as @3 wrote it: no network anywhere, the first model's prediction. */
function v3Text(): string {
  const report = fixtureReport([
    fixtureCell("a", "short-polling", 2, [fixtureTrial("short-polling", 2)]),
    fixtureCell("b", "webhook", 2, [fixtureTrial("webhook", 2)]),
  ]);
  const { networks: _n, ...scenario } = report.scenario;
  return JSON.stringify({
    ...report,
    schema: REPORT_SCHEMA_V3,
    scenario,
    cells: report.cells.map(({ network: _network, prediction: _p, ...cell }) => ({
      ...cell,
      prediction: {
        emptyShare: 0.13,
        requestsPerHour: 3600,
        emptyRequestsPerHour: 470,
        requestsPerUpdate: 0.5,
        meanAddedDelayMs: 500,
      },
      trials: cell.trials.map(({ network: _tn, ...trial }) => trial),
    })),
  });
}

describe("reading a tgbench/report@3 file", () => {
  const upgraded = parseReport(v3Text());

  test("puts every cell and trial on loopback, which is what @3 measured on", () => {
    assert.equal(upgraded.schema, REPORT_SCHEMA);
    assert.deepEqual(
      upgraded.scenario.networks.map((n) => n.name),
      ["loopback"],
    );
    for (const cell of upgraded.cells) {
      assert.equal(cell.network.name, "loopback");
      for (const trial of cell.trials) {
        assert.equal(trial.network.profile.name, "loopback");
        assert.equal(trial.network.emulator, "none");
        assert.equal(trial.network.stats, null);
      }
    }
  });

  test("keeps the first model's figures where they have a name today, says where they came from", () => {
    const p = upgraded.cells[0]!.prediction!;
    assert.equal(p.emptyShare, 0.13);
    assert.equal(p.requestsPerAnsweredUpdate, 0.5);
    assert.equal(p.endToEndMs.meanMs, null, "the first model's added delay is not an end-to-end mean");
    assert.equal(p.input, null);
    assert.deepEqual(p.notes, [V3_PREDICTION_NOTE]);
    assert.ok(!("requestsPerUpdate" in p) && !("meanAddedDelayMs" in p));
  });

  test("leaves a current report as it is", () => {
    const current = fixtureReport([fixtureCell("a", "webhook", 2, [fixtureTrial("webhook", 2)])]);
    assert.deepEqual(parseReport(JSON.stringify(current)), JSON.parse(JSON.stringify(current)));
  });
});
