#!/usr/bin/env python3
"""check.py -- the JSON Schema (docs/sibsim.schema.json) against the loader
(`sibsim validate`), in both directions. tests/e2e/schema.sh runs it; it
prints one line per check, "ok - ..." or "not ok - ..." (with "# ..." lines
saying why), and exits 1 when a check failed.

  check.py schema SCHEMA
      the schema is a valid draft 2020-12 schema.
  check.py corpus SIBSIM SCHEMA --good F... --bad F... [--loader-only F...]
      every good file passes both; every bad file is refused by the loader
      and by the schema, at a related place (the schema's error is at the
      loader's pointer, inside it or around it), except the files listed as
      the loader's only (rules the schema cannot state), which the schema
      must accept -- so that the list stays exact.
  check.py bounds SIBSIM SCHEMA BASE...
      for every number written in the base files, the bounds the schema
      gives it are the loader's: the value at each bound (or just inside an
      exclusive one) passes both, and the value just past it is refused by
      both at that field. A field that the schema leaves unbounded must be
      unbounded for the loader too (1e300 and -1e300 are tried). The
      differences that come from rules between fields, which only the loader
      can check, are listed below in BOUND_EXCEPTIONS with their reason.

  check.py optional SIBSIM SCHEMA BASE...
      every field left out of the base files, and every element left out of
      an array with more than one, one at a time: when the loader still
      accepts the file, the schema must too (it requires no field, and
      states no rule between fields, that the loader does not).

Only the standard library and jsonschema (Debian: python3-jsonschema).
"""
import copy
import json
import math
import os
import re
import subprocess
import sys
import tempfile

from jsonschema import Draft202012Validator

# ------------------------------------------------------------------ bounds
# (pointer pattern, side, reason): the loader's bound on these fields depends
# on another field, so the schema states the widest bound that any scenario
# allows and the loader checks the rest. `side` is "lo" or "hi": which of
# the schema's bounds the loader moves. Anything not listed must agree.
BOUND_EXCEPTIONS = [
    (r"^/stages/\d+/cohorts/\d+/entry$", "lo|hi",
     "a cohort enrols within its stage: its entry from the stage's start to its end "
     "(the schema: 0 to 300, the latest end of a stage)"),
    (r"^/stages/\d+/cohorts/\d+/enrolment$", "hi",
     "enrolment ends by the stage's end: at most start + duration - entry (the schema: 300)"),
    (r"^/outcomes/\d+/effect/prior(/(value|mean|min|max|mode|lower|upper))?$", "hi",
     "the highest effect depends on the baseline b: b (absolute, lower is better), 1 - b "
     "(absolute, a rate that rises), (1 - b) / b (relative, a rate that rises)"),
    (r"/(max|mode)$", "lo", "within a prior, min <= mode <= max"),
    (r"/upper$", "lo", "within a prior, lower <= upper"),
    (r"^/contract/payments/\d+/ceiling$", "lo", "a linear rule's ceiling is above its floor"),
    (r"^/contract/payments/\d+/bands/[1-9]\d*/from$", "lo",
     "each band's from is above the one before it"),
    (r"^/contract/payments/\d+/interval$", "hi",
     "(installments - 1) x interval is at most 100 years"),
    (r"^/realised/reported/\d+/range/0$", "hi", "a range's lo is at most its hi"),
    (r"^/realised/reported/\d+/range/1$", "lo", "a range's hi is at least its lo"),
    (r"^/assumptions/\d+/source(/\d+)?$", "hi",
     "a source's index is below the number of sources"),
    (r"^/contract/suspensions/\d+/to$", "lo", "a suspension's window ends after it starts"),
    (r"^/contract/suspensions/[1-9]\d*/from$", "lo",
     "suspension windows come in order of time and do not overlap: each starts at or after "
     "the previous one's end"),
    (r"^/realised/results/\d+/measurement$", "hi",
     "a result's measurement is below its outcome's measured times (the schema: 99, for "
     "times at most 100)"),
    (r"^/realised/results/\d+/effect$", "lo|hi",
     "a measured effect is one its outcome can take, within the bounds of its prior (the "
     "schema: the effect scale's own bound, 1e9)"),
    (r"^/realised/results/\d+/(treated|comparison)/(mean|total)$", "lo|hi",
     "a measured mean or total lies within what its outcome's kind allows (a rate's mean "
     "0 to 1 and total 0 to size, a count's from 0, a total within 1e9 x size)"),
]


def excepted(pointer, side):
    """The index of the exception that covers the bound, or None."""
    for i, (pattern, sides, _) in enumerate(BOUND_EXCEPTIONS):
        if side in sides.split("|") and re.search(pattern, pointer):
            return i
    return None


