#!/usr/bin/env bash
# indigo.sh -- end-to-end checks of `sibsim import indigo` and `sibsim
# calibrate`: each hand-written record of tests/indigo/ (full, sparse,
# with PRIVATE and DISPUTED values, and a CSV export) imports into a
# scenario that validates, runs and backtests; malformed records are
# refused with the field's JSON Pointer (exit 2); calibrate sets the
# regional template beside the INDIGO record and says the record is biased.
#
#   tests/e2e/indigo.sh path/to/sibsim
#
# Prints "ok - what" or "not ok - what" per check and "N passed, M failed"
# last; exits 1 if any check failed.
# shellcheck disable=SC2016,SC2034 # checks are code in single quotes, run by check()
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

rec=$root/tests/indigo
rg=$root/scenarios/regional-pilot-to-scale.json
pb=$root/scenarios/peterborough.json

# ------------------------------------------------------------ the commands
sib --help
check "the command list has import and calibrate" \
    'exits 0 && out_has "import indigo RECORD" && out_has "calibrate [SCENARIO]"'
sib help import
check "help import names the CSV export and --id" 'exits 0 && out_has "--id ID" && out_has "original_projects"'

# ------------------------------------------------------------ round trips
for r in full sparse private; do
    sib import indigo "$rec/$r.json" -o "$work/$r.json"
    check "import $r: exit 0, the scenario written, the report on stdout" \
        'exits 0 && [ -s "$work/$r.json" ] && out_has "import indigo:" && out_has "validated:"'
    f="$work/$r.json"
    sib validate "$f"
    check "import $r: the scenario validates" 'exits 0 && out_has ": ok: "'
    sib run "$f" -q -n 3000 --format json
    check "import $r: the scenario runs" 'exits 0 && out_has "\"metrics\""'
done

sib import indigo "$rec/full.json"
check "import without -o writes the scenario to stdout and the report to stderr" \
    'exits 0 && head -c 1 "$work/out" | grep -q "{" && err_has "record fields used"'
cp "$work/out" "$work/stdout.json"
check "the scenario lists its assumptions and sources" \
    'python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d[\"assumptions\"]) > 20 and d[\"sources\"][0][\"title\"].startswith(\"INDIGO\")" "$work/stdout.json"'

sib import indigo "$rec/full.json" "$rec/sparse.json"
check "two records are refused as records, not as scenarios" \
    'exits 2 && err_has "takes one format and one record, found also" && ! err_has "scenario"'

f="$work/full.json"
sib backtest "$f"
check "full: backtest reproduces the payments made" 'exits 0 && out_has "reproduced"'

sib import indigo "$rec/sparse.json" -o "$work/sparse2.json"
check "sparse: the report says the scenario is mostly assumed" 'exits 0 && out_has "MOSTLY ASSUMED"'

sib import indigo "$rec/private.json" -o "$work/private2.json"
check "private: PRIVATE and DISPUTED values are listed as not used" \
    'exits 0 && out_has "/investments/1: PRIVATE row not used" && out_has "DISPUTED value not used"'
check "private: the payments that do not reconcile are a warning" \
    'out_has "warnings: where the record does not reconcile, or a value is doubtful" &&
     out_has "does not reconcile (a result"'

# A target of 0 service users is how some records leave the target out: it
# was refused (exit 2, 'expected a number of people from 1'). It is read as
# not given, with a warning, and the people actually engaged (540 in
# full.json) are taken as the plan; a fraction of a person is still refused.
python3 - "$rec/full.json" "$work" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
leaf = d["data"]["service_and_beneficiaries"]["targeted_number_service_users_or_beneficiaries_total"]
for name, value in (("zero", 0), ("half", 0.5)):
    leaf["value"] = value
    json.dump(d, open(sys.argv[2] + "/" + name + "-target.json", "w"))
PY
sib import indigo "$work/zero-target.json" -o "$work/zero.json"
check "a target of 0 service users is read as not given, with a warning" \
    'exits 0 && out_has "targeted_number_service_users_or_beneficiaries_total/value: a targeted number of 0 service users: not used (read as not given)" &&
     grep -q "No target: the 540 service users actually engaged taken as the plan" "$work/zero.json"'
