#!/usr/bin/env bash
# tests/e2e/tui_layout.sh SIBSIM -- the terminal UI's layout in tmux, at
# 80 x 24 and 110 x 32, under a UTF-8 locale: columns aligned when the
# currency symbol is several bytes (€, £), the results pane scrolling when
# it does not fit, each before/after row naming its financing structure,
# the help fitting the screen and scrolling, and histograms with axes; then
# what gives way on a narrow screen: a number in the tree is never cut,
# the status line's flags always show, a histogram's labels are whole, and
# keys wait while the terminal is too small, as does an open question; a
# message too long for its line ends in a marker, and so does a label in
# the results pane, whose value columns are never cut; a tornado row keeps
# a name of its own, and a histogram's title its measure.
# Prints "ok - ..." lines and a closing "N passed, M failed".
set -euo pipefail
T_OPTS=-u # UTF-8, whatever the locale of the caller
# shellcheck source=tests/e2e/tmux_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/tmux_lib.sh"
# scroll_to TEXT: press J (scroll the results down) until TEXT shows.
scroll_to() {
    for _ in $(seq 12); do
        if screen | grep -qF -- "$1"; then return 0; fi
        T send-keys -t ui J
        sleep 0.3
    done
    screen | grep -qF -- "$1"
}
# open FILE COLSxROWS: the UI on FILE in a fresh session of that size.
open_ui() {
    T kill-session -t ui >/dev/null 2>&1 || true
    T new-session -d -s ui -x "${2%x*}" -y "${2#*x}" \
        "cd '$work' && LC_ALL=C.UTF-8 '$sibsim' tui '$1'; echo EXITED; sleep 30"
}
find_field() { T send-keys -t ui / && sleep 0.2 && T send-keys -t ui "$1" Enter && sleep 0.2; }
# quit_ui: q, and wait for the UI to end (a UI with unsaved edits asks
# first: quit_edited, below).
quit_ui() { T send-keys -t ui q; wait_for EXITED >/dev/null || true; }
# The screen as a file, for the Python checks below.
snap() { screen >"$work/screen.txt"; }
# status_matches REGEX: the status line (the screen's last) matches.
status_matches() { screen | tail -n 1 | grep -qE -- "$1"; }
# status_comes ERE: the status line matches within 10 s (after a resize,
# whose redraw a loaded machine may take a while to make).
status_comes() {
    for _ in $(seq 100); do status_matches "$1" && return 0; sleep 0.1; done
    return 1
}

# aligned LABEL...: on the screen, the rows of the results pane that start
# with these labels all end in the same display column (the values are
# right-aligned), and at least two of them are there.
aligned() {
    snap
    python3 - "$work/screen.txt" "$@" <<'EOF'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
labels = sys.argv[2:]
ends = {}
for line in lines:
    if "│" not in line:
        continue
    right = line.split("│", 1)[1]
    for lab in labels:
        if right.startswith(lab):
            ends[lab] = len(right.rstrip())  # code points = columns here (no wide characters)
if len(ends) < 2 or len(set(ends.values())) != 1:
    print("# not aligned:", ends, file=sys.stderr)
    sys.exit(1)
EOF
}
# cols_aligned: every row of the before/after view that has four values
# ends in the same display column.
cols_aligned() {
    snap
    python3 - "$work/screen.txt" <<'EOF'
import re, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
ends = set()
rows = money = plain = 0
for line in lines:
    if "│" not in line:
        continue
    right = line.split("│", 1)[1].rstrip()
    if len(re.findall(r"-?[£€$]?[0-9][0-9.,]*[kmxb%]?", right[-40:])) >= 4:
        ends.add(len(right))
        rows += 1
        if re.search(r"[£€]", right): money += 1
        else: plain += 1
# Rows of money (several bytes a symbol) and rows without must end alike.
if money < 1 or plain < 1 or len(ends) != 1:
    print("# not aligned:", rows, money, plain, ends, file=sys.stderr)
    sys.exit(1)
EOF
}
# axes: the histogram has a y axis with a percentage at its top, a 0% x
# axis with ticks, values under the axis at its ends and middle, and the
# percentiles marked.
axes() {
    snap
    python3 - "$work/screen.txt" <<'EOF'
import re, sys
right = [l.split("│", 1)[1] if "│" in l else "" for l in open(sys.argv[1], encoding="utf-8").read().split("\n")]
ok = True
ticks = [i for i, l in enumerate(right) if re.match(r"\s*[0-9.]+% ┤", l)]
axis = [i for i, l in enumerate(right) if re.match(r"\s*0% └┴[─┴]*┴", l)]
if len(ticks) < 2 or len(axis) != 1:
    ok = False
else:
    values = re.findall(r"-?[£€$]?[0-9][0-9.,]*[kmxb%]?", right[axis[0] + 1])
    ok = (len(values) == 3 and "^" in right[axis[0] + 2] and "p5" in right[axis[0] + 3]
          and "median" in right[axis[0] + 4])
if not ok:
    print("# no axes:", ticks, axis, file=sys.stderr)
sys.exit(0 if ok else 1)
EOF
}

