#!/usr/bin/env bash
# analyses.sh -- end-to-end checks of the analyses for deal design (sweep,
# tornado, solve, converge, pilot-value) as an investor designing bond terms
# runs them on the scenario library: what their tables say, against figures
# worked out here, not read back from the program.
#
#   tests/e2e/analyses.sh path/to/sibsim
#
# Prints one line per check, "ok - what" or "not ok - what", then "N passed,
# M failed" alone on the last line; exits 1 if any check failed. Runs are
# small (a few thousand paths) so the script takes a few seconds.
# shellcheck disable=SC2016,SC2034 # checks are code in single quotes, run by check()
set -euo pipefail

# shellcheck source=tests/e2e/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pb="$root/scenarios/peterborough.json"

# out_says TEXT: the output holds TEXT, wherever a table's wrapping broke
# its lines (every run of newlines and spaces read as one space).
out_says() { tr -s '\n ' '  ' <"$work/out" | grep -qF -- "$1"; }

# ------------------------------------------------ solve: where to look next
# Peterborough's one price per event in both rules: at £1.1k the investors'
# mean multiple is about 0.1x, from about £56k on the caps hold it at 0.78x.
# A multiple of 0.01x lies below both ends, nearer the low one, where the
# price still moves it (at a price of 0 nothing is paid: 0x). The cap at the
# top does not put it out of reach: a range reaching below £1.1k finds it.
sib solve "$pb" -n 2000 -p /contract/payments/0/price -p /contract/payments/1/price \
    --target moic=0.01
check "solve: a cap at the far end does not make a target past the near end 'out of reach'" \
    'exits 1 && ! err_has "a wider range will not reach" && err_has "Widen the range below £1.1k (--from)"'
sib solve "$pb" -n 2000 -p /contract/payments/0/price -p /contract/payments/1/price \
    --target moic=0.01 --format json
check "solve --format json says past which end the target may lie (widen: low)" \
    'exits 1 && python3 -c "import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d[\"widen\"] == \"low\" and \"will not reach\" not in d[\"note\"] else 1)" "$work/out"'
sib solve "$pb" -n 2000 -p /contract/payments/0/price -p /contract/payments/1/price \
    --target moic=0.01 --from 0 --to 110000 --format json
check "... and the range reaching below it finds the price" \
    'exits 0 && python3 -c "import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d[\"found\"] and 0 < d[\"value\"] < 1100 and abs(d[\"metric_value\"] - 0.01) < 1e-9 else 1)" "$work/out"'
# The target above both ends, where the caps hold the metric still: no
# wider range helps, and solve says so.
sib solve "$pb" -n 2000 -p /contract/payments/1/price --target moic=0.8
check "solve: a cap at the end nearer the target still puts it out of reach" \
    'exits 1 && err_has "a wider range will not reach the target"'
# The regional template's fee share is at most 1: a surplus of €10m is past
# the high end, and no fee share reaches it.
sib solve "$root/scenarios/regional-pilot-to-scale.json" -n 1000 -p /financing/1/fee_share \
    --target PbR/provider.surplus=1e7
check "solve: past an end the field does not take, the target is out of reach (not 'widen')" \
    'exits 1 && err_has "takes no value above it" && ! err_has "(--to)"'

# ------------------------------- values the scenario does not take
# A sweep or a solve reaching a value the field refuses is said before the
# run, with the point or the end and the option that made it: the run
# stopped at the first such point with the loader's message alone, which
# named a value the user never wrote ('found 1.5' of --to 2, 'found
# 4987.308845').
sib sweep "$pb" -n 100 -p /simulation/discount_rate --from 0 --to 2 --steps 5
check "sweep: a grid point past the field's bound names the point and the grid" \
    'exits 2 && err_has "sweep: point 4 of 5, /simulation/discount_rate = 1.5, is a value the scenario does not take (the grid: --from 0 --to 2 --steps 5):" &&
     err_has "/simulation/discount_rate: expected a number in [-0.1, 1], found 1.5" && out_empty'
sib sweep "$pb" -n 100 -p /stages/0/cohorts/0/size --from 1 --to 5.5 --steps 3 --format csv
check "sweep: a fraction of a whole-number field names its point" \
    'exits 2 && err_has "point 2 of 3, /stages/0/cohorts/0/size = 3.25" && out_empty'