sib import indigo "$work/half-target.json" -o "$work/half.json"
check "a target of half a person is refused at its pointer" \
    'exits 2 && err_has "targeted_number_service_users_or_beneficiaries_total/value: expected a number of people from 1" &&
     [ ! -e "$work/half.json" ]'

sib import indigo "$rec/csv" --id INDIGO-POJ-9101 -o "$work/csv.json"
check "csv: a project of the export imports" 'exits 0 && out_has "CSV Test Youth Employability Bond (INDIGO-POJ-9101)"'
f="$work/csv.json"
sib run "$f" -q -n 3000
check "csv: the scenario runs" 'exits 0'

# ------------------------------------------------------------ bad input
sib import indigo "$rec/bad-date.json" -o "$work/bad.json"
check "a malformed date: exit 2 with its pointer, nothing written" \
    'exits 2 && err_has "/dates/start_date_of_service_provision/value: expected a date" && err_has "\"2018-13\"" && [ ! -e "$work/bad.json" ]'
sib import indigo "$rec/bad-amount.json"
check "a malformed amount: exit 2 with its pointer" \
    'exits 2 && err_has "/overall_project_finance/total_investment_commitment/amount/exact/value" && err_has "\"1,200,000\""'
sib import indigo "$rec/bad-amount.json" --lenient -o "$work/lenient.json"
check "--lenient leaves the malformed amount out and lists it" \
    'exits 0 && out_has "/amount/exact/value: malformed, not used" && [ -s "$work/lenient.json" ]'
sib import indigo "$rec/csv" --id INDIGO-POJ-9102
check "a malformed CSV date names its file, row and column" \
    'exits 2 && err_has "original_projects.csv, row 3, column \"Dates - Start date of service provision - (Value)\""'
sib import indigo "$rec/csv"
check "the CSV export without --id is refused" 'exits 2 && err_has "--id"'
sib import indigo "$rec/csv" --id INDIGO-POJ-0404
check "an id not in the export is refused" 'exits 2 && err_has "no project \"INDIGO-POJ-0404\""'
# An id one edit from one of the export's (a digit dropped, another case) is
# answered with it; one farther from all is not guessed at.
sib import indigo "$rec/csv" --id INDIGO-POJ-910 -o "$work/x.json"
check "an id a digit short is answered with the id meant" \
    'exits 2 && err_has "no project \"INDIGO-POJ-910\" in its ID column; did you mean \"INDIGO-POJ-9101\"?"'
sib import indigo "$rec/csv" --id indigo-poj-9102 -o "$work/x.json"
check "an id in lower case is answered with the id meant" \
    'exits 2 && err_has "did you mean \"INDIGO-POJ-9102\"?"'
sib import indigo "$rec/csv" --id INDIGO-POJ-9999 -o "$work/x.json"
check "an id far from every id is not guessed at" 'exits 2 && ! err_has "did you mean"'
sib import indigo "$root/scenarios/peterborough.json" -o "$work/not-a-record.json"
check "a scenario given as a record is refused (exit 2), nothing written" \
    'exits 2 && err_has "expected an INDIGO project record" && [ ! -e "$work/not-a-record.json" ]'
sib import other "$rec/full.json"
check "a format other than indigo is refused" 'exits 2 && err_has "import indigo RECORD"'
sib import indigo "$rec/full.json" -o "$rec/full.json"
check "import -o over its own record is refused" 'exits 2 && err_has "is an input"'
cp -r "$rec/csv" "$work/export"
sib import indigo "$work/export" --id INDIGO-POJ-9101 -o "$work/export/original_projects.csv"
check "import -o over a table of the CSV export it reads is refused, the table whole" \
    'exits 2 && err_has "a table of the CSV export" && cmp -s "$rec/csv/original_projects.csv" "$work/export/original_projects.csv"'

# ------------------------------------------------------------ priors, calibrate
printf '{"name":"p","currency":"EUR","stages":[{"name":"s","duration":1,"volume":{"from":"indigo:referal_volume"},"cohorts":[{"size":10}]}],"outcomes":[{"name":"o","kind":"rate","direction":"lower_is_better","baseline":0.5,"effect":{"prior":0.1},"evaluation":{"design":"historical"}}],"contract":{"payments":[{"outcome":"o","type":"per_unit","price":1}]}}' >"$work/typo.json"
sib validate "$work/typo.json"
check "an unknown library prior: exit 2 at its pointer, naming the nearest" \
    'exits 2 && err_has "/stages/0/volume/from" && err_has "\"indigo:referral_volume\""'

