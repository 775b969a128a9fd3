#!/usr/bin/env bash
# report.sh -- end-to-end checks of `sibsim report`, the committee paper,
# as a reader and a reviewer would check it: the file renders in a real
# browser (headless Chromium, to PNG and to PDF), every chart is
# well-formed SVG, nothing is fetched from outside the file, its numbers
# are those of `sibsim run --format json` at the same seed and paths, it is
# the same file whatever the threads, and bad input is refused.
#
#   tests/e2e/report.sh path/to/sibsim
#
# Prints "ok - what" or "not ok - what" per check and "N passed, M failed"
# last; exits 1 if any check failed. Without Chromium the rendering checks
# say "ok - # SKIP chromium is not installed" and the others still run.
# shellcheck disable=SC2016,SC2034 # checks are code in single quotes, run by check()
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pb=$root/scenarios/peterborough.json
rg=$root/scenarios/regional-pilot-to-scale.json

# ------------------------------------------------------------ the command
sib --help
check "the command list has report" 'exits 0 && out_has "report [SCENARIO]"'
sib help report
check "help report says what the paper holds and how to write it" \
    'exits 0 && out_has "committee paper" && out_has "-o, --out FILE"'

sib report -q -n 2000 -o "$work/pb.html"
check "report -o FILE writes the page and nothing to stdout" \
    'exits 0 && out_empty && [ -s "$work/pb.html" ] && head -n 1 "$work/pb.html" | grep -q "^<!DOCTYPE html>$"'

sib report -q -n 2000 -t 1
cp "$work/out" "$work/pb-stdout.html"
check "report without -o writes the same page to stdout" 'exits 0 && cmp -s "$work/pb.html" "$work/pb-stdout.html"'

sib report -q -n 2000 -t 3 -o "$work/pb-t3.html"
check "the page is byte for byte the same on 1, 2 and 3 threads" \
    'exits 0 && cmp -s "$work/pb.html" "$work/pb-t3.html"'

sib report -q -n 2000 --seed 8 -o "$work/pb-s8.html"
check "another seed gives another page" 'exits 0 && ! cmp -s "$work/pb.html" "$work/pb-s8.html"'

check "the page holds no date or time" \
    '! grep -qE "(19|20)[0-9][0-9]-[01][0-9]-[0-3][0-9][ T][0-2][0-9]:" "$work/pb.html"'

# --------------------------------------------------------- the page's HTML
# Every <svg> block parses as XML; nothing is fetched: no src, no script,
# no style sheet or font by URL, and links only within the page or, as
# plain links, in the sources list.
html_checks() { # html_checks PAGE [MIN-CHARTS]
    python3 - "$1" "${2:-5}" <<'EOF'
import re, sys, xml.etree.ElementTree as ET
s = open(sys.argv[1], encoding="utf-8").read()
svgs = re.findall(r"<svg\b.*?</svg>", s, re.S)
assert len(svgs) >= int(sys.argv[2]), "only %d charts" % len(svgs)
for k, block in enumerate(svgs):
    root = ET.fromstring(block)
    assert root.tag == "svg", root.tag
    text = "".join(root.itertext())
    for el in root.iter():
        for v in el.attrib.values():
            assert not re.search(r"\b(nan|inf)", v, re.I), "chart %d: %s" % (k, v)
for bad in ("<script", "<img", "<link", "<iframe", "<object", "@import", "url(", "src="):
    assert bad not in s.lower(), bad
notes = [m.span() for m in re.finditer(r'<(ul|ol) class="notes"[^>]*>.*?</\1>', s, re.S)]
for m in re.finditer(r'href="([^"]*)"', s):
    url = m.group(1)
    if url.startswith("#"):
        continue
    assert re.match(r"https?://", url), url
    assert any(a < m.start() < b for a, b in notes), "a link outside the sources: " + url
EOF
}
check "every chart is well-formed SVG with finite numbers, and nothing is fetched" \
    'html_checks "$work/pb.html"'
check "the sources of the realised record are plain links" \
    'grep -q "<a href=\"https://www.russellwebster.com/peterborough-prison-pbr-final/\">" "$work/pb.html"'
