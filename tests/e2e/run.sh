#!/usr/bin/env bash
# run.sh -- end-to-end checks of the sibsim command line, run as a user would.
#
#   tests/e2e/run.sh path/to/sibsim
#
# Works from any directory. Prints one line per check, "ok - what" or
# "not ok - what", then "N passed, M failed" alone on the last line; exits 1
# if any check failed. Runs are kept small (-n 5000) so the whole script
# takes a few seconds.
# shellcheck disable=SC2016,SC2034 # checks are code in single quotes, run by check()
set -euo pipefail

# shellcheck source=tests/e2e/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# json_run_is FILE PATHS SEED: the JSON report FILE says it ran PATHS paths
# from SEED.
json_run_is() {
    python3 -c 'import json, sys
run = json.load(open(sys.argv[1]))["run"]
sys.exit(0 if run["paths"] == int(sys.argv[2]) and run["seed"] == int(sys.argv[3]) else 1)' \
        "$@" 2>/dev/null
}

# The JSON report without what may differ between runs of the same seed: the
# wall time and the thread count.
strip_run() { sed -e 's/"seconds": [0-9.eE+-]*,* *//' -e 's/"threads": [0-9]*,* *//' "$1"; }

# --------------------------------------------------------------- basics
sib --version
check "--version exits 0 and prints the version" \
    'exits 0 && grep -qE "^sibsim [0-9]+\.[0-9]+\.[0-9]+$" "$work/out"'

sib --help
check "--help exits 0 and shows the commands" \
    'exits 0 && out_has "Usage: sibsim COMMAND" && out_has "validate" && err_empty'

sib help run
check "help run exits 0 and shows the run options" 'exits 0 && out_has "--paths N"'

# Words the usage does not take are refused, as they are everywhere else;
# "import indigo", as the usage writes it, is import's help.
sib --version extra
check "--version with a word after it is refused" \
    'exits 2 && err_has "--version takes nothing after it, found '"'"'extra'"'"'" && out_empty'
sib help import indigo
check "help import indigo shows import's help" 'exits 0 && out_has "Usage: sibsim import indigo"'
sib run --wide --compact -n 10 -q
check "run --wide --compact is refused: they are opposites" \
    'exits 2 && err_has "--wide and --compact: give one" && out_empty'
sib solve -p /contract/payments/1/price -p /contract/payments/1/price --target pooled_irr=0.01 -n 100 -q
check "solve with one term twice is refused, naming it, as sweep is" \
    'exits 2 && err_has "/contract/payments/1/price: the same term given twice"'

# ------------------------------------------------------------------- run
(cd /tmp && "$sibsim" run -n 5000 >"$work/out" 2>"$work/err") && status=0 || status=$?
check "run without a scenario works from another directory (/tmp)" 'exits 0 && out_has "Peterborough SIB (social impact bond)"'
check "run prints the built-in scenario's name" \
    'out_has "Peterborough prison SIB (UK, 2010-2017), as it ran: two cohorts"'
check "run prints the number of paths and the seed" \
    'out_has "5,000 paths" && out_has "seed 20100909"'
check "run prints the investors' IRR of the expected cash flows and of each future" 'out_has "Investor: 17 trusts and foundations" && out_has "IRR of the expected cash flows" && out_has "IRR, future by future"'

sib run -n 1 -q
check "one path is a path and one future a future, not '1 paths' or '1 futures'" \
    'exits 0 && out_has "  1 path, seed" && out_has "distribution over 1 future" &&
     ! grep -qE "\b1 (paths|futures)\b" "$work/out"'
sib compare "$root/scenarios/peterborough.json" "$root/scenarios/peterborough.json" -n 1 -q
check "compare of one path says 1 path" 'exits 0 && out_has "  1 path on common random numbers"'

sib run -n 5000 --format json
check "run --format json exits 0 and is valid JSON" \
    'exits 0 && python3 -m json.tool "$work/out" >/dev/null 2>&1'
check "run --format json reports 5000 paths and the scenario's seed" \
    'json_run_is "$work/out" 5000 20100909'

# The report's columns, then its provenance's (docs/analyses.md).
run_header="group,key,label,unit,kind,n,undefined,mean,se,sd,min,p05,p25,p50,p75,p95,max,worst05,bad_side"
run_header+=",provenance.command,provenance.scenario,provenance.scenario_file,provenance.scenario_hash"
run_header+=",provenance.seed,provenance.paths,provenance.generator,provenance.sibsim_version"
run_header+=",provenance.sibsim_build"
sib run -n 5000 --format csv
check "run --format csv starts with its header line" \
    'exits 0 && [ "$(head -n 1 "$work/out")" = "$run_header" ]'
check "run --format csv has a row per metric" \
    '[ "$(wc -l <"$work/out")" -gt 10 ]'

# ---------------------------------------------------------- reproducibility
runs_ok=1
for t in 1 2 3; do
    sib run -n 5000 --seed 7 --threads "$t" --format json
    exits 0 || runs_ok=0
    strip_run "$work/out" >"$work/seed7-t$t.json"
done
check "runs with 1, 2 and 3 threads exit 0 and their stripped JSON still parses" \
    '[ "$runs_ok" -eq 1 ] && grep -q "\"metrics\"" "$work/seed7-t1.json" &&
          python3 -m json.tool "$work/seed7-t1.json" >/dev/null 2>&1'
check "the same seed gives identical JSON with 1 and 2 threads" \
    '[ "$runs_ok" -eq 1 ] && cmp -s "$work/seed7-t1.json" "$work/seed7-t2.json"'
check "the same seed gives identical JSON with 1 and 3 threads" \
    '[ "$runs_ok" -eq 1 ] && cmp -s "$work/seed7-t1.json" "$work/seed7-t3.json"'

