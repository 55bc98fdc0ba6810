#!/usr/bin/env bash
# Compares the performance of two git refs on this machine, the way the CI performance job does:
#
#   scripts/perf-compare.sh origin/main HEAD
#
# 1. checks both refs out as git worktrees in a temporary directory and installs each;
# 2. runs the quick benchmark for base and head in interleaved rounds on the same machine,
#    alternating which side goes first (base head, head base, base head, …) so that a drift in the
#    machine's speed falls on both sides alike; each round uses its own seed, the same for both;
# 3. merges each side's trials (scripts/perf-merge.mjs) and runs `tgbench compare` on them, with
#    this checkout's tgbench, so the comparison works even when base predates it.
#
# Environment (all optional):
#   PERF_ROUNDS=4      interleaved rounds; each runs base once and head once
#   PERF_TRIALS=2      trials per cell per run: each side gets PERF_ROUNDS × PERF_TRIALS trials
#   PERF_SCENARIO=     a named scenario (bench/scenarios/) instead of the quick matrix
#   PERF_RUN_ARGS=     `tgbench run` flags that replace the quick matrix (e.g. "--bot grammy --mode
#                      webhook --rate 20 --duration 5"); with PERF_SCENARIO, they override its settings
#   PERF_OUT=results/perf-<UTC time>   where rounds, merged reports (base.json, head.json and,
#                      with `tgbench report`, merged-<side>/report.html), comparison and logs go
#   PERF_INSTALL=auto  auto: reuse this checkout's node_modules for a ref whose package.json and
#                      package-lock.json are identical to this checkout's, else `npm ci`;
#                      ci: always `npm ci`; link: always reuse (you vouch that they match)
#   COMPARE_ARGS=      more `tgbench compare` flags (e.g. "--threshold p99=30 --alpha 0.01")
#
# Exit codes: 0 no regression (or too few trials to judge); 1 a regression; 2 a usage error or
# unreadable report; 3 a worktree, an install or a benchmark run failed.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS="${PERF_ROUNDS:-4}"
TRIALS="${PERF_TRIALS:-2}"
SCENARIO="${PERF_SCENARIO:-}"
INSTALL="${PERF_INSTALL:-auto}"
OUT="${PERF_OUT:-$ROOT/results/perf-$(date -u +%Y-%m-%dT%H%M%SZ)}"
# The quick benchmark: two bots, the two modes that matter, one moderate rate, 2 s per trial.
QUICK_MATRIX=(--bot reference grammy --mode long-polling webhook --rate 50 --duration 2)

usage() {
  echo "usage: scripts/perf-compare.sh <base-ref> <head-ref>   (see the comment at the top for settings)" >&2
  exit 2
}
fail() {
  echo "perf-compare: $*" >&2
  exit 3
}

[[ $# -eq 2 ]] || usage
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ && "$TRIALS" =~ ^[1-9][0-9]*$ ]] || {
  echo "perf-compare: PERF_ROUNDS and PERF_TRIALS must be positive integers" >&2
  exit 2
}
[[ "$INSTALL" =~ ^(auto|ci|link)$ ]] || {
  echo "perf-compare: PERF_INSTALL must be auto, ci or link, got $INSTALL" >&2
  exit 2
}
declare -A SHA REF
REF[base]="$1"
REF[head]="$2"
for side in base head; do
  SHA[$side]="$(git -C "$ROOT" rev-parse --verify --quiet "${REF[$side]}^{commit}")" || {
    echo "perf-compare: ${REF[$side]} is not a commit in $ROOT" >&2
    exit 2
  }
done

read -r -a EXTRA_RUN <<<"${PERF_RUN_ARGS:-}"
# tgbench's list flags (--bot, --mode, --rate) add up, so PERF_RUN_ARGS replaces the quick matrix
# rather than being appended to it; after --scenario, its flags override the scenario's settings.
if [[ -n "$SCENARIO" ]]; then
  MATRIX=(--scenario "$SCENARIO")
