import type { ScenarioOptions } from "./scenario.ts";

/**
 * Named scenarios (`tgbench run --scenario <name>`), by name: a registry the edge fills
 * (bin/tgbench.mjs registers bench/scenarios/ through bench/index.ts), so that src/ never imports
 * bench/. The CLI's `--scenario` choices are its keys.
 */
export const NAMED_SCENARIOS: Readonly<Record<string, Readonly<ScenarioOptions>>> = {};

/**
 * Adds named scenarios. Registering the same object again is a no-op; another scenario under a
 * taken name is an error.
 */
export function registerScenarios(scenarios: Readonly<Record<string, Readonly<ScenarioOptions>>>): void {
  const registry = NAMED_SCENARIOS as Record<string, Readonly<ScenarioOptions>>;
  for (const [name, scenario] of Object.entries(scenarios)) {
    const existing = registry[name];
    if (existing === scenario) continue;
    if (existing !== undefined) throw new Error(`a scenario named "${name}" is already registered`);
    registry[name] = scenario;
  }
}
