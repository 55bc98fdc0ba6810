import type { FigureSources, ModelFigures, ModelInput } from "../model/index.ts";

/**
 * The model's figures for one cell, as report.json stores them (src/runner/cell-model.ts computes
 * them with src/model's `predict`): every figure the report measures, where each came from, and
 * what the model was given. Figures that have no finite value (a ceiling nothing modelled bounds)
 * are null, with a note.
 */
export interface CellPrediction extends ModelFigures {
  /** Where each figure came from: `closed-form`, `simulation` or `none`. */
  sources: FigureSources;
  /**
   * What the model was given: the cell's mode and settings, rate, arrivals, bot, handler time,
   * population, anti-busy-loop switch and network, plus the inputs measured in the same run
   * (the generator's lateness), each named in `notes`. The bot is its name (`reference` …).
   * null for a prediction carried over from an older report.
   */
  input: (Omit<ModelInput, "bot"> & { bot: string }) | null;
  /** Why figures came from the simulation, what was measured and fed in, and what is left out. */
  notes: string[];
}