sib calibrate "$rg" -n 4000
check "calibrate the regional template: exit 0, payments / cap beside the record" \
    'exits 0 && out_has "Outcome payments / cap" && out_has "INDIGO, completed projects" && out_has "(n = 16)"'
check "calibrate says the record is biased towards successes" 'out_has "biased towards published successes"'
check "calibrate gives each tranche P(full repayment)" 'out_has "regional social investment/social investors" && out_has "P(full repayment)"'
check "calibrate fits 100 columns (but the scenario's path) and writes ± as the other commands" \
    '[ "$(grep -v "^  scenario: " "$work/out" | LC_ALL=C.UTF-8 wc -L)" -le 100 ] && ! out_has "+-" && out_has "±"'
sib calibrate "$rg" -n 1
check "calibrate of one future says its standard errors are undefined, not nan" \
    'exits 0 && out_has "± n/a" && ! out_has "nan"'
# Peterborough's true-up and its cohort rule together pay at most £3.4m,
# the larger of their caps, which the best futures reach: 100%, not 50%.
sib calibrate "$pb" -n 4000
check "calibrate counts a true-up and the rules it nets off once: Peterborough's best futures reach 100%" \
    'exits 0 && grep -qE "^    this scenario .* 100\.00%$" "$work/out" && out_has "a true-up and the rules it nets off count once"'
# Without caps on its rules but with an outcome cap of £3m, Peterborough is
# still capped: what the contract pays for the outcome, at most £3m, which
# its best futures reach (it said "no cap").
python3 - "$pb" "$work/outcome-cap.json" <<'EOF2'
import json, sys
d = json.load(open(sys.argv[1]))
del d["contract"]["payments"][0]["cap_per_cohort"], d["contract"]["payments"][1]["cap"]
d["contract"]["outcome_caps"] = {"reconviction_events": 3000000}
d["assumptions"] = [a for a in d["assumptions"] if "cap" not in a["pointer"]]
json.dump(d, open(sys.argv[2], "w"))
EOF2
sib calibrate "$work/outcome-cap.json" -n 4000
check "calibrate counts an outcome's cap: 100% reached, not 'no cap'" \
    'exits 0 && ! out_has "no cap" && grep -qE "^    this scenario .* 100\.00%$" "$work/out" && out_has "each outcome'"'"'s within its outcome cap"'
# calibrate keeps every future's ratio and years in memory, at most a
# million futures: more is refused, not cut to a million without a word.
sib calibrate "$pb" -n 1000001
check "calibrate --paths over 1,000,000 is refused (exit 2), with the range and the value" \
    'exits 2 && out_empty && err_has "--paths: expected a whole number from 1 to 1,000,000" && err_has "found '"'"'1000001'"'"'"'
sib calibrate "$pb" -n 0
check "calibrate --paths 0 is refused (exit 2) with calibrate's range, not a run's 1 to 1e12" \
    'exits 2 && out_empty && err_has "--paths: expected a whole number from 1 to 1,000,000 (calibrate" && err_has "found '"'"'0'"'"'" && ! err_has "1e12"'
sib calibrate "$pb" -n 1e6
check "... and 1e6 runs a million futures" 'exits 0 && out_has "1,000,000 futures"'
sib calibrate "$rg" -n 4000 -t 1 -o "$work/cal1.txt"
sib calibrate "$rg" -n 4000 -t 3 -o "$work/cal3.txt"
check "calibrate is the same on 1 and 3 threads, written with -o" 'exits 0 && cmp -s "$work/cal1.txt" "$work/cal3.txt"'

