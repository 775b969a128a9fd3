#!/usr/bin/env bash
# cluster.sh -- sibsim under mpirun (make MPI=1): every command gives, on
# 2 and 3 processes, the bytes of one process (the run time aside); only
# process 0 writes; a failure of every process ends with its status and
# one message; a failure of one process alone is shown and ends them all.
#
#   tests/e2e/cluster.sh path/to/build-mpi/sibsim path/to/plain/sibsim
#
# Needs Open MPI's mpirun; says so and passes nothing when it is missing.
# shellcheck disable=SC2016,SC2034 # checks are code in single quotes, run by check()
set -uo pipefail
mpi_bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
one_bin=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/sibsim-cluster.XXXXXX")
trap 'rm -rf "$work"' EXIT
if ! command -v mpirun >/dev/null 2>&1; then
    echo "ok - # SKIP mpirun is not installed (scripts/install-deps --mpi)"
    echo "0 passed, 0 failed"
    exit 0
fi
# Root may run mpirun in a container (CI); oversubscribe: 3 processes on 2 cores.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
passed=0 failed=0
check() {
    if eval "$2"; then echo "ok - $1"; passed=$((passed + 1));
    else echo "not ok - $1"; failed=$((failed + 1)); fi
}
pb=$root/scenarios/peterborough.json
ma=$root/scenarios/massachusetts-juvenile-justice.json
norun() { sed 's/"seconds": [0-9.e+-]*, //; s/[0-9.]* s,/ s,/g' "$1"; }

# same NAME ARGS...: the command on one process (plain build) and on 2 and 3
# processes (mpirun) writes the same bytes.
same() {
    local what=$1; shift
    (cd "$work" && "$one_bin" "$@" >"$work/one" 2>/dev/null)
    norun "$work/one" >"$work/one.n"
    local k ok=1
    for k in 2 3; do
        (cd "$work" && timeout 300 mpirun -n "$k" "$mpi_bin" "$@" >"$work/many" 2>"$work/many.err")
        norun "$work/many" >"$work/many.n"
        cmp -s "$work/one.n" "$work/many.n" || ok=0
    done
    check "$what: 2 and 3 processes write one process's bytes" '[ "$ok" = 1 ] && [ -s "$work/one.n" ]'
}

same "run" run -n 20000 -q --format json
same "run, seven tranches" run "$ma" -n 5000 -q --format csv
same "compare" compare "$root/scenarios/rikers-island.json" "$ma" -n 4000 -q --format json
same "sweep" sweep --param /contract/payments/1/price --from 5000 --to 20000 --steps 4 -n 5000 -q --format csv
same "solve" solve --param /contract/payments/1/price --target full_repayment=0.5 -n 4096 --format json
same "converge" converge --precision 0.05 -n 16384 --format json
same "tornado" tornado -n 2048 --format json
same "calibrate" calibrate "$root/scenarios/regional-pilot-to-scale.json" -n 8192

(cd "$work" && "$one_bin" run -n 5000 -q --paths-out one.csv >/dev/null &&
    mpirun -n 3 "$mpi_bin" run -n 5000 -q --paths-out many.csv >/dev/null 2>&1)
check "every future's row (--paths-out) is the same, written once" \
    'cmp -s "$work/one.csv" "$work/many.csv" && [ "$(ls "$work" | grep -c "many.csv")" = 1 ]'
(cd "$work" && "$one_bin" run -n 5000 -q --checkpoint one.ck >/dev/null &&
    mpirun -n 3 "$mpi_bin" run -n 5000 -q --checkpoint many.ck >/dev/null 2>&1)
check "a checkpoint is the same bytes" 'cmp -s "$work/one.ck" "$work/many.ck"'
(cd "$work" && mpirun -n 2 "$mpi_bin" run -n 20000 -q --format json --resume one.ck >"$work/r" 2>/dev/null)
(cd "$work" && "$one_bin" run -n 20000 -q --format json >"$work/w")
check "a cluster run continues a one-process checkpoint" 'cmp -s <(norun "$work/r") <(norun "$work/w")'
cp "$work/one.ck" "$work/one.kept"
(cd "$work" && mpirun -n 3 "$mpi_bin" run -n 20000 -q -o /dev/null --checkpoint one.ck >"$work/o" 2>"$work/e")
st=$?
check "a cluster run that would replace a checkpoint without --resume: exit 2, the message once" \
    '[ "$st" = 2 ] && [ "$(grep -c "already holds 4,096 futures of this run" "$work/e")" = 1 ] &&
     cmp -s "$work/one.ck" "$work/one.kept"'

mpirun -n 3 "$mpi_bin" validate "$root/tests/bad/syntax-unexpected-end.json" >"$work/o" 2>"$work/e"
st=$?
check "bad input on every process: exit 2, the message once" \
    '[ "$st" = 2 ] && [ "$(grep -c "syntax error" "$work/e")" = 1 ]'
mpirun -n 2 "$mpi_bin" tui >"$work/o" 2>"$work/e"
st=$?
check "the TUI refuses to run under mpirun (exit 2)" '[ "$st" = 2 ] && grep -q "one process" "$work/e"'

# One process alone cannot read the scenario (its own working directory).
mkdir -p "$work/a" "$work/b"
cp "$pb" "$work/a/x.json"
timeout 120 mpirun -n 1 -wdir "$work/a" "$mpi_bin" run x.json -n 200000 -q : \
    -n 1 -wdir "$work/b" "$mpi_bin" run x.json -n 200000 -q >"$work/o" 2>"$work/e"
st=$?
check "one process's own failure is shown with its message and ends every process" \
    '[ "$st" = 2 ] && grep -q "\[process 1\] sibsim: run: no scenario" "$work/e"'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
