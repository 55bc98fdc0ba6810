import { type MonotonicClock, PERFORMANCE_CLOCK } from "./clock.ts";

const MS_PER_SECOND = 1_000;

/** A running {@link startSecondTimer}. */
export interface SecondTimer {
  stop(): void;
}

/**
 * Calls `onSecond(k)` once second k of a trial is over, for k = 0, 1, 2 …: at startMs + (k + 1) s,
 * each time aimed at that boundary (not an interval that drifts). The callback is told which second
 * it closes, so a timer that fires a little early or late still samples into the right second.
 */
export function startSecondTimer(
  startMs: number,
  onSecond: (second: number) => void,
  clock: MonotonicClock = PERFORMANCE_CLOCK,
): SecondTimer {
  let second = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const arm = () => {
    const boundaryMs = startMs + (second + 1) * MS_PER_SECOND;
    timer = setTimeout(fire, Math.max(0, boundaryMs - clock.nowMs()));
  };
  const fire = () => {
    if (stopped) return;
    onSecond(second);
    second++;
    arm();
  };
  arm();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
