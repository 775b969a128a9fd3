#!/usr/bin/env bash
# schema.sh -- the JSON Schema docs/sibsim.schema.json against the loader,
# both ways, and the sources and assumptions that `validate --verbose` shows.
#
#   tests/e2e/schema.sh path/to/sibsim
#
# With a real validator (Python's jsonschema; Debian: python3-jsonschema,
# which scripts/install-deps --test installs), tests/schema/check.py checks
# that
#   - the schema is a valid draft 2020-12 schema, with a title and a
#     description for every field and no object open to unknown fields;
#   - every library scenario and every good test scenario passes the loader
#     and the schema;
#   - every bad scenario (tests/bad/, tests/schema/bad/) is refused by the
#     loader, and by the schema at a related place, except the ones listed
#     below as the loader's only, which the schema must accept (so that the
#     list stays exact);
#   - for every number written in the base files, the schema's bounds are
#     the loader's: at each bound both accept, just past it both refuse at
#     that field (the bounds that depend on another field are listed in
#     tests/schema/check.py);
#   - every field left out of the base files, one at a time, that the
#     loader can do without, the schema can do without too.
# Prints "ok - ..." and "not ok - ..." lines, then "N passed, M failed".
# shellcheck disable=SC2016,SC2034 # checks are code in single quotes, run by check()
set -euo pipefail

# shellcheck source=tests/e2e/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

schema=$root/docs/sibsim.schema.json

# Bad scenarios that only the loader can refuse: each breaks a rule between
# fields of different objects, a reference by name or by JSON Pointer, a
# uniqueness rule, or JSON syntax that Python's parser accepts. The list is
# exact: check.py fails if the schema refuses one of them after all.
loader_only=(
    # units: a per-outcome rule on a count where lower is better (the rule
    # names its outcome)
    tests/bad/achieved-count-lower-is-better.json
    # order between the items of an array
    tests/bad/bands-out-of-order.json
    tests/bad/stages-out-of-order.json
    # a case's pointers and values are checked by compiling the case
    tests/bad/case-pointer-to-a-name.json
    tests/bad/case-pointer-to-nothing.json
    tests/bad/case-value-out-of-range.json
    # a cohort enrols within its stage
    tests/bad/cohort-entry-outside-stage.json
    # references: a correlation's input, a gate's stage, a payment's outcome
    tests/bad/correlation-unknown-pointer.json
    tests/bad/gate-after-unknown-stage.json
    tests/bad/payment-names-unknown-outcome.json
    # a gate reads results measured by its stage's start
    tests/bad/gate-before-results.json
    # units: paying on improvement needs a counterfactual (the rule names
    # an outcome evaluated by validated counts)
    tests/bad/improvement-on-validated-count.json
    # a linear rule's ceiling is above its floor
    tests/bad/linear-ceiling-below-floor.json
    # the payers' shares sum to 1
    tests/bad/payer-shares-not-one.json
    # names are unique
    tests/bad/duplicate-case-name.json
    tests/bad/duplicate-cohort-name.json
    tests/bad/duplicate-guarantee-name.json
    tests/bad/duplicate-outcome-name.json
    tests/bad/duplicate-payment-name.json
    tests/bad/duplicate-stage-name.json
    tests/schema/bad/duplicate-source-title.json
    # a key given twice: JSON Schema sees the parsed object, whose last
    # value wins
    tests/bad/duplicate-key.json
    tests/bad/duplicate-outcome-cap.json
    tests/bad/duplicate-stage-in-blend.json
    # the realised record against the scenario: its cohorts, stages and
    # the outcomes' evaluation designs
    tests/bad/realised-ambiguous-cohort.json
    tests/bad/realised-comparison-missing.json
    tests/bad/realised-duplicate-result.json
    tests/bad/realised-effect-on-validated-count.json
    tests/bad/realised-result-for-stage-not-run.json
    tests/bad/realised-stage-out-of-order.json
    # an assumption's pointer names a field of the file, and its source is
    # one of the scenario's
    tests/schema/bad/assumption-pointer-to-nothing.json
    tests/schema/bad/assumption-source-out-of-range.json
    tests/schema/bad/assumption-source-unknown-title.json
    # the new contract terms: references to payers, outcomes and stages by
    # name; a rule's shares sum to 1 and name each payer once; suspension
    # windows end after they start and do not overlap; termination dates
    # increase, and a rule on results needs results measured by the last one
    tests/bad/rule-payer-shares-not-one.json
    tests/bad/rule-payer-twice.json
    tests/bad/rule-payer-unknown.json
    tests/bad/fixed-suspension-unknown-payer.json
    tests/bad/suspension-ends-before-it-starts.json
    tests/bad/suspensions-overlap.json
    tests/bad/termination-dates-out-of-order.json
    tests/bad/termination-unknown-outcome.json
    tests/bad/termination-over-unknown-stage.json
    tests/bad/termination-before-any-result.json
    tests/bad/termination-before-the-stage-results.json
    # the new financing terms: a tranche's repaid_from names payment rules,
    # a paid_by names a payer; a guarantee's tranche (named) has no
    # redemption; a by_stage blend's parts (named) have no tranche repaid
    # from given rules, and are not bonds when a rule pays interest
    tests/bad/repaid-from-unknown-payment.json
    tests/bad/fixed-coupon-unknown-payer.json
    tests/bad/redemption-unknown-payer.json
    tests/bad/redemption-on-a-guaranteed-tranche.json
    tests/bad/repaid-from-in-a-blend.json
    tests/bad/return-paid-as-interest-in-a-blend.json
    # the new outcome terms: a blend's weights sum to 1; the last
    # measurement, observation_lag + (times - 1) x every, is at most 50
    # years; a stage's evaluation names an outcome and measures it as the
    # outcome's own does (validated counts or a comparison); a realised
    # result's measurement is below its outcome's times
    tests/bad/blend-weights-not-one.json
    tests/bad/measured-past-fifty-years.json
    tests/bad/stage-evaluation-unknown-outcome.json
    tests/bad/stage-evaluation-mixes-validated-count.json
    tests/bad/realised-measurement-out-of-range.json
    # JSON syntax that Python's json module accepts (RFC 8259 refuses a
    # lone surrogate; sibsim refuses \u0000), and the schema then checks the
    # rest: the parser's job, not the schema's
    tests/bad/syntax-lone-surrogate.json
    tests/bad/syntax-nul-in-field-name.json
)

