// tgbench saturate end to end with the reference bot: the closed loop (autocannon on the webhook,
// or the polling drain), the open-loop steps and the knee, with budgets too small to mean anything
// about speed. Only the structure and the bookkeeping are checked, never a figure's size.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, type TestContext, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { SaturateResult } from "../capacity/saturate.ts";
import { runProcess } from "../testing/index.ts";

const BIN = fileURLToPath(new URL("../../bin/tgbench.mjs", import.meta.url));

async function saturate(
  t: TestContext,
  ...args: string[]
): Promise<{ result: SaturateResult; stdout: string }> {
  const dir = mkdtempSync(join(tmpdir(), "tgbench-saturate-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const run = await runProcess(t, process.execPath, [BIN, "saturate", "--results-dir", dir, ...args]);
  assert.equal(run.code, 0, run.stderr);
  const [runDir] = readdirSync(dir);
  assert.ok(runDir !== undefined, "a results directory was written");
  const result = JSON.parse(readFileSync(join(dir, runDir, "saturate.json"), "utf8")) as SaturateResult;
  assert.ok(readFileSync(join(dir, runDir, "saturate.md"), "utf8").length > 0);
  return { result, stdout: run.stdout };
}

describe("tgbench saturate", () => {
  test("webhook: autocannon's POSTs are answered as replies, the open loop steps up, the knee is stated", async (t) => {
    const { result, stdout } = await saturate(
      t,
      ...["--bot", "reference", "--mode", "webhook", "--duration", "300", "--max-rate", "100"],
    );
    const closed = result.closedLoop;
    assert.equal(closed.kind, "closed-loop");
    if (closed.kind !== "closed-loop") return;
    assert.ok(closed.responses2xx > 0, "autocannon got 2xx answers");
    // Requests in flight when autocannon stops still get replies it does not count (its #462).
    assert.ok(closed.replies >= closed.responses2xx, `${closed.replies} replies, ${closed.responses2xx} 2xx`);
    assert.equal(closed.unanswered, 0);
    assert.equal(closed.unmatchedReplies, 0);
    assert.equal(closed.duplicateReplies, 0);
    // --duration 300 needs 100 updates/s for a step's 30 updates, and --max-rate caps it there.
    assert.deepEqual(result.openLoop.plannedPerSecond, [100]);
    assert.ok(result.openLoop.steps.length >= 1 && result.openLoop.steps.length <= 2);
    for (const s of result.openLoop.steps) assert.equal(s.targetPerSecond, 100);
    assert.equal(result.openLoop.marks.length, result.openLoop.steps.length);
    assert.ok(["knee", "harness-ceiling", "max-rate"].includes(result.knee.end.kind), result.knee.end.kind);
    assert.match(stdout, /\| \| closed loop \| open loop \|/);
    assert.match(stdout, /closed loop/i);
    assert.match(stdout, /open loop/i);
  });

  test("long polling: a prefilled queue is drained through getUpdates, every update answered", async (t) => {
    const { result } = await saturate(
      t,
      ...[
        "--bot",
        "reference",
        "--mode",
        "long-polling",
        "--duration",
        "300",
        "--max-rate",
        "50",
        "--prefill",
        "40",
      ],
    );
    const drain = result.closedLoop;
    assert.equal(drain.kind, "drain");
    if (drain.kind !== "drain") return;
    assert.equal(drain.prefilled, 40);
    assert.equal(drain.replies, 40);
  });

  test("a mode the bot does not have is refused in one line before anything starts", async (t) => {
    const run = await runProcess(t, process.execPath, [
      BIN,
      "saturate",
      ...["--bot", "telegraf", "--mode", "short-polling"],
    ]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^tgbench: telegraf cannot short-poll: [^\n]+\n$/);
    assert.doesNotMatch(run.stderr, /closed loop/);
  });

  test("a bad value is a one-line usage error", async (t) => {
    const run = await runProcess(t, process.execPath, [BIN, "saturate", "--connections", "0"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^tgbench: --connections must be between 1 and \d+, got 0\n$/);
  });
});