sib run -n 5000 --seed 8 --threads 1 --format json
strip_run "$work/out" >"$work/seed8.json"
check "a different seed gives different results" \
    'exits 0 && [ "$runs_ok" -eq 1 ] && ! cmp -s <(grep -v "\"run\":" "$work/seed7-t1.json") <(grep -v "\"run\":" "$work/seed8.json")'

# --------------------------------------------------------------- compare
sed 's/"price": 11000,/"price": 12000,/' "$root/scenarios/peterborough.json" >"$work/dearer.json"
sib compare "$root/scenarios/peterborough.json" "$work/dearer.json" -n 5000
check "compare runs two scenarios and prints B - A with its paired SE" \
    'exits 0 && out_has "B - A" && out_has "common random numbers"'
sib compare "$root/scenarios/peterborough.json"
check "compare with one scenario exits 2 with a message" 'exits 2 && err_has "two scenario"'
sib compare "$root/scenarios/peterborough.json" "$work/dearer.json" -n 3000 --format json
check "compare --format json marks B and B - A groups" \
    'exits 0 && out_has "[B] commissioner" && out_has "[B-A] commissioner"'

# -------------------------------------------------------------- analyses
pb="$root/scenarios/peterborough.json"
sib sweep "$pb" -n 2048 --param /contract/payments/1/price --from 8000 --to 14000 --steps 4
check "sweep prints a row per point with a chart" \
    'exits 0 && out_has "Sweep of price of payment \"final true-up\" (/contract/payments/1/price)" && [ "$(grep -c "|" "$work/out")" -ge 4 ]'
sib sweep "$pb" -n 1024 -p /contract/payments/1/price --from 8000 --to 14000 --steps 2 \
    -p /contract/payments/1/trigger --from 0.05 --to 0.1 --steps 2 --format json
check "a two-parameter sweep as JSON parses" \
    'exits 0 && python3 -m json.tool "$work/out" >/dev/null 2>&1 && out_has "\"params\""'
# labels FILE: the first cell of each row of a one-parameter sweep's table.
labels() { grep -F "|" "$1" | awk '{print $1}'; }
sib sweep "$pb" -n 1024 -q --param /outcomes/0/effect/prior/mean --from 0.1066 --to 0.1069 --steps 7
check "sweep's row labels tell every point apart (7 points over 0.03 points of a percentage)" \
    'exits 0 && [ "$(labels "$work/out" | wc -l)" -eq 7 ] && [ "$(labels "$work/out" | sort -u | wc -l)" -eq 7 ]'
sib sweep "$pb" -n 1024 -q --param /contract/payments/1/price --from 11000 --to 11003 --steps 4
check "... and so do money labels a pound apart" \
    'exits 0 && [ "$(labels "$work/out" | sort -u | wc -l)" -eq 4 ]'
sib sweep "$pb" -n 1024 -q --param /contract/payments/1/price --from 8000 --to 14000 --steps 4
check "... while points far apart keep the compact form (£8.0k)" 'exits 0 && out_has "£8.0k"'
sib sweep "$pb" -n 1024 -q -p /outcomes/0/effect/prior/mean --from 0.1066 --to 0.1067 --steps 3 \
    -p /contract/payments/1/price --from 11000 --to 11002 --steps 3
check "a grid's rows and columns tell every point apart too" \
    'exits 0 && [ "$(grep -cE "^ +10\.66[0-9]*% " "$work/out")" -eq 2 ] && out_has "£11,001"'
sib sweep "$pb" -n 1024 -p /contract/payments/0/trigger --from 0.05 --to 0.15 --steps 2 \
    -p /contract/payments/0/trigger --from 0.08 --to 0.12 --steps 2
check "a sweep of one term as both parameters exits 2 naming it" \
    'exits 2 && out_empty && err_has "/contract/payments/0/trigger" && err_has "twice"'
sib sweep "$pb" -n 1024 -p /contract/payments/1/lag --from 0 --to 1.5 --steps 2 --metric moic
check "a sweep warns of a likely mistake at a point (a true-up paid before the cohort payments it nets)" \
    'exits 0 && err_has "at /contract/payments/1/lag = 0: /contract/payments/1/lag: warning: this true-up is paid at" &&
     ! err_has "= 1.5:"'
sib sweep "$pb" -n 1024 -p /contract/payments/1/price --from 9000 --to 12000 --steps 2 --metric moic
check "a sweep whose points raise no warning of their own prints none" 'exits 0 && err_empty'
sib solve "$pb" -n 1024 -p /financing/0/tranches/0/commitment --target unfunded=500000
check "solve warns of a likely mistake at the value it found (a bond committing less than it funds)" \
    'exits 0 && err_has "/financing/0/tranches/0/commitment: warning: the tranches commit GBP 2,125,000"'
sib sweep "$pb" -n 1024 -p /contract/payments/1/lag --from 0 --to 1.5 --steps 2 --metric moic --strict
check "with --strict, a sweep's warning at a point is an error: exit 2 before anything runs" \
    'exits 2 && out_empty && err_has "at /contract/payments/1/lag = 0:" &&
     err_has "1 warning treated as error (--strict)"'
# A grid of more than 10,000 points is looked at on a sub-grid spread over all of it: the
# warned lags (below 0.75) come last in this grid's order, past its first 10,000 points.
sib sweep "$pb" -n 1 -p /contract/payments/1/lag --from 1.5 --to 0 --steps 1000 \
    -p /contract/payments/1/price --from 9000 --to 12000 --steps 20 --strict
check "with --strict, a large sweep's warnings past its first 10,000 points still stop it, saying what was looked at" \
    'exits 2 && out_empty && err_has "/contract/payments/1/lag: warning: this true-up is paid at" &&
     err_has "note: likely mistakes looked for at 10,000 of the sweep'"'"'s 20,000 points, spread over the whole grid"'
