#!/usr/bin/env bash
# fin_terms.sh -- end-to-end checks of the financing terms: tranches repaid
# from given payments, fixed coupons, investor redemptions and return bands
# paid as interest, as `cashflows` and `run` show them (tests/json/fin-terms.json,
# the scenario of tests/test_fin_terms.c, whose expected case is worked out
# by hand there).
#
#   tests/e2e/fin_terms.sh path/to/sibsim
#
# Prints "ok - what" or "not ok - what" per check and "N passed, M failed"
# last; exits 1 if any check failed.
# shellcheck disable=SC2016 # checks are code in single quotes, run by check()
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

terms=$root/tests/json/fin-terms.json

sib cashflows "$terms"
check "cashflows shows the new lines: fixed coupons, redemptions, their payer's outlay" \
    'exits 0 && out_has "fixed coupon received" && out_has "redemption received" &&
     out_has "fixed coupon to investors" && out_has "redemption of investors" &&
     out_has "investors redeemed?"'

sib cashflows "$terms" --format csv
cp "$work/out" "$work/terms.csv"
check "the new lines' totals are the metrics of the same future, as worked out by hand" \
    'exits 0 && python3 - "$work/terms.csv" <<PY
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
line = {(r["group"], r["key"]): float(r["total"]) for r in rows if r["section"] == "line"}
metric = {(r["group"], r["key"]): float(r["total"]) for r in rows if r["section"] == "metric" and r["total"]}
close = lambda a, b: abs(a - b) < 1e-6
ok = True
for g in ("floor", "put"):
    ok &= close(line[(g, "investors.fixed_coupon")], metric[(g, "investors.fixed_coupon")])
    ok &= close(line[(g, "investors.redemption")], metric[(g, "investors.redeemed")])
    ok &= close(-line[(g, "commissioner.net")], metric[(g, "commissioner.total")])
    ok &= close(line[(g, "investors.principal")] + line[(g, "investors.return")],
                metric[(g, "investors.received")])
# By hand (tests/test_fin_terms.c): the floor pays 50, the put redeems for 750.
ok &= close(metric[("floor", "investors.fixed_coupon")], 50)
ok &= close(metric[("put", "investors.redeemed")], 750)
ok &= close(metric[("put", "commissioner.total")], 905)
ok &= close(line[("classes", "E.return")], 105) and close(line[("classes", "P.principal")], 750)
sys.exit(0 if ok else 1)
PY'

sib run "$terms" --quiet --paths 3000 --threads 1 --format json
sed -e '/"seconds"/d' "$work/out" >"$work/one.json"
sib run "$terms" --quiet --paths 3000 --threads 2 --format json
sed -e '/"seconds"/d' -e 's/"threads": 2/"threads": 1/' "$work/out" >"$work/two.json"
check "a run with the terms gives the same numbers on one thread and on two" \
    'exits 0 && cmp -s "$work/one.json" "$work/two.json"'

sib validate "$root/tests/bad/repaid-from-unknown-payment.json"
check "an unknown payment in repaid_from is refused with its pointer (exit 2)" \
    'exits 2 && err_has "/financing/0/tranches/0/repaid_from/0: expected the name of a payment rule"'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
