/**
 * The functions with the most self time in a V8 CPU profile (`node --cpu-prof`), optionally only
 * over a window of the process.hrtime clock (µs), which is the clock V8 stamps profiles with on
 * Linux: a harness step's profile cut to its measured window leaves start-up and warm-up out.
 * Idle time (V8's `(idle)` node: the event loop waiting) is counted apart, so shares are of the
 * time the process was busy.
 */

const IDLE = "(idle)";

/** The parts of a .cpuprofile this reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTimeRow {
  /** Function name, `(anonymous)` when it has none; V8's own entries keep theirs, e.g. `(garbage collector)`. */
  name: string;
  /** `path:line` relative to `root`, or a node: URL; empty for V8's own entries. */
  location: string;
  selfMs: number;
  /** Of the busy (not idle) sampled time in the window, 0–1. */
  share: number;
}

export interface SelfTimeSummary {
  rows: SelfTimeRow[];
  /** Busy (not idle) sampled time in the window, ms. */
  totalMs: number;
  /** Idle sampled time in the window, ms. */
  idleMs: number;
  /** False when the window held no sample and the whole profile was used. */
  windowed: boolean;
}

function locationOf(url: string, lineNumber: number, root: string): string {
  if (url === "") return "";
  const path = url.startsWith("file://") ? decodeURIComponent(url.slice("file://".length)) : url;
  const relative = root !== "" && path.startsWith(root) ? path.slice(root.length).replace(/^\//, "") : path;
  // Code loaded through a TypeScript loader reports line 0 for everything: no line then.
  return lineNumber > 0 ? `${relative}:${lineNumber + 1}` : relative;
}

/**
 * Self time per function (summed over every node of the same name and place), largest first.
 * Each sample counts for the time until the next one (the last, until the profile's end).
 */
export function topSelfTime(
  profile: CpuProfile,
  options: { window?: { startUs: number; endUs: number } | null; limit?: number; root?: string } = {},
): SelfTimeSummary {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const stamps: number[] = [];
  let t = profile.startTime;
  for (const delta of profile.timeDeltas) {
    t += delta;
    stamps.push(t);
  }
  const tally = (window: { startUs: number; endUs: number } | null) => {
    const selfUs = new Map<string, { name: string; location: string; us: number }>();
    let totalUs = 0;
    let idleUs = 0;
    for (let i = 0; i < profile.samples.length; i++) {
      const at = stamps[i]!;
      if (window !== null && (at < window.startUs || at > window.endUs)) continue;
      const durationUs = (stamps[i + 1] ?? profile.endTime) - at;
      const frame = byNode.get(profile.samples[i]!);
      if (frame === undefined || durationUs <= 0) continue;
      if (frame.functionName === IDLE) {
        idleUs += durationUs;
        continue;
      }
      const name = frame.functionName === "" ? "(anonymous)" : frame.functionName;
      const location = locationOf(frame.url, frame.lineNumber, options.root ?? "");
      const key = `${name}\u0000${location}`;
      const entry = selfUs.get(key) ?? { name, location, us: 0 };
      entry.us += durationUs;
      selfUs.set(key, entry);
      totalUs += durationUs;
    }
    return { selfUs, totalUs, idleUs };
  };
  let windowed = options.window !== undefined && options.window !== null;
  let { selfUs, totalUs, idleUs } = tally(windowed ? options.window! : null);
  if (windowed && totalUs + idleUs === 0) {
    windowed = false;
    ({ selfUs, totalUs, idleUs } = tally(null));
  }
  const rows = [...selfUs.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, options.limit ?? 15)
    .map((e) => ({
      name: e.name,
      location: e.location,
      selfMs: e.us / 1000,
      share: totalUs > 0 ? e.us / totalUs : 0,
    }));
  return { rows, totalMs: totalUs / 1000, idleMs: idleUs / 1000, windowed };
}