# With no cap anywhere and an uncapped payer, "no cap" says so on two lines:
# on one it was 117 columns.
python3 - "$pb" "$work/no-cap.json" <<'EOF2'
import json, sys
d = json.load(open(sys.argv[1]))
del d["contract"]["payments"][0]["cap_per_cohort"], d["contract"]["payments"][1]["cap"]
d["contract"].pop("cap", None)
d["contract"]["payers"] = [{"name": "Ministry of Justice", "share": 1}]
d["assumptions"] = [a for a in d["assumptions"] if "cap" not in a["pointer"]]
json.dump(d, open(sys.argv[2], "w"))
EOF2
sib calibrate "$work/no-cap.json" -n 500
check "calibrate of an uncapped deal with a payer says 'no cap' within 100 columns" \
    'exits 0 && out_has "no cap: the contract and some payment rules are uncapped, as is some payer," &&
     [ "$(grep -v "^  scenario: " "$work/out" | LC_ALL=C.UTF-8 wc -L)" -le 100 ]'

# A project stopped early (service to 2021-04 of a planned 2019-04 to 2022-04: two years of
# three, half-year cohorts entering at 0, 0.5, ... 2.5): its results belong to the four
# cohorts that entered before the stop, not to the six planned, whose last two nobody joined.
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
d["data"]["dates"]["actual_end_date_of_service_provision"]["value"] = "2021-04"
json.dump(d, open(sys.argv[2], "w"))' "$rec/full.json" "$work/stopped.json"
sib import indigo "$work/stopped.json" -o "$work/stopped-scn.json"
check "a project stopped early imports to a scenario that loads, its results on the cohorts that entered" \
    'exits 0 && python3 -c "import json, sys