# ------------------------------------------------------------------ helpers
results = {"passed": 0, "failed": 0}


def report(ok, what, details=()):
    print(("ok - " if ok else "not ok - ") + what)
    for d in details:
        print("# " + d)
    results["passed" if ok else "failed"] += 1


def pointer_of(path):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def tokens(pointer):
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


def related(a, b):
    """One pointer is the other or holds it."""
    ta, tb = tokens(a), tokens(b)
    n = min(len(ta), len(tb))
    return ta[:n] == tb[:n]


def leaf_errors(errors):
    """Every error, with the errors inside anyOf and oneOf."""
    out = []
    for e in errors:
        out.append(e)
        out.extend(leaf_errors(e.context or []))
    return out


def validator(schema_path):
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def schema_errors(v, path):
    """The schema's errors for the file at path, or None when Python's json
    module cannot parse it (JSON syntax is the parser's job)."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (ValueError, UnicodeDecodeError):
        return None
    return list(v.iter_errors(doc))


def loader_verdicts(sibsim, files):
    """{file: None (loaded) | (pointer or None, message)} from `sibsim
    validate`, which reports each file's first error (or "ok") on a line
    that starts with the file's name. A validate that does not finish in a
    minute leaves its files without a verdict (a hang is a failure)."""
    verdict = {}
    for i in range(0, len(files), 200):
        chunk = files[i:i + 200]
        try:
            r = subprocess.run([sibsim, "validate"] + chunk, capture_output=True, text=True,
                               timeout=60)
            lines = r.stdout.splitlines() + r.stderr.splitlines()
        except subprocess.TimeoutExpired:
            lines = []
        for f in chunk:
            verdict[f] = ("?", "no verdict from sibsim validate")
            for line in lines:
                if line.startswith(f + ": ok: "):
                    verdict[f] = None
                elif line.startswith(f + ":") and ": warning: " not in line \
                        and "treated as error" not in line:
                    rest = line[len(f) + 1:]
                    if rest.startswith(" /"):
                        ptr, _, msg = rest[1:].partition(": ")
                        verdict[f] = (ptr, msg)
                    else:
                        verdict[f] = (None, rest.strip())
                    break
    return verdict


# ------------------------------------------------------------------ corpus
def corpus(sibsim, schema_path, good, bad, loader_only):
    v = validator(schema_path)
    loader = loader_verdicts(sibsim, good + bad)
    for f in good:
        errs = schema_errors(v, f)
        lv = loader[f]
        details = []
        if lv is not None:
            details.append("the loader refuses it: %s: %s" % lv)
        if errs is None:
            details.append("Python's json module cannot parse it")
        elif errs:
            details += ["the schema refuses it at %s: %s" % (pointer_of(e.absolute_path), e.message[:200])
                        for e in errs[:3]]
        report(not details, "good: %s passes the loader and the schema" % f, details)
    for f in bad:
        errs = schema_errors(v, f)
        lv = loader[f]
        if lv is None:
            report(False, "bad: %s is refused by the loader" % f, ["it loads"])
            continue
        ptr, msg = lv
        if ptr is None and "syntax error" in msg:
            # JSON syntax is the parser's job: Python's must refuse it too,
            # or it is listed (Python accepts a lone surrogate and \u0000).
            ok = errs is None or f in loader_only
            report(ok, "bad: %s is not JSON (%s)" % (f, msg[:80]),
                   [] if ok else ["Python's json module parses it: list it as the loader's only"])
            continue
        if f in loader_only:
            ok = errs is not None and not errs
            details = [] if ok else ["it is listed as the loader's only, but the schema refuses it"
                                     " (%s): take it off the list" % (
                                         "unparsable" if errs is None else
                                         pointer_of(errs[0].absolute_path) + ": " + errs[0].message[:150])]
            report(ok, "bad, the loader's only: %s (%s)" % (f, msg[:90]), details)
            continue
        if errs is None:
            report(False, "bad: %s is JSON" % f, ["Python's json module cannot parse it, but the "
                                                  "loader reads it (%s: %s)" % lv])
            continue
        if not errs:
            report(False, "bad: %s is refused by the schema too" % f,
                   ["the loader refuses it (%s: %s), the schema accepts it" % lv])
            continue
        near = [e for e in leaf_errors(errs) if ptr is None or related(pointer_of(e.absolute_path), ptr)]
        details = [] if near else ["the loader refuses it at %s, the schema only elsewhere: %s: %s" % (
            ptr, pointer_of(errs[0].absolute_path), errs[0].message[:150])]
        report(bool(near), "bad: %s is refused by both, at %s" % (f, ptr or "the top"), details)


# ------------------------------------------------------------------ bounds
def numbers(doc, path=()):
    """(path, value) of every number in doc (not booleans)."""
    if isinstance(doc, dict):
        for k, x in doc.items():
            yield from numbers(x, path + (k,))
    elif isinstance(doc, list):
        for i, x in enumerate(doc):
            yield from numbers(x, path + (i,))
    elif isinstance(doc, (int, float)) and not isinstance(doc, bool):
        yield path, doc


def put(doc, path, value):
    d = copy.deepcopy(doc)
    node = d
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = value
    return d


class Scoped:
    """Validation of the part of a scenario that decides a number's bounds:
    the stage, outcome, contract, financing structure, correlation or
    record that holds it (their rules between fields stay within them),
    or the whole scenario for anything else. A scenario takes 20 ms to
    validate whole, one of its parts a few."""

    DEFS = {"stages": "stage", "outcomes": "outcome", "financing": "financing",
            "correlations": "correlation", "contract": "contract", "realised": "realised",
            "simulation": "simulation"}

    def __init__(self, v):
        schema = v.schema
        defs = dict(schema["$defs"])
        defs["simulation"] = schema["properties"]["simulation"]
        self.whole = v
        self.parts = {name: Draft202012Validator({"$defs": defs, "$ref": "#/$defs/" + name})
                      for name in set(self.DEFS.values())}

    def split(self, path):
        """(validator, the number of leading path tokens it skips)."""
        if path and path[0] in self.DEFS:
            name = self.DEFS[path[0]]
            skip = 2 if path[0] in ("stages", "outcomes", "financing", "correlations") else 1
            if len(path) > skip:
                return self.parts[name], skip
        return self.whole, 0

    def errors_at(self, doc, path):
        """The errors (with those inside anyOf and oneOf) at exactly path."""
        v, skip = self.split(path)
        node = doc
        for k in path[:skip]:
            node = node[k]
        return [e for e in leaf_errors(v.iter_errors(node)) if list(e.absolute_path) == list(path[skip:])]


def schema_bound(v, doc, path, side):
    """The schema's bound on the number at path, on one side: (value,
    exclusive, integer) or None, found from the errors for a value far past
    it."""
    probe = 1e300 if side == "hi" else -1e300
    keys = ("maximum", "exclusiveMaximum") if side == "hi" else ("minimum", "exclusiveMinimum")
    best = None
    for e in v.errors_at(put(doc, path, probe), path):
        if e.validator not in keys:
            continue
        b, excl = e.validator_value, e.validator.startswith("exclusive")
        tighter = best is None or (b < best[0] if side == "hi" else b > best[0]) \
            or (b == best[0] and excl)
        if tighter:
            best = (b, excl)
    return best


def is_integer_field(v, doc, path):
    return any(e.validator == "type" for e in v.errors_at(put(doc, path, 0.5), path))


def step(b, side, integer, outward):
    """The next value from b, outward (past the bound) or inward."""
    up = (side == "hi") == outward
    if integer:
        x = b + (1 if up else -1)
        if float(x) == float(b):  # 2^53 + 1 is 2^53 in a double
            x = b + (2 if up else -2)
        return x
    return math.nextafter(float(b), math.inf if up else -math.inf)


def number_patterns(schema):
    """The JSON Pointers of every number the schema describes, with N for
    an array index and KEY for a key of a map (outcome_caps):
    /stages/N/cohorts/N/size, /stages/N/volume/mean, ..."""
    defs = schema["$defs"]

    def resolve(s):
        while "$ref" in s:
            target = defs[s["$ref"].split("/")[-1]]
            merged = dict(target)
            merged.update({k: x for k, x in s.items() if k != "$ref"})
            if "properties" in target and "properties" in s:
                merged["properties"] = {**target["properties"], **s["properties"]}
            s = merged
        return s

    found = set()

    def walk(s, pattern):
        s = resolve(s)
        types = s.get("type") if isinstance(s.get("type"), list) else [s.get("type")]
        if "number" in types or "integer" in types:
            found.add(pattern)
        for k, sub in s.get("properties", {}).items():
            if any(key in sub for key in ("type", "$ref", "items", "anyOf")):
                walk(sub, pattern + "/" + k)
        if isinstance(s.get("items"), dict):
            walk(s["items"], pattern + "/N")
        for sub in s.get("prefixItems", []):
            walk(sub, pattern + "/N")
        if isinstance(s.get("additionalProperties"), dict):
            walk(s["additionalProperties"], pattern + "/KEY")
        for sub in s.get("anyOf", []):
            walk(sub, pattern)

    walk(schema, "")
    return found


def coverage(schema, docs):
    """Every number the schema describes is written in one of the bases
    (a case's values excepted: they are checked by compiling the case)."""
    written = set()
    for doc in docs:
        for path, _ in numbers(doc):
            written.add("".join("/N" if isinstance(k, int) else "/" + k for k in path))
    missing = []
    for pattern in sorted(number_patterns(schema)):
        if pattern.startswith("/cases/"):
            continue
        rx = "^" + re.escape(pattern).replace("KEY", "[^/]+") + "$"
        if not any(re.match(rx, w) for w in written):
            missing.append(pattern)
    report(not missing, "bounds: every number the schema describes is written in a base file",
           ["not written: " + m for m in missing])


def bounds(sibsim, schema_path, bases):
    v = Scoped(validator(schema_path))
    docs = []
    for base in bases:
        with open(base, encoding="utf-8") as f:
            docs.append(json.load(f))
    coverage(v.whole.schema, docs)
    work = tempfile.mkdtemp(prefix="sibsim-bounds.")
    plans = []  # (file, base, pointer, side, value, expect_refused, kind)
    n = 0
    for base in bases:
        with open(base, encoding="utf-8") as f:
            doc = json.load(f)
        for path, _ in numbers(doc):
            if path and path[0] == "cases":  # a case's values are checked by compiling it
                continue
            ptr = pointer_of(path)
            integer = is_integer_field(v, doc, path)
            for side in ("lo", "hi"):
                bound = schema_bound(v, doc, path, side)
                if bound is None:
                    values = [(1e300 if side == "hi" else -1e300, True, "unbounded")]
                else:
                    b, excl = bound
                    if excl:
                        values = [(step(b, side, integer, False), False, "inside"), (b, True, "at the exclusive bound")]
                    else:
                        values = [(b, False, "at the bound"), (step(b, side, integer, True), True, "past")]
                for value, outside, kind in values:
                    n += 1
                    path_file = os.path.join(work, "b%05d.json" % n)
                    with open(path_file, "w", encoding="utf-8") as f:
                        json.dump(put(doc, path, value), f)
                    plans.append((path_file, base, ptr, path, side, value, outside, kind, bound))
    loader = loader_verdicts(sibsim, [p[0] for p in plans])
    fields = {}
    for path_file, base, ptr, path, side, value, outside, kind, bound in plans:
        with open(path_file, encoding="utf-8") as f:
            doc = json.load(f)
        s_ref = any(e.validator in ("maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum")
                    for e in v.errors_at(doc, path))
        lv = loader[path_file]
        # The loader reports an element of an array of numbers (a range, a
        # correlation's pair) at the array.
        l_ref = lv is not None and (lv[0] == ptr or (isinstance(path[-1], int) and lv[0] == pointer_of(path[:-1])))
        key = (base, ptr, side)
        fields.setdefault(key, [])
        if kind == "unbounded":
            agree = not l_ref
            why = "the schema sets no bound, but the loader refuses %r: %s" % (value, lv[1] if lv else "")
        else:
            agree = s_ref == outside and l_ref == outside
            why = "%s %r: schema %s, loader %s%s" % (
                kind, value, "refuses" if s_ref else "accepts", "refuses" if l_ref else "accepts",
                (" (%s)" % lv[1][:120]) if lv is not None else "")
        fields[key].append((agree, why, bound))
    used = set()
    for (base, ptr, side), checks in sorted(fields.items()):
        bad = [why for agree, why, _ in checks if not agree]
        bound = checks[0][2]
        shown = "none" if bound is None else ("%s%r" % ("exclusive " if bound[1] else "", bound[0]))
        what = "bounds: %s %s (%s) in %s" % (ptr, "upper" if side == "hi" else "lower", shown,
                                            os.path.basename(base))
        listed = excepted(ptr, side)
        if listed is not None and bad:
            # The loader's bound here depends on another field (listed).
            used.add(listed)
            report(True, what + ": the loader's depends on another field: " +
                   BOUND_EXCEPTIONS[listed][2])
            continue
        report(not bad, what, bad)
    for i, (pattern, sides, reason) in enumerate(BOUND_EXCEPTIONS):
        report(i in used, "bounds: the exception %s (%s) is still needed" % (pattern, sides),
               [] if i in used else ["no field it covers disagrees any more: take it off the list"])
    for f in os.listdir(work):
        os.unlink(os.path.join(work, f))
    os.rmdir(work)


def without(doc, path):
    """doc with the member at path left out, or None for the only element
    of an array (an empty array is refused by rule)."""
    d = copy.deepcopy(doc)
    node = d
    for k in path[:-1]:
        node = node[k]
    if isinstance(node, list) and len(node) < 2:
        return None
    del node[path[-1]]
    return d


def members(doc, path=()):
    """The path of every member of doc: object fields and array elements."""
    items = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    for k, x in items:
        yield path + (k,)
        yield from members(x, path + (k,))


def optional(sibsim, schema_path, bases):
    v = validator(schema_path)
    work = tempfile.mkdtemp(prefix="sibsim-optional.")
    plans = []  # (file, base, pointer)
    for base in bases:
        with open(base, encoding="utf-8") as f:
            doc = json.load(f)
        for path in members(doc):
            # An assumption may point at the member left out; a case's
            # values are checked by compiling it.
            if path[0] in ("assumptions", "cases", "sources"):
                continue
            d = without(doc, path)
            if d is None:
                continue
            d.pop("assumptions", None)
            out = os.path.join(work, "o%05d.json" % len(plans))
            with open(out, "w", encoding="utf-8") as f:
                json.dump(d, f)
            plans.append((out, base, pointer_of(path)))
    loader = loader_verdicts(sibsim, [p[0] for p in plans])
    refused = []
    for out, base, ptr in plans:
        if loader[out] is None:
            with open(out, encoding="utf-8") as f:
                errs = list(v.iter_errors(json.load(f)))
            if errs:
                refused.append("%s without %s: the loader accepts it, the schema refuses it at %s: %s"
                               % (os.path.basename(base), ptr, pointer_of(errs[0].absolute_path),
                                  errs[0].message[:150]))
        os.unlink(out)
    os.rmdir(work)
    report(not refused, "optional: each of %d members left out of the base files, the schema accepts "
           "every file the loader accepts" % len(plans), refused)


def documented(schema):
    """Every field the schema describes has a title and a description, and
    every object it describes refuses unknown fields (a map of names, such
    as outcome_caps, says what its values are instead)."""
    untitled, open_objects = [], []
    defs = schema["$defs"]

    def titled(s):
        target = defs[s["$ref"].split("/")[-1]] if "$ref" in s else {}
        return all(k in s or k in target for k in ("title", "description"))

    def walk(s, where, field):
        if not isinstance(s, dict):
            return
        if field and not titled(s):
            untitled.append(where)
        if s.get("type") == "object" or (isinstance(s.get("type"), list) and "object" in s["type"]):
            if s.get("additionalProperties", True) is True:
                open_objects.append(where)
        # Beside a $ref, "properties" only narrow the bounds of the fields
        # the referenced definition describes (a prior's parameters).
        for k, sub in ({} if "$ref" in s else s.get("properties", {})).items():
            walk(sub, where + "/properties/" + k, True)
        for k in ("items", "additionalProperties"):
            if isinstance(s.get(k), dict):
                walk(s[k], where + "/" + k, False)
        for i, sub in enumerate(s.get("prefixItems", [])):
            walk(sub, where + "/prefixItems/%d" % i, False)

    walk(schema, "#", False)
    for name, sub in schema["$defs"].items():
        walk(sub, "#/$defs/" + name, False)
        if not ("title" in sub and "description" in sub):
            untitled.append("#/$defs/" + name)
    report(not untitled, "the schema gives every field a title and a description",
           ["no title or description: " + u for u in untitled])
    report(not open_objects, "every object of the schema refuses unknown fields",
           ["additionalProperties is not false: " + o for o in open_objects])


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd = argv[1]
    if cmd == "schema":
        try:
            v = validator(argv[2])
            report(True, "%s is a valid JSON Schema (draft 2020-12)" % argv[2])
            documented(v.schema)
        except Exception as e:  # the schema itself is broken
            report(False, "%s is a valid JSON Schema (draft 2020-12)" % argv[2], [str(e)[:300]])
    elif cmd == "corpus":
        sibsim, schema_path = argv[2], argv[3]
        lists = {"--good": [], "--bad": [], "--loader-only": []}
        cur = None
        for a in argv[4:]:
            if a in lists:
                cur = lists[a]
            else:
                cur.append(a)
        corpus(sibsim, schema_path, lists["--good"], lists["--bad"], set(lists["--loader-only"]))
    elif cmd == "bounds":
        bounds(argv[2], argv[3], argv[4:])
    elif cmd == "optional":
        optional(argv[2], argv[3], argv[4:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
