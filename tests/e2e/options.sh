#!/usr/bin/env bash
# options.sh -- end-to-end checks of the command line's conventions: every
# form of an option (getopt_long's), counts such as 1e6 and the forms still
# refused, --, scenarios found by name in the library, --version, exit
# statuses, NO_COLOR, and the provenance that every JSON and CSV output
# carries (read back with Python's json and csv modules and with pandas).
#
#   tests/e2e/options.sh path/to/sibsim
#
# Prints one line per check, "ok - what" or "not ok - what", then
# "N passed, M failed"; exits 1 if any check failed.
# shellcheck disable=SC2016,SC2034 # checks are code in single quotes, run by check()
set -euo pipefail

# shellcheck source=tests/e2e/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pb=$root/scenarios/peterborough.json
# A Python that has pandas: Debian's python3-pandas is in /usr/bin/python3,
# which another python3 earlier on the PATH may not see.
pandas_py=""
for py in python3 /usr/bin/python3; do
    if "$py" -c 'import pandas' 2>/dev/null; then pandas_py=$py; break; fi
done

# paths_of FILE: the paths a JSON report ran (its provenance's).
paths_of() {
    python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["provenance"]["paths"])' \
        "$1" 2>/dev/null || echo none
}
# usage_error MESSAGE: exit status 2, MESSAGE on stderr, nothing on stdout.
usage_error() { exits 2 && err_has "$1" && out_empty; }

# ------------------------------------------------- every form of a value
for form in "-n1000" "-n 1000" "--paths=1000" "--paths 1000" "--paths 1e3" "--paths=1.0e3" \
    "--paths 1000.0"; do
    # shellcheck disable=SC2086 # the words of form are separate arguments
    sib run $form -q --format json
    check "run $form runs 1000 paths" 'exits 0 && [ "$(paths_of "$work/out")" = 1000 ]'
done

sib run -qn1000 -fjson
check "short flags combine, the one with a value last (-qn1000 -fjson)" \
    'exits 0 && [ "$(paths_of "$work/out")" = 1000 ] && err_empty'

sib sweep --pat 1000 --param /contract/payments/1/price --from 9000 --to 12000 --steps 2 -q
check "an unambiguous prefix names its option (sweep --pat 1000)" \
    'exits 0 && out_has "1,000 paths a point"'

sib sweep --pat=1000 --param /contract/payments/1/price --from 9000 --to 12000 --steps 2 -q
check "... with its value after = too (sweep --pat=1000)" 'exits 0 && out_has "1,000 paths a point"'

sib run --pat=1000 -q
check "a prefix of several options is ambiguous (run --pat: --paths and --paths-out)" \
    'usage_error "option '"'"'--pat'"'"' is ambiguous: it could be --paths, --paths-out"'

sib run --se 5 --thr=1 -n 1000 --form json -q
check "prefixes of --seed, --threads and --format work in run" \
    'exits 0 && python3 -c "import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))[\"provenance\"][\"seed\"] == 5 else 1)" "$work/out"'

sib compare -n 1000 -q --pa x=y "$pb" "$pb"
check "an ambiguous prefix is refused with every candidate (compare --pa)" \
    'usage_error "option '"'"'--pa'"'"' is ambiguous: it could be --paths, --paths-out, --pair"'

sib run "$pb" -n 1000 -q --format csv
check "options may follow the scenario" 'exits 0 && out_has "provenance.scenario_hash"'

# ------------------------------------------------------------------ --
cp "$pb" "$work/-x.json"
(cd "$work" && "$sibsim" run -q -n 1000 -- -x.json >"$work/out" 2>"$work/err") && status=0 || status=$?
check "-- ends the options: a scenario named -x.json runs" \
    'exits 0 && out_has "Peterborough prison SIB"'
(cd "$work" && "$sibsim" run -q -n 1000 -x.json >"$work/out" 2>"$work/err") && status=0 || status=$?
check "without --, -x.json is an option and is refused" 'usage_error "unknown option '"'"'-x'"'"'"'

# ------------------------------------------------------- refused values
for bad in " 5" "+5" "5x" "1.5" "-5" "1e-3" "0x10" "" "2e12"; do
    sib run --paths "$bad" -q
    check "--paths '$bad' is refused with the expected range (exit 2)" \
        'usage_error "--paths: expected a whole number from 1 to 1e12, found '"'$bad'"'"'
