#!/usr/bin/env bash
# compare.sh -- end-to-end checks of `sibsim compare`: what it refuses
# rather than report a difference that means nothing (two scenarios in
# different currencies, --pair options that contradict each other, one
# --case for two scenarios), with the field or the option, what was
# expected and what was found (exit 2); and what its table says of the
# metrics that only one of A and B has, and the pairs its JSON gives,
# with how their tranches and guarantees were paired;
# and that a difference of two probabilities is in percentage points.
#
#   tests/e2e/compare.sh path/to/sibsim
#
# Prints "ok - what" or "not ok - what" per check and "N passed, M failed"
# last; exits 1 if any check failed.
# shellcheck disable=SC2016 # checks are code in single quotes, run by check()
set -euo pipefail

# shellcheck source=tests/e2e/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pb=$root/scenarios/peterborough.json
rg=$root/scenarios/regional-pilot-to-scale.json
# Peterborough with its final true-up renamed "final payment".
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); d["contract"]["payments"][1]["name"] = "final payment"; json.dump(d, open(sys.argv[2], "w"))' \
    "$pb" "$work/renamed-rule.json"

# ------------------------------------------------------------ currencies
# Peterborough is in GBP; the same deal written in euros is another
# currency: B - A would subtract euros from pounds.
sed 's/"currency": "GBP"/"currency": "EUR"/' "$pb" >"$work/pb-eur.json"
sib compare "$pb" "$work/pb-eur.json" -n 1000 -q
check "compare of a GBP and a EUR scenario is refused at B's /currency (exit 2, nothing on stdout)" \
    'exits 2 && out_empty && err_has "pb-eur.json: /currency: expected \"GBP\"" && err_has "found \"EUR\""'
sib compare "$pb" "$rg" -n 1000 -q --format csv
check "... and Peterborough (GBP) against the regional template (EUR), in any format" \
    'exits 2 && out_empty && err_has "/currency: expected \"GBP\"" && err_has "found \"EUR\""'
sib compare "$rg" "$rg" --case "no effect" --case "cost overrun" -n 1000 -q
check "two files in one currency still compare" 'exits 0 && out_has "B - A"'

# ------------------------------------------------------------------ --pair
# Each --pair fixes one of A's structures to one of B's; a second --pair
# that names the same A, or the same B, contradicts the first: obeying one
# would silently drop the other.
sib compare "$rg" "$rg" --pair grant=PbR --pair PbR=PbR -n 1000 -q
check "--pair naming B's \"PbR\" twice is refused (exit 2), naming both options" \
    'exits 2 && out_empty && err_has "--pair PbR=PbR" && err_has "--pair grant=PbR"'
sib compare "$rg" "$rg" --pair grant=PbR --pair grant=staged -n 1000 -q
check "--pair naming A's \"grant\" twice is refused (exit 2), naming both options" \
    'exits 2 && out_empty && err_has "--pair grant=staged" && err_has "--pair grant=PbR"'
sib compare "$rg" "$rg" --pair grant=PbR --pair grant=PbR -n 1000 -q
check "the same --pair twice says one thing: it runs, grant with PbR" \
    'exits 0 && out_has "A \"grant\" with B \"PbR\" (--pair)"'
sib compare "$rg" "$rg" --pair grant=PbR --pair PbR=grant -n 1000 -q
check "two --pair that swap two structures both hold" \
    'exits 0 && out_has "A \"grant\" with B \"PbR\" (--pair)" && out_has "A \"PbR\" with B \"grant\" (--pair)"'

# A --pair the scenarios refuse was 'sibsim: --pair ...', without the command
# or a Try line; a structure misspelt is answered with the one meant.
sib compare "$rg" "$rg" --pair grnat=PbR -n 1000 -q
check "--pair naming no structure of A is a bad value of compare's --pair, with the one meant" \
    'exits 2 && out_empty && err_has "sibsim: compare: --pair grnat=PbR: A has no financing structure named \"grnat\"; did you mean \"grant\"? (its structures: " &&
     err_has "Try '"'"'sibsim help compare'"'"'."'

