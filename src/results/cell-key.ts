import type { CellResult } from "./cell-result.ts";

/**
 * What identifies a cell across runs (compare, merge): its bot, mode, rate and network. A cell
 * without a network (built by hand) counts as loopback, which is what every older report measured.
 */
export const cellKey = (
  cell: Pick<CellResult, "bot" | "mode" | "ratePerSecond"> & { network?: { name: string } },
): string =>
  `${cell.bot}\u0000${cell.mode}\u0000${cell.ratePerSecond}\u0000${cell.network?.name ?? "loopback"}`;
