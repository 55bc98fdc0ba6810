// A reporter for Node's test runner (--test-reporter=./scripts/test-reporter.mjs) that
// scripts/run-tests.mjs reads back: one JSON line as each test starts and ends, and the totals.
// Unlike the built-in reporters it says which tests had started but not ended when a file was
// killed (they report a test only once it has ended).

/**
 * @typedef {object} FileSummary
 * @property {number} tests
 * @property {number} pass
 * @property {number} fail
 * @property {number} cancelled
 * @property {number} skipped
 * @property {{ name: string, reason: string }[]} skips
 * @property {string[]} running  the tests that had started and not ended, outermost first
 */

const TOTALS = /^(tests|pass|fail|cancelled|skipped) (\d+)$/;

/** @param {AsyncIterable<{ type: string, data: any }>} source */
export default async function* reporter(source) {
  for await (const { type, data } of source) {
    if (type === "test:dequeue") yield line({ start: data.name, nesting: data.nesting });
    else if (type === "test:complete") {
      const skip = data.skip === undefined || data.skip === false ? undefined : String(data.skip);
      yield line({ end: data.name, nesting: data.nesting, skip: skip === "true" ? "" : skip });
    } else if (type === "test:diagnostic" && data.nesting === 0) {
      const total = TOTALS.exec(data.message);
      if (total !== null) yield line({ total: total[1], value: Number(total[2]) });
    }
  }
}

/** @param {object} record */
const line = (record) => `${JSON.stringify(record)}\n`;

/** Reads what {@link reporter} wrote (possibly cut short by a kill). @param {string} text @returns {FileSummary} */
export function readReport(text) {
  /** @type {FileSummary} */
  const summary = { tests: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, skips: [], running: [] };
  /** @type {{ name: string, nesting: number }[]} */
  const open = [];
  for (const text_ of text.split("\n")) {
    /** @type {{ start?: string, end?: string, nesting?: number, skip?: string, total?: string, value?: number }} */
    let record;
    try {
      record = JSON.parse(text_);
    } catch {
      continue; // a line cut short
    }
    if (record.start !== undefined) open.push({ name: record.start, nesting: record.nesting ?? 0 });
    else if (record.end !== undefined) {
      const index = open.findLastIndex((t) => t.name === record.end && t.nesting === record.nesting);
      if (index !== -1) open.splice(index, 1);
      if (record.skip !== undefined) summary.skips.push({ name: record.end, reason: record.skip });
    } else if (record.total !== undefined) summary[/** @type {"tests"} */ (record.total)] = record.value ?? 0;
  }
  summary.running = open.map((t) => t.name);
  return summary;
}