# whole_labels: under the histogram's axis (of an IRR), the values at its
# ends and middle are whole percentages, the names under the carets are
# p5, p50 and p95 whole (p50 among them: Peterborough's median and 95th
# percentile share the last bin), and the bottom line's values are whole.
whole_labels() {
    snap
    python3 - "$work/screen.txt" <<'EOF'
import re, sys
right = [l.split("│", 1)[1] if "│" in l else "" for l in open(sys.argv[1], encoding="utf-8").read().split("\n")]
axis = [i for i, l in enumerate(right) if re.match(r"\s*0% └", l)]
pct = r"-?[0-9]+(\.[0-9]+)?%"
ok = len(axis) == 1
if ok:
    a = axis[0]
    ends = right[a + 1].split()
    names = right[a + 3].split()
    values = re.findall(r"(p5|median|p95) (\S+)", right[a + 4])
    ok = (len(ends) >= 2 and all(re.fullmatch(pct, v) for v in ends)
          and "p50" in names and all(n in ("p5", "p50", "p95") for n in names)
          and len(values) >= 2 and all(re.fullmatch(pct, v) for _, v in values))
if not ok:
    print("# labels cut:", right[axis[0] + 1:axis[0] + 5] if axis else axis, file=sys.stderr)
sys.exit(0 if ok else 1)
EOF
}

sed 's/"paths": 100000/"paths": 16384/' "$root/scenarios/regional-pilot-to-scale.json" >"$work/reg.json"
sed 's/"paths": 100000/"paths": 16384/' "$root/scenarios/peterborough.json" >"$work/pb.json"
T new-session -d -s keep "sleep 3600"

for size in 80x24 110x32; do
    # ------------------------------------------------------------ euros
    open_ui reg.json "$size"
    wait_for "16,384/16,384 paths" >/dev/null || true
    check "$size €: the structures' values line up whatever the currency's bytes" \
        aligned "Commissioner pays" "  present value" "Cost per true outcome" "Net value" \
        "Provider surplus" "P(provider loss)"
    if [ "$size" = 80x24 ]; then
        check "$size: a results view taller than the pane says so" wait_for "J down, K up --"
        check "$size: ... and hides what does not fit" no_screen "Outcome payments"
        T send-keys -t ui J && sleep 0.2 && T send-keys -t ui J
        check "$size: J scrolls the results pane down to the rest" wait_for "Outcome payments"
        check "$size: ... the title staying" wait_for "Financing structures compared"
        T send-keys -t ui K K K
        check "$size: K scrolls back up" no_screen "Outcome payments"
    fi

    # The histogram, with its axes.
    T send-keys -t ui 2
    wait_for "(m: next metric)" >/dev/null || true
    check "$size: the histogram has a y axis of shares, a 0% axis and values at its ends and middle" axes
    # The regional bond's IRR is defined in 92% of its futures (none in the
    # others: several IRRs, or money back then more lost): the shares are of
    # those, and the chart says so.
    check "$size: a histogram of a metric some futures lack says over which futures" \
        wait_re 'over the [0-9,]+ of 16,384 futures'

    # Before / after: every row of a structure names it.
    find_field payments/0/price
    T send-keys -t ui "]" && sleep 0.3 && T send-keys -t ui 5
    wait_for "Before / after your edits" >/dev/null || true
    wait_for "16,384/16,384 paths" >/dev/null || true
    check "$size: a before/after row of a structure names it" wait_for "PbR: Commissioner pays"
    scroll_to "PbR: P(provider loss)" || true
    T send-keys -t ui J && sleep 0.3 # its values, under it
    check "$size €: the before/after columns line up, in money and in percentages" cols_aligned
    check "$size: ... and so does the next structure's, further down" scroll_to "regional social investment: Commissioner pays"

    # The help: over the whole screen, every line whole, scrolling.
    T send-keys -t ui "?"
    check "$size: ? shows the help" wait_for "Keys: ? or Esc closes this help"
    check "$size: the help says which keys show and how to scroll" wait_for "Up/Down, PgUp/PgDn scroll --"
    check "$size: the last keys are below the first screen" no_screen "quit (asks first when there are unsaved edits)"
    T send-keys -t ui End
    check "$size: End scrolls the help to its last key" wait_for " q          quit (asks first when there are unsaved edits)"
    # It counts lines: "keys 15-33 of 33" at 80 x 24 counted a key whose
    # help wraps twice (32 keys).
    check "$size: ... and says which lines show, not keys" wait_re '-- lines [0-9]+-([0-9]+) of \1: Up/Down'
    check "$size: ... every help line whole, not cut at the pane" \
        wait_for " 5          view: before / after the edits, on common random numbers"
    T send-keys -t ui Home
    check "$size: Home scrolls it back" wait_for " Up k       move up the parameter tree"
    T send-keys -t ui j
    check "$size: j scrolls the help rather than the tree" wait_for " Down j     move down the parameter tree"
    T send-keys -t ui Escape
    check "$size: Esc closes the help" wait_for "Before / after your edits"
    T send-keys -t ui q && sleep 0.3 && T send-keys -t ui n Enter
    wait_for EXITED >/dev/null || true

    # ----------------------------------------------------------- pounds
    open_ui pb.json "$size"
    wait_for "16,384/16,384 paths" >/dev/null || true
    check "$size £: the structure's values line up" \
        aligned "Commissioner pays" "  present value" "Cost per true outcome" "Provider surplus" \
        "P(provider loss)"
    find_field payments/0/trigger
    T send-keys -t ui "[" && sleep 0.3 && T send-keys -t ui 5
    wait_for "16,384/16,384 paths" >/dev/null || true
    check "$size £: a before/after row of the structure names it" \
        wait_for "Peterborough SIB: Commissioner pays"
    check "$size £: the before/after columns line up" cols_aligned
    T send-keys -t ui 2
    wait_for "(m: next metric)" >/dev/null || true
    check "$size £: the histogram has its axes" axes
    check "$size £: ... and one defined in every future needs no such line" \
        no_screen "futures with a value"
    T send-keys -t ui q && sleep 0.3 && T send-keys -t ui n Enter
    wait_for EXITED >/dev/null || true
