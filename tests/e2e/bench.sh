#!/usr/bin/env bash
# bench.sh -- end-to-end checks that `make bench` (bench/run.sh) still runs
# and says what it should, at a hundredth of its paths: a line for every
# scenario of the library and for bench/interleaved.json, each with its
# figures and its ratio to a line of bench/baseline.txt, the default's peak
# memory at three path counts, the sweep, and that nothing is judged at a
# scale other than 1. It times nothing: speed is make bench's to report,
# never a test's.
#
#   tests/e2e/bench.sh path/to/sibsim
#
# Prints one line per check, "ok - what" or "not ok - what", then "N passed,
# M failed" alone on the last line; exits 1 if any check failed. Takes a few
# seconds (the sweep of 100 points x 100,000 paths is not scaled).
# shellcheck disable=SC2016 # checks are code in single quotes, run by check()
set -euo pipefail

# shellcheck source=tests/e2e/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

status=0
PATHS=0.01 REPEAT=1 "$root/bench/run.sh" "$sibsim" >"$work/out" 2>"$work/err" || status=$?

check "bench/run.sh at PATHS=0.01 exits 0" 'exits 0'
check "... and writes nothing to standard error" 'err_empty'
check "... with its header" 'out_has "scenario" && out_has "1 thread" && out_has "vs base"'

# row NAME: the line of scenario NAME -- its name, paths a second on one
# thread and on every core (whole numbers above 0), peak RSS and the TUI's
# first estimate (numbers), its ratio to its baseline line ("0.87x", never
# "-": every scenario has one), and its targets, not judged at this scale.
row() {
    grep -qE "^$1 +[1-9][0-9]* +[1-9][0-9]* +[0-9.]+ +[0-9.]+ +[0-9]+[.][0-9]{2}x +>= [0-9]+k: -, TUI <= 50 ms: -$" \
        "$work/out"
}
for f in "$root"/scenarios/*.json "$root/bench/interleaved.json"; do
    name=$(basename "$f" .json)
    check "a line for $name, with its figures and its ratio to bench/baseline.txt" "row '$name'"
done
# The rows are the library's and the reference case's, and no others.
want=$(( $(find "$root/scenarios" -maxdepth 1 -name '*.json' | wc -l) + 1 ))
check "one line a scenario: $want" \
    '[ "$(grep -cE "x +>= [0-9]+k: " "$work/out")" -eq "$want" ]'

for p in 1000 10000 100000; do
    check "the default's peak memory at $p paths" \
        "grep -qE '^peak RSS of the default scenario at $p paths: [0-9]+ MB\$' '$work/out'"
done
check "the sweep of 100 points x 100,000 paths, timed" \
    'grep -qE "^sweep of the default, 100 points x 100,000 paths on [0-9]+ cores: [0-9]+[.][0-9]{2} s$" "$work/out"'
check "nothing is judged at a scale other than 1" \
    'out_has "targets not judged: PATHS=0.01 scales every run" && ! grep -qE ": (met|MISSED)" "$work/out"'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