sib solve "$pb" -n 100 -p /simulation/discount_rate --from 0 --to 2 --target pooled_irr=0.01
check "solve: an end past the field's bound names the option that gave it" \
    'exits 2 && err_has "the range'"'"'s upper end 2, from --to, is a value the scenario does not take" &&
     err_has "found 2"'
sib solve "$pb" -n 100 -p /stages/0/cohorts/0/size --target pooled_irr=-0.1
check "solve: a whole-number term is refused before the search, pointing to sweep" \
    'exits 2 && err_has "cannot search a term that takes only some of them (a whole number): sweep its values instead"'

# ------------------------------------- a metric the scenario does not have
# Each analysis named the scenario file first and the option not at all
# ('<file>: no metric "x"'), the form of an error in the scenario, with no
# 'Try' line; report said '<file>: report: --metric:'. Now the form of every
# other bad option value, with the metric meant when it is a typo.
for cmd in sweep tornado converge report; do
    extra=()
    [ "$cmd" = sweep ] && extra=(-p /simulation/discount_rate --from 0 --to 0.1 --steps 2)
    [ "$cmd" = report ] && extra=(-o "$work/never.html")
    sib "$cmd" "$pb" -n 100 --metric commisioner/payments.total "${extra[@]}"
    check "$cmd: a misspelt --metric is a bad option value, with the metric meant" \
        'exits 2 && err_has "sibsim: '"$cmd"': --metric: no metric \"commisioner/payments.total\"; did you mean \"commissioner/payments.total\"?" &&
         err_has "(the scenario: $pb)" && err_has "Try '"'"'sibsim help '"$cmd"''"'"'." && out_empty &&
         [ ! -e "$work/never.html" ]'
done
sib solve "$pb" -n 100 -p /simulation/discount_rate --from 0 --to 0.1 --target nonsense=0.01
check "solve: a --target naming no metric is a bad option value" \
    'exits 2 && err_has "sibsim: solve: --target: no metric \"nonsense\"" && err_has "Try '"'"'sibsim help solve'"'"'."'

# ------------------------------- a point past the grid looked at in advance
# A grid of more than 10,000 points is looked at in advance on 10,000 of them
# spread over it; a point between them that the scenario refuses stopped the
# run with the loader's message alone. Here the sub-grid is exactly the
# multiples of 10 of the first term's 991 steps (99 = 9.9 x 10), where its
# value x = 400 + i/10 is whole; point 101 (i = 1, x = 400.1) is the first
# it does not take.
cat >"$work/small.json" <<'JSON'
{
  "sibsim": 1, "name": "Reoffending pilot, one cohort", "currency": "GBP",
  "stages": [ { "name": "pilot", "duration": 2,
                "costs": { "setup": 50000, "per_participant": 1500 },
                "cohorts": [ { "size": 500, "enrolment": 1 } ] } ],
  "outcomes": [ { "name": "reconvictions", "kind": "count", "direction": "lower_is_better",
                  "baseline": 1.5,
                  "effect": { "prior": { "dist": "normal", "mean": 0.10, "sd": 0.05 } },
                  "evaluation": { "design": "rct", "comparison_size": 500 },
                  "observation_lag": 1 } ],
  "contract": { "payments": [ { "outcome": "reconvictions", "type": "per_unit", "price": 8000,
                                "trigger": 0.05 } ] },
  "financing": [ { "name": "SIB", "type": "sib", "tranches": [ { "commitment": 1000000 } ] } ]
}
JSON
sib sweep "$work/small.json" -n 10 -p /stages/0/cohorts/0/size --from 400 --to 499 --steps 991 \
    -p /outcomes/0/baseline --from 1 --to 2 --steps 100 --format csv
check "sweep: a refused point between those looked at in advance is named as they are" \
    'exits 2 && err_has "looked for at 10,000 of the sweep'"'"'s 99,100 points" &&
     err_has "sibsim: sweep: point 101 of 99,100, /stages/0/cohorts/0/size = 400.1 and /outcomes/0/baseline = 1, is a value the scenario does not take" &&
     err_has "found 400.1" && out_empty'

