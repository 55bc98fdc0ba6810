import { type ChildProcess, spawn } from "node:child_process";
import type { Socket } from "node:net";

/**
 * A watchdog that kills the process groups tgbench started when tgbench dies, whatever kills it:
 * SIGKILL and a crash of Node included, which no handler inside the process can catch.
 *
 * It is a small shell process in its own process group (so a Ctrl-C or a signal to tgbench's
 * group does not reach it), reading tgbench's instructions from a pipe: `+<pgid>` to guard a
 * group, `-<pgid>` to forget it. When tgbench dies the kernel closes the pipe's write end; the
 * watchdog reads end of file and sends SIGKILL to every group it still guards, then exits. Nothing
 * is polled: it acts as soon as the pipe closes. Only tgbench holds the write end (Node opens every
 * pipe close-on-exec, so the bots do not inherit it), and a normal exit closes it too, after
 * tgbench has stopped its bots and forgotten their groups.
 */
const WATCHDOG_SCRIPT = `
groups=" "
while IFS= read -r line; do
  case "$line" in
    +*) groups="$groups\${line#+} " ;;
    -*) kept=" "; for g in $groups; do [ "$g" = "\${line#-}" ] || kept="$kept$g "; done; groups=$kept ;;
  esac
done
for g in $groups; do kill -9 "-$g" 2>/dev/null; done
`;

let watchdog: ChildProcess | undefined;

function start(): ChildProcess {
  const child = spawn("/bin/sh", ["-c", WATCHDOG_SCRIPT], {
    stdio: ["pipe", "ignore", "ignore"],
    detached: true,
  });
  // Never keep tgbench alive for the watchdog's sake, and never crash on a watchdog that is gone.
  child.unref();
  (child.stdin as unknown as Socket).unref();
  child.stdin?.on("error", () => {});
  child.on("error", () => {});
  child.once("exit", () => {
    if (watchdog === child) watchdog = undefined;
  });
  return child;
}

function tell(line: string): void {
  watchdog ??= start();
  watchdog.stdin?.write(`${line}\n`);
}

/** From now on, the process group `pgid` is SIGKILLed if tgbench dies before it calls {@link releaseProcessGroup}. */
export function guardProcessGroup(pgid: number): void {
  tell(`+${pgid}`);
}

/** The group `pgid` is gone (or stopped by tgbench itself): the watchdog forgets it. */
export function releaseProcessGroup(pgid: number): void {
  if (watchdog !== undefined) tell(`-${pgid}`);
}

/** The watchdog's pid, for tests; undefined before the first guarded group. */
export function watchdogPid(): number | undefined {
  return watchdog?.pid;
}