# A structure's name may hold "=": --pair splits at the "=" that leaves one
# of A's structure names before it and one of B's after it, whichever "="
# that is; when several do, it is refused naming each reading (exit 2);
# when none does, it says which side names no structure, as before.
python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))
d["financing"][0]["name"] = "SIB=A"; json.dump(d, open(sys.argv[2], "w"))
d["financing"][0]["name"] = "SIB=B"; json.dump(d, open(sys.argv[3], "w"))' "$pb" "$work/eq-a.json" "$work/eq-b.json"
sib compare "$work/eq-a.json" "$work/eq-b.json" --pair SIB=A=SIB=B -n 1000 -q --format json
check "--pair SIB=A=SIB=B pairs A's \"SIB=A\" with B's \"SIB=B\", split at the second '='" \
    'exits 0 && python3 - "$work/out" <<"EOF"
import json, sys
d = json.load(open(sys.argv[1]))
assert [(p["a"], p["b"], p["how"]) for p in d["pairs"]] == [("SIB=A", "SIB=B", "--pair")], d["pairs"]
EOF'
sib compare "$work/eq-a.json" "$work/eq-b.json" --pair SIB=A=nope -n 1000 -q
check "--pair SIB=A=nope names B's side as no structure (exit 2)" \
    'exits 2 && out_empty && err_has "--pair SIB=A=nope: B has no financing structure named \"nope\""'
sib compare "$work/eq-a.json" "$work/eq-b.json" --pair nope=SIB=B -n 1000 -q
check "--pair nope=SIB=B names A's side as no structure, as before (exit 2)" \
    'exits 2 && out_empty && err_has "--pair nope=SIB=B: A has no financing structure named \"nope\""'
sib compare "$pb" "$pb" --pair "Peterborough SIB=nope" -n 1000 -q
check "... and a name without '=' gets the message it always had" \
    'exits 2 && out_empty && err_has "--pair Peterborough SIB=nope: B has no financing structure named \"nope\""'
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); f = d["financing"][0]
d["financing"] = [dict(f, name="x"), dict(f, name="x=y")]; json.dump(d, open(sys.argv[2], "w"))
d["financing"] = [dict(f, name="y=z"), dict(f, name="z")]; json.dump(d, open(sys.argv[3], "w"))' \
    "$pb" "$work/amb-a.json" "$work/amb-b.json"
sib compare "$work/amb-a.json" "$work/amb-b.json" --pair x=y=z -n 1000 -q
check "--pair x=y=z, when it reads as x with y=z and as x=y with z, is refused naming both (exit 2)" \
    'exits 2 && out_empty && err_has "--pair x=y=z: expected one pair of structures, found 2" &&
     err_has "A'"'"'s \"x\" with B'"'"'s \"y=z\"" && err_has "A'"'"'s \"x=y\" with B'"'"'s \"z\""'

# ------------------------------------------------------- scenarios and cases
# Two scenarios take --case twice (A's, then B's) or not at all: one --case
# could be either's. The refusal says what it found.
sib compare "$pb" "$work/pb-eur.json" --case "no effect" -n 1000 -q
check "two scenarios and one --case are refused (exit 2), saying what was found" \
    'exits 2 && out_empty && err_has "found 2 scenarios and 1 --case"'
sib compare "$pb" -n 1000 -q
check "one scenario without --case is refused, saying what was found" \
    'exits 2 && out_empty && err_has "found 1 scenario and no --case"'
# A future-by-future value some futures lack: B - A is over the futures where
# both have it, and the row says over how many, beside A's and B's own counts
# (the regional template's staged investors draw capital in about a quarter
# of A's futures and almost none of B's).
sib compare "$rg" --case "cost overrun" --case "no effect" -n 2000 -q
check "a B - A over fewer futures than A's or B's mean says over how many, under its row" \
    'exits 0 && grep -A1 "IRR, future by future" "$work/out" | grep -qE "^ +\(B - A over the [0-9,]+ futures where both are defined; A.s mean over [0-9,]+, B.s over [0-9,]+\)$" &&
     ! grep -A1 "capital drawn  " "$work/out" | grep -q "B - A over"'
sib compare "$pb" "$work/renamed-rule.json" -n 1000 -q
check "... and no row says it where every future has both" 'exits 0 && ! out_has "B - A over the"'
# A case's name is shown whole: it was cut to 60 bytes, in the middle of an
# "é" at the 60th.
long_case="$(printf 'a%.0s' $(seq 59))é and more"
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); d["cases"][0]["name"] = sys.argv[3]; json.dump(d, open(sys.argv[2], "w"), ensure_ascii=False)' \
    "$pb" "$work/long-case.json" "$long_case"
