#!/usr/bin/env bash
# run.sh -- run the libFuzzer targets that `make fuzz` built.
#
#   tests/fuzz/run.sh BUILD SECONDS TARGET...          fuzz each TARGET
#   tests/fuzz/run.sh --reproduce BUILD 0 TARGET...    run the open reproducers
#
# Fuzzing: each target runs for SECONDS on a copy of BUILD/corpus/TARGET in
# a temporary directory (the corpus in the tree is never changed), with the
# dictionary of the scenario format, a timeout of FUZZ_TIMEOUT seconds (25)
# for one input and FUZZ_RSS_MB (2048) of memory. A crash, leak, timeout or
# out-of-memory is kept in BUILD/findings/TARGET/ and fails the run after
# every target has had its turn. One line per target says how many inputs
# it ran, how fast, and the corpus it ended with. The targets step around
# the defects known and still open (SIBSIM_FUZZ_SKIP_OPEN=1, see
# tests/fuzz/fuzz.h): this run fails on what is new.
#
# --reproduce runs each target once on every file tests/fuzz/crashes/fuzz_TARGET-*
# (every finding is kept there) and says which still fail (a defect still
# open) and which pass (fixed: the file is then also a seed in
# tests/fuzz/seeds/TARGET/, with its regression test).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

reproduce=0
if [ "${1:-}" = "--reproduce" ]; then reproduce=1; shift; fi
[ $# -ge 3 ] || { echo "usage: $0 [--reproduce] BUILD SECONDS TARGET..." >&2; exit 2; }
build=$1 seconds=$2
shift 2
timeout=${FUZZ_TIMEOUT:-25}
rss=${FUZZ_RSS_MB:-2048}
failed=0

if [ "$reproduce" = 1 ]; then
    for t in "$@"; do
        for f in tests/fuzz/crashes/fuzz_"$t"-*; do
            [ -f "$f" ] || continue
            if "$build/fuzz_$t" -timeout="$timeout" -rss_limit_mb="$rss" "$f" \
                >"$build/repro.log" 2>&1; then
                if [ -f "tests/fuzz/seeds/$t/$(basename "$f")" ]; then
                    echo "fixed  - $f (a seed of the corpus too)"
                else
                    echo "fixed  - $f (passes: copy it to tests/fuzz/seeds/$t/)"
                fi
            else
                echo "open   - $f"
                grep -m1 -E 'ERROR: |fuzz invariant broken|runtime error' "$build/repro.log" |
                    sed 's/^/         /'
                failed=1
            fi
        done
    done
    exit 0 # open defects are expected here: this only reports
fi

for t in "$@"; do
    bin=$build/fuzz_$t
    [ -x "$bin" ] || { echo "fuzz: $bin is missing: run make fuzz" >&2; exit 2; }
    work=$(mktemp -d "${TMPDIR:-/tmp}/sibsim-fuzz-$t.XXXXXX")
    cp -r "$build/corpus/$t" "$work/corpus"
    seeds=$(find "$work/corpus" -type f | wc -l)
    SIBSIM_FUZZ_SKIP_OPEN=1 "$bin" -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb="$rss" \
        -dict=tests/fuzz/scenario.dict -artifact_prefix="$work/" -print_final_stats=1 \
        "$work/corpus" >"$work/log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log" | tail -1)
    corpus=$(find "$work/corpus" -type f | wc -l)
    if [ "$rc" = 0 ]; then
        echo "ok - fuzz_$t: ${runs:-?} inputs in ${seconds}s (${speed:-?}/s), corpus $seeds -> $corpus"
    else
        failed=1
        mkdir -p "$build/findings/$t"
        cp "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* "$build/findings/$t/" \
            2>/dev/null
        cp "$work/log" "$build/findings/$t/log"
        echo "not ok - fuzz_$t failed (exit $rc) after ${runs:-?} inputs; findings in $build/findings/$t/:"
        ls "$build/findings/$t" | sed 's/^/    /'
        grep -m3 -E 'ERROR: |fuzz invariant broken|runtime error|SUMMARY' "$work/log" | sed 's/^/    /'
    fi
    rm -rf "$work"
done
exit "$failed"
