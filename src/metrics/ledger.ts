/**
 * The update ledger: where every generated update ended up. It must balance —
 *
 *   generated = notInjected + filtered + answered + deliveredUnanswered + pending + expired + dropped
 *
 * — and a run whose ledger does not balance lost or double-counted updates somewhere, which is
 * reported rather than hidden. The figures come from different places on purpose (generator,
 * runner, fake API counters, reply matcher), so that balancing them is a real check.
 */

/** The figures of a ledger, each a count of updates. */
export interface LedgerInput {
  /** Updates the generator produced. */
  generated: number;
  /** Produced but never created in the fake API (skipped, or the run stopped first). */
  notInjected: number;
  /** Created, but filtered out by the bot's allowed_updates. */
  filtered: number;
  /** Answered by the bot (matched replies). */
  answered: number;
  /** Handed to the bot but not answered (in progress at the end, or lost by the bot). */
  deliveredUnanswered: number;
  /** Created but not yet handed to the bot. */
  pending: number;
  /** Expired in the fake API before delivery. */
  expired: number;
  /** Removed by drop_pending_updates or a negative getUpdates offset; 0 when not given. */
  dropped?: number;
}

/** The names of the figures, in the order the ledger shows them. */
export const LEDGER_FIELDS = [
  "generated",
  "notInjected",
  "filtered",
  "answered",
  "deliveredUnanswered",
  "pending",
  "expired",
  "dropped",
] as const;

/** One figure of the ledger. */
export type LedgerField = (typeof LEDGER_FIELDS)[number];

/** A computed ledger: the figures, what they account for, and whether they balance. */
export interface Ledger extends Required<LedgerInput> {
  /** Sum of every figure but `generated`. */
  accounted: number;
  /** `generated − accounted`: positive when updates are unaccounted for, negative when counted twice. */
  discrepancy: number;
  /** Figures that are not whole numbers ≥ 0 (a bug upstream); a ledger with any cannot balance. */
  invalidFields: LedgerField[];
  /** True when `discrepancy` is 0 and every figure is a whole number ≥ 0. */
  balanced: boolean;
}

/** The figures that account for generated updates (all but `generated`). */
const OUTCOME_FIELDS = LEDGER_FIELDS.filter((field) => field !== "generated");

/** Computes the ledger of a run and checks that it balances. */
export function computeLedger(input: LedgerInput): Ledger {
  const figures: Required<LedgerInput> = { ...input, dropped: input.dropped ?? 0 };
  const accounted = OUTCOME_FIELDS.reduce((sum, field) => sum + figures[field], 0);
  const discrepancy = figures.generated - accounted;
  const invalidFields = LEDGER_FIELDS.filter((field) => !isCount(figures[field]));
  return {
    ...figures,
    accounted,
    discrepancy,
    invalidFields,
    balanced: discrepancy === 0 && invalidFields.length === 0,
  };
}

function isCount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

/**
 * The ledger on one line, for logs and error messages, e.g.
 * `ledger off by 3: generated 100 ≠ 97 accounted (notInjected 2 + filtered 0 + …)`.
 */
export function formatLedger(ledger: Ledger): string {
  const terms = OUTCOME_FIELDS.map((field) => `${field} ${ledger[field]}`).join(" + ");
  const head = ledger.balanced
    ? `ledger balanced: generated ${ledger.generated} = ${terms}`
    : `ledger off by ${ledger.discrepancy}: generated ${ledger.generated} ≠ ${ledger.accounted} accounted (${terms})`;
  return ledger.invalidFields.length === 0
    ? head
    : `${head}; not whole numbers ≥ 0: ${ledger.invalidFields.join(", ")}`;
}
