#!/usr/bin/env bash
# install.sh -- sibsim installed as a Unix tool: `make install` into a
# temporary PREFIX (with a build directory of its own, so that build/ is left
# as it is), then, from /, run a library scenario by name, list the library,
# read the manual page with man -l and through MANPATH; check that the page
# has every command and option and that groff finds nothing to warn about;
# then `make uninstall` leaves nothing behind. Also DESTDIR staging, and the
# JSON Schema installed when there is one.
#
#   tests/e2e/install.sh        (MAKE may name the make to use)
#
# Prints one line per check, "ok - what" or "not ok - what", then
# "N passed, M failed"; exits 1 if any check failed.
set -uo pipefail
read -r -a make_cmd <<<"${MAKE:-make}" # $(MAKE) may carry words of its own
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sibsim-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
build=$tmp/build

passed=0 failed=0
check() { # check DESCRIPTION COMMAND...
    local what=$1
    shift
    if "$@"; then
        echo "ok - $what"
        passed=$((passed + 1))
    else
        echo "not ok - $what"
        failed=$((failed + 1))
    fi
}
has() { grep -qF -- "$2" "$1"; } # has FILE TEXT
# in_root CMD...: run CMD from /, output in $tmp/out and $tmp/err, status in $status.
status=0
in_root() {
    status=0
    (cd / && "$@" >"$tmp/out" 2>"$tmp/err") || status=$?
}
mk() { "${make_cmd[@]}" -C "$root" --no-print-directory BUILD="$build" "$@" >>"$tmp/make.log" 2>&1; }

# ---------------------------------------------------------------- install
mk install PREFIX="$prefix"
rc=$?
check "make install PREFIX=\$tmp exits 0" test "$rc" -eq 0
[ "$rc" -eq 0 ] || sed 's/^/# /' "$tmp/make.log" | tail -n 30
bin=$prefix/bin/sibsim
lib=$prefix/share/sibsim/scenarios
page=$prefix/share/man/man1/sibsim.1
check "the binary is in PREFIX/bin, executable" test -x "$bin"
check "the manual page is in PREFIX/share/man/man1" test -f "$page"
n_lib=$(find "$lib" -name '*.json' 2>/dev/null | wc -l)
n_src=$(find "$root/scenarios" -name '*.json' | wc -l)
check "every scenario of the library is in PREFIX/share/sibsim/scenarios ($n_lib of $n_src)" \
    test "$n_lib" -eq "$n_src"
check "the documentation is in PREFIX/share/doc/sibsim" test -f "$prefix/share/doc/sibsim/README.md"
# broken_links DIR: the relative links of DIR/README.md and DIR/docs/*.md
# (Markdown's [text](target), without its #fragment) whose file is not
# there, as FILE:TARGET; nothing when every one resolves.
broken_links() {
    python3 - "$1" <<'PY'
import glob, os, re, sys
root = sys.argv[1]
for md in [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "docs", "*.md"))):
    if not os.path.isfile(md):
        print(os.path.relpath(md, root) + ":missing")
        continue
    for target in re.findall(r"\]\(([^)\s]+)\)", open(md, encoding="utf-8").read()):
        path = target.split("#", 1)[0]
        if not path or re.match(r"[a-z][a-z0-9+.-]*:", path):
            continue  # a fragment of the same file, or an address
        if not os.path.exists(os.path.join(os.path.dirname(md), path)):
            print(os.path.relpath(md, root) + ":" + target)
PY
}
n_links=$(grep -oE '\]\((docs/)?[a-z][a-z.-]*(\.md|\.json)' "$root/README.md" | wc -l)
broken=$(broken_links "$prefix/share/doc/sibsim" | tr '\n' ' ')
check "every relative link of the installed README and docs resolves ($n_links in the README)${broken:+ (broken: $broken)}" \
    eval '[ "$n_links" -gt 0 ] && [ -z "$broken" ]'
check "... as it does in the source tree" test -z "$(broken_links "$root")"
check "the INDIGO prior library is beside the scenario library" \
    cmp -s "$root/priors/indigo.json" "$prefix/share/sibsim/priors/indigo.json"
if [ -f "$root/docs/sibsim.schema.json" ]; then
    check "the JSON Schema is installed beside the library" \
        cmp -s "$root/docs/sibsim.schema.json" "$prefix/share/sibsim/sibsim.schema.json"
else
    check "without docs/sibsim.schema.json, no schema is installed (and install did not fail)" \
        test ! -e "$prefix/share/sibsim/sibsim.schema.json"
fi

# ------------------------------------------------------ used from anywhere
in_root "$bin" run peterborough -n 1000 -q
check "from /, sibsim run peterborough -n 1000 runs the installed library's scenario" \
    eval '[ "$status" -eq 0 ] && has "$tmp/out" "Peterborough prison SIB" && has "$tmp/out" "$lib/peterborough.json"'
in_root "$bin" run rikers-island.json -n 1000 -q --format json
check "from /, run rikers-island.json finds it too (provenance names the installed file)" \
    eval '[ "$status" -eq 0 ] && has "$tmp/out" "\"scenario_file\": \"$lib/rikers-island.json\""'
in_root "$bin" list
# The listing: a heading line, then the directory's line, then a line a
# scenario (the library's all load and none is hidden).
check "sibsim list shows the installed library, a line each, and nothing from the source tree" \
    eval '[ "$status" -eq 0 ] && [ "$(sed -n 2p "$tmp/out")" = "$lib (installed):" ] &&
          [ "$(wc -l <"$tmp/out")" -eq $((n_src + 2)) ] &&
          grep -qE "^peterborough +Peterborough prison SIB .* sib\$" "$tmp/out" &&
          ! has "$tmp/out" "$root/scenarios"'