# A scenario that does not load as written is its own error, not the first
# point's: a sweep and a solve said 'point 1 of 3 ... is a value the scenario
# does not take' above a syntax error in the file.
head -c 200 "$work/small.json" >"$work/cut.json"
sib sweep "$work/cut.json" -n 10 -p /outcomes/0/baseline --from 1 --to 2 --steps 3
check "sweep: a scenario with a syntax error is reported as such, not as its first point" \
    'exits 2 && err_has "$work/cut.json:" && err_has "syntax error" && ! err_has "point 1" && out_empty'
sib solve "$work/cut.json" -n 10 -p /outcomes/0/baseline --from 1 --to 2 --target irr=0.01
check "solve: a scenario with a syntax error is reported as such, not as an end of the range" \
    'exits 2 && err_has "syntax error" && ! err_has "lower end" && out_empty'

# ------------------------------------- a pointer that takes no value at all
# An unknown field was blamed on the first point's value ('point 1 of 3,
# /simulation/nosuch = 0, is a value the scenario does not take'); a term the
# file leaves out with its object (small.json has no "simulation") could not
# be swept at all.
sib sweep "$pb" -n 100 -p /simulation/nosuch --from 0 --to 0.1 --steps 3
check "sweep: a pointer the scenario takes no value at is refused as the --param, not a point" \
    'exits 2 && err_has "sibsim: sweep: --param /simulation/nosuch: the scenario takes no value there, neither 0 nor 0.1:" &&
     err_has "unknown field \"nosuch\"" && ! err_has "point 1" && out_empty'
sib solve "$pb" -n 100 -p /currency --target irr=0.01
check "solve: a string field is refused as the --param" \
    'exits 2 && err_has "sibsim: solve: --param /currency: the scenario takes no value there" &&
     err_has "found the string \"GBP\""'
sib sweep "$work/small.json" -n 200 -p /simulation/discount_rate --from 0.02 --to 0.08 --steps 2 \
    --metric commissioner/payments.pv --format csv
# Its one payment falls at t = 2 (enrolment over year 1, measured a year
# later, paid then), so the PV at each rate is the total over (1 + rate)^2.
check "sweep: a term whose object the file leaves out is swept (PV = total / (1 + rate)^2)" \
    'exits 0 && awk -F, '"'"'$3 == "commissioner" && $4 == "payments.total" { t[$1] = $5 }
        $3 == "commissioner" && $4 == "payments.pv" { v[$1] = $5 }
        END { n = 0; for (x in v) { n++; want = t[x] / (1 + x) ^ 2
                                    if (!(want > 0) || (v[x] - want) ^ 2 > (1e-9 * want) ^ 2) exit 1 }
              exit n != 2 }'"'"' "$work/out"'

# ------------------------------------- a sweep's CSV names its terms
# A saved CSV said x1 and x2 but never which terms they were.
sib sweep "$pb" -n 300 -p /contract/payments/0/price --from 100 --to 200 --steps 2 \
    -p /simulation/discount_rate --from 0 --to 0.1 --steps 2 --format csv
check "sweep --format csv: every row names the terms x1 and x2 are" \
    'exits 0 && python3 - "$work/out" <<"EOF"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert rows and all(r["x1.param"] == "/contract/payments/0/price" for r in rows)
assert all(r["x2.param"] == "/simulation/discount_rate" for r in rows)
assert len({(float(r["x1"]), float(r["x2"])) for r in rows}) == 4, "the 2 x 2 grid"
EOF'
sib sweep "$pb" -n 300 -p /contract/payments/0/price --from 100 --to 200 --steps 2 --format csv
check "sweep --format csv of one term: x2 and x2.param are empty" \
    'exits 0 && python3 - "$work/out" <<"EOF"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert rows and all(r["x1.param"] == "/contract/payments/0/price" and r["x2.param"] == "" and r["x2"] == "" for r in rows)
EOF'

# ------------------------------------ standard errors that are not zero
# Peterborough with the true effect fixed at 15%: nearly every future is
# repaid to the true-up's cap (£3.4m on £2.625m drawn, 1.2952x), so the
# multiple's SE is tiny but not zero; at 20% every future is, and it is 0.
# The table must not write the first as the second.
sib sweep "$pb" -n 2000 --param /outcomes/0/effect/prior --from 0.15 --to 0.2 --steps 2 \
    --metric moic --format csv