done
sib sweep --param /contract/payments/1/price --from 9000 --to 12000 --steps 2.5
check "--steps 2.5 is refused" 'usage_error "--steps: expected a whole number from 1 to 1000, found '"'"'2.5'"'"'"'
sib sweep --from 9000 --to 12000 --param /contract/payments/1/price --steps 2 -n 1000 -q
check "sweep refuses --from before any --param (it belongs to the --param given last before it)" \
    'usage_error "sweep: --from '"'"'9000'"'"' comes before any --param"'
sib sweep --param /contract/payments/1/price --from 9000 --to 12000 --from 10000 --steps 2 -n 1000 -q
check "sweep refuses a second --from for the same --param rather than take the last" \
    'usage_error "sweep: --from given twice for --param /contract/payments/1/price ('"'"'9000'"'"', then '"'"'10000'"'"')"'
sib run --threads 1e1x
check "--threads 1e1x is refused" 'usage_error "--threads: expected a whole number from 1 to 1024"'

for opt in -o --out= --paths-out= --checkpoint=; do
    if [ "${opt%=}" != "$opt" ]; then sib run -n 100 -q "$opt"; else sib run -n 100 -q "$opt" ''; fi
    name=${opt%=}
    [ "$name" = -o ] && name=--out
    check "an empty file name for $name is refused as usage, naming the option (exit 2)" \
        'usage_error "run: $name: the file name is empty"'
done
( cd "$work" && "$sibsim" run -n 1000 -q -o - >"$work/out" 2>"$work/err" ) && status=0 || status=$?
check "-o - writes to standard output, not to a file named '-'" \
    'exits 0 && out_has "1,000 paths" && [ ! -e "$work/-" ]'
sib run -n 1000 -q --checkpoint -
check "--checkpoint - is refused: a checkpoint must be a file" \
    'usage_error "run: --checkpoint: '"'"'-'"'"' (standard input or output) cannot be used here"'
sib cashflows --case A --case B
check "cashflows with two cases points to its own help" \
    'usage_error "cashflows: one --case at a time" && err_has "Try '"'"'sibsim help cashflows'"'"'"'
sib run --case A --case B
check "run with two cases points to its own help" 'usage_error "Try '"'"'sibsim help run'"'"'"'
sib frobnicate
check "an unknown command points to the command list" 'usage_error "Try '"'"'sibsim --help'"'"'"'
sib compre "$pb"
check "an unknown command close to one asks whether it was meant" \
    'usage_error "unknown command '"'"'compre'"'"': did you mean '"'"'compare'"'"'?"'
sib help rnu
check "... in help too" 'usage_error "help: unknown command '"'"'rnu'"'"': did you mean '"'"'run'"'"'?"'
sib run --seeds 3 "$pb"
check "an unknown option close to one of the command's asks whether it was meant" \
    'usage_error "run: unknown option '"'"'--seeds'"'"': did you mean '"'"'--seed'"'"'?"'
sib run --frobnicate "$pb"
check "... and one close to none does not" \
    'usage_error "run: unknown option '"'"'--frobnicate'"'"'" && ! err_has "did you mean"'
sib cashflows --pair a=b
check "an option a command does not take does not apply to it (exit 2)" \
    'usage_error "option '"'"'--pair'"'"' does not apply to cashflows"'
sib run -p /contract/payments/0/price
check "a short option of another command does not apply either" \
    'usage_error "option '"'"'-p'"'"' (--param) does not apply to run"'
sib run --quiet=yes
check "a flag given a value is refused" 'usage_error "option '"'"'--quiet'"'"' takes no value"'
sib run -n
check "a short option without its value is named with its long name" \
    'usage_error "option '"'"'-n'"'"' (--paths) needs a value"'
sib validate --strict --frob "$pb"
check "validate refuses an unknown option like every command" \
    'usage_error "validate: unknown option '"'"'--frob'"'"'"'

# ---------------------------------------------------- the library by name
mkdir -p "$work/lib" "$work/elsewhere"
sed 's/"paths": 100000/"paths": 2000/' "$pb" >"$work/lib/mydeal.json"
export SIBSIM_SCENARIOS="$work/lib"
(cd "$work/elsewhere" && "$sibsim" run mydeal -q --format json >"$work/out" 2>"$work/err") &&
    status=0 || status=$?
