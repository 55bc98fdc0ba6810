/**
 * What bench/ gives the product: the built-in bots (bench/bots/catalog.ts) and the named scenarios
 * (bench/scenarios/index.ts), registered in src/'s registries. src/ never imports bench/; the
 * edge does: bin/tgbench.mjs calls {@link registerBench} before it loads the CLI, and so do the
 * benchmarks and tests under bench/ that use the registries.
 */
import { registerScenarios } from "../src/runner/scenario-registry.ts";
import { registerBuiltInSubjects } from "../src/subjects/registry.ts";
import { BENCH_BOTS, BENCH_BOTS_DIRECTORY } from "./bots/catalog.ts";
import { SCENARIOS } from "./scenarios/index.ts";

/** Registers bench/'s bots and scenarios; calling it again changes nothing. */
export function registerBench(): void {
  registerBuiltInSubjects(Object.values(BENCH_BOTS), BENCH_BOTS_DIRECTORY);
  registerScenarios(SCENARIOS);
}
