/**
 * What a micro-benchmark suite is: a named set of tasks over one hot path, built fresh for each
 * run (so no state leaks between runs or into the smoke test) and torn down afterwards.
 *
 * Suites call the code they measure as thinly as they can: when a module's API changes, the
 * suite's few calls are what needs adapting, and the test in micro.test.ts says so at once.
 */

/** One thing to measure. */
export interface MicroTask {
  /** Shown in the table; unique within its suite. */
  readonly name: string;
  /**
   * One call of the operation measured. Sync tasks may batch (see {@link batch}); async tasks
   * are awaited inside the timed window, one call per sample.
   */
  readonly run: () => unknown;
  /** True when `run` returns a promise to await. */
  readonly async?: boolean;
  /**
   * Calls of `run` per sample, for operations too short to time one by one (a clock read costs
   * tens of ns). Each sample is then the mean over the batch, so the p99 is a p99 of batch means.
   * Default 1.
   */
  readonly batch?: number;
}

/** A suite once built: its tasks and what to undo when they have run. */
export interface BuiltSuite {
  readonly tasks: readonly MicroTask[];
  teardown?(): void | Promise<void>;
}

/** A micro-benchmark suite; `build` prepares fresh state (queues, servers built but never listening). */
export interface MicroSuite {
  /** Short id used by `--filter`, e.g. `reply-matcher`. */
  readonly name: string;
  /** The hot path it covers, with the source file. */
  readonly description: string;
  build(): BuiltSuite | Promise<BuiltSuite>;
}
