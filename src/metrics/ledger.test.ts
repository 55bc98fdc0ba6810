import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { computeLedger, formatLedger, type LedgerInput } from "./ledger.ts";

const ALL_ANSWERED: LedgerInput = {
  generated: 100,
  notInjected: 0,
  filtered: 0,
  answered: 100,
  deliveredUnanswered: 0,
  pending: 0,
  expired: 0,
};

describe("computeLedger", () => {
  const cases: { name: string; input: LedgerInput; balanced: boolean; discrepancy: number }[] = [
    { name: "every update answered", input: ALL_ANSWERED, balanced: true, discrepancy: 0 },
    {
      name: "nothing generated",
      input: { ...ALL_ANSWERED, generated: 0, answered: 0 },
      balanced: true,
      discrepancy: 0,
    },
    {
      name: "a bot killed in the middle of a run",
      input: { ...ALL_ANSWERED, answered: 55, deliveredUnanswered: 12, pending: 33 },
      balanced: true,
      discrepancy: 0,
    },
    {
      name: "late sends, filtered and expired updates",
      input: { ...ALL_ANSWERED, notInjected: 4, filtered: 6, expired: 10, answered: 80 },
      balanced: true,
      discrepancy: 0,
    },
    {
      name: "a restart with drop_pending_updates",
      input: { ...ALL_ANSWERED, answered: 90, dropped: 10 },
      balanced: true,
      discrepancy: 0,
    },
    { name: "updates lost", input: { ...ALL_ANSWERED, answered: 97 }, balanced: false, discrepancy: 3 },
    {
      name: "updates counted twice",
      input: { ...ALL_ANSWERED, pending: 2 },
      balanced: false,
      discrepancy: -2,
    },
    {
      name: "a negative figure that happens to sum right",
      input: { ...ALL_ANSWERED, answered: 105, pending: -5 },
      balanced: false,
      discrepancy: 0,
    },
  ];
  for (const { name, input, balanced, discrepancy } of cases) {
    test(`${name}: ${balanced ? "balances" : `is off by ${discrepancy}`}`, () => {
      const ledger = computeLedger(input);
      assert.equal(ledger.balanced, balanced);
      assert.equal(ledger.discrepancy, discrepancy);
      assert.equal(ledger.accounted, input.generated - discrepancy);
    });
  }

  test("dropped defaults to 0 and invalid figures are named", () => {
    const ledger = computeLedger({ ...ALL_ANSWERED, answered: 99.5, expired: Number.NaN });
    assert.equal(ledger.dropped, 0);
    assert.deepEqual(ledger.invalidFields, ["answered", "expired"]);
  });
});

describe("formatLedger", () => {
  test("a balanced ledger reads as an equation", () => {
    assert.equal(
      formatLedger(computeLedger({ ...ALL_ANSWERED, answered: 55, deliveredUnanswered: 12, pending: 33 })),
      "ledger balanced: generated 100 = notInjected 0 + filtered 0 + answered 55 + deliveredUnanswered 12" +
        " + pending 33 + expired 0 + dropped 0",
    );
  });

  test("an unbalanced ledger says by how much and names invalid figures", () => {
    const text = formatLedger(computeLedger({ ...ALL_ANSWERED, answered: 96, pending: -1 }));
    assert.match(text, /^ledger off by 5: generated 100 ≠ 95 accounted \(notInjected 0 \+ .*\)/);
    assert.match(text, /not whole numbers ≥ 0: pending$/);
  });
});