done

# ------------------------------------------- numbers whole in the tree
# A number too long for its row keeps every digit: the key is shortened,
# ending in a marker, to make room (1.25 was shown as "1", 1700000 as
# "170000").
sed 's/"paths": 100000/"paths": 16384/' "$root/scenarios/rikers-island.json" >"$work/rk.json"
open_ui reg.json 80x24
wait_for "16,384/16,384 paths" >/dev/null || true
find_field "/cases/2/set/~1stages~10~1costs~1overrun"
check "80x24: a case's 1.25 is shown whole, its long key shortened" \
    wait_for "/stages/0/costs/ove…: 1.25"
quit_ui
open_ui rk.json 80x24
wait_for "16,384/16,384 paths" >/dev/null || true
find_field guarantees/0/share
check "80x24: Rikers' share 0.8333333333333334 is shown with every digit" \
    wait_for "sha…: 0.8333333333333334"
quit_ui
open_ui pb.json 60x16
wait_for "16,384/16,384 paths" >/dev/null || true
find_field cap_per_cohort
check "60x16: Peterborough's cap 1700000 is shown whole" wait_for "cap_per_…: 1700000 (i)"
quit_ui

# ------------------------------------------------ the status line's flags
# With a long file name at 80 columns, [edited] and the warnings still
# show: the file name is shortened from the left, after a marker (it used
# to be cut at the right, and the flags with it).
mkdir -p "$work/explore-tui"
cp "$work/reg.json" "$work/explore-tui/v-regional-pilot-to-scale.json"
open_ui "$work/explore-tui/v-regional-pilot-to-scale.json" 80x24
wait_for "16,384/16,384 paths" >/dev/null || true
find_field return_cap
T send-keys -t ui Enter && sleep 0.2 && T send-keys -t ui C-u 1 Enter
check "80x24: a long file name leaves room for [edited] and the warning" \
    wait_for "[edited] [1 warning: w]"
check "80x24: ... the file name shortened from the left, after a marker" \
    status_matches '  \|  …[^ ]*-pilot-to-scale\.json \[edited\]'
T send-keys -t ui q && sleep 0.3 && T send-keys -t ui n Enter
wait_for EXITED >/dev/null || true

# ------------------------------------------- a narrow histogram's labels
# At 60 x 16 the median's "p50" was cut to "p5" at the pane's edge and the
# bottom line ended "p95 8.": every name and value under the axis is whole.
open_ui pb.json 60x16
wait_for "16,384/16,384 paths" >/dev/null || true
T send-keys -t ui 2
wait_for "(m: next metric)" >/dev/null || true
check "60x16: the percentiles under a histogram are named whole (p50, not p5)" whole_labels
quit_ui

# ------------------------------------------- whose IRR the status line's SE is
# The SE names the tranche whose mean IRR it is; at 80 columns the name is
# cut, ending in the marker, the SE itself whole; at 60 the item is left
# out whole.
open_ui pb.json 80x24
wait_for "16,384/16,384 paths" >/dev/null || true
check "80x24: the SE names its tranche, cut to fit with the marker" \
    status_matches ' SE\(mean IRR, 17[^)]*…\) [0-9]+[.][0-9]{2}%  \|  pb\.json'
T resize-window -t ui -x 140 -y 32
check "140x32: ... and whole where it fits" \
    wait_re 'SE\(mean IRR, 17 trusts and foundations\) [0-9]+[.][0-9]{2}%  \|  pb\.json'
T resize-window -t ui -x 60 -y 16
check "60x16: ... and left out whole where even the bare item does not fit" \
    status_comes 'seed [0-9]+  \|  pb\.json *$'
quit_ui

# ------------------------------------------------- a terminal too small
# While only the "too small" notice shows, keys wait: u does not undo an
# edit out of sight, and q with unsaved edits does not ask a question that
# cannot be drawn; with nothing unsaved, q still quits.
open_ui pb.json 80x24
wait_for "16,384/16,384 paths" >/dev/null || true
find_field payments/1/price
T send-keys -t ui "]"
wait_for "price: 12100" >/dev/null || true
T resize-window -t ui -x 38 -y 9
check "38x9: the notice says to enlarge the terminal" wait_for "Enlarge the terminal"
T send-keys -t ui q
check "38x9: q with unsaved edits asks nothing under the notice" no_screen "y save and"
T send-keys -t ui Escape && sleep 0.2 && T send-keys -t ui u && sleep 0.3
T resize-window -t ui -x 80 -y 24
check "38x9: u did not undo the edit out of sight" wait_for "price: 12100"
check "38x9: ... and the UI still runs" no_screen EXITED 0
T send-keys -t ui u
check "80x24: u undoes the edit once the screen shows again" no_screen "[edited]"
T resize-window -t ui -x 38 -y 9
check "38x9: with nothing unsaved the notice says q quits" wait_for "ignored, but q"
T send-keys -t ui q
check "38x9: ... and it does" wait_for EXITED