cp "$work/out" "$work/effect.csv"
sib sweep "$pb" -n 2000 --param /outcomes/0/effect/prior --from 0.15 --to 0.2 --steps 2 \
    --metric moic
check "sweep: an SE that is not zero is not written as ±0.000x (one significant digit, as run)" \
    'exits 0 && python3 - "$work/effect.csv" "$work/out" <<"EOF"
import csv, re, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["key"] == "17 trusts and foundations.moic"]
se = [float(r["se"]) for r in rows]
assert se[0] > 0 and se[1] == 0, se
assert abs(float(rows[1]["mean"]) - 3.4e6 / 2.625e6) < 1e-12, rows[1]["mean"]
shown = re.findall(r"±([0-9.]+)x", open(sys.argv[2]).read())
assert len(shown) == 2, shown
digits = len(shown[0].split(".")[1])
assert float(shown[0]) > 0 and abs(float(shown[0]) - se[0]) <= 0.5 * 10 ** -digits, (shown, se)
assert float(shown[1]) == 0, shown
EOF'
# Utah's senior tranche is repaid with its coupon in every future: its IRR
# of the expected cash flows is the coupon, and its SE only the rounding of
# sums of equal flows, below any digit a table shows.
sib sweep "$root/scenarios/utah-preschool.json" -n 2000 --param /financing/0/tranches/0/coupon \
    --from 0.04 --to 0.06 --steps 3 --metric "Goldman Sachs.pooled_irr"
check "sweep: an SE below a table's digits reads ±<0.0001%, not twelve zeros" \
    'exits 0 && out_has "4.00% ±<0.0001%" && out_has "6.00% ±<0.0001%" && ! out_has "0.000000"'
sib solve "$pb" -n 2000 -p /contract/payments/0/price -p /contract/payments/1/price \
    --target moic=0.01 --from 0 --to 110000
check "solve: the SE at the value found is not written as ±0.000x" \
    'exits 0 && out_has "SE ±0.000" && ! out_has "SE ±0.000x"'

# ------------------------------------------ a target met exactly at an end
# At a price of 0 in both rules nothing is paid: the multiple is 0 in every
# future, and so is its SE. A target of 0x is met at that end of the range;
# the answer must carry that end's SE (0), not the other end's (£20k: about
# 0.014x), and no search.
sib solve "$pb" -n 2000 -p /contract/payments/0/price -p /contract/payments/1/price \
    --target moic=0 --from 0 --to 20000 --format json
check "solve: a target met at an end of the range has that end's SE (0) and bracket" \
    'exits 0 && python3 -c "import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d[\"found\"] and d[\"value\"] == 0 and d[\"se\"] == 0 and d[\"bracket\"] == [0, 0] and d[\"iterations\"] == 0 else 1)" "$work/out"'
sib solve "$pb" -n 2000 -p /contract/payments/0/price -p /contract/payments/1/price \
    --target moic=0 --from 20000 --to 0
check "... and its table says so, with no Brent iterations over the whole range" \
    'exits 0 && out_has "SE ±0.000x" && out_has "equals the target exactly at this end" \
     && ! out_has "final bracket [£0.00, £20,000.00]"'

# ------------------------------------------ a grid larger than the table
# 40 x 30 = 1,200 points; the table holds at most 1,001, so 1001 // 30 = 33
# whole rows (990 points). A 34th row cut after 11 of its 30 points stood
# with empty cells in two of its three blocks of columns.
sib sweep "$pb" -n 10 -p /contract/payments/0/trigger --from 0.05 --to 0.15 --steps 40 \
    -p /contract/payments/1/trigger --from 0.05 --to 0.1 --steps 30 --metric moic --wide
check "sweep: a grid larger than the table shows whole rows, and says how many" \
    'exits 0 && out_has "the first 33 rows, 990 of the grid'"'"'s 1,200 points" \
     && ! grep -qE "^ +[0-9.]+% *$" "$work/out" \
     && [ "$(grep -cE "^ +[0-9.]+% +[0-9.]+x" "$work/out")" -eq 33 ]'

