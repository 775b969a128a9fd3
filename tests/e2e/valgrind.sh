#!/usr/bin/env bash
# tests/e2e/valgrind.sh SIBSIM -- every command once under valgrind's
# memcheck, on few paths: no invalid read or write, no use of an
# uninitialised value, no definite leak. (The sanitizer build checks the
# same with the compiler's help; valgrind checks the binary users run.)
# Prints "ok - ..." lines and a closing "N passed, M failed".
set -uo pipefail
sibsim=$1
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! command -v valgrind >/dev/null 2>&1; then
    echo "ok - # SKIP valgrind is not installed"
    echo "0 passed, 0 failed"
    exit 0
fi
passed=0 failed=0
pb=$root/scenarios/peterborough.json
ma=$root/scenarios/massachusetts-juvenile-justice.json
# vg EXPECTED-STATUS DESCRIPTION ARGS...
vg() {
    local want=$1 what=$2; shift 2
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        "$sibsim" "$@" >"$work/out" 2>"$work/err"
    local rc=$?
    if [ "$rc" -eq "$want" ] && ! grep -q '^==[0-9]*==' "$work/err"; then
        echo "ok - $what"; passed=$((passed + 1))
    else
        echo "not ok - $what (exit $rc, expected $want)"; failed=$((failed + 1))
        grep '^==[0-9]*==' "$work/err" | head -n 20 | sed 's/^/# /'
    fi
}
vg 0 "run, the default on 2 threads" run --quiet --paths 2000 --threads 2
vg 0 "run, seven tranches, as JSON with every future's row" run "$ma" --quiet --paths 300 \
    --format json --paths-out "$work/paths.csv"
vg 0 "cashflows of one future" cashflows --path 3
vg 0 "run and cashflows of the financing terms (tied tranches, coupons, redemptions)" \
    run "$root/tests/json/fin-terms.json" --quiet --paths 500 --threads 2
vg 0 "cashflows of the financing terms" cashflows "$root/tests/json/fin-terms.json" --path 5
vg 0 "backtest on the realised record" backtest "$pb"
vg 0 "compare two scenarios (one currency)" compare "$root/scenarios/rikers-island.json" "$ma" --quiet --paths 300
vg 0 "sweep" sweep --param /contract/payments/1/price --from 5000 --to 20000 --steps 3 \
    --paths 300 --quiet --format csv
vg 0 "tornado" tornado --paths 200 --format json
vg 1 "solve that finds nothing in its range" solve --param /financing/0/tranches/0/return_cap \
    --target irr=0.05 -n 300
vg 0 "converge" converge --precision 0.05 -n 4096
vg 0 "report, the committee paper" report --paths 300 --quiet --out "$work/report.html"
vg 0 "pilot-value" pilot-value "$root/scenarios/regional-pilot-to-scale.json" --paths 200 --quiet
vg 2 "validate of a file with a syntax error" validate "$root/tests/bad/syntax-unexpected-end.json"
vg 0 "validate of the whole library" validate "$root"/scenarios/*.json
vg 0 "import of an INDIGO record" import indigo "$root/tests/indigo/full.json" -o "$work/imported.json"
vg 0 "import of a project of the INDIGO CSV export" import indigo "$root/tests/indigo/csv" \
    --id INDIGO-POJ-9101 -o "$work/imported-csv.json"
vg 2 "import of a malformed INDIGO record" import indigo "$root/tests/indigo/bad-date.json"
vg 0 "calibrate" calibrate "$root/scenarios/regional-pilot-to-scale.json" --paths 500
vg 0 "--out through the writer" run --quiet --paths 500 --format csv --out "$work/out.csv"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