# ------------------------------------- a question open when it shrinks
# A prompt or question open when the terminal shrinks below 40 x 10 was
# drawn over the notice and took keys. It now waits, as it was, for the
# terminal to grow: keys but a resize are ignored meanwhile.
open_ui pb.json 80x24
wait_for "16,384/16,384 paths" >/dev/null || true
find_field payments/1/price
T send-keys -t ui "]"
wait_for "price: 12100" >/dev/null || true
T send-keys -t ui q
wait_for "y save and quit" >/dev/null || true
T resize-window -t ui -x 38 -y 9
check "38x9: with a question open, the notice says it waits" wait_for "question waits"
check "38x9: ... and the question is not drawn over the notice" no_screen "y save and"
T send-keys -t ui n Enter
check "38x9: ... nor answered by n" no_screen EXITED 0.5
T resize-window -t ui -x 80 -y 24
check "80x24: the question comes back" wait_for "unsaved edits: y save and quit"
T send-keys -t ui Escape
check "80x24: ... and Esc answers it: the edit stays" wait_for "[edited]"
T send-keys -t ui Enter && sleep 0.2 && T send-keys -t ui C-u 12345
wait_for "price = 12345" >/dev/null || true
T resize-window -t ui -x 38 -y 9
wait_for "question waits" >/dev/null || true
T send-keys -t ui 9 Enter
check "38x9: a value being typed is not drawn over the notice" no_screen "price = "
T resize-window -t ui -x 80 -y 24
check "80x24: the value comes back as it was typed" wait_for "price = 12345"
check "80x24: ... the keys pressed meanwhile ignored" no_screen "123459"
T send-keys -t ui Escape
check "80x24: ... and the field was not set" wait_for "price: 12100"
T send-keys -t ui q && sleep 0.3 && T send-keys -t ui n Enter
wait_for EXITED >/dev/null || true
# The recovery offer, at an open in a terminal too small.
cp "$work/pb.json" "$work/rc.json"
sed 's/"price": 11000/"price": 12000/' "$work/pb.json" >"$work/.rc.json.sibsim-recover"
open_ui rc.json 38x9
check "38x9: the recovery offer at open waits under the notice" wait_for "question waits"
check "38x9: ... not drawn over it" no_screen "unsaved edits from"
T send-keys -t ui d
check "38x9: ... and d discards nothing" \
    bash -c "sleep 0.5; test -e '$work/.rc.json.sibsim-recover'"
T resize-window -t ui -x 80 -y 24
check "80x24: the recovery offer comes back" wait_for "(of rc.json"
T send-keys -t ui Escape
check "80x24: ... and Esc leaves the edits for later" wait_for "the unsaved edits stay in"
quit_ui

# ------------------------------------------------ the message line, cut
# A message too long for its line was cut at the edge with no marker: at
# 62 columns Peterborough's note on its cap read "About GBP 1.", a number
# that is not the note's. It ends in the marker, before the number.
open_ui pb.json 62x16
wait_for "16,384/16,384 paths" >/dev/null || true
find_field cap_per_cohort
check "62x16: a note too long for the message line ends in the marker, before the number" \
    wait_for "(i) assumed: About GBP …"
check "62x16: ... the number is not shown in part" no_screen "GBP 1."
quit_ui

# ----------------------------------------- the results pane's labels, cut
# At 60 columns labels were cut with no marker ("Cost per true out"), the
# investors' P(loss) and E mult columns and the before/after's change and
# SE were cut off at the pane's edge, the histogram's title was cut, and
# the status line ended "? he"; at 120 x 40 the funnel's "P(reaches
# implementatio" and a tornado's name without its closing quote. A label
# cut ends in the marker (a tornado's name keeps its quotes closed), a
# hint is left out whole, and value columns that do not fit across follow
# below.
open_ui pb.json 60x16
wait_for "16,384/16,384 paths" >/dev/null || true
check "60x16: a structure's label too long for its column ends in the marker" \
    wait_for "Cost per true ou…"
check "60x16: ... and none is cut without it" no_screen "Cost per true out"
check "60x16: the status line's hint is left out whole, not cut" status_matches '\|  pb\.json *$'
check "60x16: the investors' columns that do not fit across follow below, whole" \
    scroll_to "0.77x"
T send-keys -t ui 2
check "60x16: the histogram's title goes on over a second line, the measure whole" \
    wait_re '^.*│IRR, future by future *$'
check "60x16: ... under whose it is, shortened in its middle" wait_for "…and foundations"
find_field payments/0/trigger
T send-keys -t ui "[" && sleep 0.3 && T send-keys -t ui 5
wait_for "Before / after your edits" >/dev/null || true
check "60x16: the before/after's change and SE follow below, whole" scroll_to "+- SE"
T send-keys -t ui q && sleep 0.3 && T send-keys -t ui n Enter
wait_for EXITED >/dev/null || true
open_ui reg.json 120x40
wait_for "16,384/16,384 paths" >/dev/null || true
T send-keys -t ui 3
check "120x40: the funnel's stage names are whole" wait_for "P(reaches implementation) "
# "Participants enrolled 1,325" read as the programme's size (8,400 planned):
# the funnel says its figures are means over every future.
check "120x40: the funnel says its participants and cost are means over every future" \
    wait_for "Means over every future:"
T send-keys -t ui t
wait_for "base " >/dev/null || true
check "120x40: a tornado's name too long is shortened, its quotes closed" \
    wait_for 'return cap… "social investors"… '
quit_ui

