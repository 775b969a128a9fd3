#!/usr/bin/env bash
# bench/run.sh SIBSIM -- engine throughput on the built-in Peterborough
# scenario: paths per second for 1 thread and for every core. A benchmark,
# not a test: it prints numbers and never fails on speed.
set -euo pipefail
bin=${1:-build/sibsim}
paths=${PATHS:-1000000}
cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
echo "sibsim bench: built-in Peterborough scenario, $paths paths"
for t in 1 "$cores"; do
    secs=$("$bin" run --quiet --paths "$paths" --threads "$t" --format json |
        sed -n 's/.*"seconds": \([0-9.]*\).*/\1/p')
    awk -v p="$paths" -v s="$secs" -v t="$t" \
        'BEGIN { printf "  %2d thread%s  %7.3f s  %10.0f paths/s\n", t, t == 1 ? " " : "s", s, p / s }'
done
# Memory must not grow with the number of paths: compare peak RSS at 10x paths.
if command -v /usr/bin/time >/dev/null 2>&1; then
    for p in $((paths / 10)) "$paths"; do
        kb=$( { /usr/bin/time -f '%M' "$bin" run --quiet --paths "$p" --format csv >/dev/null; } 2>&1 | tail -n 1)
        echo "  peak RSS at $p paths: ${kb} KB"
    done
fi