check "a scenario is found by name in \$SIBSIM_SCENARIOS from any directory" \
    'exits 0 && [ "$(paths_of "$work/out")" = 2000 ] && out_has "\"scenario_file\": \"$work/lib/mydeal.json\""'
(cd "$work/elsewhere" && "$sibsim" run mydeal.json -q -n 1000 >"$work/out" 2>"$work/err") &&
    status=0 || status=$?
check "... with .json too" 'exits 0 && out_has "Peterborough prison SIB"'
(cd "$work/elsewhere" && "$sibsim" cashflows rikers-island --annual >"$work/out" 2>"$work/err") &&
    status=0 || status=$?
check "the source tree's library is searched by a binary of the build tree (rikers-island)" \
    'exits 0 && out_has "Rikers Island"'
cp "$work/lib/mydeal.json" "$work/elsewhere/mydeal.json"
sed -i 's/"paths": 2000/"paths": 3000/' "$work/elsewhere/mydeal.json"
(cd "$work/elsewhere" && "$sibsim" run mydeal.json -q --format json >"$work/out" 2>"$work/err") &&
    status=0 || status=$?
check "an existing file comes before the library" 'exits 0 && [ "$(paths_of "$work/out")" = 3000 ]'
sib run no-such-deal -q
check "a name found nowhere is refused (exit 2), naming where it looked" \
    'usage_error "no scenario '"'"'no-such-deal'"'"'" && err_has "$work/lib (\$SIBSIM_SCENARIOS)" && err_has "sibsim list"'
sib validate mydeal
check "validate takes a library name" 'exits 0 && out_has "$work/lib/mydeal.json: ok:"'
sib compare mydeal peterborough -n 1000 -q --format json
check "compare takes two library names" \
    'exits 0 && out_has "\"scenario_b_file\": \"$root/scenarios/peterborough.json\""'
# row_under HEADING ERE: a line of the listing matching ERE among the
# scenarios under the directory's heading line HEADING (up to the next one).
row_under() {
    awk -v h="$1" -v re="$2" '$0 == h { in_dir = 1; next }
        /^[^ ].*[)]:$/ { in_dir = 0 }
        in_dir && $0 ~ re { found = 1 } END { exit !found }' "$work/out"
}
# widest_line FILE: the widest line's length in characters (not bytes).
widest_line() {
    python3 -c 'import sys; print(max(len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")))' "$1"
}
sib list
check "list shows each scenario under its directory: name, title and structures" \
    'exits 0 && row_under "$work/lib (\$SIBSIM_SCENARIOS):" "^mydeal +Peterborough prison SIB .* +sib$" &&
     row_under "$root/scenarios (source tree):" "^regional-pilot-to-scale +TEMPLATE.* +grant,pbr,sib,by_stage$"'
cp "$pb" "$work/lib/rikers-island.json"
printf '{\n' >"$work/lib/broken.json"
sib list
check "list says which scenario a name hides, on the line below it" \
    'exits 0 && grep -A1 "^rikers-island " "$work/out" | tail -n 1 | grep -qxF "    hidden by the one in $work/lib"'
check "list says why a file does not load, in full" \
    'exits 0 && row_under "$work/lib (\$SIBSIM_SCENARIOS):" "^broken +[(]does not load[)] +-$" &&
     out_has "    does not load: 2:1: syntax error: expected a field name in double quotes, found the end of"'
check "every line of list fits 100 columns (widest: $(widest_line "$work/out"))" \
    'exits 0 && [ "$(widest_line "$work/out")" -le 100 ]'
rm "$work/lib/broken.json"
unset SIBSIM_SCENARIOS

# --------------------------------------------- --version and exit statuses
sib --version
check "--version names the version, the build, the compiler and the libraries" \
    'exits 0 && [ "$(head -n 1 "$work/out")" = "sibsim $(sed -n "s/^VERSION *:= *//p" "$root/Makefile")" ] &&
     out_has "build: " && out_has "compiler: " && out_has "built with: GSL " && out_has "cJSON " &&
     out_has "ncursesw "'
check "--version holds no build date (builds are reproducible)" \
    '! out_has "$(date +%Y-%m-%d)" && ! out_has "$(LC_ALL=C date "+%b %e %Y")" && ! out_has "$(date +%Y%m%d)"'
