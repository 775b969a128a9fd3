# shellcheck shell=bash
# tmux_lib.sh -- what the terminal UI's end-to-end scripts share (tui.sh,
# tui_layout.sh): the binary's absolute path, a scratch directory with its
# own tmux server, removed on exit, check(), and reading the screen.
# Sourced with the sibsim binary as $1; set T_OPTS (e.g. -u, to force
# UTF-8) before sourcing to pass options to every tmux command.
# shellcheck disable=SC2034 # variables used by the scripts that source this
sibsim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
sock="$work/tmux.sock"
# A tmux command that fails (no server left after a UI died) fails the
# checks that follow, not the script.
# shellcheck disable=SC2086 # T_OPTS is a list of options
T() { tmux ${T_OPTS:-} -S "$sock" "$@" || true; }
cleanup() { T kill-server >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

passed=0 failed=0
check() { # check DESCRIPTION COMMAND...
    local what=$1; shift
    if "$@"; then echo "ok - $what"; passed=$((passed + 1));
    else echo "not ok - $what"; failed=$((failed + 1)); fi
}
screen() { T capture-pane -p -t ui; }
# wait_grep OPTION PATTERN: wait (up to 10 s) until grep, with -F (a text)
# or -E (an extended regular expression), finds PATTERN on the screen.
wait_grep() {
    for _ in $(seq 100); do
        if screen | grep -q "$1" -- "$2"; then return 0; fi
        sleep 0.1
    done
    echo "# timed out waiting for: $2" >&2
    screen | sed 's/^/# /' >&2
    return 1
}
# Wait until the screen shows the text.
wait_for() { wait_grep -F "$1"; }
# Wait until a line of the screen matches the extended regular expression.
wait_re() { wait_grep -E "$1"; }
# The screen does not show the text after a pause (0.3 s unless given).
no_screen() { sleep "${2:-0.3}"; ! screen | grep -qF -- "$1"; }
