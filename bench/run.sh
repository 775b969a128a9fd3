#!/usr/bin/env bash
# bench/run.sh SIBSIM -- the engine's throughput, as `make bench` prints it:
# for each library scenario and the reference case bench/interleaved.json,
# paths a second on one thread and on every core, the peak RSS, the TUI's
# first estimate (a before/after comparison of 2,048 futures on every core),
# and the ratio to the figures recorded in bench/baseline.txt. Then the
# memory at 10x the paths, and a sweep of 100 points x 100,000 paths.
#
# A benchmark, not a test: it prints numbers and never fails on speed.
# Times are the run's own (`--format json` "seconds": simulation only, not
# loading), each the best of REPEAT runs (default 3: on a shared or virtual
# machine a single run can be 10% slow); set PATHS to scale every run,
# SWEEP=0 to skip the sweep.
#
# Each line also says whether it meets its target, the engine's speed
# floor: one thread at least 1,500,000 paths/s on the default scenario,
# 1,000,000 on the reference case and 200,000 on every other library
# scenario; the TUI's first estimate within 50 ms; the default's peak RSS
# within 50 MB at 10,000,000 paths; the sweep within 5 s. A target is judged
# at the full PATHS only (PATHS=1): at other scales the column says so.
set -euo pipefail
bin=${1:-build/sibsim}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
scale=${PATHS:-1}
baseline=$root/bench/baseline.txt

seconds() { sed -n 's/.*"seconds": \([0-9.]*\).*/\1/p' | head -n 1; }
repeat=${REPEAT:-3}
met=0 missed=0

# judge OK: sets verdict to "met" or "MISSED" (and counts it), or to "-"
# when PATHS scales the runs. Not in a $(...): the counts would be lost.
judge() {
    if [ "$scale" != 1 ]; then
        verdict="-"
    elif [ "$1" = 1 ]; then
        met=$((met + 1))
        verdict="met"
    else
        missed=$((missed + 1))
        verdict="MISSED"
    fi
}

# least A T: the lesser of two times, T when A is empty (no time yet).
least() { awk -v a="$1" -v t="$2" 'BEGIN { print (a == "" || t + 0 < a + 0) ? t : a }'; }

# best CMD...: the least "seconds" of REPEAT runs of CMD.
best() {
    local i b=""
    for ((i = 0; i < repeat; i++)); do b=$(least "$b" "$("$@" | seconds)"); done
    echo "$b"
}

# base NAME: the recorded paths/s on one thread, or empty.
base() { [ -f "$baseline" ] && awk -v n="$1" '$1 == n { print $2 }' "$baseline" || true; }

echo "sibsim bench on $cores cores ($(uname -m)); paths/s are simulated futures a second"
printf '%-34s %11s %11s %9s %9s %8s  %s\n' "scenario" "1 thread" "$cores threads" "RSS MB" "TUI ms" \
    "vs base" "target"
for f in "$root"/scenarios/*.json "$root"/bench/interleaved.json; do
    name=$(basename "$f" .json)
    # Enough paths for about a second on one thread.
    case "$name" in
    massachusetts-juvenile-justice | utah-preschool | regional-pilot-to-scale) n=200000 ;;
    *) n=1000000 ;;
    esac
    n=$(awk -v n="$n" -v s="$scale" 'BEGIN { printf "%d", n * s }')
    s1=$(best "$bin" run "$f" --quiet --paths "$n" --threads 1 --format json)
    sn=$(best "$bin" run "$f" --quiet --paths "$n" --threads "$cores" --format json)
    # Peak RSS from GNU time (Debian's package `time`); "-" without it.
    kb=""
    if [ -x /usr/bin/time ]; then
        kb=$( { /usr/bin/time -f '%M' "$bin" run "$f" --quiet --paths "$n" --threads "$cores" \
            --format csv >/dev/null; } 2>&1 | tail -n 1)
    fi
    tui=$(best "$bin" compare "$f" "$f" --quiet --paths 2048 --threads "$cores" --format json)
    b=$(base "$name")
    case "$name" in
    peterborough) goal=1500000 ;; # the built-in default
    interleaved) goal=1000000 ;;
    *) goal=200000 ;;
    esac
    fast=$(awk -v n="$n" -v s1="$s1" -v g="$goal" 'BEGIN { print (n / s1 >= g) ? 1 : 0 }')
    quick=$(awk -v t="$tui" 'BEGIN { print (t * 1000 <= 50) ? 1 : 0 }')
    judge "$fast"
    speed=$verdict
    judge "$quick"
    verdict="$(awk -v g="$goal" 'BEGIN { printf ">= %gk", g / 1000 }'): $speed, TUI <= 50 ms: $verdict"
    awk -v name="$name" -v n="$n" -v s1="$s1" -v sn="$sn" -v kb="$kb" -v tui="$tui" -v b="$b" \
        -v c="$cores" -v verdict="$verdict" 'BEGIN {
            r1 = n / s1; rn = n / sn
            vs = (b == "") ? "-" : sprintf("%.2fx", r1 / b)
            rss = (kb == "") ? "-" : sprintf("%.1f", kb / 1024)
            printf "%-34s %11.0f %11.0f %9s %9.1f %8s  %s\n", name, r1, rn, rss, tui * 1000, vs, verdict
        }'
done

# Memory must not grow with the number of paths.
if [ -x /usr/bin/time ]; then
    for base_p in 100000 1000000 10000000; do
        p=$(awk -v n="$base_p" -v s="$scale" 'BEGIN { printf "%d", n * s }')
        kb=$( { /usr/bin/time -f '%M' "$bin" run --quiet --paths "$p" --format csv >/dev/null; } 2>&1 | tail -n 1)
        echo "peak RSS of the default scenario at $p paths: $((kb / 1024)) MB"
    done
    # kb is now the peak at the largest run, 10,000,000 paths when PATHS=1.
    if [ "$scale" = 1 ]; then
        judge "$([ "$kb" -le $((50 * 1024)) ] && echo 1 || echo 0)"
        echo "  target: <= 50 MB at 10,000,000 paths: $verdict"
    fi
else
    echo "peak RSS not measured: GNU time (/usr/bin/time, Debian's package time) is not installed"
fi

if [ "${SWEEP:-1}" != 0 ]; then
    # Wall time, the best of REPEAT sweeps.
    wall=""
    for ((i = 0; i < repeat; i++)); do
        start=$(date +%s.%N)
        "$bin" sweep --param /contract/payments/1/price --from 5000 --to 20000 --steps 100 \
            --paths 100000 --threads "$cores" --quiet --format csv >/dev/null
        end=$(date +%s.%N)
        wall=$(least "$wall" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')")
    done
    awk -v w="$wall" -v c="$cores" \
        'BEGIN { printf "sweep of the default, 100 points x 100,000 paths on %d cores: %.2f s\n", c, w }'
    ok=$(awk -v w="$wall" 'BEGIN { print (w <= 5) ? 1 : 0 }')
    if [ "$scale" = 1 ]; then
        judge "$ok"
        echo "  target: <= 5 s: $verdict"
    fi
fi

if [ "$scale" = 1 ]; then
    echo "targets met: $met of $((met + missed))"
else
    echo "targets not judged: PATHS=$scale scales every run"
fi
