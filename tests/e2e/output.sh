#!/usr/bin/env bash
# output.sh -- end-to-end checks that a command whose output cannot be
# written never reports success and always says why: every command with
# its standard output on /dev/full (a device whose every write fails with
# "No space left on device") exits 1 with the cause on stderr, once; a
# reader that goes away early (SIGPIPE) stays as quiet as it was; and the
# usage errors found beside them (help with two commands, cashflows --seed
# without --path).
#
#   tests/e2e/output.sh path/to/sibsim
#
# Prints one line per check, "ok - what" or "not ok - what", then
# "N passed, M failed"; exits 1 if any check failed.
# shellcheck disable=SC2016 # checks are code in single quotes, run by check()
set -euo pipefail

# shellcheck source=tests/e2e/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pb=$root/scenarios/peterborough.json
reg=$root/scenarios/regional-pilot-to-scale.json
rec=$root/tests/indigo/full.json
# `list` lists the repository's scenarios, wherever the binary was built.
export SIBSIM_SCENARIOS=$root/scenarios

# full ARGS...: run sibsim with standard output on /dev/full; stderr and
# the exit status captured in $work/err and $status.
full() {
    status=0
    "$sibsim" "$@" >/dev/full 2>"$work/err" || status=$?
}
# The cause, said once: not also by a second message for the same failure.
cause_once() { [ "$(grep -c 'No space left on device' "$work/err")" -eq 1 ]; }

if [ ! -w /dev/full ]; then
    echo "ok - skipped: no /dev/full here"
    echo "0 passed, 0 failed"
    exit 0
fi

# ------------------------------------------------- every command, /dev/full
# One line a case: the words of a command line (SCENARIO where it takes one).
price=/contract/payments/1/price
cases=(
    "--help"
    "-h"
    "--version"
    "help"
    "help run"
    "run --help"
    "list"
    "validate $pb"
    "validate --verbose $pb"
    "import indigo $rec"
    "import indigo $rec -o $work/imported.json"
    "run -q -n 2000"
    "run $pb -q -n 2000"
    "run $pb -q -n 2000 --format json"
    "compare --case no\\ effect -q -n 2000"
    "compare $pb $pb -q -n 2000"
    "cashflows"
    "cashflows $pb --path 3 --format csv"
    "backtest"
    "backtest $pb"
    "sweep -q -n 2000 -p $price --from 9000 --to 12000 --steps 2"
    "sweep $pb -q -n 2000 -p $price --from 9000 --to 12000 --steps 2"
    "tornado -q -n 2000"
    "tornado $pb -q -n 2000"
    "solve -q -n 2000 -p $price --target pooled_irr=-0.07"
    "solve $pb -q -n 2000 -p $price --target pooled_irr=-0.07"
    "converge -q -n 2048"
    "converge $pb -q -n 2048"
    "pilot-value $reg -q -n 2000"
    "report -q -n 2000"
    "report $pb -q -n 2000"
    "calibrate -n 2000"
    "calibrate $pb -n 2000"
)
for line in "${cases[@]}"; do
    eval "set -- $line"
    full "$@"
    check "$line >/dev/full: exit 1, and stderr says why, once" \
        'exits 1 && cause_once'
done

# The message names what failed: standard output.
full --version
check "--version >/dev/full: 'sibsim: writing standard output: No space left on device'" \
    'err_has "sibsim: writing standard output: No space left on device"'
full list
check "list >/dev/full: the message names standard output" \
    'exits 1 && err_has "sibsim: writing standard output: No space left on device"'
full import indigo "$rec"
check "import to stdout >/dev/full: the message names standard output" \
    'exits 1 && err_has "standard output" && err_has "No space left on device"'

# A failure of the command itself keeps its status; the lost output is
# still said (a missing scenario and a good one: exit 2, both causes).
full validate "$pb" "$work/missing.json"
check "validate GOOD MISSING >/dev/full: exit 2, the missing file and the lost output both said" \
    'exits 2 && err_has "missing.json" && cause_once'

# Standard output closed: the write fails with its cause; a command that
# writes nothing to it is not failed by it.
status=0
"$sibsim" --version >&- 2>"$work/err" || status=$?
check "--version with stdout closed: exit 1, 'Bad file descriptor'" \
    'exits 1 && err_has "writing standard output: Bad file descriptor"'
status=0
"$sibsim" run "$work/missing.json" >&- 2>"$work/err" || status=$?
check "a run that fails before writing, stdout closed: its own exit 2, nothing about stdout" \
    'exits 2 && ! err_has "standard output"'

# ---------------------------------------------- a reader that goes away
# The reader has left before sibsim writes: SIGPIPE ends it, quietly, as
# it always did (no message, 141 = 128 + SIGPIPE).
# The pipe's reading end is closed before sibsim starts (a reader that
# was given 0.3 s to exit first could, on a loaded machine, still be there).
# gone_reader CMD...: run CMD with its stdout on such a pipe, its stderr in
# $work/err; prints its status as the shell gives it (128 + a signal).
gone_reader() {
    python3 -c '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
with open(sys.argv[1], "w") as err:
    rc = subprocess.run(sys.argv[2:], stdout=w, stderr=err).returncode
print(128 - rc if rc < 0 else rc)' "$work/err" "$@"
}
for cmd in list --help "validate $pb"; do
    # shellcheck disable=SC2086,SC2034 # cmd's words are arguments; code is read by check()
    code=$(gone_reader "$sibsim" $cmd)
    check "$cmd | (reader gone): ended by SIGPIPE, nothing on stderr" \
        '[ "$code" -eq 141 ] && err_empty'
done
status=0
"$sibsim" list 2>"$work/err" | head -c1 >/dev/null || status=$?
check "list | head -c1: exit 0, nothing on stderr" 'exits 0 && err_empty'

# ------------------------------------------------------- usage errors
sib help run extra
check "help run extra: exit 2, the extra operand named, nothing on stdout" \
    'exits 2 && err_has "help: takes one command, found also '"'"'extra'"'"'" && err_has "Try '"'"'sibsim help help'"'"'." && out_empty'
sib help run
check "help run: still exit 0" 'exits 0 && out_has "Usage: sibsim run"'

sib cashflows --seed 7
check "cashflows --seed 7 without --path: exit 2, says --path is expected" \
    'exits 2 && err_has "--seed: expected --path K with it" && err_has "Try '"'"'sibsim help cashflows'"'"'." && out_empty'
sib cashflows --case "no effect" --seed 7
check "cashflows --case X --seed 7: exit 2 as well" 'exits 2 && err_has "--seed: expected --path K"'
sib cashflows --path 3 --seed 7 --format json
cp "$work/out" "$work/seed7.json"
sib cashflows --path 3 --seed 8 --format json
check "cashflows --path 3 --seed S: honoured (another seed, another future)" \
    'exits 0 && ! cmp -s "$work/out" "$work/seed7.json" && grep -qF "\"seed\": 7" "$work/seed7.json"'
sib help cashflows
check "help cashflows says --seed is only with --path" 'exits 0 && out_has "the seed of --path, and only with it"'

# ---------------------------------------------------------------- summary
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