sib sweep "$pb" -n 1024 -p /contract/payments/1/price --from 9000 --to 12000 --steps 2 --metric moic --strict
check "... and a sweep whose points raise none runs" 'exits 0 && err_empty && out_has "moic"'
sib solve "$pb" -n 1024 -p /financing/0/tranches/0/commitment --target unfunded=500000 --strict
check "with --strict, a warning at the value solve finds is an error: exit 2, no answer" \
    'exits 2 && out_empty && err_has "the tranches commit GBP 2,125,000" && err_has "(--strict)"'
sib tornado "$pb" -n 1024 --pct 0.5
check "a tornado warns of a likely mistake where it moves a term (a bond committing less than it funds)" \
    'exits 0 && err_has "at /financing/0/tranches/0/commitment = 2500000: /financing/0/tranches/0/commitment: warning: the tranches commit GBP 2,500,000" &&
     ! err_has "= 7500000:"'
sib tornado "$pb" -n 1024 --pct 0.5 --strict
check "... which --strict does not refuse, as they are the tornado's moves, not the scenario: bars, and a note saying so" \
    'exits 0 && out_has "swing" && err_has "the tranches commit GBP 2,500,000" &&
     err_has "note: --strict refuses the scenario'"'"'s own warnings, not those of the tornado'"'"'s moves above" &&
     ! err_has "(--strict)"'
# The scenario's own warnings are refused by --strict before any run (here
# 21 runs of 10^8 futures, which would take many minutes).
sed 's/"commitment": 5000000/"commitment": 2000000/' "$pb" >"$work/pb-under.json"
status=0
timeout 60 "$sibsim" tornado "$work/pb-under.json" -n 100000000 --strict >"$work/out" 2>"$work/err" || status=$?
check "a scenario's own warning under --strict stops a tornado before any of its runs (exit 2 at once)" \
    'exits 2 && out_empty && err_has "(--strict)" && err_has "the tranches commit GBP 2,000,000"'
# Utah's senior tranche is repaid in full with its 5% in every future: the
# SE of its pooled IRR is not zero (rounding) but far below the table's
# digits, and is written so, never as a zero.
sib converge "$root/scenarios/utah-preschool.json" -n 2048
check "converge writes an SE below its digits as below them, not as zero" \
    'exits 0 && out_has "±<0.0001%" && ! out_has "±0.0000%"'
sib tornado "$pb" -n 1024
check "a tornado whose moves raise no warning prints none" 'exits 0 && err_empty'
check "a tornado's swing of an IRR is in percentage points" \
    'grep -qE "^  true effect on outcome .*% +[0-9]+\.[0-9]{2} pp " "$work/out"'
sib sweep "$pb" -n 1024 -p /simulation/seed --from 1 --to 3 --steps 3
check "a sweep of the seed, which every point shares, exits 2 naming it" \
    'exits 2 && out_empty && err_has "/simulation/seed: the seed and the paths are how every run is made"'
sib solve "$pb" -n 1024 -p /simulation/paths --from 1000 --to 3000 --target moic=0.7
check "a solve of the paths exits 2 naming them" \
    'exits 2 && out_empty && err_has "/simulation/paths: the seed and the paths are how every run is made"'
sib sweep "$pb" -n 1024 -p /contract/payments/9/price --from 1 --to 2
check "a sweep of a field that does not exist exits 2 naming its pointer" \
    'exits 2 && err_has "/contract/payments/9"'
sib tornado "$pb" -n 1024 --format json
check "tornado as JSON parses and ranks the effect prior first" \
    'exits 0 && python3 -c "import json,sys; b=json.load(open(sys.argv[1]))[\"bars\"]; sys.exit(0 if b[0][\"pointer\"]==\"/outcomes/0/effect/prior\" else 1)" "$work/out"'

# ------------------------------------------- the metric an analysis resolved
# An analysis' JSON and CSV give the metric as typed ("irr") and what it
# resolved to: its group and key, its label and unit as run names them, and
# the statistic. resolved.py resolves a name by the three tries of
# docs/analyses.md ("Naming a metric") over run's own metrics, and checks
# METRIC_RESOLVED (a JSON object) against it and against run's label and unit.
sib run "$pb" -n 1000 -q --format json
cp "$work/out" "$work/pb-run.json"
cat >"$work/resolved.py" <<"EOF"
import json, sys
def resolve(run_json, spec):
    stats = {"mean": "mean", "p05": "p05", "p25": "p25", "median": "p50", "p50": "p50",
             "p75": "p75", "p95": "p95", "sd": "sd"}
    name, stat = spec, "mean"
    if ":" in spec and spec.rsplit(":", 1)[1] in stats:
        name, stat = spec.rsplit(":", 1)[0], stats[spec.rsplit(":", 1)[1]]
    own = [m for m in json.load(open(run_json))["metrics"] if not m["group"].startswith("[")]
    for hit in (lambda m: m["group"] + "/" + m["key"] == name, lambda m: m["key"] == name,
                lambda m: m["key"].endswith("." + name)):
        found = [m for m in own if hit(m)]
        if found:
            assert len(found) == 1, found
            m = found[0]
            return {"group": m["group"], "key": m["key"], "label": m["label"], "unit": m["unit"],
                    "stat": stat}
    raise SystemExit("no metric " + spec)
EOF
sib tornado "$pb" -n 1024 -q --metric irr --format json
check "tornado --format json keeps the metric as typed and says what it resolved to: the first tranche's IRR" \
    'exits 0 && python3 - "$work/out" "$pb" "$work/pb-run.json" "$work/resolved.py" <<"EOF"