sib compare "$work/long-case.json" --case "$long_case" --case "strong effect" -n 500 -q
check "a case's name is named whole in the heading, not cut inside a character" \
    'exits 0 && out_has "${long_case}\""'
sed 's/"name": "Peterborough prison SIB[^"]*"/"name": "Peterborough B"/' "$pb" >"$work/pb-b.json"
sib compare "$pb" "$work/pb-b.json" --case "no effect" --case "strong effect" -n 1000 -q
check "two scenarios with a --case each: A's case of A, B's of B" \
    'exits 0 && out_has "A: Peterborough prison SIB (UK, 2010-2017), as it ran: two cohorts, case \"no effect\"" &&
     out_has "B: Peterborough B, case \"strong effect\""'

# ------------------------------------------------------------------ --seed
# Both sides run on the seed given; the header must not call it A's, whose
# own seed (Peterborough's 20100909) is another set of futures.
sib compare "$pb" "$work/renamed-rule.json" -n 1000 -q --seed 7
check "compare --seed 7 says the futures are seed 7's, from --seed, not A's seed" \
    'exits 0 && out_has "(seed 7 from --seed, generator mt19937)" && ! out_has "A'"'"'s seed 7"'
sib compare "$pb" "$work/renamed-rule.json" -n 1000 -q
check "without --seed the header gives A's seed" 'exits 0 && out_has "(A'"'"'s seed 20100909, generator mt19937)"'

# ------------------------------------------------------ pairs in JSON
# The table says which of B's structures each of A's was compared with; the
# JSON, whose [B-A] groups are named after A's structures, says it too.
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); d["financing"][0]["name"] = "Renamed SIB"; json.dump(d, open(sys.argv[2], "w"))' \
    "$pb" "$work/renamed-sib.json"
sib compare "$pb" "$work/renamed-sib.json" -n 1000 -q --format json
check "compare --format json gives the pairs: A's Peterborough SIB with B's Renamed SIB, by position" \
    'exits 0 && python3 - "$work/out" <<"EOF"
import json, sys
d = json.load(open(sys.argv[1]))
assert [{k: v for k, v in p.items() if k not in ("tranches", "guarantees")} for p in d["pairs"]] == [{"a": "Peterborough SIB", "b": "Renamed SIB", "how": "same position"}], d.get("pairs")
groups = {m["group"] for m in d["metrics"]}
assert "[B-A] Peterborough SIB" in groups and "[B] Renamed SIB" in groups, groups
EOF'
sib compare "$rg" "$rg" --case "no effect" --case "cost overrun" --pair grant=PbR -n 1000 -q --format json
check "... and every structure of both, with --pair and without a partner" \
    'exits 0 && python3 - "$work/out" <<"EOF"
import json, sys
d = json.load(open(sys.argv[1]))
assert [{k: v for k, v in p.items() if k not in ("tranches", "guarantees")} for p in d["pairs"]] == [{"a": "grant", "b": "PbR", "how": "--pair"},
                      {"a": "PbR", "b": "grant", "how": "same position"},
                      {"a": "regional social investment", "b": "regional social investment", "how": "same name"},
                      {"a": "staged", "b": "staged", "how": "same name"}], d["pairs"]
EOF'
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); d["financing"].append(dict(d["financing"][0], name="second")); json.dump(d, open(sys.argv[2], "w"))' \
    "$pb" "$work/two-sibs.json"
sib compare "$work/two-sibs.json" "$pb" -n 1000 -q --format json
check "... a structure of A without a partner has b null" \
    'exits 0 && python3 - "$work/out" <<"EOF"
import json, sys
d = json.load(open(sys.argv[1]))
assert [{k: v for k, v in p.items() if k not in ("tranches", "guarantees")} for p in d["pairs"]] == [{"a": "Peterborough SIB", "b": "Peterborough SIB", "how": "same name"},
                      {"a": "second", "b": None, "how": "no partner"}], d["pairs"]
EOF'