# A description and a note may hold line feeds and tabs (the loader takes
# them): shown as they are, a line feed cut the tree's row short, and in the
# message line (the note) or the edit line (the description) it went on
# over the status line.
python3 - "$work/pb.json" "$work/nl.json" <<'EOF'
import sys
t = open(sys.argv[1], encoding="utf-8").read()
t = t.replace('"description": "', '"description": "Line one\\nLine two\\tThe ', 1)
t = t.replace('"note": "Three cohorts of 1,000 men', '"note": "Three\\ncohorts of 1,000 men', 1)
open(sys.argv[2], "w", encoding="utf-8").write(t)
EOF
open_ui nl.json 100x30
wait_for "16,384/16,384 paths" >/dev/null || true
check "a line feed in a string shows as \\n in the tree" wait_for 'description: "Line one\nLine two\tThe'
find_field 0/cohorts
check "a line feed in a note shows as \\n in the message line" wait_for '(i) sourced: Three\ncohorts of'
check "... and the status line stays" status_matches '^ 16,384/16,384 paths .*nl\.json'
T send-keys -t ui g j j Enter Home
check "a line feed in the edit line shows in one column" wait_for 'description = Line one␊Line two␉The'
check "... and the status line stays" status_matches '^ 16,384/16,384 paths .*nl\.json'
T send-keys -t ui Escape q
wait_for EXITED >/dev/null || true

# View 1's mean IRR is over the futures that have an IRR: the regional
# bond's misses it in 8% of its futures, the staged one's in three in four
# (nothing drawn), so the table says so; Peterborough's has one in every
# future and needs no such line.
open_ui reg.json 110x32
wait_for "16,384/16,384 paths" >/dev/null || true
check "a mean IRR some futures lack says it is over those that have one" \
    scroll_to "mean IRR: over the futures that have an IRR (not all do)"
quit_ui
open_ui pb.json 110x32
wait_for "16,384/16,384 paths" >/dev/null || true
check "... and one every future has needs no such line" no_screen "futures that have an IRR"
quit_ui

# A currency written as a code takes ten columns ("AUD 12.93m"): at 80 x 24
# the before/after columns, nine wide, cut every amount to "AUD …". They
# are as wide as their widest value; the SE follows below.
sed 's/"paths": 100000/"paths": 16384/' "$root/scenarios/benevolent-society-social-benefit-bond.json" >"$work/bsb.json"
open_ui bsb.json 80x24
wait_for "16,384/16,384 paths" >/dev/null || true
find_field cohorts/0/size
T send-keys -t ui "]" && sleep 0.3 && T send-keys -t ui 5
check "80x24 AUD: the before/after amounts are whole" wait_re 'AUD [0-9.]+m +AUD [0-9.]+m +-?AUD [0-9.]+k'
check "... none is cut" no_screen "AUD …"
T send-keys -t ui q && sleep 0.3 && T send-keys -t ui n Enter
wait_for EXITED >/dev/null || true

# A tornado's swing in a currency written as its code takes eleven columns
# with its space ("CHF 15.47m"): the column of ten cut the largest swing,
# the one that matters most, to "CHF …".
sed 's/"paths": 100000/"paths": 16384/' "$root/scenarios/icrc-humanitarian-impact-bond.json" >"$work/icrc.json"
open_ui icrc.json 100x30
wait_for "16,384/16,384 paths" >/dev/null || true
T send-keys -t ui m m && sleep 0.5 && T send-keys -t ui t
for _ in $(seq 60); do screen | grep -q "base CHF" && break; sleep 0.5; done
check "a tornado's swing in CHF millions is whole" wait_re '█ CHF [0-9]+\.[0-9]+m *$'
check "... and none is cut" no_screen "CHF …"
quit_ui

# A message wider than the screen goes on over the rows above: cut at the
# edge, a warning lost its point at 80 columns ("did you mean …").
open_ui pb.json 80x24
wait_for "16,384/16,384 paths" >/dev/null || true
find_field return_cap
T send-keys -t ui Enter && sleep 0.2 && T send-keys -t ui C-u 1 Enter
check "80x24: a warning too wide for its line is shown whole, over two" \
    wait_for "year: did you mean 0.01 (1%)?"
check "... above the status line" status_matches '^ [0-9,]+/[0-9,]+ paths'
T send-keys -t ui q && sleep 0.3 && T send-keys -t ui n Enter
wait_for EXITED >/dev/null || true

# A histogram's title too long for the pane goes on over a second line:
# cut at one, Massachusetts' IRR and money multiple of a tranche both read
# "Roca PFS capital: GS Social …" at 80 x 24.
sed 's/"paths": 100000/"paths": 16384/' "$root/scenarios/massachusetts-juvenile-justice.json" >"$work/ma.json"
open_ui ma.json 80x24
wait_for "16,384/16,384 paths" >/dev/null || true
T send-keys -t ui 2
check "80x24: a histogram's long title shows its measure, on a second line" \
    wait_for "Impact Fund IRR, future by future"
T send-keys -t ui m
check "... and the next metric's" wait_for "Kresge IRR,"
quit_ui

# Before/after of a metric some futures lack: the means are over different
# futures and the change over those that have both, so the change is not
# after - before (the staged bond's IRR: -23.8% to -27.4%, change +0.2 pp
# at 20,000 futures). The view says so, as compare does.
open_ui reg.json 110x32
wait_for "16,384/16,384 paths" >/dev/null || true
find_field gate/min_effect
T send-keys -t ui Enter && sleep 0.2 && T send-keys -t ui C-u 0.1 Enter && sleep 0.3 && T send-keys -t ui 5
wait_for "Before / after your edits" >/dev/null || true
check "a before/after change over fewer futures than its means says so" \
    scroll_to "(change over the"