import json, sys
d, sc = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
exec(open(sys.argv[4]).read())
r = d["metric_resolved"]
assert d["metric"] == "irr", d["metric"]
# Peterborough has one structure with one tranche: "irr" is its tranche'"'"'s IRR.
assert r["group"] == sc["financing"][0]["name"], r
assert r["key"] == sc["financing"][0]["tranches"][0]["name"] + ".irr", r
assert r["unit"] == "annual_rate" and r["stat"] == "mean", r
assert r == resolve(sys.argv[3], "irr"), (r, resolve(sys.argv[3], "irr"))
EOF'
sib converge "$pb" -n 2048 -q --metric irr --format json
check "converge --format json keeps the metric as typed and says what it resolved to" \
    'exits 0 && python3 - "$work/out" "$work/pb-run.json" "$work/resolved.py" <<"EOF"
import json, sys
d = json.load(open(sys.argv[1]))
exec(open(sys.argv[3]).read())
assert d["metric"] == "irr" and d["metric_resolved"] == resolve(sys.argv[2], "irr"), d["metric_resolved"]
EOF'
sib converge "$pb" -n 2048 -q --metric payments.total:median --format csv
check "converge --format csv keeps its columns and appends the metric's group, key, unit and statistic" \
    'exits 0 && python3 - "$work/out" "$work/pb-run.json" "$work/resolved.py" <<"EOF"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
exec(open(sys.argv[3]).read())
r = resolve(sys.argv[2], "payments.total:median")
assert r["group"] == "commissioner" and r["key"] == "payments.total" and r["stat"] == "p50", r
cols = list(rows[0])
assert cols[:8] == ["paths", "estimate", "se", "metric", "metric_group", "metric_key",
                    "metric_unit", "metric_stat"] and cols[8].startswith("provenance."), cols
assert len(rows) == 2 and all(row["metric"] == "payments.total:median" and row["metric_group"] == r["group"] and
           row["metric_key"] == r["key"] and row["metric_unit"] == r["unit"] == "money" and
           row["metric_stat"] == "p50" for row in rows), rows
EOF'
sib solve "$pb" -n 2048 -q --param /contract/payments/1/price --target 'irr:median=0.05' --format json
check "solve --format json keeps the target's metric as typed and says what it resolved to" \
    'exits 0 && python3 - "$work/out" "$work/pb-run.json" "$work/resolved.py" <<"EOF"
import json, sys
d = json.load(open(sys.argv[1]))
exec(open(sys.argv[3]).read())
r = resolve(sys.argv[2], "irr:median")
assert d["metric"] == "irr:median" and r["stat"] == "p50" and d["metric_resolved"] == r, d["metric_resolved"]
EOF'
sib solve "$pb" -n 2048 -q --param /contract/payments/1/price --target 'irr:median=0.05' --format csv
check "solve --format csv keeps its columns and appends the metric's group, key, unit and statistic" \
    'exits 0 && python3 - "$work/out" "$work/pb-run.json" "$work/resolved.py" <<"EOF"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
exec(open(sys.argv[3]).read())
r = resolve(sys.argv[2], "irr:median")
cols = list(rows[0])
assert cols[:14] == ["param", "metric", "target", "found", "value", "metric_value", "se", "lo", "hi",
                     "iterations", "metric_group", "metric_key", "metric_unit", "metric_stat"], cols
row = rows[0]
assert (row["metric"], row["metric_group"], row["metric_key"], row["metric_unit"], row["metric_stat"]) == \
    ("irr:median", r["group"], r["key"], r["unit"], "p50"), row
EOF'
sib tornado "$pb" -n 1024 -q --format json
check "without --metric, tornado gives the default metric and what it resolved to (the pooled IRR)" \
    'exits 0 && python3 - "$work/out" "$pb" "$work/pb-run.json" "$work/resolved.py" <<"EOF"
import json, sys
d, sc = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
exec(open(sys.argv[4]).read())
want = sc["financing"][0]["name"] + "/" + sc["financing"][0]["tranches"][0]["name"] + ".pooled_irr"
assert d["metric"] == want and d["metric_resolved"] == resolve(sys.argv[3], want), d
EOF'
sib tornado "$pb" -n 1024 -q --metric irr --format csv
check "tornado --format csv keeps its columns and appends the metric, as named and as resolved" \
    'exits 0 && python3 - "$work/out" "$work/pb-run.json" "$work/resolved.py" <<"EOF"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
exec(open(sys.argv[3]).read())
r = resolve(sys.argv[2], "irr")
cols = list(rows[0])
assert cols[:12] == ["pointer", "kind", "low", "high", "metric_low", "metric_high", "swing", "metric",
                     "metric_group", "metric_key", "metric_unit", "metric_stat"] and \
    cols[12].startswith("provenance."), cols
assert rows and all((row["metric"], row["metric_group"], row["metric_key"], row["metric_unit"],
                     row["metric_stat"]) == ("irr", r["group"], r["key"], r["unit"], "mean")
                    for row in rows), rows
EOF'
sib solve "$pb" -n 2048 --param /contract/payments/1/price --target 'full_repayment=0.5'
check "solve finds a price and reports its bracket and iterations" \
    'exits 0 && out_has "iterations" && out_has "/contract/payments/1/price = "'
sib solve "$pb" -n 2048 --param /contract/payments/1/price --target 'full_repayment=0.99'
check "solve says when no value in the range reaches the target (exit 1)" \
    'exits 1 && err_has "no value of price of payment \"final true-up\" (/contract/payments/1/price) in ["'
sib solve "$pb" -n 2048 -q --param /contract/payments/1/price --target 'irr:median=0.05' \
    --from 5000 --to 20000
cp "$work/out" "$work/solve-up"
sib solve "$pb" -n 2048 -q --param /contract/payments/1/price --target 'irr:median=0.05' \
    --from 20000 --to 5000
check "solve takes a range given high end first as the same range, as sweep takes it" \
    'exits 0 && err_empty && cmp -s "$work/out" "$work/solve-up"'