d = json.load(open(sys.argv[1]))[\"realised\"]
cohorts = sorted({r[\"cohort\"] for r in d[\"results\"]})
assert d[\"stopped\"] == 2 and cohorts == [\"cohort %d\" % k for k in (1, 2, 3, 4)], (d[\"stopped\"], cohorts)" "$work/stopped-scn.json" &&
     "$sibsim" backtest "$work/stopped-scn.json" >/dev/null'

# No fixed caps on the record: 70 outcome payers are 70 payers of the scenario (those
# after the 64th were dropped without a word), and 20 investments on the same terms,
# more than the 16 tranches a structure holds, are one tranche of their sum (they were
# refused, exit 2); on 17 different terms they are refused as bad input where the 17th
# terms start (exit 2), not made into a scenario that does not load ("a defect of the
# importer", exit 1).
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
money = lambda x: {"currency": {"value": "GBP"}, "amount": {"value": x}}
d["data"]["outcome_payment_commitments"] = [
    {"organisation_id": {"value": "INDIGO-ORG-P%03d" % (k + 1)},
     "maximum_potential_outcome_payment": money(30000 if k < 60 else 60000)} for k in range(70)]
json.dump(d, open(sys.argv[2], "w"))
d = json.load(open(sys.argv[1]))
d["data"]["investments"] = [
    {"organisation_id": {"value": "INDIGO-ORG-I%03d" % (k + 1)},
     "investment_commitment": {"currency": {"value": "GBP"}, "amount": {"exact": {"value": 50000}}}}
    for k in range(20)]
json.dump(d, open(sys.argv[3], "w"))
for k, row in enumerate(d["data"]["investments"]):
    row["maximum_potential_return"] = {"value": 0.01 * (k + 1) if k < 16 else 0.3}
    row["maximum_potential_return_type"] = {"value": "IRR"}
json.dump(d, open(sys.argv[4], "w"))' "$rec/full.json" "$work/payers70.json" "$work/investments20.json" \
    "$work/terms17.json"
sib import indigo "$work/payers70.json" -o "$work/payers70-scn.json"
check "70 outcome payers: all 70 in the scenario, their commitments adding up to the cap" \
    'exits 0 && ! out_has "is not the sum of the payers" && python3 -c "import json, sys
c = json.load(open(sys.argv[1]))[\"contract\"]
assert len(c[\"payers\"]) == 70 and sum(p[\"cap\"] for p in c[\"payers\"]) == c[\"cap\"] == 2400000, len(c[\"payers\"])" "$work/payers70-scn.json"'
sib import indigo "$work/investments20.json" -o "$work/investments20-scn.json"
check "20 investments on the same terms: one tranche of 20 x 50,000, with a warning" \
    'exits 0 && out_has "/data/investments: 20 investments with a public commitment, more than the 16 tranches" &&
     python3 -c "import json, sys
t = json.load(open(sys.argv[1]))[\"financing\"][0][\"tranches\"]
assert [(x[\"name\"], x[\"commitment\"]) for x in t] == [(\"20 senior investors\", 1000000)], t" "$work/investments20-scn.json"'
sib import indigo "$work/terms17.json" -o "$work/terms17-scn.json"
check "20 investments on 17 terms: refused (exit 2) where the 17th terms start, nothing written" \
    'exits 2 && err_has "/data/investments/16: expected at most 16 tranches" && err_has "found 20 investments" &&
     err_has "on 17 different terms" && ! err_has "defect" && [ ! -e "$work/terms17-scn.json" ]'

# The project's investor terms reach an investment whose row gives none
# (they were dropped: the tranche uncapped and unprotected), and a
# project listed twice in the CSV export is refused, not merged.
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
for i in d["data"]["investments"]:
    for k in ("maximum_potential_return", "maximum_potential_return_type", "maximum_potential_loss"):
        i.pop(k, None)
d["data"]["overall_project_finance"]["maximum_potential_loss"] = {"value": "20%"}
json.dump(d, open(sys.argv[2], "w"))' "$rec/full.json" "$work/project-terms.json"
sib import indigo "$work/project-terms.json" -o "$work/project-terms-scn.json"
check "the project's maximum return and loss apply to investments that give none" \
    'exits 0 && out_has "/data/overall_project_finance/maximum_potential_loss/value" && python3 -c "import json, sys
f = json.load(open(sys.argv[1]))[\"financing\"][0]
assert [t[\"return_cap\"] for t in f[\"tranches\"]] == [0.1, 0.1], f
assert [(g[\"share\"], g[\"max\"]) for g in f[\"guarantees\"]] == [(0.8, 560000), (0.8, 240000)], f" "$work/project-terms-scn.json"'
mkdir -p "$work/twice"
printf 'ID,Impact Bond Name - (Value)\r\nINDIGO-POJ-0001,First\r\nINDIGO-POJ-0001,Second\r\n' \
    >"$work/twice/original_projects.csv"
sib import indigo "$work/twice" --id INDIGO-POJ-0001 -o "$work/twice.json"
check "a project listed twice in the CSV export: refused (exit 2) naming both rows" \
    'exits 2 && err_has "original_projects.csv: expected one row with the ID \"INDIGO-POJ-0001\", found rows 2 and 3" && [ ! -e "$work/twice.json" ]'

# One of a thing is one: "1 futures" and "1 cohorts" before.
printf '{"service_and_beneficiaries": {"targeted_number_service_users_or_beneficiaries_total": {"value": 1}}}' \
    >"$work/one-user.json"
sib import indigo "$work/one-user.json" -o "$work/one-user-scn.json"
check "import of one user: '1 stage, 1 cohort,' in the report" 'exits 0 && out_has "validated: 1 stage, 1 cohort, 1 outcome,"'
sib calibrate "$work/one-user-scn.json" -n 1
check "calibrate of one future: '1 future, seed'" 'exits 0 && out_has "  1 future, seed 1,"'

# A maximum return of a bare 1: 1% in percent, or 100% as a fraction. It
# is read as 100% a year (as any bare number up to 1 is), which was done
# without a word; the report now warns at its pointer, with what it read.
python3 - "$rec/full.json" "$work/return-one.json" <<'EOF2'
import json, sys
d = json.load(open(sys.argv[1]))
d["data"]["investments"][0]["maximum_potential_return"]["value"] = 1
json.dump(d, open(sys.argv[2], "w"))
EOF2
sib import indigo "$work/return-one.json" -o "$work/return-one-scn.json"
check "import: a maximum return of 1 is read as 100% a year, with a warning at its pointer" \
    'exits 0 && out_has "/data/investments/0/maximum_potential_return/value: a maximum return of 1 is read as 100% a year" &&
     out_has "if 1% was meant, write 0.01 or \"1%\"" &&
     python3 -c "import json, sys; assert json.load(open(sys.argv[1]))[\"financing\"][0][\"tranches\"][0][\"return_cap\"] == 1" "$work/return-one-scn.json"'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