T send-keys -t ui q && sleep 0.3 && T send-keys -t ui n Enter
wait_for EXITED >/dev/null || true

# A question wider than the message line goes on over the rows above, its
# keys whole: at 40 columns the quit question read "unsaved edits: y save
# and q..." (n and Esc cut off).
open_ui pb.json 40x12
wait_for "16,384/16,384 paths" >/dev/null || true
find_field payments/1/price
T send-keys -t ui "]" && sleep 0.3 && T send-keys -t ui q
check "40x12: the quit question is whole, over two rows" \
    wait_for "without saving, Esc stay"
T send-keys -t ui Escape && sleep 0.3
check "... and Esc gives the rows back to the panes" no_screen "without saving, Esc stay"
T send-keys -t ui q && sleep 0.3 && T send-keys -t ui n Enter
wait_for EXITED >/dev/null || true

# The tornado's line saying it predates the edits is whole at 80 x 24 (it
# was cut to "press t to …").
open_ui pb.json 80x24
wait_for "16,384/16,384 paths" >/dev/null || true
T send-keys -t ui t
for _ in $(seq 60); do screen | grep -q "base " && break; sleep 0.5; done
find_field payments/1/trigger
T send-keys -t ui "["
check "80x24: the tornado says whole that it predates the edits" \
    wait_for "Computed before your latest edits: t to redo"
# Scrolled down, the rows holding that line are gone: the title, which
# stays, says it too (it scrolled away with them).
T send-keys -t ui J && sleep 0.3 && T send-keys -t ui J
check "80x24: scrolled, the tornado's title still says it predates the edits" \
    wait_for "Before your edits (t to redo): Tornado of"
T send-keys -t ui q && sleep 0.3 && T send-keys -t ui n Enter
wait_for EXITED >/dev/null || true

# An edit that stops a bond drawing capital (a gate no pilot passes) makes
# its investors' metrics n/a: they changed, and are listed, as compare
# lists them; no difference could be taken, and they were left out.
open_ui reg.json 110x32
wait_for "16,384/16,384 paths" >/dev/null || true
find_field gate/min_effect
T send-keys -t ui Enter && sleep 0.2 && T send-keys -t ui C-u 0.6 Enter && sleep 0.3 && T send-keys -t ui 5
wait_for "Before / after your edits" >/dev/null || true
check "a metric that becomes n/a after the edits is listed as changed" \
    scroll_to "staged: social investors IRR, future by future"
T send-keys -t ui q && sleep 0.3 && T send-keys -t ui n Enter
wait_for EXITED >/dev/null || true
# ... and an edit that changes no measure (the name) still says so.
open_ui reg.json 110x32
wait_for "16,384/16,384 paths" >/dev/null || true
T send-keys -t ui g j Enter && sleep 0.2 && T send-keys -t ui C-u "Another name" Enter && sleep 0.3 && T send-keys -t ui 5
check "an edit of the name alone changes none of the measures" \
    wait_for "Your edits change none of these measures."
# ... without the columns' headings above it, over no row.
check "... and no column headings stand over nothing" no_screen "+- SE"
T send-keys -t ui q && sleep 0.3 && T send-keys -t ui n Enter
wait_for EXITED >/dev/null || true

# A results pane too small for the histogram's chart showed its title and
# nothing else: it gives the percentiles and says what the chart needs.
open_ui pb.json 60x11
wait_for "16,384/16,384 paths" >/dev/null || true
T send-keys -t ui 2
check "60x11: a histogram with no room for its chart gives the percentiles" \
    wait_re 'p5 -?[0-9.]+% median -?[0-9.]+% p95'
check "... and says what the chart needs" wait_for "The chart needs a pane of 10"
quit_ui

# A message over several rows goes when a prompt opens in its line (it
# stayed over the panes while a value was typed).
open_ui pb.json 80x24
wait_for "16,384/16,384 paths" >/dev/null || true
find_field return_cap
T send-keys -t ui Enter && sleep 0.2 && T send-keys -t ui C-u 1 Enter
wait_for "year: did you mean 0.01 (1%)?" >/dev/null || true
T send-keys -t ui Enter
check "80x24: a prompt takes the place of a message over several rows" wait_for "return_cap = 1"
check "... none of which stays" no_screen "a return cap of 1 is 100% a"
T send-keys -t ui Escape q && sleep 0.3 && T send-keys -t ui n Enter
wait_for EXITED >/dev/null || true

# Wide characters in the edit line (Chinese, emoji: two columns each) keep
# to its row: counted one a character, the line ran past the row's end and
# wrote over the status line until Esc.
sed 's/"description": "The first social/"description": "中文中文 The first social/' \
    "$root/scenarios/peterborough.json" >"$work/cjk.json"
open_ui cjk.json 80x24
wait_for "paths" >/dev/null || true
T send-keys -t ui g j j Enter && sleep 0.3
T send-keys -t ui Home && sleep 0.2
check "wide characters at the start of the edit line leave the status line whole" \
    status_matches '^ [0-9,]+/[0-9,]+ paths'
check "and the edit line shows them" wait_for "description = 中文中文 The first"
T send-keys -t ui End && sleep 0.3
check "with the cursor at the end too" status_matches '^ [0-9,]+/[0-9,]+ paths'
check "where the line shows the end of the text" wait_for "docs/deals.md."
T send-keys -t ui Escape q
wait_for EXITED >/dev/null || true