in_root "$bin" --version
check "--version names the installed library's directory" \
    eval '[ "$status" -eq 0 ] && has "$tmp/out" "scenario library: $lib"'
in_root "$bin" run no-such-deal
check "a name that is in no library is refused (exit 2), naming the installed directory" \
    eval '[ "$status" -eq 2 ] && has "$tmp/err" "$lib (installed)"'

# ------------------------------------------------------------- the manual
if command -v man >/dev/null 2>&1 && command -v groff >/dev/null 2>&1; then
    in_root env MANWIDTH=80 man -l "$page"
    check "man -l shows the installed page" \
        eval '[ "$status" -eq 0 ] && has "$tmp/out" "SIBSIM(1)" && has "$tmp/out" "EXIT STATUS"'
    in_root env MANPATH="$prefix/share/man" man -w sibsim
    check "man finds the page through MANPATH" eval '[ "$(cat "$tmp/out")" = "$page" ]'
    in_root env MANPATH="$prefix/share/man" MANWIDTH=80 man sibsim
    check "man sibsim shows the library's search order and the environment" \
        eval 'has "$tmp/out" "SCENARIOS AND THE LIBRARY" && has "$tmp/out" "SIBSIM_SCENARIOS" &&
              has "$tmp/out" "NO_COLOR"'
    groff -man -Tutf8 -ww "$page" >/dev/null 2>"$tmp/groff.err"
    check "groff -man -ww finds nothing to warn about" test ! -s "$tmp/groff.err"
    sed 's/^/# /' "$tmp/groff.err"
else
    echo "not ok - man and groff are needed to check the manual (scripts/install-deps --test)"
    failed=$((failed + 1))
fi

# Every command and every option of the help is in the page (written
# \-\-name in roff), so that the page cannot fall behind the tables.
missing=""
for cmd in $("$bin" --help | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p'); do
    [ "$cmd" = help ] && continue
    grep -q "^\.B[RI]* ${cmd//-/\\\\-}\b" "$page" || missing="$missing $cmd"
    for opt in $("$bin" help "$cmd" | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
        grep -qF -- "$(printf '%s' "$opt" | sed 's/-/\\-/g')" "$page" || missing="$missing $cmd:$opt"
    done
done
for opt in --help --version -V -h; do
    grep -qF -- "$(printf '%s' "$opt" | sed 's/-/\\-/g')" "$page" || missing="$missing $opt"
done
check "the page has every command and option of the help${missing:+ (missing:$missing)}" \
    test -z "$missing"

# -------------------------------------------------------------- uninstall
n_installed=$(find "$prefix" -type f 2>/dev/null | wc -l)
mk uninstall PREFIX="$prefix"
check "make uninstall exits 0" test $? -eq 0
left=$(find "$prefix" -type f -o -type l 2>/dev/null)
check "make uninstall leaves none of the $n_installed files behind${left:+ ($left)}" \
    eval '[ "$n_installed" -gt 10 ] && [ -z "$left" ]'
check "... nor a directory of sibsim's own" \
    test ! -e "$prefix/share/sibsim" -a ! -e "$prefix/share/doc/sibsim"

# A scenario a user added to the installed library is not install's to remove.
mk install PREFIX="$prefix"
cp "$root/scenarios/peterborough.json" "$lib/mine.json"
mk uninstall PREFIX="$prefix"
check "uninstall keeps a scenario the user added, and removes every other file" \
    eval '[ -f "$lib/mine.json" ] && [ "$(find "$prefix" -type f | wc -l)" -eq 1 ]'
rm -rf "$prefix"

# ---------------------------------------------------- DESTDIR and the schema
# A schema beside the tree stands in for docs/sibsim.schema.json.
printf '{"$schema": "https://json-schema.org/draft/2020-12/schema"}\n' >"$tmp/sibsim.schema.json"
mk install PREFIX=/opt/sibsim-e2e DESTDIR="$tmp/stage" SCHEMA="$tmp/sibsim.schema.json"
check "make install DESTDIR=... stages every file under DESTDIR" \
    eval '[ -x "$tmp/stage/opt/sibsim-e2e/bin/sibsim" ] && [ -f "$tmp/stage/opt/sibsim-e2e/share/man/man1/sibsim.1" ] &&
          [ ! -e /opt/sibsim-e2e ]'
check "a JSON Schema, when there is one, is installed beside the library" \
    cmp -s "$tmp/sibsim.schema.json" "$tmp/stage/opt/sibsim-e2e/share/sibsim/sibsim.schema.json"
in_root "$tmp/stage/opt/sibsim-e2e/bin/sibsim" --version
check "a staged binary looks for its library under PREFIX, not DESTDIR" \
    eval 'has "$tmp/out" "scenario library: /opt/sibsim-e2e/share/sibsim/scenarios"'
n_staged=$(find "$tmp/stage" -type f 2>/dev/null | wc -l)
mk uninstall PREFIX=/opt/sibsim-e2e DESTDIR="$tmp/stage"
check "make uninstall DESTDIR=... removes the schema and every other of the $n_staged files" \
    eval '[ "$n_staged" -gt 10 ] && [ -z "$(find "$tmp/stage" -type f)" ]'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