# ---------------------------------- solve of a field that takes no number
# A payment's name is a string and true_up a flag; a pointer without its
# leading '/' addresses nothing. No range makes them terms to solve for, so
# solve must not send the user off to give one with --from and --to.
for p in /contract/payments/1/name /contract/payments/1/true_up contract/payments/1/price; do
    sib solve "$pb" -n 500 -p "$p" --target moic=0.8
    check "solve of '$p' (no number to take) exits 2 with the loader's reason, no advice to give a range" \
        'exits 2 && out_empty && err_has "$p" && err_has "expected" && ! err_has "give the range"'
done

# ------------------------------------- bars for differences nobody can see
# A thousandth of a pound on a £11,000 price moves the mean multiple by far
# less than its last digit shown: three rows of 0.756x. Bars scaled from the
# smallest value to the largest drew 0, 20 and 40 columns for them.
sib sweep "$pb" -n 500 --param /contract/payments/1/price --from 11000 --to 11000.001 --steps 3 \
    --metric moic
check "sweep: values that read alike get no bars of different lengths, and a note says why" \
    'exits 0 && [ "$(grep -c "0.756x" "$work/out")" -eq 3 ] && ! grep -qE "\|[^ ]" "$work/out" \
     && out_has "no bars: the values differ by less than the last digit shown"'

# ------------------------------------------------ n/a, and why; one path
# Peterborough values no outcome, so its net value is defined in no future:
# a sweep or a tornado of it can only show n/a, and must say why (converge
# does), not leave a column of n/a to be read as a failure. One path is "1
# path", as converge writes it.
sib sweep "$pb" -n 1 --param /contract/payments/0/trigger --from 0.05 --to 0.15 --steps 3 \
    --metric net_value
check "sweep: a metric no future defines says so under its n/a; one path is '1 path a point'" \
    'exits 0 && [ "$(grep -c " n/a " "$work/out")" -eq 3 ] \
     && out_says "net_value is undefined at every point of the sweep: no future defines it" \
     && out_says "1 path a point" && ! out_says "1 paths"'
sib tornado "$pb" -n 1 --metric net_value
check "tornado: a metric no future defines says so under its n/a; one path is '1 path a run'" \
    'exits 0 && out_says "n/a with nothing moved" \
     && out_says "n/a: no future defines net_value with nothing moved, nor at any move" \
     && out_says "1 path a run" && ! out_says "1 paths"'

# ---------------------------------------------------------- a zero range
# --from 0.1 --to 0.1 with 3 steps (or the default 11) ran the same run 3
# times under three labels of 10%, exit 0. solve refuses --from = --to; a
# sweep must too, unless it asks for that one value (--steps 1).
sib sweep "$pb" -n 200 --param /contract/payments/0/trigger --from 0.1 --to 0.1 --steps 3
check "sweep: --from = --to with several steps is refused (exit 2), naming the term and the value" \
    'exits 2 && out_empty && err_has "/contract/payments/0/trigger" && err_has "same value (0.1)" \
     && err_has "--steps 1"'
sib sweep "$pb" -n 200 --param /contract/payments/0/trigger --from 0.1 --to 0.1 --steps 1
check "... and with --steps 1 it runs that value alone" \
    'exits 0 && [ "$(grep -cE "^ +10% " "$work/out")" -eq 1 ]'

# -------------------------------------- a metric that rises and falls
# The regional template's net value under a grant against the
# implementation gate's threshold: about €388k at 0, €424k at 15% and
# -€31k at 30% (20,000 paths). €420k lies between the middle and each end:
# there are two thresholds that give it, one in each half. solve said no
# value in [0%, 30%] gives it (exit 1), and advised widening below 0%.
reg="$root/scenarios/regional-pilot-to-scale.json"
for x in 0 0.15 0.3; do
    sib sweep "$reg" -n 20000 -p /stages/1/gate/min_effect --from $x --to $x --steps 1 --format csv
    grep -F ",grant,net_value," "$work/out" | cut -d, -f5 >>"$work/hump"
done
sib solve "$reg" -n 20000 -p /stages/1/gate/min_effect --from 0 --to 0.3 \
    --target grant/net_value=420000 --format json
check "solve: a metric that crosses the target twice in the range gives both crossings" \
    'exits 0 && python3 - "$work/hump" "$work/out" <<"EOF"