sib solve "$pb" -n 2048 --param /contract/payments/1/price --target 'full_repayment=0.99' \
    --from 12000 --to 6000
check "a reversed range that does not reach the target says the metric at both ends (exit 1)" \
    'exits 1 && out_empty && err_has "/contract/payments/1/price) in [£6" &&
     grep -qE "it is [0-9.]+% at £6[^ ]* and [0-9.]+% at £12[^ ]*\. Widen" "$work/err"'
sib solve "$pb" -n 2048 --param /contract/payments/1/price --target 'full_repayment=0.5' \
    --from 9000 --to 9e3
check "solve over an empty range (--from = --to) is refused as usage (exit 2)" \
    'exits 2 && out_empty && err_has "--from and --to are the same value"'
sib solve "$pb" -n 1024 --param /financing/0/tranches/0/return_cap --target 'irr=0.05'
check "solve's default range stops at a field's bound (a return cap of 13% over [1.3%, 100%])" \
    'exits 1 && err_has "return_cap) in [1.3%, 100%] gives"'
sib solve "$pb" -n 1024 --param /financing/0/tranches/0/return_cap --target 'irr=0.05' --to 1.3
check "solve with --to past the bound is refused with the loader's message (exit 2)" \
    'exits 2 && err_has "expected a number in [0, 1], found 1.3"'
sib solve "$pb" -n 1024 --param /contract/cap --target 'moic=0.7'
check "solve of a term the scenario leaves at its default, without a range, says to give one (exit 2)" \
    'exits 2 && out_empty && err_has "/contract/cap" && err_has "give the range with --from and --to"'
sib solve "$pb" -n 1024 --param /outcomes/0/effect/prior --target 'moic=0.7'
check "solve of a prior, without a range, says to give one (exit 2)" \
    'exits 2 && out_empty && err_has "/outcomes/0/effect/prior" && err_has "give the range with --from and --to"'
sib solve "$pb" --param /contract/payments/1/price --target 'nonsense=1' -n 1024
check "solve with an unknown metric exits 2 and says how to name one" \
    'exits 2 && err_has "no metric"'
sib converge "$pb" --precision 0.02 -n 65536
check "converge stops at the requested precision" 'exits 0 && out_has "precision 0.02 reached"'
for t in "moic=0.8x" "moic=nan" "moic=inf" "moic=1e400" "moic= 0.8"; do
    sib solve "$pb" -n 1024 --param /contract/payments/1/price --target "$t"
    check "solve refuses the target '$t' as usage (exit 2), naming --target" \
        'exits 2 && out_empty && err_has "--target" && err_has "$t"'
done
sib solve "$pb" -n 2048 --param /contract/payments/1/price --target 'moic=0.8' --format json
check "solve --format json's note says a metric that stops moving within the range moves" \
    'exits 1 && python3 -c "import json,sys; d=json.load(open(sys.argv[1]))