# A Python that has jsonschema: the one on the PATH, or Debian's.
py=""
for candidate in python3 /usr/bin/python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
        "$candidate" -c 'import jsonschema' >/dev/null 2>&1; then
        py=$candidate
        break
    fi
done
check "a Python with jsonschema is installed (scripts/install-deps --test)" '[ -n "$py" ]'

# run_checks ARGS...: run check.py from the repository's root and count its
# "ok" and "not ok" lines.
run_checks() {
    local out=$work/check.out
    (cd "$root" && "$py" tests/schema/check.py "$@") >"$out" 2>&1 || true
    cat "$out"
    passed=$((passed + $(grep -c '^ok - ' "$out" || true)))
    failed=$((failed + $(grep -c '^not ok - ' "$out" || true)))
    if ! grep -q '^ok - \|^not ok - ' "$out"; then
        echo "not ok - tests/schema/check.py $1 ran no check"
        failed=$((failed + 1))
    fi
}

if [ -n "$py" ]; then
    cd "$root"
    run_checks schema docs/sibsim.schema.json
    run_checks corpus "$sibsim" docs/sibsim.schema.json \
        --good scenarios/*.json tests/json/*.json tests/schema/good/*.json \
        --bad tests/bad/*.json tests/schema/bad/*.json \
        --loader-only "${loader_only[@]}"
    run_checks bounds "$sibsim" docs/sibsim.schema.json \
        tests/json/every-bounded-field.json tests/schema/good/*.json
    run_checks optional "$sibsim" docs/sibsim.schema.json \
        tests/json/every-bounded-field.json tests/json/fin-terms.json tests/schema/good/*.json
    cd - >/dev/null
fi

# ------------------------------------------------------- validate --verbose
pb=$root/scenarios/peterborough.json
sib validate --verbose "$pb"
check "validate --verbose exits 0 and prints the ok line first" \
    'exits 0 && head -n 1 "$work/out" | grep -qF "peterborough.json: ok: "'
check "validate --verbose lists the sources with their addresses" \
    'out_has "sources:" && out_has "https://barrowcadbury.org.uk/"'
check "validate --verbose shows each assumption beside its field's value" \
    'out_has "/financing/0/tranches/0/return_cap = 0.13" && out_has "(unverified)"'
check "validate --verbose names the sources an assumption cites" \
    'grep -qE "^      source \[[0-9]+\] " "$work/out"'
sib validate "$pb"
check "validate without --verbose prints one line" \
    'exits 0 && [ "$(wc -l <"$work/out")" -eq 1 ]'
sib validate --verbose "$root/tests/schema/good/every-prior.json"
check "validate --verbose of a scenario without sources or assumptions says so" \
    'exits 0 && out_has "no sources" && out_has "no assumptions"'
sib validate --verbose "$root/tests/schema/bad/assumption-pointer-to-nothing.json"
check "an assumption on a field that does not exist is refused (exit 2) with its pointer" \
    'exits 2 && err_has "assumption-pointer-to-nothing.json: /assumptions/0/pointer: expected the pointer of a field of the scenario; at /contract/payments/0/prise: no such field in the scenario"'
sib validate "$root/tests/schema/bad/schema-not-a-string.json"
check "a \$schema that is not a string is refused (exit 2)" \
    'exits 2 && err_has "/\$schema: expected a string"'
sib validate "$root/tests/schema/good/sources-and-assumptions.json"
check "a \$schema string is accepted and ignored" 'exits 0'

# ------------------------------------------- the repository stands alone
# README, docs and scenarios cite the repository's own files or public
# addresses, never a path outside the repository: the design notes kept
# beside a checkout (the folder "s-h-a-r-e-d" one level up, its "cases"
# files) or a workplace path. The patterns are spelt with bracket classes
# so that this script does not itself contain the paths it looks for.
outside=$(cd "$root" && grep -rlE '\.\./s[h]ared|/w[o]rk/|c[a]ses/deals\.md|s[h]ared/c[a]ses' \
    README.md docs scenarios 2>/dev/null || true)
check "README, docs and scenarios refer to no path outside the repository" \
    '[ -z "$outside" ] || { echo "# $outside"; false; }'

# Every address a library scenario cites is in docs/deals.md.
missing=""
if [ -n "$py" ]; then
    missing=$(cd "$root" && "$py" - <<'PY'
import glob, json
deals = open("docs/deals.md", encoding="utf-8").read()
for f in sorted(glob.glob("scenarios/*.json")):
    doc = json.load(open(f, encoding="utf-8"))
    for s in doc.get("sources", []):
        if s.get("url") and s["url"] not in deals:
            print("%s: %s" % (f, s["url"]))
PY
)
fi
check "every address a library scenario cites is in docs/deals.md" \
    '[ -z "$missing" ] || { echo "$missing" | sed "s/^/# /"; false; }'

# ---------------------------------------------------------------- summary
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
