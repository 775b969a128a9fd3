#!/usr/bin/env bash
# tests/e2e/tui.sh SIBSIM -- drive the terminal UI as a person would, in a
# tmux session of a pinned size: open a scenario, find and edit a price, see
# the result change, refuse a bad value, undo, save, quit; then check the
# saved file. Prints "ok - ..." lines and a closing "N passed, M failed".
set -euo pipefail
sibsim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
sock="$work/tmux.sock"
T() { tmux -S "$sock" "$@"; }
cleanup() { T kill-server >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

passed=0 failed=0
check() { # check DESCRIPTION COMMAND...
    local what=$1; shift
    if "$@"; then echo "ok - $what"; passed=$((passed + 1));
    else echo "not ok - $what"; failed=$((failed + 1)); fi
}
screen() { T capture-pane -p -t ui; }
# Wait (up to 10 s) until the screen shows the text.
wait_for() {
    for _ in $(seq 100); do
        if screen | grep -qF -- "$1"; then return 0; fi
        sleep 0.1
    done
    echo "# timed out waiting for: $1" >&2
    screen | sed 's/^/# /' >&2
    return 1
}
# The commissioner's mean outcome payments from the results pane.
payments() { screen | sed -n 's/.*Outcome payments \([^ ]*\) (p95.*/\1/p' | head -n 1; }

# A copy of Peterborough with fewer paths, so each run finishes quickly.
sed 's/"paths": 100000/"paths": 16384/' "$root/scenarios/peterborough.json" >"$work/pb.json"
cp "$work/pb.json" "$work/original.json"
chmod 640 "$work/pb.json"

T new-session -d -s ui -x 110 -y 32 "cd '$work' && '$sibsim' tui pb.json; echo EXITED; sleep 30"
check "the UI opens with the tree and the results" wait_for "16384/16384 paths"
check "the results pane shows the structures" wait_for "Financing structures compared"
before=$(payments)
check "the outcome payments are shown ($before)" test -n "$before"

# Find the true-up's price and type a new value.
T send-keys -t ui / && sleep 0.2 && T send-keys -t ui "payments/1/price" Enter
check "find moves to the field" wait_for "/contract/payments/1/price"
T send-keys -t ui Enter && sleep 0.2
check "Enter opens a prompt with the value" wait_for "price = 11000"
T send-keys -t ui C-u "15000" Enter
check "the edit is shown in the tree" wait_for "price: 15000"
check "the status marks the scenario edited" wait_for "[edited]"
sleep 0.5
wait_for "16384/16384 paths" >/dev/null
after=$(payments)
check "the result changes after the edit ($before -> $after)" test "$before" != "$after"

# A bad value is refused with the loader's message and changes nothing.
T send-keys -t ui / && sleep 0.2 && T send-keys -t ui "cohorts/0/size" Enter && sleep 0.2
T send-keys -t ui Enter && sleep 0.2 && T send-keys -t ui C-u "-5" Enter
check "a negative cohort size is refused with the loader's message" \
    wait_for "refused: pb.json: /stages/0/cohorts/0/size: expected a whole number"
check "the refused value is not in the tree" bash -c "! tmux -S '$sock' capture-pane -p -t ui | grep -q 'size: -5'"

# A generator GSL does not have is refused too (the engine's check).
T send-keys -t ui / && sleep 0.2 && T send-keys -t ui "simulation/rng" Enter && sleep 0.2
T send-keys -t ui Enter && sleep 0.2 && T send-keys -t ui C-u "mersenne" Enter
check "an unknown generator is refused with the file and pointer" \
    wait_for "refused: pb.json: /simulation/rng: expected the name of a GSL generator"

# Nudge, then undo the nudge.
T send-keys -t ui / && sleep 0.2 && T send-keys -t ui "payments/1/price" Enter && sleep 0.2
T send-keys -t ui "]"
check "] nudges the price up by 10%" wait_for "price: 16500"
T send-keys -t ui u
check "u undoes the nudge" wait_for "price: 15000"
T send-keys -t ui u
check "undoing every edit leaves the scenario unedited" \
    bash -c "sleep 0.3; ! tmux -S '$sock' capture-pane -p -t ui | grep -qF '[edited]'"
T send-keys -t ui r
check "r redoes the edit" wait_for "price: 15000"

# Views.
T send-keys -t ui 5
check "the before/after view compares on common random numbers" wait_for "Before / after your edits"
T send-keys -t ui 2
check "the histogram view shows a distribution" wait_for "(m: next metric)"
T send-keys -t ui "?"
check "? lists the keys from the key table" wait_for "undo the last edit"
T send-keys -t ui "?"

# Save, then quit.
T send-keys -t ui s
check "s saves the file" wait_for "saved pb.json"
T send-keys -t ui 5
check "after a save the saved file is the new 'before'" wait_for "No edits yet"
T send-keys -t ui q
check "q quits once saved" wait_for "EXITED"

check "the saved file validates" "$sibsim" validate "$work/pb.json"
check "the saved file holds the edited price" \
    python3 -c "import json,sys; d=json.load(open('$work/pb.json')); sys.exit(0 if d['contract']['payments'][1]['price']==15000 else 1)"
check "only the price changed (same fields, same order)" \
    python3 -c "
import json,sys
num=lambda x: float(x)  # 2.0 and 2 are the same number
a=json.load(open('$work/original.json'),parse_int=num,parse_float=num)
b=json.load(open('$work/pb.json'),parse_int=num,parse_float=num)
a['contract']['payments'][1]['price']=15000.0
sys.exit(0 if json.dumps(a)==json.dumps(b) else 1)"
check "the previous file is kept as .bak" cmp -s "$work/pb.json.bak" "$work/original.json"
check "the saved file keeps its permissions" test "$(stat -c %a "$work/pb.json")" = 640

# Unsaved edits: q asks first.
T kill-session -t ui
T new-session -d -s ui -x 110 -y 32 "cd '$work' && '$sibsim' tui pb.json; echo EXITED; sleep 30"
wait_for "paths" >/dev/null
T send-keys -t ui / && sleep 0.2 && T send-keys -t ui "payments/1/price" Enter && sleep 0.2
T send-keys -t ui "+" && sleep 0.3
T send-keys -t ui q
check "q with unsaved edits asks first" wait_for "unsaved edits"
T send-keys -t ui n Enter
check "answering n quits without saving" wait_for "EXITED"
check "the file on disk is unchanged" \
    python3 -c "import json,sys; d=json.load(open('$work/pb.json')); sys.exit(0 if d['contract']['payments'][1]['price']==15000 else 1)"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