lo, hi = d[\"metric_at_ends\"]
sys.exit(0 if d[\"flat\"] is False and lo != hi and \"does not move\" not in d[\"note\"] and \"stops moving\" in d[\"note\"] else 1)" "$work/out"'
sib solve "$pb" -n 2048 --param /contract/payments/1/lag --from 0 --to 2 --target pooled_irr=-0.065
check "solve does not report the jump of a lag by whole quarters past the target as a root (exit 1)" \
    'exits 1 && out_empty && err_has "gives pooled_irr = -6.50%: it jumps past the target at 0.75"'
sib solve "$pb" -n 2048 --param /contract/payments/1/lag --from 0 --to 2 --target pooled_irr=-0.065 --format json
check "solve --format json says found false and where the metric jumps" \
    'exits 1 && python3 -c "import json,sys; d=json.load(open(sys.argv[1]))
lo, hi = d[\"metric_across_jump\"]
sys.exit(0 if d[\"found\"] is False and d[\"value\"] is None and abs(d[\"jump_at\"] - 0.75) < 1e-3 and lo > -0.065 > hi else 1)" "$work/out"'
blend="staged/regional social investment: social investors.moic"
sib converge "$root/scenarios/regional-pilot-to-scale.json" --metric "$blend" --precision 1 -n 2048
check "converge --precision takes the mean of a blend's part, whose key has a colon" \
    'exits 0 && out_has "precision 1 reached at 1,024 paths"'
sib converge "$root/scenarios/regional-pilot-to-scale.json" --metric "$blend:p95" --precision 1 -n 2048
check "converge --precision on a blend part's p95 names the whole metric" \
    'exits 2 && err_has "converge on the mean of $blend"'
sib converge "$pb" --metric moic --precision 0.1 -n 1
check "converge of one path says one path, not 1 paths" \
    'exits 0 && out_has "precision 0.1 NOT reached by 1 path: raise --paths"'
sib converge "$pb" --metric net_value --precision 1000 -n 3000
check "converge of a metric no future defines says so, not to raise --paths" \
    'exits 0 && out_has "net_value is undefined in every one of the 3,000 futures run" && ! out_has "raise --paths"'
sib pilot-value "$root/scenarios/regional-pilot-to-scale.json" -n 4096
check "pilot-value reports what the gates are worth" \
    'exits 0 && out_has "gating changes it by" && out_has "every stage committed up front"'
check "... and the table does not list the pairs (each structure is its own partner)" \
    '! out_has "financing structures paired"'
sib pilot-value "$root/scenarios/regional-pilot-to-scale.json" -n 2048 -q --format json
check "pilot-value --format json gives the pairs as compare does: each structure and tranche with itself" \
    'exits 0 && python3 - "$work/out" "$root/scenarios/regional-pilot-to-scale.json" <<"EOF"
import json, sys
d, sc = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
names = [f["name"] for f in sc["financing"]]
assert [(p["a"], p["b"], p["how"]) for p in d["pairs"]] == [(n, n, "same name") for n in names], d["pairs"]
for p in d["pairs"]:
    assert all(t["a"] == t["b"] and t["how"] == "same name" for t in p["tranches"]), p
EOF'
sib pilot-value "$pb" -n 1024
check "pilot-value on a scenario without gates exits 2 with a message" \
    'exits 2 && err_has "no stage has a gate"'
sib tui "$pb" </dev/null
check "tui without a terminal exits 2 with a message" 'exits 2 && err_has "needs a terminal"'

# ------------------------------------------------------------------ --out
mkdir "$work/outdir"
report=$work/outdir/report.csv
sib run -n 5000 --format csv --out "$report"
check "run --out FILE exits 0 and prints nothing on stdout" 'exits 0 && out_empty'
check "run --out FILE writes the report to FILE" \
    '[ -s "$report" ] && [ "$(head -n 1 "$report")" = "$run_header" ]'

sib run -n 5000 --format csv
cp "$work/out" "$work/stdout.csv"
{
    echo "an old report that is much longer than the new one"
    head -c 1000000 /dev/zero | tr '\0' 'x'
    echo
} >"$report"
sib run -n 5000 --format csv --out "$report"
check "run --out replaces an existing file whole" \
    'exits 0 && cmp -s "$report" "$work/stdout.csv"'
check "run --out leaves no temporary file behind" \
    '[ "$(ls -A "$work/outdir")" = "report.csv" ]'

sib run -n 5000 --out "$work/no-such-dir/report.txt"
check "run --out into a missing directory exits 1 with a message" \
    'exits 1 && err_has "$work/no-such-dir/report.txt"'

# --------------------------------------------------------------- validate
sib validate "$root"/scenarios/*.json
check "validate accepts every scenario in scenarios/" \
    'exits 0 && [ "$(grep -c ": ok: " "$work/out")" -eq "$(ls "$root"/scenarios/*.json | wc -l)" ]'

nbad=0
for f in "$root"/tests/bad/*.json; do
    nbad=$((nbad + 1))
    sib validate "$f"
    check "validate refuses tests/bad/${f##*/} with exit 2 and a message starting with the file name" \
        'exits 2 && [ "$(head -c $((${#f} + 1)) "$work/err")" = "$f:" ] && out_empty'
done
check "tests/bad/ holds at least 20 bad scenarios" '[ "$nbad" -ge 20 ]'

sib validate "$root/scenarios/peterborough.json" "$root/tests/bad/empty.json"
check "validate of a good and a bad file exits 2 and still reports the good one" \
    'exits 2 && out_has ": ok: " && err_has "empty.json:1:1:"'

sib validate
check "validate without a file exits 2 with a message" \
    'exits 2 && err_has "no scenario file given"'

# ------------------------------------------------------------- bad input
sib run --frobnicate
check "an unknown option exits 2 and names it" 'exits 2 && err_has "--frobnicate" && out_empty'

sib frobnicate
check "an unknown command exits 2 and names it" 'exits 2 && err_has "frobnicate" && out_empty'

sib run --paths 0
check "--paths 0 exits 2 with a message" "exits 2 && err_has \"--paths\" && err_has \"'0'\""

sib run --paths abc
check "--paths abc exits 2 with a message" "exits 2 && err_has \"--paths\" && err_has \"'abc'\""

sib run --format xml
check "--format xml exits 2 with a message" "exits 2 && err_has \"--format\" && err_has \"'xml'\""

sib run --seed
check "an option without its value exits 2 with a message" 'exits 2 && err_has "--seed"'

sib run "$work/no-such-scenario.json"
check "a missing scenario file exits 2 and names the file" \
    'exits 2 && err_has "$work/no-such-scenario.json: cannot open" && out_empty'

sib
check "no command at all exits 2 and shows the usage on stderr" \
    'exits 2 && err_has "Usage: sibsim" && out_empty'

# ------------------------------------------------------------ writing files
cp "$root/scenarios/peterborough.json" "$work/p.json"
sib run "$work/p.json" -n 1000 -q --out "$work/p.json"
check "run --out naming its own scenario exits 2 and leaves the scenario whole" \
    'exits 2 && err_has "is an input" && cmp -s "$work/p.json" "$root/scenarios/peterborough.json"'

# With no scenario the built-in default runs: a copy of the library's
# peterborough.json, which an output must not replace either (it did).
mkdir -p "$work/lib"
cp "$root/scenarios/peterborough.json" "$work/lib/peterborough.json"
SIBSIM_SCENARIOS="$work/lib" sib run -n 1000 -q --out "$work/lib/peterborough.json"
check "run --out over the library file the built-in default stands for is refused" \
    'exits 2 && err_has "the scenario the built-in default stands for" &&
     cmp -s "$work/lib/peterborough.json" "$root/scenarios/peterborough.json"'
SIBSIM_SCENARIOS="$work/lib" sib backtest --out "$work/lib/./peterborough.json"
check "backtest --out over it, under another name, is refused too" \
    'exits 2 && err_has "would be overwritten" &&
     cmp -s "$work/lib/peterborough.json" "$root/scenarios/peterborough.json"'
SIBSIM_SCENARIOS="$work/lib" sib run -n 1000 -q --out "$work/lib/other.txt"
check "run --out elsewhere in the library directory still writes" \
    'exits 0 && [ -s "$work/lib/other.txt" ]'

# An output in a missing directory is said before the run, not after it:
# a trillion futures would take days (the old build ran them first).
status=0
timeout 60 "$sibsim" run -n 1e12 -q --out "$work/missing/out.txt" >"$work/out" 2>"$work/err" ||
    status=$?
check "--out in a missing directory exits 1 before the run, naming the directory" \
    'exits 1 && err_has "cannot create a file in $work/missing"'
status=0
timeout 60 "$sibsim" run -n 1e12 -q --checkpoint "$work/missing/ck" >"$work/out" 2>"$work/err" ||
    status=$?
check "a --checkpoint in a missing directory too" \
    'exits 1 && err_has "cannot create a file in $work/missing" && [ ! -e "$work/missing" ]'

sib run -n 1000 -q --out "$work/new.csv" --paths-out "$work/./new.csv"
check "--out and --paths-out naming one new file under two names are refused" \
    'exits 2 && err_has "name the same file" && [ ! -e "$work/new.csv" ]'

ln -s p.json "$work/alias.json"
sib run "$work/alias.json" -n 1000 -q --out "$work/p.json"
check "an output that is an input under another name is refused too" 'exits 2 && err_has "is an input"'

echo old >"$work/target.csv"
ln -s target.csv "$work/link.csv"
sib run -n 1000 -q --format csv --out "$work/link.csv"
check "--out through a symbolic link writes its target and keeps the link" \
    'exits 0 && [ -L "$work/link.csv" ] && head -n 1 "$work/target.csv" | grep -q "^group,key"'

sib run -n 1000 -q --out /dev/full
check "a full disk is reported with its cause, not \"Success\"" \
    'exits 1 && err_has "No space left on device" && ! err_has "Success"'

sib run -n 1000 -q --out "$work"
check "--out naming a directory exits 1 and says so" 'exits 1 && err_has "directory"'

# ------------------------------------------------- machine output is valid
# Names with quotes, commas and a backslash in every name a report prints
# (a name holds no control character: the loader refuses a tab or a line
# feed); every command's JSON must parse and its CSV keep its columns.
python3 - "$root/scenarios/peterborough.json" "$work/odd.json" <<'EOF2'
import json, sys
s = json.load(open(sys.argv[1]))
for k in ("cases", "realised"):
    s.pop(k, None)
s["financing"][0]["name"] = 'The "odd", SIB'
s["financing"][0]["tranches"][0]["name"] = 'funders, "A"\\class'
s["contract"]["payments"][0]["name"] = 'rule, "one"'
json.dump(s, open(sys.argv[2], "w"))
EOF2
valid_json() { python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$work/out" 2>/dev/null; }
csv_ok() {
    python3 -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
sys.exit(0 if len(rows) > 1 and all(len(r) == len(rows[0]) for r in rows) else 1)' "$work/out" 2>/dev/null
}
for cmd in "run" "cashflows" "converge --paths 2048" "tornado --paths 1024" \
    "sweep --param /contract/payments/1/price --from 9000 --to 12000 --steps 2 --paths 1024" \
    "solve --param /contract/payments/1/price --target pooled_irr=-0.07 --paths 1024"; do
    # shellcheck disable=SC2086 # the words of cmd are separate arguments
    sib $cmd "$work/odd.json" --format json
    check "${cmd%% *} --format json is valid JSON with quotes and commas in names" 'valid_json'
    sib $cmd "$work/odd.json" --format csv
    check "${cmd%% *} --format csv keeps its columns with quotes and commas in names" 'csv_ok'
done
sib compare "$work/odd.json" "$work/odd.json" -n 1024 -q --format json
check "compare --format json is valid JSON with quotes and commas in names" 'valid_json'
sib solve "$work/odd.json" --param /contract/payments/1/price --target pooled_irr=0.5 --from 9000 --to 9100 -n 1024 --format json
check "solve --format json gives null, not 0, when nothing is found, and says why" \
    'exits 1 && python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d[\"value\"] is None and d[\"found\"] is False and d[\"note\"] else 1)" "$work/out"'
sib run --paths ' 5'
check "--paths with a leading blank is refused" 'exits 2 && err_has "--paths"'
sib run --paths +5
check "--paths +5 is refused like other malformed numbers" 'exits 2 && err_has "--paths"'
"$sibsim" run -n 2000 -q 2>"$work/err" | head -n 1 >/dev/null || true
check "run | head -1 ends quietly (nothing on stderr)" 'err_empty'

# ------------------------------------------------------------------ warnings
python3 - "$root/scenarios/peterborough.json" "$work/pct.json" "$work/pct15.json" <<'EOF2'
import json, sys
s = json.load(open(sys.argv[1]))
s["simulation"]["discount_rate"] = 1
json.dump(s, open(sys.argv[2], "w"))
s["simulation"]["discount_rate"] = 0.035
s["outcomes"][0]["effect"]["prior"]["mean"] = 15
json.dump(s, open(sys.argv[3], "w"))
EOF2
sib validate "$work/pct.json"
check "validate prints a warning for a rate written in percent, with its pointer, and exits 0" \
    'exits 0 && err_has "/simulation/discount_rate: warning:" && err_has "did you mean 0.01 (1%)"'
sib validate "$work/pct15.json"
check "a relative fall of 15 is refused (exit 2), asking whether 0.15 was meant" \
    'exits 2 && err_has "/outcomes/0/effect/prior/mean: expected a number in [-10, 1], found 15" && err_has "did you mean 0.15 (15%)?"'
sib validate --strict "$work/pct.json"
check "validate --strict makes the warning an error (exit 2), and does not call it ok" \
    'exits 2 && err_has "--strict" && err_has "/simulation/discount_rate: warning:" && out_empty'
sib validate --strict "$pb" "$work/pct.json"
check "validate --strict says ok of the scenario without warnings only" \
    'exits 2 && out_has "$pb: ok:" && ! out_has "pct.json: ok" && [ "$(wc -l <"$work/out")" -eq 1 ]'
sib run "$work/pct.json" -n 1000 -q
check "run prints the warning on stderr and runs" 'exits 0 && err_has "warning:" && out_has "paths"'
sib run "$work/pct.json" -n 1000 -q --strict
check "run --strict refuses to run on a warning" 'exits 2 && out_empty'
sib validate "$root"/scenarios/*.json
check "the library's scenarios give no warning" 'exits 0 && ! err_has "warning"'

# ------------------------------------------------- one future: no SE claimed
# The SD and SE of one value are undefined: n/a in the table, null in JSON,
# an empty field in CSV -- never a standard error of 0.
sib run -n 1 -q
check "run -n 1 shows the standard error as n/a, not ±0" \
    'exits 0 && grep -qE "IRR, future by future +[0-9.-]+% +n/a" "$work/out" &&
          ! grep -qE "±(£)?0([.,]0*)?(%|x)?( |$)" "$work/out"'
sib run -n 1 -q --format json
check "run -n 1 --format json gives se and sd null for every metric" \
    'exits 0 && python3 -c "import json, sys
m = json.load(open(sys.argv[1]))[\"metrics\"]
sys.exit(0 if m and all(x[\"se\"] is None and x[\"sd\"] is None for x in m) else 1)" "$work/out"'
sib run -n 1 -q --format csv
check "run -n 1 --format csv leaves se and sd empty" \
    'exits 0 && python3 -c "import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
sys.exit(0 if rows and all(r[\"se\"] == \"\" and r[\"sd\"] == \"\" for r in rows) else 1)" "$work/out"'

# ------------------------------------------------ calibrate: caps per cohort
# A cap per cohort is a cap: Peterborough's two rules are both capped, and
# its cohort rule alone is capped at 2 cohorts x £1.7m, which the futures
# that pay both cohorts in full reach (100%) and none passes.
python3 - "$pb" "$work/cal-cohort.json" "$work/cal-open.json" <<'EOF2'
import json, sys
def base():
    s = json.load(open(sys.argv[1]))
    for k in ("cases", "realised", "assumptions", "sources"):
        s.pop(k, None)
    return s
s = base()
s["contract"]["payments"] = s["contract"]["payments"][:1]
json.dump(s, open(sys.argv[2], "w"))
s = base()
del s["contract"]["payments"][1]["cap"]
json.dump(s, open(sys.argv[3], "w"))
EOF2
sib calibrate "$pb" -n 2000
check "calibrate counts Peterborough's cap per cohort as a cap" \
    'exits 0 && ! out_has "no cap" && grep -qE "^    this scenario +[0-9.]+%" "$work/out"'
sib calibrate "$work/cal-cohort.json" -n 2000
check "calibrate sets payments against cap_per_cohort x cohorts (at most 100%, reached)" \
    'exits 0 && ! out_has "no cap" &&
     awk "/^    this scenario .*%/ { for (i = 3; i <= NF; i++) if (\$i + 0 > 100) exit 1;
          ok = \$NF == \"100.00%\"; exit } END { exit !ok }" "$work/out"'
sib calibrate "$work/cal-open.json" -n 2000
check "calibrate still says no cap when a rule has none and the contract none" \
    'exits 0 && out_has "no cap: the contract and some payment rules are uncapped"'

# ------------------------------------------------------ run --case is named
sib run "$pb" --case "no effect" -n 500 -q
check "run --case names the case in the table's first line, as compare does" \
    'exits 0 && [ "$(head -n 1 "$work/out")" = "Peterborough prison SIB (UK, 2010-2017), as it ran: two cohorts, case \"no effect\"" ]'
sib run "$pb" -n 500 -q
check "run without --case names no case" 'exits 0 && ! grep -q "case \"" "$work/out"'

# ---------------------- the provider's surplus, measured two ways, says so
sib run "$root/scenarios/regional-pilot-to-scale.json" -n 2000 -q
check "side by side, PbR's provider surplus is said to be a present value, the others' cash" \
    'exits 0 && out_has "for payment by results, the present value of the provider" &&
     out_has "for the others, its cash"'

# ------------------------------------------- an IRR in no future is shown
# The investor draws 100, gets 50 back, then draws 100 more and gets nothing:
# NPV < 0 at every rate, so no future has an IRR. The row stays, as n/a, with
# the count by reason (it was left out, and its count with it).
cat >"$work/no-irr.json" <<'EOF2'
{"sibsim": 1, "name": "no IRR in any future", "currency": "GBP",
 "simulation": {"paths": 200, "seed": 3, "periods_per_year": 1},
 "stages": [
  {"name": "a", "start": 0, "duration": 1, "costs": {"setup": 100},
   "cohorts": [{"name": "c1", "size": 100, "entry": 0, "enrolment": 0}]},
  {"name": "b", "start": 2, "duration": 1, "costs": {"setup": 100},
   "cohorts": [{"name": "c2", "size": 1, "entry": 2, "enrolment": 0}]}],
 "outcomes": [{"name": "o", "kind": "continuous", "direction": "higher_is_better",
   "baseline": 10, "sd": 1e-09, "effect": {"scale": "absolute", "prior": 2},
   "evaluation": {"design": "historical"}, "observation_lag": 1}],
 "contract": {"payments": [{"name": "p", "outcome": "o", "type": "fixed", "amount": 50,
   "scope": "cohort", "stage": "a", "lag": 0, "trigger": 0}]},
 "financing": [{"name": "bond", "type": "sib", "tranches": [{"name": "inv", "commitment": 1000}]}]}
EOF2
sib run "$work/no-irr.json" -n 500 -q --wide
check "a tranche's IRR, future by future, with no IRR in any future is shown as n/a with its count" \
    'exits 0 && out_has "IRR, future by future" && grep -q "of 500 futures: one IRR in 0" "$work/out" &&
     grep -q "no rate gives a zero NPV (money back, then more lost) 500" "$work/out"'

# ---------------------------------------------------------------- summary
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