sib -V
check "-V is --version" 'exits 0 && out_has "built with: GSL"'
sib help help
check "help help says what help does (help [COMMAND] is in the command list)" \
    'exits 0 && out_has "Usage: sibsim help [COMMAND]" && err_empty'
# --help COMMAND printed the general help, COMMAND unread (-V COMMAND is refused).
sib --help converge
check "--help COMMAND is help COMMAND" 'exits 0 && out_has "Usage: sibsim converge" && err_empty'
sib -h rnu
check "... and -h of an unknown command says so" 'usage_error "help: unknown command '"'"'rnu'"'"'"'
sib help report
check "help report lists no --format, which report refuses" \
    'exits 0 && out_has "--paths N" && ! out_has "--format"'
sib help converge
check "help converge says its own default paths, 1,048,576" \
    'exits 0 && grep -A1 -- "-n, --paths N" "$work/out" | grep -q "default 1,048,576"'
sib solve -p /contract/payments/1/price --target pooled_irr=0.07 --steps 3
check "solve refuses --steps, which only sweep takes (its help does not list it)" \
    'usage_error "option '"'"'--steps'"'"' does not apply to solve"'
sib help frobnicate
check "help of an unknown command is bad usage (exit 2)" 'usage_error "unknown command '"'"'frobnicate'"'"'"'
sib run -n 1000 -q --out /dev/full
check "an output that fails exits 1" 'exits 1 && err_has "No space left on device"'
sib run --paths 0
check "bad input exits 2" 'exits 2'

# --------------------------------------------------------------- NO_COLOR
# The TUI is the one place with colour: in tmux, capture-pane -e shows its
# escapes. NO_COLOR set to anything but "" turns them off (no-color.org).
if command -v tmux >/dev/null 2>&1; then
    sock="$work/tmux.sock"
    sed 's/"paths": 100000/"paths": 4096/' "$pb" >"$work/pb4k.json"
    tmux -S "$sock" new-session -d -s keep "sleep 120"
    colours() { # colours SESSION: how many foreground colour escapes it shows
        local n=0
        for _ in $(seq 50); do
            if tmux -S "$sock" capture-pane -p -t "$1" | grep -q "4,096/4,096 paths"; then break; fi
            sleep 0.1
        done
        tmux -S "$sock" capture-pane -e -p -t "$1" | grep -c $'\e\\[3[1-7]m' || true
    }
    for v in unset set empty; do
        case $v in
        unset) e="env -u NO_COLOR" ;;
        set) e="env NO_COLOR=1" ;;
        empty) e="env NO_COLOR=" ;;
        esac
        tmux -S "$sock" new-session -d -s "$v" -x 110 -y 32 "$e '$sibsim' tui '$work/pb4k.json'; sleep 30"
    done
    n_unset=$(colours unset) n_set=$(colours set) n_empty=$(colours empty)
    tmux -S "$sock" kill-server >/dev/null 2>&1 || true
    check "the TUI uses colour without NO_COLOR ($n_unset escapes)" '[ "$n_unset" -gt 0 ]'
    check "NO_COLOR=1 turns the TUI's colour off" '[ "$n_set" -eq 0 ]'
    check "NO_COLOR set but empty leaves the colour on" '[ "$n_empty" -gt 0 ]'
else
    echo "not ok - tmux is needed for the NO_COLOR checks (scripts/install-deps --test)"
    failed=$((failed + 1))
fi

# A read-only output is refused before anything runs: the writer renames a
# new file over the old one, which the file's permissions do not stop, so
# it replaced a report its owner had protected (exit 0, the old text gone).
printf 'a report kept\n' >"$work/kept.json"
chmod 444 "$work/kept.json"
sib run "$pb" -n 100 -q --format json -o "$work/kept.json"
check "--out over a read-only file is refused, saying so, and the file is left as it was" \
    'exits 2 && err_has "read-only" && [ "$(cat "$work/kept.json")" = "a report kept" ]'
sib run "$pb" -n 100 -q --paths-out "$work/kept.json" -o /dev/null
check "--paths-out over a read-only file too" \
    'exits 2 && err_has "--paths-out" && err_has "read-only" && [ "$(cat "$work/kept.json")" = "a report kept" ]'
chmod 644 "$work/kept.json"
sib run "$pb" -n 100 -q --format json -o "$work/kept.json"
check "made writable, it is replaced" 'exits 0 && grep -q provenance "$work/kept.json"'