# ------------------------------------- tornado names and histogram titles
# At 80 x 24 the tornado's names were cut from the right until rows read
# alike ('commitment of tranche "…' five times, 'cost overrun of stage
# "…' in the regional template): a name too long keeps its quoted name
# and shortens its common words, so that rows with different names differ.
# tornado_names_differ FILE [SIZE]: every bar's name, over every scroll
# position, differs from the others' (the full names in these scenarios
# all do), at SIZE (80x24 unless given). A name on a row of its own above
# its bar (a narrow pane) is read from there; when the last row counts
# bars ("bars 1-8 of 21"), every one of them must have been shown.
tornado_names_differ() {
    open_ui "$1" "${2:-80x24}"
    wait_for "16,384/16,384 paths" >/dev/null || true
    T send-keys -t ui 4 t
    for _ in $(seq 60); do screen | grep -q "base " && break; sleep 0.5; done
    : >"$work/tornado.txt"
    for _ in $(seq 12); do
        screen >>"$work/tornado.txt"
        echo "--screen--" >>"$work/tornado.txt"
        screen | grep -qE -- '(rows|bars) [0-9]+-([0-9]+) of \2( |$)' && break
        T send-keys -t ui J && sleep 0.3
    done
    quit_ui
    python3 - "$work/tornado.txt" <<'EOF'
import re, sys
names = {}  # row of the view, or bar when counted so -> the name shown
total = None
for page in open(sys.argv[1], encoding="utf-8").read().split("--screen--"):
    right = [l.split("│", 1)[1].rstrip() if "│" in l else "" for l in page.split("\n")]
    at = [k for k, l in enumerate(right) if re.match(r"(-- )?(rows|bars) \d+-\d+ of \d+", l)]
    more = re.match(r"(?:-- )?(rows|bars) (\d+)-(\d+) of (\d+)", right[at[0]]) if at else None
    if more and more.group(1) == "rows":
        a, b = int(more.group(2)), int(more.group(3))
        first, lines = a, right[at[0] - (b - a + 1):at[0]]
    else:  # it all fits, or bars are counted: rows from the one under the title
        first, lines = 1, right[1:at[0] if at else None]
    shown = []  # (row, name)
    for k, l in enumerate(lines):
        m = re.match(r"^(.*?)\s+[█▏▎▍▌▋▊▉]*\s*[-+]?[0-9][0-9.,]*\s?\S*$", " " + l)
        if not m or l.startswith("base "):
            continue
        name = m.group(1).strip() or (lines[k - 1].strip() if k > 0 else "")
        shown.append((first + k, name))
    if more and more.group(1) == "bars":
        a, b, total = int(more.group(2)), int(more.group(3)), int(more.group(4))
        if len(shown) != b - a + 1:
            print("# bars", a, b, "but", len(shown), "shown:", shown, file=sys.stderr)
            sys.exit(1)
        shown = [(a + k, n) for k, (_, n) in enumerate(shown)]
    names.update(shown)
shown = list(names.values())
dup = sorted({n for n in shown if shown.count(n) > 1})
if len(shown) < 15 or dup or (total is not None and sorted(names) != list(range(1, total + 1))):
    print("# rows:", len(shown), "of", total, "alike:", dup, file=sys.stderr)
    sys.exit(1)
EOF
}
sed 's/"paths": 100000/"paths": 16384/' "$root/scenarios/massachusetts-juvenile-justice.json" >"$work/mj.json"
check "80x24: every tornado row of the Massachusetts bond has a name of its own" \
    tornado_names_differ mj.json
check "80x24: every tornado row of the regional template has a name of its own" \
    tornado_names_differ reg.json
# At 40 columns the names' column was 8 wide and the rows read alike
# ('true ef…', 'commitm…', and no bar): each name goes on a row of its
# own, across the pane, above its bar, and the view scrolls by whole bars.
check "40x24: every tornado row of the Massachusetts bond has a name of its own" \
    tornado_names_differ mj.json 40x24
check "40x24: every tornado row of the regional template has a name of its own" \
    tornado_names_differ reg.json 40x24

# A histogram's title cut at the pane's edge hid its measure: at 40
# columns "(m: next metric)" over "Roca PFS capital: …", at 80 x 24 with a
# long tranche name "... senior lender to the…". The measure keeps the
# second line whole; whose it is gives way.
sed 's/"GS Social Impact Fund"/"Goldman Sachs Social Impact Fund, senior lender to the Roca project"/' \
    "$work/mj.json" >"$work/mjlong.json"
open_ui mjlong.json 80x24
wait_for "16,384/16,384 paths" >/dev/null || true
T send-keys -t ui 2
check "80x24: a histogram's title with a long tranche name keeps its measure" \
    wait_re '│IRR, future by future *$'
check "80x24: ... and the tranche's name, shortened in its middle" wait_for "Roca PFS capital: Goldm…"
quit_ui
open_ui mj.json 40x24
wait_for "paths" >/dev/null || true
T send-keys -t ui 2
check "40x24: a histogram's title keeps its measure" wait_re '│IRR, future by fut…$'
T send-keys -t ui m
check "40x24: ... the next metric's too, and whose it is" wait_for "…l: Kresge"
quit_ui

