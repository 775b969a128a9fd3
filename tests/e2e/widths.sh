#!/usr/bin/env bash
# tests/e2e/widths.sh SIBSIM -- every command's table fits the width asked
# for: 100 columns by default, 80 with --compact, on every scenario of the
# library; --wide shows more; charts are Unicode blocks in a UTF-8 locale
# and ASCII otherwise. Widths are display columns (a "£" or a "█" is one),
# measured by Python. Prints "ok - ..." lines and "N passed, M failed".
set -euo pipefail
source "$(dirname "$0")/lib.sh"

export LC_ALL=C.UTF-8
# The widest line of $work/out, in display columns (0 when empty). A line
# that is one address alone (a word with "://") is left out: addresses are
# never cut, so that they can be copied whole (present_wrap).
widest() {
    python3 -c '
import re, sys, unicodedata
def cols(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
print(max([cols(l) for l in lines if not re.fullmatch(r" *[^ ]*://[^ ]*", l)] + [0]))' "$work/out"
}
# fits COLUMNS DESCRIPTION: the output of the last sib fits COLUMNS.
fits() {
    local w
    w=$(widest)
    check "$2 fits $1 columns (widest line: $w)" "[ $w -le $1 ] && [ $w -gt 0 ]"
}

for f in "$root"/scenarios/*.json; do
    s=$(basename "$f" .json)
    # A target that solve can reach: the present value of the payments at
    # a discount rate of 5%, solved for over [0, 20%].
    pv=$("$sibsim" run "$f" -n 1024 -q --format csv 2>/dev/null |
        python3 -c 'import csv,sys; print(next(r["mean"] for r in csv.DictReader(sys.stdin) if r["group"]=="commissioner" and r["key"]=="payments.pv"))')
    for width in 100 80; do
        opt=""
        [ "$width" -eq 80 ] && opt=--compact
        sib run "$f" -n 2048 -q $opt
        fits $width "$s: run"
        sib compare "$f" "$f" -n 1024 -q $opt
        fits $width "$s: compare"
        sib cashflows "$f" $opt
        fits $width "$s: cashflows"
        sib cashflows "$f" --annual --path 3 $opt
        fits $width "$s: cashflows --annual --path 3"
        if grep -q '"realised"' "$f"; then
            sib backtest "$f" $opt
            fits $width "$s: backtest"
        fi
        sib sweep "$f" -n 1024 --param /simulation/discount_rate --from 0.01 --to 0.1 --steps 4 $opt
        fits $width "$s: sweep"
        sib sweep "$f" -n 1024 --param /simulation/discount_rate --from 0.01 --to 0.1 --steps 3 \
            --param /stages/0/cohorts/0/size --from 100 --to 900 --steps 9 $opt
        fits $width "$s: two-parameter sweep"
        sib tornado "$f" -n 512 $opt
        fits $width "$s: tornado"
        sib solve "$f" -n 1024 --param /simulation/discount_rate --from 0 --to 0.2 \
            --target "commissioner/payments.pv=$pv" $opt
        fits $width "$s: solve"
        sib converge "$f" -n 4096 $opt
        fits $width "$s: converge"
        if grep -q '"gate"' "$f"; then
            sib pilot-value "$f" -n 1024 $opt
            fits $width "$s: pilot-value"
        fi
    done
done

# --wide is today's layout: every statistic, as wide as it needs.
pb="$root/scenarios/peterborough.json"
sib run "$pb" -n 2048 -q --wide
check "run --wide shows p25 and p75" 'out_has " p25 " && out_has " p75"'
w=$(widest)
check "run --wide is wider than 100 columns ($w)" "[ $w -gt 100 ]"
sib run "$pb" -n 2048 -q
check "run without --wide leaves p25 and p75 out" '! out_has " p25 " && out_has "median"'
sib run "$pb" -n 2048 -q --wide --compact
check "the last of --wide and --compact wins" '[ "$(widest)" -le 80 ]'
sib validate "$pb" --wide
check "--wide does not apply to validate (exit 2)" 'exits 2'

# Charts: Unicode blocks in a UTF-8 locale, '#' otherwise.
sib run "$pb" -n 2048 -q
check "run draws its histograms in Unicode blocks under a UTF-8 locale" 'out_has "█" && ! out_has "|#"'
LC_ALL=C sib run "$pb" -n 2048 -q
check "and in ASCII under the C locale" 'out_has "|#" && ! out_has "█"'
LC_ALL=C sib tornado "$pb" -n 512
check "tornado bars in ASCII under the C locale" 'out_has "|#" && ! out_has "█"'
sib tornado "$pb" -n 512
check "tornado bars in Unicode under a UTF-8 locale" 'out_has "|█"'

# Terms by name and value in their units.
check "tornado names a term and gives its pointer" \
    'out_has "price of payment \"final true-up\"" && out_has "/contract/payments/1/price moved to: £9.9k .. £12k"'
sib sweep "$pb" -n 1024 --param /contract/payments/0/trigger --from 0.05 --to 0.15 --steps 3 --metric moic
check "sweep shows its points in the term's unit and the metric in its own" \
    'out_has "trigger of payment \"cohort trigger\" (/contract/payments/0/trigger)" &&
     out_has "   10% " && grep -qE "0\.[0-9]{3}x" "$work/out"'
sib sweep "$pb" -n 1024 --param /contract/payments/0/trigger --from 0.05 --to 0.15 --steps 3 \
    --param /contract/payments/1/price --from 8000 --to 12000 --steps 2 --metric payments.total
check "a two-parameter sweep is a grid: a row per trigger, a column per price" \
    'out_has "rows: trigger of payment \"cohort trigger\"; columns: price of payment \"final true-up\"" &&
     grep -qE "£8\.0k +£12k" "$work/out" && [ "$(grep -cE "^  (5|10|15)% " "$work/out")" -eq 3 ]'
sib solve "$pb" -n 2048 --param /contract/payments/1/price --target 'full_repayment=0.5'
check "solve gives the value in money, to the penny, and by pointer" \
    'grep -qE "^price of payment \"final true-up\" = £[0-9,]+\.[0-9]{2} gives full_repayment = [0-9]+\.[0-9]{2}% \(target 50\.00%\)" "$work/out" &&
     out_has "/contract/payments/1/price = "'

# Money of a trillion and more stays compact (£840tn, £2.0e15): the cells
# keep their columns and the labels their line, in the table and the page.
python3 - "$pb" "$work/huge.json" <<'EOF2'
import json, sys
s = json.load(open(sys.argv[1]))
s["contract"]["payments"][0]["price"] = 1e15
s["contract"]["payments"][0]["cap_per_cohort"] = 1e15
json.dump(s, open(sys.argv[2], "w"))
EOF2
sib run "$work/huge.json" -n 2000 -q
fits 100 "run with payments of a thousand trillion pounds"
check "money of a trillion and more is compact (tn, then a power of ten), not thousands of bn" \
    'exits 0 && grep -qE "£[0-9.]+tn " "$work/out" && grep -qE "£[0-9]\.[0-9]e1[5-9]" "$work/out" &&
     ! grep -qE "[0-9]{4}\.[0-9]{2}bn" "$work/out"'
check "and no label is pushed onto a second line by it" \
    'out_has "Cost per true outcome (E[paid] / E[true outcomes])" &&
     out_has "P(full repayment), over every future"'
sib report "$work/huge.json" -n 2000 -q
check "the report writes the same compact money" \
    'exits 0 && grep -qE "£[0-9.]+tn" "$work/out" && ! grep -qE "[0-9]{4}\.[0-9]{2}bn" "$work/out"'

# Counts have thousands separators in tables (not in CSV or JSON).
sib run "$pb" -n 2000 -q
check "run's table groups the digits of counts (participants)" \
    'out_has "Programme: 2,000 participants" && grep -qE "Participants enrolled +2,000 " "$work/out"'
python3 - "$pb" "$work/big-cohort.json" <<'EOF2'
import json, sys
s = json.load(open(sys.argv[1]))
s["stages"][0]["cohorts"][0]["size"] = 1e9
json.dump(s, open(sys.argv[2], "w"))
EOF2
sib run "$work/big-cohort.json" -n 1000 -q
check "a count of a billion is grouped too" 'out_has "Programme: 1,000,001,000 participants" &&
     grep -qE "Participants enrolled +1,000,001,000 " "$work/out"'
sib run "$work/big-cohort.json" -n 1000 -q --format csv
check "CSV keeps counts as plain numbers" \
    'grep -q ",participants,Participants enrolled,count,value,1000,0,1000001000," "$work/out"'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
