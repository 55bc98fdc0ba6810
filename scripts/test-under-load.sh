#!/usr/bin/env bash
# The tests' proof under load: runs `npm test` three times in a row while busy loops occupy every
# core (at least two), then checks that no process the tests started is still running and that
# none of them still holds a listening socket. Exits 0 only if every run passed and nothing was
# left. The busy loops stop by themselves after TGBENCH_LOAD_MAX_SECONDS (default 1800) and are
# killed at the end, on failure and on Ctrl-C.
#
# Usage: scripts/test-under-load.sh [runs]        (default 3; logs in results/test-under-load/)
set -uo pipefail
cd "$(dirname "$0")/.."

runs="${1:-3}"
max_seconds="${TGBENCH_LOAD_MAX_SECONDS:-1800}"
cores="$(nproc 2>/dev/null || echo 2)"
loops=$((cores < 2 ? 2 : cores))
# scripts/run-tests.mjs passes TGBENCH_TEST_RUN on to every test file, and so to everything the
# tests start; only `npm test` gets it, so nothing else here carries it.
marker="under-load-$$-$(date +%s)"
logs="results/test-under-load"
mkdir -p "$logs"

busy=()
npm_pid=""
stop_busy_loops() {
  for pid in "${busy[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${busy[@]}"; do wait "$pid" 2>/dev/null; done
  busy=()
}
on_signal() {
  echo "test-under-load: interrupted; stopping npm test and the busy loops" >&2
  [ -n "$npm_pid" ] && kill -TERM "$npm_pid" 2>/dev/null && wait "$npm_pid" 2>/dev/null
  stop_busy_loops
  exit 130
}
trap stop_busy_loops EXIT
trap on_signal INT TERM HUP

for _ in $(seq "$loops"); do
  (
    end=$((SECONDS + max_seconds))
    while ((SECONDS < end)); do :; done
  ) &
  busy+=($!)
done
echo "test-under-load: $loops busy loops on $cores cores (at most ${max_seconds} s); $runs runs of npm test"

failed=0
for run in $(seq "$runs"); do
  log="$logs/run-$run.log"
  started=$SECONDS
  TGBENCH_TEST_RUN="$marker" npm test >"$log" 2>&1 &
  npm_pid=$!
  wait "$npm_pid"
  status=$?
  npm_pid=""
  if [ "$status" -eq 0 ]; then verdict="passed"; else verdict="FAILED (exit $status)"; failed=1; fi
  echo "--- run $run of $runs: $verdict in $((SECONDS - started)) s (log: $log)"
  # The runner's summary: totals, skipped tests, slowest files, failed files.
  sed -n '/^tests [0-9]* · pass/,$p' "$log"
done
stop_busy_loops

# Leftovers: live processes (not zombies) that carry this run's marker, and the listening sockets
# they hold. Processes that were still dying get a moment first.
marked_processes() {
  local environ pid state
  for environ in /proc/[0-9]*/environ; do
    pid="${environ#/proc/}"
    pid="${pid%/environ}"
    grep -qsz "^TGBENCH_TEST_RUN=${marker}\$" "$environ" || continue
    state="$(sed -E 's/^.*\) (.).*$/\1/' "/proc/$pid/stat" 2>/dev/null)"
    [ -z "$state" ] || [ "$state" = "Z" ] || [ "$state" = "X" ] && continue
    echo "$pid"
  done
}
left=""
for _ in 1 2 3 4 5 6 7 8 9 10; do
  left="$(marked_processes)"
  [ -z "$left" ] && break
  sleep 0.5
done
if [ -n "$left" ]; then
  failed=1
  echo "✖ processes started by the tests are still running:"
  for pid in $left; do echo "    $pid $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"; done
else
  echo "✔ no process started by the tests is left"
fi

held=""
if command -v ss >/dev/null; then
  while read -r line; do
    for pid in $(grep -o 'pid=[0-9]*' <<<"$line" | cut -d= -f2); do
      grep -qsz "^TGBENCH_TEST_RUN=${marker}\$" "/proc/$pid/environ" && held+="    $line"$'\n'
    done
  done < <(ss -Hltnup 2>/dev/null)
  if [ -n "$held" ]; then
    failed=1
    echo "✖ sockets opened by the tests are still bound:"
    printf '%s' "$held"
  else
    echo "✔ no socket opened by the tests is still bound ($(ss -Hltnu 2>/dev/null | wc -l) listening on the machine, none of them the tests')"
  fi
else
  echo "(ss not found: listening sockets not checked)"
fi

if [ "$failed" -eq 0 ]; then echo "test-under-load: passed"; else echo "test-under-load: FAILED"; fi
exit "$failed"