# ------------------------------------------------------------- provenance
# fnv1a64 FILE: the 64-bit FNV-1a hash of the file's bytes, as sibsim writes it.
fnv1a64() {
    python3 -c 'import sys
h = 0xcbf29ce484222325
for b in open(sys.argv[1], "rb").read():
    h = ((h ^ b) * 0x100000001b3) % (1 << 64)
print("fnv1a64:%016x" % h)' "$1"
}
version=$(sed -n 's/^VERSION *:= *//p' "$root/Makefile")
hash_pb=$(fnv1a64 "$pb")
reg=$root/scenarios/regional-pilot-to-scale.json
# compare's B: Peterborough renamed, in A's currency (scenarios in two currencies are refused).
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); d["name"] = "Peterborough B"; json.dump(d, open(sys.argv[2], "w"))' \
    "$pb" "$work/pb-b.json"
declare -A cmds=(
    [run]="run $pb -q -n 1000 --seed 11 --case strong\\ effect"
    [compare]="compare $pb $work/pb-b.json -q -n 1000 --seed 11"
    [cashflows]="cashflows $pb --path 3 --seed 11"
    [backtest]="backtest $pb"
    [sweep]="sweep $pb -q -n 1000 --seed 11 -p /contract/payments/1/price --from 9000 --to 12000 --steps 2"
    [tornado]="tornado $pb -q -n 1000 --seed 11"
    [solve]="solve $pb -q -n 1000 --seed 11 -p /contract/payments/1/price --target pooled_irr=-0.07"
    [converge]="converge $pb -q -n 2048 --seed 11"
    [pilot-value]="pilot-value $reg -q -n 1000 --seed 11"
)
for name in run compare cashflows backtest sweep tornado solve converge pilot-value; do
    eval "set -- ${cmds[$name]}"
    file=$pb
    [ "$name" = pilot-value ] && file=$reg
    hsh=$(fnv1a64 "$file")
    # cashflows and backtest show one future, which "future" names: their
    # paths are None (future K is the same in a run of any size), and a
    # backtest, which draws nothing, has no seed or generator either.
    want_paths=1000 want_seed=11 want_case=None want_future=None
    case $name in
    cashflows) want_paths=None want_future=path ;;
    backtest) want_paths=None want_seed=None want_future=realised ;;
    converge) want_paths=2048 ;;
    run) want_case="strong effect" ;;
    esac
    sib "$@" --format json
    check "$name --format json carries its provenance: scenario, hash, case, seed, paths, generator, version" \
        'exits 0 && python3 - "$work/out" "$name" "$file" "$hsh" "$want_paths" "$want_seed" "$version" "$want_case" "$want_future" <<"EOF"
import json, sys
out, name, file, hsh, paths, seed, version, case, future = sys.argv[1:]
num = lambda v: None if v == "None" else int(v)
d = json.load(open(out))
p = d["provenance"]
assert list(d)[0] == "provenance", list(d)
assert p["command"] == name and p["scenario_file"] == file and p["scenario_hash"] == hsh, p
assert p["scenario"] and p["seed"] == num(seed) and p["paths"] == num(paths), p
assert p["generator"] == (None if seed == "None" else "mt19937"), p
assert p["sibsim_version"] == version and p["sibsim_build"], p
assert p["case"] == (None if case == "None" else case), p
assert p.get("future", "None") == future, p
assert ("path" in p) == (future == "path") and p.get("path", 3) == 3, p
if name == "compare":
    assert p["scenario_b"] == "Peterborough B" and p["scenario_b_hash"].startswith("fnv1a64:"), p
EOF'
    sib "$@" --format csv
    check "$name --format csv carries the same provenance on every row (csv module)" \
        'exits 0 && python3 - "$work/out" "$name" "$hsh" "$want_paths" "$want_seed" "$want_future" <<"EOF"
import csv, sys
out, name, hsh, paths, seed, future = sys.argv[1:]
rows = list(csv.reader(open(out, newline="")))
head = rows[0]
assert len(rows) > 1 and all(len(r) == len(head) for r in rows), "ragged"
# A member that does not apply (null in JSON) has no column.
want = {"command": name, "scenario_hash": hsh, "seed": seed, "paths": paths,
        "generator": "None" if seed == "None" else "mt19937", "future": future,
        "path": "3" if future == "path" else "None"}
