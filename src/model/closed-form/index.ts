/**
 * Every closed form of the model, for one cell: polling.ts (poll chain and anti-busy-loop cycle),
 * webhook.ts (M/G/1 queues), ceiling.ts (fluid bounds). Figures without an exact closed form under
 * the cell's conditions are null, with a note saying why.
 */
import { type ModelInput, type ResolvedModelInput, resolveModelInput } from "../inputs.ts";
import { ceilingIsExact, throughputCeilingPerSecond } from "./ceiling.ts";
import { derive } from "./derived.ts";
import { pollingClosedForm } from "./polling.ts";
import type { ClosedFormResult } from "./result.ts";
import { webhookClosedForm } from "./webhook.ts";

export type { ClosedFormResult } from "./result.ts";

/** The closed forms for an input already resolved. */
export function closedFormOf(input: ResolvedModelInput): ClosedFormResult {
  const d = derive(input);
  const result = input.mode.mode === "webhook" ? webhookClosedForm(input, d) : pollingClosedForm(input, d);
  result.figures.throughputCeilingPerSecond = throughputCeilingPerSecond(input, d);
  if (!ceilingIsExact(input, d)) {
    result.notes.push(
      "the throughput ceiling's closed form is a bound here (varying delays, or a shared capped pool): the simulation measures it",
    );
  }
  return result;
}

/** The closed forms for one cell. Throws a RangeError for an invalid input. */
export function closedForm(input: ModelInput): ClosedFormResult {
  return closedFormOf(resolveModelInput(input));
}