check "the page has each section and a print style sheet for A4" \
    'for id in purpose financing returns outlay funnel tornado truth repro; do
         grep -q "<section id=\"$id\" class=\"sheet\">" "$work/pb.html" || exit 1; done
     grep -q "@media print" "$work/pb.html" && grep -q "size:A4" "$work/pb.html"'
check "the tornado says how many paths each of its runs used" \
    'grep -q "Each setting is a run of 2,000 futures" "$work/pb.html"'
check "and, as many as the page's own 2,000, does not call them fewer" \
    'grep -q "Each setting is a run of 2,000 futures, as many as the rest of this paper;" "$work/pb.html" &&
     ! grep -q "fewer than the 2,000" "$work/pb.html"'

# "An IRR" is one meaning throughout, run's: a future has one when it has a
# single IRR or nothing came back (-100%); "one IRR" is only the first kind.
sib run -q -n 2000
check "the IRR's futures are named as run names them: with an IRR, a total loss as -100%" \
    'exits 0 && w=$(grep -o "(of 2,000 futures: one IRR in [0-9,]*, -100% (nothing came back) in [0-9,]*)" "$work/out") &&
     w=${w#(of 2,000 futures: } && w=${w%)} &&
     grep -q "2,000 of 2,000 futures have an IRR: $w" "$work/pb.html" &&
     grep -q "over the futures with an IRR, a total loss counted as -100% (all 2,000)" "$work/pb.html" &&
     grep -q "share of the futures with an IRR (a total loss as -100%)" "$work/pb.html" &&
     ! grep -q "with one IRR" "$work/pb.html"'

# A tornado label too long for the chart is shortened inside its quoted
# name, which is closed: 'outcome "incarceration_bed_da…"', never a quote
# left open ('outcome "incarceration_bed_d...').
tornado_labels() { # tornado_labels PAGE: the chart's row labels, one a line
    python3 -c 'import html, re, sys
s = open(sys.argv[1], encoding="utf-8").read()
t = re.search(r"<svg[^>]*aria-label=\"Tornado.*?</svg>", s, re.S).group(0)
for x in re.findall(r"<text[^>]*font-size=\"11.50\"[^>]*text-anchor=\"end\">([^<]*)", t):
    print(html.unescape(x))' "$1"
}
closed_labels() { # closed_labels PAGE: every label's quotes closed, none cut with "..."
    tornado_labels "$1" >"$work/labels" && [ -s "$work/labels" ] &&
        ! grep -q '\.\.\.$' "$work/labels" && ! awk -F'"' 'NF % 2 == 0 { bad = 1 } END { exit !bad }' "$work/labels"
}
sib report "$root/scenarios/massachusetts-juvenile-justice.json" -q -n 500 -o "$work/ma.html"
sib report "$root/scenarios/rikers-island.json" -q -n 500 -o "$work/rk.html"
check "a tornado label too long is cut inside its quotes, which are closed" \
    'closed_labels "$work/rk.html" && closed_labels "$work/ma.html" &&
     grep -qx "true effect on outcome \"incarceration_bed_da…\"" "$work/labels"'

# Section 7's outcome payments are the contract's, gross; section 2's
# commissioner pays them less the surplus a structure returns to the payers,
# which section 2 shows as run shows it, where there is one.
check "section 2 shows the surplus returned to payers; section 7 says its amounts are before it" \
    'grep -q "<tr><td>Surplus returned to payers<br>" "$work/ma.html" &&
     grep -q "<td class=\"num\" data-metric=\"Roca PFS capital/returned\" data-stat=\"mean\"" "$work/ma.html" &&
     grep -q "(gross, before any surplus returned to payers)" "$work/ma.html" &&
     grep -q "the contract.s gross outcome payments, before any surplus" "$work/ma.html" &&
     ! grep -q "<tr><td>Surplus returned to payers<br>" "$work/pb.html"'

# The tornado's base is from its own run, of fewer futures than the page's
# when the page has more than 20,000: its legend and caption say how many
# (the caption's bracket around the base was closed after the next clause,
# leaving a stray ")" at its end).
sib report -q -n 24000 -o "$work/pb24.html"
check "the tornado's base says how many futures its run used" \
    'exits 0 && grep -q ">base [^<]*, at 20,000 futures</text>" "$work/pb24.html" &&
     grep -q "the base, is the metric with nothing moved, from a run of 20,000 futures ([^)]*)[.] The rest of this paper is from 24,000 futures, so [^)]* noise[.]</figcaption>" "$work/pb24.html" &&
     grep -q ">base [^<]*, at 2,000 futures</text>" "$work/pb.html"'

# The hash of the built-in scenario is that of scenarios/peterborough.json.
fnv() {
    python3 -c 'import sys
h = 0xcbf29ce484222325
for b in open(sys.argv[1], "rb").read():
    h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
print("%016x" % h)' "$1"
}
check "reproducibility: version, seed, generator, paths and the FNV-1a hash of the scenario" \
    'h=$(fnv "$pb") && grep -q "<code>$h</code>" "$work/pb.html" &&
     grep -q "<dd>0.1.0</dd>\|<dd>[0-9][0-9.]*</dd>" "$work/pb.html" &&
     grep -q "<code>20100909</code>" "$work/pb.html" && grep -q "<code>mt19937</code>" "$work/pb.html" &&
     grep -q "<dt>Simulated futures</dt><dd>2,000," "$work/pb.html"'

# The page's own command gives the page again, byte for byte: with the
# tornado's --metric and --pct, and a path a shell must have quoted.
mkdir -p "$work/my dir"
cp "$pb" "$work/my dir/pb's deal.json"
sib report "$work/my dir/pb's deal.json" -q -n 600 --metric commissioner/payments.total \
    --pct 0.2 -o "$work/again-1.html"
page_command() { # page_command PAGE: "This page"'s command, as a shell reads it
    python3 -c 'import html, re, sys
s = open(sys.argv[1], encoding="utf-8").read()
print(html.unescape(re.search(r"<dt>This page</dt><dd><code>(.*?)</code>", s).group(1)))' "$1"
}
check "the page's own command (--metric, --pct, a quoted path) gives the same page" \
    'exits 0 && c=$(page_command "$work/again-1.html") &&
     (cd "$work" && sibsim() { "$sibsim" "$@"; } && eval "$c -q" && cmp -s report.html again-1.html)'

# --------------------------------------- the numbers are the run's numbers
# Every cell that names its metric (data-metric, data-stat, data-value)
# holds exactly the value `run --format json` gives at the same seed and
# paths, and shows it as the run's report rounds it.
agree() { # agree PAGE JSON MIN-CELLS
    python3 - "$@" <<'EOF'
import html, json, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
run = json.load(open(sys.argv[2]))
want = int(sys.argv[3])
metrics = {(m["group"], m["key"]): m for m in run["metrics"]}
cells = re.findall(r'<td class="num" data-metric="([^"]*)" data-stat="(\w+)"(?: data-value="([^"]*)")?>([^<]*)', page)
assert len(cells) >= want, "only %d cells name their metric" % len(cells)
seen = set()
for name, stat, value, shown in cells:
    name = html.unescape(name)
    group, key = name.split("/", 1)
    m = metrics[(group, key)]
    ref = m[stat]
    if value == "":
        assert ref is None, "%s %s: the page has none, the run has %r" % (name, stat, ref)
        continue
    v = float(value)
    assert ref is not None and abs(v - ref) <= 1e-12 * max(1.0, abs(ref)), \
        "%s %s: page %r, run %r" % (name, stat, v, ref)
    if m["unit"] in ("share", "annual_rate") or m["kind"] == "probability":
        assert shown == "%.1f%%" % (100 * ref), "%s shown as %r" % (name, shown)
    elif m["unit"] == "multiple":
        assert shown == "%.2fx" % ref, "%s shown as %r" % (name, shown)
    seen.add(key.split(".")[-1] if "." in key else key)
for k in ("pooled_irr", "expected_moic", "p_loss", "total"):
    assert k in seen, "no cell for " + k
EOF
}
sib run -q -n 2000 --format json
cp "$work/out" "$work/pb.json"
check "the page's numbers are run --format json's, at the same seed and paths (Peterborough)" \
    'exits 0 && agree "$work/pb.html" "$work/pb.json" 30'

sib report "$rg" -q -n 1500 -o "$work/rg.html"
check "report of a scenario with four structures, a blend and gates" 'exits 0 && html_checks "$work/rg.html"'
sib run "$rg" -q -n 1500 --format json
cp "$work/out" "$work/rg.json"
check "the page's numbers are run --format json's (four structures, two tranches)" \
    'exits 0 && agree "$work/rg.html" "$work/rg.json" 60'
check "the funnel and the fan charts are there for each structure" \
    'grep -q "P(reaches each stage)" "$work/rg.html" &&
     [ "$(grep -c "the commissioner&#39;s outlay by year" "$work/rg.html")" -eq 4 ]'

# "What each figure rests on" gives a list or an object in words, never as
# JSON text: the contract by its payment rules, a structure's stages by
# stage.
no_json_values() { # no_json_values PAGE: no value cell of the table opens with { or [
    python3 -c 'import html, re, sys
s = open(sys.argv[1], encoding="utf-8").read()
t = re.search(r"<table class=\"provenance\">.*?</table>", s, re.S).group(0)
bad = [v for v in re.findall(r"<tr><td>.*?</td><td>(.*?)</td>", t) if html.unescape(v).lstrip()[:1] in "{["]
assert not bad, bad' "$1"
}
check "the basis table gives lists and objects in words, never as JSON" \
    'no_json_values "$work/pb.html" && no_json_values "$work/rg.html" &&
     grep -q "<td>the contract</td><td>2 payment rules: cohort trigger, final true-up</td>" "$work/pb.html" &&
     grep -q "</td><td>pilot: grant; implementation: regional social investment; scale_<wbr>up: PbR</td>" "$work/rg.html"'

# The inputs' means and percentiles and the tornado's settings are rounded
# as every figure of the paper is: "6.4% to 22.1%", "0.83x", never
# "2.592% to 15.41%" or "0.8251x".
rounded() { # rounded PAGE: no share with two decimals, no multiple with three
    python3 -c 'import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
i = s.index("<h3>Uncertain inputs")
cells = re.findall(r"</code></td><td>.*?</td><td>(.*?)</td><td>(.*?)</td>", s[i:s.index("</table>", i)])
i = s.index("<th>Input or term")
cells += re.findall(r"<td class=\"num\">([^<]*)</td>", s[i:s.index("</table>", i)])
text = " ".join(c if isinstance(c, str) else " ".join(c) for c in cells)
assert len(cells) > 4, cells
bad = re.findall(r"-?\d+\.\d\d+%|-?\d+\.\d\d\d+x", text)
assert not bad, bad' "$1"
}
check "inputs' means and percentiles and the tornado's settings are rounded as the paper's figures" \
    'rounded "$work/rg.html" && rounded "$work/pb.html"'

check "a pointer breaks only after its slashes, on screen and printed" \
    'grep -q "<br><code>/<wbr>outcomes/<wbr>0/<wbr>effect/<wbr>prior</code>" "$work/rg.html" &&
     ! grep -q "td code{overflow-wrap:anywhere" "$work/rg.html" && ! grep -q "break-all" "$work/rg.html"'

# A scenario with no investors: the investor parts say why, in one line.
python3 - "$pb" "$work/noinv.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
s["financing"] = [{"name": "grant", "type": "grant"},
                  {"name": "PbR", "type": "pbr", "fee_share": 0.2, "cost_of_capital": 0.08}]
# (the assumptions name the tranche, which is gone)
for k in ("realised", "cases", "sources", "assumptions"):
    s.pop(k, None)
json.dump(s, open(sys.argv[2], "w"))
EOF
sib report "$work/noinv.json" -q -n 1000 -o "$work/noinv.html"
check "without investors the page says why instead of showing empty parts" \
    'exits 0 && grep -q "<p class=\"why\">No financing structure of this scenario has investors" "$work/noinv.html" &&
     ! grep -q "IRR of the expected cash flows" "$work/noinv.html" && html_checks "$work/noinv.html" 4'

# Without any financing structure: the commissioner pays the contract itself.
# Sections 2 and 4 had their headings and nothing under them, and the lede
# read "under 0 financing structures".
python3 - "$work/noinv.json" "$work/nofin.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
s.pop("financing")
json.dump(s, open(sys.argv[2], "w"))
EOF
sib report "$work/nofin.json" -q -n 1000 -o "$work/nofin.html"
no_bare_heading() { # no_bare_heading PAGE: every h2 and h3 has something under it
    python3 - "$1" <<'EOF'
import re, sys
h = open(sys.argv[1]).read()
for m in re.finditer(r"<(h[23])>(.*?)</h[23]>\s*(<[^>]+>)", h, re.S):
    if re.match(r"</section|<h[23]", m.group(3)):
        sys.exit("nothing under " + m.group(2))
EOF
}
check "without a financing structure no heading stands over nothing, and the page says why" \
    'exits 0 && no_bare_heading "$work/nofin.html" && no_bare_heading "$work/rg.html" &&
     [ "$(grep -c "<p class=\"why\">This scenario has no financing structure" "$work/nofin.html")" = 2 ] &&
     grep -q "No financing structure: the commissioner pays the contract" "$work/nofin.html" &&
     ! grep -q "under 0 financing" "$work/nofin.html" && html_checks "$work/nofin.html" 2'

mean_as_fine_as_se() { # mean_as_fine_as_se PAGE: a money mean has decimals where its SE has
    python3 - "$1" <<'EOF'
import re, sys
h = open(sys.argv[1]).read()
n = 0
for m in re.finditer(r'data-stat="mean"[^>]*>(€[^<]*)<span class="se">±(€[^<]*)</span>', h):
    mean, se = m.group(1), m.group(2)
    if "." in se and "." not in mean:
        sys.exit("a mean of %s beside an SE of %s" % (mean, se))
    n += "." in se
sys.exit(0 if n > 0 else "no money SE below a unit")
EOF
}
# A contract paying €1 an outcome, with no structure: its means are a few euros.
cat >"$work/euro.json" <<'EOF'
{"name": "p", "currency": "EUR", "stages": [{"name": "s", "duration": 1, "cohorts": [{"size": 10}]}],
 "outcomes": [{"name": "o", "kind": "rate", "direction": "lower_is_better", "baseline": 0.5,
   "effect": {"prior": 0.1}, "evaluation": {"design": "historical"}}],
 "contract": {"payments": [{"outcome": "o", "type": "per_unit", "price": 1}]}}
EOF
sib report "$work/euro.json" -q -n 1000 -o "$work/euro.html"
check "a money mean beside an SE below a unit has the SE's decimals (it read €2 ±€0.13)" \
    'exits 0 && mean_as_fine_as_se "$work/euro.html" && no_bare_heading "$work/euro.html"'
sib run "$work/euro.json" -q -n 1000
check "... and so in run's table" 'exits 0 && grep -Eq "^  Outcome payments +€[0-9]+[.][0-9]{2} +±€0[.][0-9]{2} " "$work/out"'

# ------------------------------------------------------------ bad input
sib report "$work/missing.json" -q
check "a missing scenario is bad input (exit 2)" 'exits 2 && err_has "missing.json"'
sib report "$root/tests/bad/syntax-unexpected-end.json" -q
check "a scenario with a syntax error is bad input (exit 2)" 'exits 2 && err_has "syntax error"'
sib report -q --format json
check "an option report does not take is refused (exit 2)" \
    'exits 2 && err_has "does not apply to report"'
sib report -q -n 500 --metric commissioner/payments.total:p95 -o "$work/p95.html"
check "a --metric with a statistic names it once, in words: \"Outcome payments, 95th percentile (commissioner)\"" \
    'exits 0 && grep -q "one figure -- Outcome payments, 95th percentile (commissioner) --" "$work/p95.html"'
sib report -q -n 500 --metric nonsense
check "a --metric that names no metric is refused before anything runs (exit 2)" \
    'exits 2 && err_has "no metric \"nonsense\""'
sib report -q -n 500 -o "$work"
check "an output that cannot be written is a failure (exit 1)" 'exits 1 && err_has "$work"'
sib report "$pb" -q -n 500 -o "$pb"
check "an output that is the input is refused (exit 2), the input kept" \
    'exits 2 && head -c 1 "$pb" | grep -q "{"'

# --------------------------------------------------- in a real browser
chromium_bin=""
for c in chromium chromium-browser google-chrome; do
    if command -v "$c" >/dev/null 2>&1; then chromium_bin=$c; break; fi
done

# The distinct colours of a PNG, and whether given colours are among them
# (a minimal PNG reader: 8-bit RGB or RGBA, not interlaced, as Chromium
# writes; python3's zlib, no imaging library).
png_colours() { # png_colours FILE [RRGGBB ...]: prints the count; fails if a colour is missing
    python3 - "$@" <<'EOF'
import struct, sys, zlib
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat = 8, []
while pos < len(d):
    n, = struct.unpack(">I", d[pos:pos + 4]); kind = d[pos + 4:pos + 8]; body = d[pos + 8:pos + 8 + n]
    if kind == b"IHDR": w, h, depth, ctype, _, _, inter = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT": idat.append(body)
    pos += 12 + n
assert depth == 8 and inter == 0 and ctype in (2, 6), (depth, ctype, inter)
bpp = 3 if ctype == 2 else 4
raw = zlib.decompress(b"".join(idat)); stride = w * bpp
lo = int.from_bytes(b"\x7f" * stride, "big"); hi = int.from_bytes(b"\x80" * stride, "big")
prev, colours = bytes(stride), set()
for y in range(h):
    f = raw[y * (stride + 1)]; cur = raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)]
    if f == 0: row = cur
    elif f == 2:  # Up: byte-wise sums of two big integers without carries
        x, p = int.from_bytes(cur, "big"), int.from_bytes(prev, "big")
        row = (((x & lo) + (p & lo)) ^ ((x ^ p) & hi)).to_bytes(stride, "big")
    else:
        o = bytearray(cur)
        for i in range(stride):
            a = o[i - bpp] if i >= bpp else 0; b = prev[i]; c = prev[i - bpp] if i >= bpp else 0
            if f == 1: o[i] = (o[i] + a) & 255
            elif f == 3: o[i] = (o[i] + ((a + b) >> 1)) & 255
            else:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                o[i] = (o[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        row = bytes(o)
    for i in range(0, stride, bpp): colours.add(row[i:i + 3])
    prev = row
print(len(colours))
for want in sys.argv[2:]:
    assert bytes.fromhex(want) in colours, "colour #%s is not in the picture" % want
EOF
}

shot() { # shot HTML PNG: render at 1200x3000
    "$chromium_bin" --headless --disable-gpu --no-sandbox --hide-scrollbars \
        --screenshot="$2" --window-size=1200,3000 "file://$1" >/dev/null 2>&1
}

if [ -z "$chromium_bin" ]; then
    echo "ok - # SKIP chromium is not installed (scripts/install-deps --test installs it)"
    passed=$((passed + 1))
else
    shot "$work/pb.html" "$work/pb.png" || true
    check "Chromium renders the page to a PNG that is not blank" \
        '[ -s "$work/pb.png" ] && [ "$(stat -c %s "$work/pb.png")" -gt 50000 ] &&
         n=$(png_colours "$work/pb.png") && [ "$n" -gt 100 ]'
    # The charts, brought to the top of the window: the returns' loss bars
    # and curve, and the fan's bands, are drawn in their colours.
    sed 's|</head>|<style>header,#purpose,#financing{display:none}</style></head>|' \
        "$work/pb.html" >"$work/charts.html"
    shot "$work/charts.html" "$work/charts.png" || true
    check "the charts render: the loss bars, the curves and the fan's bands are drawn" \
        'png_colours "$work/charts.png" b5473a 1f4e79 d4e1ef 9dbbd9 >/dev/null'
    "$chromium_bin" --headless --disable-gpu --no-sandbox --no-pdf-header-footer \
        --print-to-pdf="$work/pb.pdf" "file://$work/pb.html" >/dev/null 2>&1 || true
    # The page count is the root's /Count: a cover, then each of the eight
    # sections starting on a new page.
    pdf_pages() {
        python3 -c 'import re, sys
d = open(sys.argv[1], "rb").read()
print(max([int(n) for n in re.findall(rb"/Count (\d+)", d)] or [0]))' "$1"
    }
    check "it prints to PDF: a cover, then each of the eight sections on pages of its own" \
        '[ -s "$work/pb.pdf" ] && [ "$(pdf_pages "$work/pb.pdf")" -ge 9 ]'

    # Nothing runs off the page's right edge: not a long source address
    # (Peterborough's), nor five structures and their tranches with the
    # long names real papers give them, side by side.
    page_width() { # page_width HTML WIDTH: "scrolled/visible" width in CSS pixels
        sed 's|</body>|<script>document.body.dataset.w = document.documentElement.scrollWidth + "/" + document.documentElement.clientWidth</script></body>|' \
            "$1" >"$work/width.html"
        "$chromium_bin" --headless --disable-gpu --no-sandbox --hide-scrollbars --window-size="$2",900 \
            --dump-dom "file://$work/width.html" 2>/dev/null | grep -o 'data-w="[0-9]*/[0-9]*"'
    }
    fits() { # fits HTML [WIDTH]: the page is no wider than the window (1200 px)
        w=$(page_width "$1" "${2:-1200}") && w=${w#data-w=\"} && w=${w%\"} &&
            [ "${w%/*}" -le "${w#*/}" ]
    }
    fits_print() { # fits_print HTML: with its print style, no wider than an A4 page's 184 mm
        sed 's|@media print{|@media all{|' "$1" >"$work/print.html" && fits "$work/print.html" 695
    }
    split_words() { # split_words HTML WIDTH: the plain words in table cells split over two lines
        python3 - "$1" "$work/words.html" <<'EOF'
import sys
js = """<script>var bad = [];
document.querySelectorAll("main th, main td").forEach(function (c) {
  var w = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
  for (var t = w.nextNode(); t; t = w.nextNode()) {
    var re = /[A-Za-z]+/g, m;
    while ((m = re.exec(t.data))) {
      if (/[^\\s]/.test(t.data.charAt(m.index + m[0].length)) ||
          (m.index > 0 && /[^\\s]/.test(t.data.charAt(m.index - 1)))) continue;
      var r = document.createRange(); r.setStart(t, m.index); r.setEnd(t, m.index + m[0].length);
      var rs = r.getClientRects(), tops = {};
      for (var i = 0; i < rs.length; i++) if (rs[i].width > 0) tops[Math.round(rs[i].top)] = 1;
      if (Object.keys(tops).length > 1) bad.push(m[0]);
    }
  }
});
document.body.dataset.split = bad.join(" ");</script>"""
s = open(sys.argv[1], encoding="utf-8").read()
open(sys.argv[2], "w", encoding="utf-8").write(s.replace("</body>", js + "</body>"))
EOF
        "$chromium_bin" --headless --disable-gpu --no-sandbox --hide-scrollbars --window-size="$2",900 \
            --dump-dom "file://$work/words.html" 2>/dev/null | grep -o 'data-split="[^"]*"'
    }
    small_notes() { # small_notes HTML: printed, no note or standard error in a table is set
        # larger than the figure or label of its cell
        sed 's|@media print{|@media all{|' "$1" >"$work/print-notes.html"
        python3 - "$work/print-notes.html" <<'EOF'
import sys
js = """<script>var big = [];
document.querySelectorAll("main td .note, main td .se, main th .note").forEach(function (e) {
  var mine = parseFloat(getComputedStyle(e).fontSize);
  var cell = parseFloat(getComputedStyle(e.closest("td, th")).fontSize);
  if (mine > cell + 0.01) big.push(e.textContent.slice(0, 30));
});
document.body.dataset.big = big.length;</script>"""
s = open(sys.argv[1], encoding="utf-8").read()
open(sys.argv[1], "w", encoding="utf-8").write(s.replace("</body>", js + "</body>"))
EOF
        [ "$("$chromium_bin" --headless --disable-gpu --no-sandbox --window-size=695,900 \
            --dump-dom "file://$work/print-notes.html" 2>/dev/null | grep -o 'data-big="[0-9]*"')" = 'data-big="0"' ]
    }
    whole_words() { # whole_words HTML: no plain word split, on screen nor printed
        [ "$(split_words "$1" 1200)" = 'data-split=""' ] &&
            sed 's|@media print{|@media all{|' "$1" >"$work/print-words.html" &&
            [ "$(split_words "$work/print-words.html" 695)" = 'data-split=""' ]
    }
    narrow() { # narrow HTML WIDTH: what does not fit a narrow window, "" when all does:
        # the page wider than the window, a table outside a box that scrolls
        # (<div class="scroll">) or a box past the window's edge, a chart drawn
        # at less than 70% of its size, a word of "What each figure rests on"
        # split other than at a space, a '/' or a hyphen
        python3 - "$1" "$work/narrow.html" <<'EOF'
import sys
js = """<script>var r = [];
var de = document.documentElement;
if (de.scrollWidth > de.clientWidth) r.push("page:" + de.scrollWidth + "/" + de.clientWidth);
document.querySelectorAll("main table").forEach(function (t, k) {
  var box = t.parentElement;
  if (!box.classList.contains("scroll")) r.push("table" + k + ":unboxed");
  else if (box.getBoundingClientRect().right > de.clientWidth + 0.5) r.push("table" + k + ":box");
});
document.querySelectorAll("main svg").forEach(function (s, k) {
  var z = s.getBoundingClientRect().width / s.viewBox.baseVal.width;
  if (z < 0.7) r.push("chart" + k + ":" + z.toFixed(2));
});
document.querySelectorAll("table.provenance td").forEach(function (c) {
  var w = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
  for (var t = w.nextNode(); t; t = w.nextNode()) {
    var re = /[^\\s\\/-]+/g, m;
    while ((m = re.exec(t.data))) {
      var g = document.createRange(); g.setStart(t, m.index); g.setEnd(t, m.index + m[0].length);
      var rs = g.getClientRects(), tops = {};
      for (var i = 0; i < rs.length; i++) if (rs[i].width > 0) tops[Math.round(rs[i].top)] = 1;
      if (Object.keys(tops).length > 1) r.push("split:" + m[0]);
    }
  }
});
document.body.dataset.narrow = r.join(" ");</script>"""
s = open(sys.argv[1], encoding="utf-8").read()
open(sys.argv[2], "w", encoding="utf-8").write(s.replace("</body>", js + "</body>"))
EOF
        "$chromium_bin" --headless --disable-gpu --no-sandbox --hide-scrollbars --window-size="$2",900 \
            --dump-dom "file://$work/narrow.html" 2>/dev/null | grep -o 'data-narrow="[^"]*"'
    }
    check "600 px wide: tables scroll in their own box, charts stay readable, no word split" \
        '[ "$(narrow "$work/pb.html" 600)" = "data-narrow=\"\"" ] &&
         [ "$(narrow "$work/rg.html" 600)" = "data-narrow=\"\"" ]'
    python3 - "$pb" "$work/long.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
for k in ("realised", "cases", "sources", "assumptions"):
    s.pop(k, None)
s["financing"] = [
    {"name": "Social impact bond with the 2019 revised terms (option A)", "type": "sib",
     "tranches": [{"name": "Senior lenders from the regional development bank", "commitment": 3e6},
                  {"name": "Junior philanthropic trusts and foundations", "commitment": 2e6}]},
    {"name": "Payment by results with a twenty per cent fee share (option B)", "type": "pbr",
     "fee_share": 0.2},
    {"name": "Grant from the regional health and social care budget (option C)", "type": "grant"},
    {"name": "Outcomes fund with a philanthropic top-up and a guarantee (option D)",
     "type": "outcomes_fund",
     "tranches": [{"name": "Impact investors of the outcomes fund", "commitment": 5e6}]},
    {"name": "RegionalOutcomesPartnershipVehicle2019", "type": "fee_for_service", "margin": 0.1}]
json.dump(s, open(sys.argv[2], "w"))
EOF
    sib report "$work/long.json" -q -n 1000 -o "$work/long.html"
    check "nothing runs off the page: a long source address, long names side by side" \
        'fits "$work/pb.html" && fits "$work/long.html"'
    check "nor off an A4 page when printed: five structures, a name of one long word" \
        'fits_print "$work/pb.html" && fits_print "$work/long.html"'
    sib report "$rg" -q -n 500 -o "$work/rg-words.html"
    sib report "$root/scenarios/icrc-humanitarian-impact-bond.json" -q -n 500 -o "$work/icrc.html"
    check "printed, four structures' outlay by year and a long outcome name fit the page" \
        'fits_print "$work/rg-words.html" && fits_print "$work/icrc.html"'
    check "no word in a table is split over two lines, on screen or printed" \
        'whole_words "$work/pb.html" && whole_words "$work/rg-words.html" && whole_words "$work/long.html"'
    check "printed, a table's notes are no larger than its figures" 'small_notes "$work/pb.html"'
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