# ------------------------------------------------ tranches in JSON's pairs
# Within a pair, the engine pairs the investors' tranches by name, then by
# position (as the table heads them: "Investor: X (B: Y)"). Each pair in
# JSON gives that pairing, every tranche of both, with a side null when a
# tranche has no partner. tranche_pairs.py works it out from the scenario
# files, by the rule docs/analyses.md gives.
cat >"$work/tranche_pairs.py" <<"EOF"
import json
def names(path, structure):
    f = [f for f in json.load(open(path))["financing"] if f["name"] == structure][0]
    return [t["name"] for t in f.get("tranches", [])]
def tranche_pairs(a, b):
    """A's tranche names a and B's b paired by name, then by position."""
    pair, taken = [None] * len(a), set()
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            if j not in taken and x == y:
                pair[i] = j
                taken.add(j)
                break
    free = [j for j in range(len(b)) if j not in taken]
    for i in range(len(a)):
        if pair[i] is None and free:
            pair[i] = free.pop(0)
            taken.add(pair[i])
    out = [{"a": x, "b": None if pair[i] is None else b[pair[i]],
            "how": "no partner" if pair[i] is None else "same name" if x == b[pair[i]] else "same position"}
           for i, x in enumerate(a)]
    return out + [{"a": None, "b": y, "how": "no partner"} for j, y in enumerate(b) if j not in taken]
EOF
ma=$root/scenarios/massachusetts-juvenile-justice.json
# B: Massachusetts with LJAF moved first, Kresge renamed, and one more tranche.
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); t = d["financing"][0]["tranches"]
t.insert(0, t.pop(4)); t[2]["name"] = "Kresge Foundation"; t.append(dict(t[1], name="Extra", commitment=1000000))
d["assumptions"] = [x for x in d.get("assumptions", []) if not x.get("pointer", "").startswith("/financing/0/tranches/")]
json.dump(d, open(sys.argv[2], "w"))' "$ma" "$work/ma-b.json"
sib compare "$ma" "$work/ma-b.json" -n 1024 -q --format json
check "compare --format json gives each pair's tranches: by name, a renamed one by position, B's extra one with a null" \
    'exits 0 && python3 - "$work/out" "$ma" "$work/ma-b.json" "$work/tranche_pairs.py" <<"EOF"
import json, sys
exec(open(sys.argv[4]).read())
d = json.load(open(sys.argv[1]))
(p,) = d["pairs"]
want = tranche_pairs(names(sys.argv[2], p["a"]), names(sys.argv[3], p["b"]))
assert {"a": "Kresge", "b": "Kresge Foundation", "how": "same position"} in want, want
assert want[-1] == {"a": None, "b": "Extra", "how": "no partner"} and len(want) == 8, want
assert p["tranches"] == want, (p["tranches"], want)
EOF'
sib compare "$work/ma-b.json" "$ma" -n 1024 -q --format json
check "... and A's tranche without a partner in B has b null" \
    'exits 0 && python3 - "$work/out" "$work/ma-b.json" "$ma" "$work/tranche_pairs.py" <<"EOF"
import json, sys
exec(open(sys.argv[4]).read())
(p,) = json.load(open(sys.argv[1]))["pairs"]
want = tranche_pairs(names(sys.argv[2], p["a"]), names(sys.argv[3], p["b"]))
assert {"a": "Extra", "b": None, "how": "no partner"} in want, want
assert p["tranches"] == want, (p["tranches"], want)
EOF'
# Guarantees pair the same way: Rikers Island's guarantor renamed in B is
# paired by position; a second guarantor in B has no partner.
rk=$root/scenarios/rikers-island.json
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); g = d["financing"][0]["guarantees"]
g[0]["name"] = "Bloomberg"; g.append(dict(g[0], name="Second guarantor"))
d["assumptions"] = [x for x in d.get("assumptions", []) if not x.get("pointer", "").startswith("/financing/0/guarantees/")]
json.dump(d, open(sys.argv[2], "w"))' "$rk" "$work/rk-b.json"
sib compare "$rk" "$work/rk-b.json" -n 1024 -q --format json
check "compare --format json gives each pair's guarantees: a renamed one by position, B's extra one with a null" \
    'exits 0 && python3 - "$work/out" "$rk" "$work/tranche_pairs.py" <<"EOF"
import json, sys
exec(open(sys.argv[3]).read())
(p,) = json.load(open(sys.argv[1]))["pairs"]
a = [g["name"] for g in json.load(open(sys.argv[2]))["financing"][0]["guarantees"]]
want = tranche_pairs(a, ["Bloomberg", "Second guarantor"])
assert want == [{"a": a[0], "b": "Bloomberg", "how": "same position"},
                {"a": None, "b": "Second guarantor", "how": "no partner"}], want