# A histogram whose futures lie close together (Utah's senior tranche,
# whose IRR is nearly always its 5% coupon) read "5.0%  5.0%  5.0%" under
# its axis: the three values under the axis differ.
# axis_values_differ: the line under the histogram's x axis has three
# values, all different.
axis_values_differ() {
    for _ in $(seq 50); do
        screen | grep -A1 '└' | tail -1 | sed 's/.*│//' |
            awk 'NF == 3 && $1 != $2 && $2 != $3 && $1 != $3 { ok = 1 } END { exit !ok }' && return 0
        sleep 0.2
    done
    screen | sed 's/^/# /' >&2
    return 1
}
sed 's/"paths": 100000/"paths": 16384/' "$root/scenarios/utah-preschool.json" >"$work/ut.json"
open_ui ut.json 80x24
wait_for "16,384/16,384 paths" >/dev/null || true
T send-keys -t ui 2
check "80x24: a histogram of nearly equal values has three different values under its axis" \
    axis_values_differ
quit_ui

# ------------------------------------------------------ titles that fit
# A view's title was cut at the pane's edge, hiding what it shows: the
# tornado's measure ("Tornado of Roca PFS capital/GS Social Impact F…" at
# 80 x 24, out of date or not), the structures' "(means over the …", the
# funnel's "reaching each s…", compare's "on common random nu…". A title
# goes on over a second row that stays when the view scrolls; a tornado's
# measure is whole, whose it is cut in its middle; a fixed title too long
# for two rows is said in fewer words.
# tornado_title FILE SIZE KEY: the tornado of FILE at that size, after KEY.
tornado_title() {
    open_ui "$1" "$2"
    wait_for "16,384/16,384 paths" >/dev/null || true
    T send-keys -t ui "$3" && sleep 0.3 && T send-keys -t ui 4 t
    for _ in $(seq 60); do screen | grep -q "base " && break; sleep 0.5; done
}
# stale_scrolled: edit, so that the tornado predates the edits; scroll down.
stale_scrolled() {
    find_field payments/0/price
    T send-keys -t ui "]" && sleep 0.5
    for _ in 1 2 3 4 5 6; do T send-keys -t ui J && sleep 0.2; done
}
# quit_edited: quit, the edits not saved, and no recovery file left.
quit_edited() {
    T send-keys -t ui q && sleep 0.3 && T send-keys -t ui n Enter
    wait_for EXITED >/dev/null || true
    rm -f "$work"/.*.sibsim-recover*
}
tornado_title mj.json 80x24 1
check "80x24: the tornado's title keeps its measure, on a second row" wait_re '│Fund\.irr *$'
stale_scrolled
check "80x24: out of date, scrolled, the title says so" \
    wait_for "│Before your edits (t to redo): Tornado of Roca"
check "80x24: ... and keeps its measure" wait_re '│PFS capital/GS Social Impact Fund\.irr *$'
quit_edited
tornado_title mjlong.json 80x24 1
check "80x24: a tornado of a long tranche name: whose it is cut in its middle" \
    wait_for "│Tornado of Roca PFS capital/G… the Roca project"
check "80x24: ... the measure on the next row" wait_re '│\.irr *$'
quit_ui
tornado_title mj.json 40x24 m
check "40x24: the tornado of the metric m chose keeps its measure" wait_re '│capital/Kresge\.irr *$'
quit_ui
# two_rows FIRST SECOND: rows of the pane that are whole these (EREs).
two_rows() { wait_re "│$1 *\$" && screen | grep -qE -- "│$2 *\$"; }
# What the bars are measured from, and that they predate the edits, were
# cut at the pane's edge at 40 columns ("base 1.6%; inputs …", "Computed
# before your…"): wrapped instead, whole.
tornado_title mj.json 40x24 1
check "40x24: the tornado says what its bars are measured from, whole" \
    eval "wait_re '│base [0-9.-]+% *\$' && two_rows 'inputs at P10/P90,' 'terms \+-10%'"
find_field payments/0/price
T send-keys -t ui "]"
check "40x24: out of date, it says so whole, not cut" \
    eval "wait_re '│your latest edits: *\$' && two_rows 'Computed before' 't to redo'"
quit_edited
tornado_title mj.json 40x24 1
stale_scrolled
# Cut to "Before your edits …", the title lost "(t to redo)".
check "40x24: out of date, scrolled, the tornado's title says so, and t redoes it" \
    wait_re "│Stale \(t to redo\) *$"
check "40x24: ... and keeps its measure" wait_re '│Roca.*Fund\.irr *$'
check "40x24: ... the top row under it a bar's name, not its bar" \
    eval 'screen | sed -n 3p | grep -qE "│[a-z]"'
check "40x24: ... the last row counting the bars, whole (it was cut: 'rows 1-19 of …')" \
    wait_re '│bars [0-9]+-[0-9]+ of 21 *$'
quit_edited
# fixed_titles SIZE FIRST SECOND...: the title rows of views 1, 3 and 5.
fixed_titles() {
    open_ui mj.json "$1"
    wait_for "16,384/16,384 paths" >/dev/null || true
    local size=$1 view
    shift
    for view in 1 3 5; do
        T send-keys -t ui "$view"
        check "$size: view $view's title is whole, over two rows" two_rows "$1" "$2"
        shift 2
    done
    quit_ui
}
fixed_titles 80x24 "Financing structures compared \(means over the" "same futures\)" \
    "Stage funnel: share of futures reaching each" "stage" \
    "Before / after your edits, on common random" "numbers"
fixed_titles 40x24 "Structures" "compared: means" "Share of futures" "reaching each stage" \
    "Before / after your" "edits"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
