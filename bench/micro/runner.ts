/**
 * Runs micro-benchmark suites with tinybench, one suite at a time (built just before its tasks run,
 * torn down right after), and turns each task's result into a row of figures.
 */
import { Bench, type Fn, type FnReturnedObject } from "tinybench";
import type { MicroSuite, MicroTask } from "./suite.ts";

/** How long each task runs. */
export interface MicroBudget {
  /** Measured time per task, ms (tinybench `time`). */
  timeMs: number;
  /** Unmeasured warm-up per task, ms; 0 turns the warm-up off. */
  warmupMs: number;
  /** Samples per task at least, however long they take (tinybench `iterations`). */
  minSamples: number;
}

/**
 * The budget of `npm run bench:micro`: ~30 tasks × (1 s + 0.25 s) stays well under the
 * 2 minutes the issue allows on 2 cores, and gives thousands of samples per task.
 */
export const MICRO_DEFAULTS: Readonly<MicroBudget> = { timeMs: 1_000, warmupMs: 250, minSamples: 32 };

/** The figures of one task; every time in µs per call of the operation. */
export interface MicroRow {
  suite: string;
  task: string;
  /** Calls per sample (1 unless the task batches). */
  batch: number;
  /** 1 / mean: calls per second. */
  opsPerSecond: number;
  meanUs: number;
  p50Us: number;
  p99Us: number;
  /** tinybench's relative margin of error of the mean (95 %), percent. */
  rmePercent: number;
  samples: number;
  /** Set when the task threw; the figures are then NaN. */
  error?: string;
}

/** Results are kept here so the optimiser cannot drop a call whose value nobody reads. */
let sink: unknown;

function timed(task: MicroTask): Fn {
  const batch = task.batch ?? 1;
  if (task.async === true || batch === 1) return task.run;
  const { run } = task;
  return (): FnReturnedObject => {
    const startMs = performance.now();
    for (let i = 0; i < batch; i++) sink = run();
    const elapsedMs = performance.now() - startMs;
    return { overriddenDuration: elapsedMs / batch, overriddenIterationCost: elapsedMs };
  };
}

function rowOf(suite: MicroSuite, task: MicroTask, result: Bench["tasks"][number]["result"]): MicroRow {
  const base = { suite: suite.name, task: task.name, batch: task.batch ?? 1 };
  if (result.state === "completed") {
    const { latency } = result;
    return {
      ...base,
      opsPerSecond: latency.mean > 0 ? 1000 / latency.mean : Number.POSITIVE_INFINITY,
      meanUs: latency.mean * 1000,
      p50Us: latency.p50 * 1000,
      p99Us: latency.p99 * 1000,
      rmePercent: latency.rme,
      samples: latency.samplesCount,
    };
  }
  const error = result.state === "errored" ? result.error.message : `task ${result.state}`;
  return {
    ...base,
    opsPerSecond: NaN,
    meanUs: NaN,
    p50Us: NaN,
    p99Us: NaN,
    rmePercent: NaN,
    samples: 0,
    error,
  };
}

/** Runs `suites` in order; `onSuite` gets each suite's rows as soon as it is done. */
export async function runMicroSuites(
  suites: readonly MicroSuite[],
  budget: MicroBudget,
  onSuite: (suite: MicroSuite, rows: MicroRow[]) => void = () => {},
): Promise<MicroRow[]> {
  const rows: MicroRow[] = [];
  for (const suite of suites) {
    const built = await suite.build();
    let suiteRows: MicroRow[];
    try {
      const bench = new Bench({
        name: suite.name,
        time: budget.timeMs,
        iterations: budget.minSamples,
        warmup: budget.warmupMs > 0,
        warmupTime: budget.warmupMs,
        warmupIterations: Math.min(16, budget.minSamples),
      });
      for (const task of built.tasks) bench.add(task.name, timed(task), { async: task.async === true });
      await bench.run();
      suiteRows = built.tasks.map((task) => rowOf(suite, task, bench.getTask(task.name)!.result));
    } finally {
      await built.teardown?.();
    }
    rows.push(...suiteRows);
    onSuite(suite, suiteRows);
  }
  void sink;
  return rows;
}
