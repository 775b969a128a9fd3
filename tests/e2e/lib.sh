# lib.sh -- what the end-to-end scripts share: the binary's path, a
# scratch directory removed on exit, check(), and sib() with its helpers.
# Sourced by run.sh and ledger.sh with the sibsim binary as $1.
# shellcheck disable=SC2034 # variables used by the scripts that source this

if [ $# -ne 1 ]; then
    echo "usage: $0 path/to/sibsim" >&2
    exit 2
fi
case "$1" in
/*) sibsim=$1 ;;
*) sibsim=$PWD/$1 ;;
esac
if [ ! -x "$sibsim" ]; then
    echo "$0: $1: not an executable" >&2
    exit 2
fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/sibsim-e2e.XXXXXX")
trap 'rm -rf "$work"' EXIT

passed=0
failed=0

# check DESCRIPTION CODE: ok when the shell code CODE succeeds. CODE is a
# string, expanded only when it runs (hence the single quotes below).
check() {
    if eval "$2"; then
        echo "ok - $1"
        passed=$((passed + 1))
    else
        echo "not ok - $1"
        failed=$((failed + 1))
    fi
}

# sib ARGS...: run sibsim with stdout, stderr and the exit status captured in
# $work/out, $work/err and $status. Never fails, whatever sibsim does.
status=0
sib() {
    status=0
    "$sibsim" "$@" >"$work/out" 2>"$work/err" || status=$?
}

# Helpers for the checks: each succeeds or fails, and prints nothing.
exits() { [ "$status" -eq "$1" ]; }
out_has() { grep -qF -- "$1" "$work/out"; }
err_has() { grep -qF -- "$1" "$work/err"; }
out_empty() { [ ! -s "$work/out" ]; }
err_empty() { [ ! -s "$work/err" ]; }