for k, v in want.items():
    assert (("provenance." + k) in head) == (v != "None"), (k, head)
    if v == "None":
        continue
    at = head.index("provenance." + k)
    assert all(r[at] == v for r in rows[1:]), (k, v, rows[1])
EOF'
done

# The expected case and a case draw nothing: their provenance names the
# future and has no seed, paths or generator (it gave the scenario's seed
# and paths 1, as if a seed had drawn them).
for args in "" "--case strong effect"; do
    if [ -n "$args" ]; then sib cashflows "$pb" --case "strong effect" --format json
    else sib cashflows "$pb" --format json; fi
    check "cashflows ${args:-(expected case)} --format json: its provenance names the future and no seed" \
        'exits 0 && python3 - "$work/out" "${args:+case}" <<"EOF"
import json, sys
p = json.load(open(sys.argv[1]))["provenance"]
assert p["future"] == (sys.argv[2] or "expected"), p
assert p["seed"] is None and p["paths"] is None and p["generator"] is None and "path" not in p, p
EOF'
done

# converge's CSV says which metric it converges, as its JSON and its table
# do: a column of numbers without it means nothing.
sib converge "$pb" -n 2048 -q --metric moic --format json
cp "$work/out" "$work/conv.json"
sib converge "$pb" -n 2048 -q --metric moic --format csv
check "converge --format csv names its metric on every row, as the JSON does" \
    'exits 0 && python3 - "$work/out" "$work/conv.json" <<"EOF"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
j = json.load(open(sys.argv[2]))
assert list(rows[0])[:4] == ["paths", "estimate", "se", "metric"], list(rows[0])
assert len(rows) == len(j["steps"]) == 2 and all(r["metric"] == j["metric"] == "moic" for r in rows), rows
assert [float(r["estimate"]) for r in rows] == [s["estimate"] for s in j["steps"]]
EOF'

# pandas: one table, the expected columns, numbers as numbers.
if [ -n "$pandas_py" ]; then
    sib run "$pb" -n 1000 -q --format csv
    check "pandas reads run --format csv as one table with numeric columns" \
        'exits 0 && "$pandas_py" - "$work/out" "$hash_pb" <<"EOF"
import sys
import pandas as pd
d = pd.read_csv(sys.argv[1])
assert list(d.columns[:3]) == ["group", "key", "label"], list(d.columns)
assert list(d.columns[-9:]) == ["provenance." + k for k in ("command", "scenario", "scenario_file", "scenario_hash", "seed", "paths", "generator", "sibsim_version", "sibsim_build")], list(d.columns)
assert len(d) > 10
for c in ("n", "undefined", "provenance.seed", "provenance.paths"):
    assert str(d[c].dtype) == "int64", (c, d[c].dtype)
for c in ("mean", "se", "sd", "p05", "p50", "p95"):
    assert str(d[c].dtype) == "float64", (c, d[c].dtype)
assert str(d["provenance.scenario_hash"].dtype) == "object"
assert (d["provenance.scenario_hash"] == sys.argv[2]).all()
assert (d["provenance.paths"] == 1000).all()
EOF'
    sib cashflows "$pb" --format csv
    check "pandas reads cashflows --format csv as one table, periods as numbers" \
        'exits 0 && "$pandas_py" - "$work/out" <<"EOF"
import sys
import pandas as pd
d = pd.read_csv(sys.argv[1])
assert d.columns[0] == "section" and "total" in d.columns and "provenance.future" in d.columns
assert "provenance.seed" not in d.columns and (d["provenance.future"] == "expected").all()
assert str(d["total"].dtype) == "float64"
periods = [c for c in d.columns if c[:1].isdigit()]
assert periods and all(str(d[c].dtype) in ("float64", "int64") for c in periods), periods
EOF'
    sib sweep "$pb" -n 1000 -q -p /contract/payments/1/price --from 9000 --to 12000 --steps 3 --format csv
    check "pandas reads sweep --format csv as one table" \
        'exits 0 && "$pandas_py" - "$work/out" <<"EOF"
import sys
import pandas as pd
d = pd.read_csv(sys.argv[1])
assert list(d.columns[:4]) == ["x1", "x2", "group", "key"] and sorted(d["x1"].unique()) == [9000, 10500, 12000]
assert str(d["mean"].dtype) == "float64" and (d["provenance.command"] == "sweep").all()
EOF'
    sib converge "$pb" -n 4096 -q --format csv
    check "pandas reads converge --format csv: its own paths column and the provenance's" \
        'exits 0 && "$pandas_py" - "$work/out" <<"EOF"