assert p["guarantees"] == want, (p["guarantees"], want)
EOF'
sib compare "$work/two-sibs.json" "$pb" -n 1000 -q --format json
check "... a structure without a partner lists its tranches with b null" \
    'exits 0 && python3 - "$work/out" "$work/two-sibs.json" "$work/tranche_pairs.py" <<"EOF"
import json, sys
exec(open(sys.argv[3]).read())
first, second = json.load(open(sys.argv[1]))["pairs"]
assert first["tranches"] == tranche_pairs(names(sys.argv[2], "Peterborough SIB"), names(sys.argv[2], "Peterborough SIB")), first
assert second["b"] is None and second["tranches"] == tranche_pairs(names(sys.argv[2], "second"), []), second
assert second["tranches"] and all(t["b"] is None for t in second["tranches"]), second
EOF'
sib compare "$rg" "$rg" --case "no effect" --case "cost overrun" --pair grant=PbR -n 1000 -q --format json
check "... a grant has no tranches, and a blend names its part's tranche as the table does" \
    'exits 0 && python3 - "$work/out" "$rg" <<"EOF"
import json, sys
pairs = {p["a"]: p for p in json.load(open(sys.argv[1]))["pairs"]}
sc = {f["name"]: f for f in json.load(open(sys.argv[2]))["financing"]}
assert pairs["grant"]["tranches"] == [] and pairs["PbR"]["tranches"] == [], pairs
t = sc["regional social investment"]["tranches"][0]["name"]
assert pairs["regional social investment"]["tranches"] == [{"a": t, "b": t, "how": "same name"}], pairs
# the staged blend takes its implementation stage from the SIB: "part: tranche"
part = sc["staged"]["stages"]["implementation"]
assert pairs["staged"]["tranches"] == [{"a": part + ": " + t, "b": part + ": " + t, "how": "same name"}], pairs
EOF'

# ------------------------------------------------- metrics without a partner
# B renames Peterborough's final true-up: A's "Paid by rule: final true-up"
# and B's "Paid by rule: final payment" have no partner. The table compares
# neither, and says so, naming both (they are in CSV and JSON).
sib compare "$pb" "$work/renamed-rule.json" -n 1000 -q
check "a rule only A has is named in the table as not compared (A only)" \
    'exits 0 && out_has "A only: commissioner: Paid by rule: final true-up"'
check "... and the rule only B has (B only)" \
    'out_has "B only: commissioner: Paid by rule: final payment"'
check "... and the rule both have is still compared" 'out_has "Paid by rule: cohort trigger"'
sib compare "$pb" "$work/renamed-rule.json" -n 1000 -q --format csv
check "... both are in the CSV, with their own groups" \
    'exits 0 && out_has "commissioner,payments.rule.final true-up," && out_has "[B] commissioner,payments.rule.final payment,"'
sib compare "$pb" "$pb" -n 1000 -q
check "a scenario against itself has nothing without a partner" 'exits 0 && ! out_has "not compared"'

# ------------------------------------------------- differences of shares
# B - A of a probability is a difference of two percentages: percentage
# points ("pp"), never "%", which would read as a relative change. B's
# cohort trigger of 20% instead of 10% makes a payment less likely.
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); d["contract"]["payments"][0]["trigger"] = 0.2; json.dump(d, open(sys.argv[2], "w"))' \
    "$pb" "$work/higher-trigger.json"
sib compare "$pb" "$work/higher-trigger.json" -n 2000 -q
check "B - A of a probability, and its SE, are in percentage points" \
    'exits 0 && grep -qE "P\(any outcome payment\) .*%  +-[0-9]+\.[0-9] pp +±[0-9]+\.[0-9]{2} pp$" "$work/out"'
check "... and of an IRR" \
    'grep -qE "IRR of the expected cash flows .* -?[0-9]+\.[0-9] pp +±[0-9]+\.[0-9]{2} pp$" "$work/out"'
check "... and the table says what pp means" 'out_has "in percentage points (pp)"'
check "... while money is still in its currency" \
    'grep -qE "Outcome payments  .*£.*±£" "$work/out"'

# ---------------------------------------------------------------- summary
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