import json, sys
at0, at15, at30 = (float(v) for v in open(sys.argv[1]).read().split())
assert at0 < 420000 < at15 and at30 < 420000, (at0, at15, at30)   # the premise, run apart
d = json.load(open(sys.argv[2]))
assert d["found"] and d["twice"], d
assert 0 < d["value"] < 0.15 < d["other_value"] < 0.3, (d["value"], d["other_value"])
# The net value moves in steps as the threshold passes the measured
# effect of each future: within a tenth of its SE of the target at each crossing.
assert abs(d["metric_value"] - 420000) < 0.1 * d["se"], d
assert abs(d["other_metric_value"] - 420000) < 0.1 * d["other_se"], d
EOF'
sib solve "$reg" -n 20000 -p /stages/1/gate/min_effect --from 0 --to 0.3 \
    --target grant/net_value=420000
check "... and its table names the second threshold and says why there are two" \
    'exits 0 && out_says "gives it too" && out_says "crosses the target twice"'

# ------------------------------------------- converge: the precision's unit
# --precision is in the metric's own unit: 0.005 of an IRR is an SE of half
# a percentage point, 0.5%. The closing line gave the bare 0.005 beside a
# column of SEs in percent (±0.4021%), readable as 0.005%.
sib converge "$pb" --metric irr --precision 0.005 -n 20000
check "converge: the precision is also said in the SE column's unit (0.005 of a rate: ±0.5000%)" \
    'exits 0 && out_has "precision 0.005 reached at 16,384 paths: an SE of at most ±0.5000%"'
sib converge "$pb" --metric commissioner/payments.total --precision 20000 -n 4000
check "... and of money, in the currency (20000: ±£20,000), when it is not reached" \
    'exits 0 && out_has "NOT reached by 4,000 paths: raise --paths (an SE of at most ±£20,000 was asked)"'

# ------------------------------------- pilot-value: an SE below a unit
# The regional template with every amount (costs, value, prices, caps, the
# commitment) a millionth of its own: what gating changes varies by cents,
# an SE of about €0.1. The headline wrote it with compact money, "(SE €0)",
# which reads as a value every future gave alike; it is written as the
# other analyses write an SE, in its decimals.
python3 - "$reg" "$work/cents.json" <<'EOF2'
import json, sys
d = json.load(open(sys.argv[1]))
k = 1e-6
for s in d["stages"]:
    for f in ("setup", "fixed_per_year", "per_participant"):
        s["costs"][f] *= k
for o in d["outcomes"]:
    o["value"] *= k
for p in d["contract"]["payments"]:
    p["price"] *= k
    p["cap"] *= k
for f in d["financing"]:
    for t in f.get("tranches", []):
        t["commitment"] *= k
json.dump(d, open(sys.argv[2], "w"))
EOF2
sib pilot-value "$work/cents.json" -n 2000 -q
check "pilot-value: an SE below a euro is written in cents (SE €0.09), never as €0" \
    'exits 0 && out_has "grant, net value: gating changes it by" && ! out_has "(SE €0)" &&
     [ "$(grep -cE "\(SE €0\.[0-9]*[1-9][0-9]*\)$" "$work/out")" -eq 8 ]'
# ... and the change beside it in the same decimals: a change of -€0.24
# (-€235k in the template) read "€0 (SE €0.09)", its sign and digits lost.
check "pilot-value: a change beside an SE in cents is in cents too (-€0.24, not €0)" \
    'exits 0 && [ "$(grep -cE "gating changes it by -?€[0-9]+\.[0-9]{2} \(SE" "$work/out")" -eq 8 ] &&
     out_has "PbR, net value: gating changes it by -€0.2"'

# ------------------------------------------------ counts as a run writes them
# A count of paths is grouped in thousands, as run's header writes it
# ("20,000 paths"): tornado's and solve's lines read "2000 paths a run".
sib tornado "$pb" -n 2000
check "tornado: its paths a run are grouped (2,000)" \
    'exits 0 && out_says "2,000 paths a run" && ! out_says "2000 paths"'
sib solve "$pb" -n 2000 -p /contract/payments/0/price -p /contract/payments/1/price \
    --target moic=0.01 --from 0 --to 110000
check "solve: its paths a run are grouped (2,000)" \
    'exits 0 && out_says "2,000 paths a run" && ! out_says "2000 paths"'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