elif [[ ${#EXTRA_RUN[@]} -gt 0 ]]; then
  MATRIX=()
else
  MATRIX=("${QUICK_MATRIX[@]}")
fi
read -r -a EXTRA_COMPARE <<<"${COMPARE_ARGS:-}"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/tgbench-perf.XXXXXX")"
# shellcheck disable=SC2317 # called by the trap
cleanup() {
  for side in base head; do
    if [[ -d "$WORK/$side" ]]; then git -C "$ROOT" worktree remove --force "$WORK/$side" >/dev/null 2>&1 || true; fi
  done
  rm -rf "$WORK"
  git -C "$ROOT" worktree prune >/dev/null 2>&1 || true
}
trap cleanup EXIT

started=$(date +%s)
mkdir -p "$OUT/logs"
OUT="$(cd "$OUT" && pwd)"
echo "perf-compare: base ${REF[base]} (${SHA[base]:0:10}), head ${REF[head]} (${SHA[head]:0:10})" >&2
echo "perf-compare: $ROUNDS interleaved rounds × $TRIALS trial(s) per cell per side; results in $OUT" >&2

same_dependencies() {
  cmp -s "$1/package.json" "$ROOT/package.json" && cmp -s "$1/package-lock.json" "$ROOT/package-lock.json"
}

for side in base head; do
  dir="$WORK/$side"
  git -C "$ROOT" worktree add --detach --quiet "$dir" "${SHA[$side]}" >"$OUT/logs/$side-worktree.log" 2>&1 ||
    fail "git worktree add for ${REF[$side]} failed; see $OUT/logs/$side-worktree.log"
  t0=$(date +%s)
  reuse=false
  if [[ "$INSTALL" == link ]]; then
    reuse=true
  elif [[ "$INSTALL" == auto && -d "$ROOT/node_modules" ]] && same_dependencies "$dir"; then
    reuse=true
  fi
  if [[ "$reuse" == true ]]; then
    ln -s "$ROOT/node_modules" "$dir/node_modules"
    how="reused this checkout's node_modules"
  else
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >"$OUT/logs/$side-install.log" 2>&1 ||
      fail "npm ci for ${REF[$side]} failed; see $OUT/logs/$side-install.log"
    how="npm ci"
  fi
  echo "perf-compare: $side worktree ready ($how, $(($(date +%s) - t0)) s)" >&2
done

run_side() { # <side> <round>
  local side="$1" round="$2" log="$OUT/logs/$1-round-$2.log" t0
  t0=$(date +%s)
  # Each run would append its own report to the job summary; only the comparison belongs there.
  if ! (cd "$WORK/$side" && GITHUB_STEP_SUMMARY="" node bin/tgbench.mjs run "${MATRIX[@]}" --trials "$TRIALS" --seed "perf-$round" \
    --results-dir "$OUT/$side/round-$round" "${EXTRA_RUN[@]}") >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    fail "the $side benchmark (${REF[$side]}) failed in round $round; see $log"
  fi
  echo "perf-compare: round $round/$ROUNDS $side done in $(($(date +%s) - t0)) s" >&2
}

for ((round = 1; round <= ROUNDS; round++)); do
  if ((round % 2 == 1)); then order=(base head); else order=(head base); fi
  for side in "${order[@]}"; do run_side "$side" "$round"; done
done

for side in base head; do
  reports=("$OUT/$side"/round-*/*/report.json)
  [[ -f "${reports[0]}" ]] || fail "no report.json for $side under $OUT/$side"
  node "$ROOT/scripts/perf-merge.mjs" "${reports[@]}" >"$OUT/$side.json" ||
    fail "merging the $side reports failed"
done

# Each side's merged trials as a full report (report.md, report.html …) when this checkout's tgbench
# has the `report` command; a failure here costs only the rendering, not the comparison.
if node "$ROOT/bin/tgbench.mjs" report --help >/dev/null 2>&1; then
  for side in base head; do
    node "$ROOT/bin/tgbench.mjs" report "$OUT/$side.json" --out "$OUT/merged-$side" >"$OUT/logs/$side-report.log" 2>&1 ||
      echo "perf-compare: rendering the merged $side report failed; see $OUT/logs/$side-report.log" >&2
  done
fi

if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
  {
    echo "# Performance: ${REF[head]} (\`${SHA[head]:0:10}\`) against ${REF[base]} (\`${SHA[base]:0:10}\`)"
    echo
    echo "$ROUNDS interleaved rounds × $TRIALS trial(s) per cell on each side, same runner."
    echo
  } >>"$GITHUB_STEP_SUMMARY"
fi
tgbench_compare() { node "$ROOT/bin/tgbench.mjs" compare "$OUT/base.json" "$OUT/head.json" "${EXTRA_COMPARE[@]}" "$@"; }
set +e
tgbench_compare >"$OUT/compare.md"
status=$?
GITHUB_STEP_SUMMARY="" tgbench_compare --json >"$OUT/compare.json" 2>/dev/null
set -e
cat "$OUT/compare.md"
echo "perf-compare: done in $(($(date +%s) - started)) s; exit $status; $OUT/compare.md, compare.json" >&2
exit "$status"