import sys
import pandas as pd
d = pd.read_csv(sys.argv[1])
assert list(d["paths"]) == [1024, 2048, 4096] and (d["provenance.paths"] == 4096).all(), d
EOF'
    sib run "$pb" -n 2048 -q --paths-out "$work/paths.csv" --format json
    check "pandas reads --paths-out as one table, a row a future, with the provenance" \
        'exits 0 && "$pandas_py" - "$work/paths.csv" "$hash_pb" <<"EOF"
import sys
import pandas as pd
d = pd.read_csv(sys.argv[1])
assert len(d) == 2048 and list(d["path"]) == list(range(2048))
assert str(d["path"].dtype) == "int64"
assert (d["provenance.scenario_hash"] == sys.argv[2]).all() and (d["provenance.paths"] == 2048).all()
assert all(str(t) in ("float64", "int64") for c, t in d.dtypes.items() if not c.startswith("provenance."))
EOF'
else
    echo "not ok - pandas is needed for the CSV checks (scripts/install-deps --test installs python3-pandas)"
    failed=$((failed + 1))
fi

sib compare "$pb" --case "no effect" -n 1000 -q --format json
check "compare SCENARIO --case X: the provenance has the scenario's own name and X as case_b" \
    'exits 0 && python3 - "$work/out" <<"EOF"
import json, sys
p = json.load(open(sys.argv[1]))["provenance"]
name = "Peterborough prison SIB (UK, 2010-2017), as it ran: two cohorts"
assert p["scenario"] == name and p["scenario_b"] == name, p
assert p["case"] is None and p["case_b"] == "no effect" and p["scenario_hash"] == p["scenario_b_hash"], p
EOF'

sed 's/"price": 11000,/"price": 11001,/' "$pb" >"$work/edited.json"
sib run "$work/edited.json" -n 1000 -q --format json
check "an edited scenario has another hash" \
    'exits 0 && ! out_has "$hash_pb" && out_has "$(fnv1a64 "$work/edited.json")"'
sib run -n 1000 -q --format json
check "the built-in scenario's hash is that of scenarios/peterborough.json" \
    'exits 0 && out_has "\"scenario_hash\": \"$hash_pb\"" && out_has "<built-in scenarios/peterborough.json>"'

# ---------------------------------------------------------- progress bar
# The bar on a terminal (tmux, 100 columns; script(1) keeps what was
# written): drawn after the first second, then cleared to the end of its
# line. It was cleared by 79 spaces, and its line is longer ("... about 0 s
# left"), so "left" stayed on the screen after the run; in a terminal
# narrower than the bar it wrapped, and "\r" cleared only its second half.
if command -v tmux >/dev/null && command -v script >/dev/null; then
    ma=$root/scenarios/massachusetts-juvenile-justice.json
    for cols in 100 50; do
        tsock=$work/pb.sock
        rm -f "$work/ts" "$work/done"
        tmux -S "$tsock" new-session -d -x "$cols" -y 12 \
            "script -q -c '$sibsim run $ma -n 400000 --threads 1 -o /dev/null' $work/ts; touch $work/done; sleep 300"
        # Up to 3 minutes: about 3 s here, some 20 s under the sanitizers.
        for _ in $(seq 1800); do [ -e "$work/done" ] && break; sleep 0.1; done
        tmux -S "$tsock" capture-pane -p >"$work/screen" 2>/dev/null || true
        tmux -S "$tsock" kill-server 2>/dev/null || true
        check "the progress bar, drawn at $cols columns, leaves nothing on the screen once the run ends" \
            '[ -e "$work/done" ] && grep -q "\[#*\.*\]" "$work/ts" && ! grep -q "left\|paths\|#\.\.\|\.\.#" "$work/screen"'
        check "and its line never reaches the terminal's last column (no wrap)" \
            'python3 - "$work/ts" "$cols" <<"EOF"
import re, sys
raw = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
lines = [re.sub(r"\x1b\[K", "", p) for p in raw.split("\r") if re.search(r"\[[#.]{30}", p)]
assert lines and max(len(l.rstrip("\n")) for l in lines) < int(sys.argv[2]), lines[-1:]
EOF'
    done
fi

# ---------------------------------------------------------------- summary
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
