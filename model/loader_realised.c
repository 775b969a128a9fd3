/* loader_realised.c -- two sections that are more than values: each named
 * case ("cases") is checked by compiling the scenario it makes, and the
 * realised record ("realised") is resolved against the stages, cohorts and
 * outcomes; a record can also be read from a file of its own
 * (scenario_load_realised_file, in loader.c). See loader_internal.h.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader_internal.h"

/* ------------------------------------------------------------ named cases */

/* Whether the JSON Pointer p names field `inner` itself, a field inside it,
 * or a field that contains it. */
static int pointer_related(const char *p, const char *inner) {
    size_t np = strlen(p), ni = strlen(inner);
    if (np == ni) return strcmp(p, inner) == 0;
    if (np < ni) return strncmp(p, inner, np) == 0 && inner[np] == '/';
    return strncmp(p, inner, ni) == 0 && p[ni] == '/';
}

/* Check that case k, read at the current pointer (/cases/N), compiles:
 * apply its overrides to a copy of root exactly as scenario_load_string_with
 * does, then read the copy as a scenario without its cases and its record
 * (so a case cannot recurse). Every error is reported at the member of
 * "set" to blame: a pointer that leads nowhere, or to something that is
 * neither a number nor a prior; or a value the compiled scenario refuses,
 * as "with case NAME, /inner/pointer: message". When the refused field is
 * not one a member sets (a stage's start moved past its cohort's entry) and
 * the case sets several fields, the error is at "set" itself. */
static int compile_case(ctx *c, const cJSON *root, const scenario_case *k) {
    sib_error inner;
    sib_error_clear(&inner);
    cJSON *copy = cJSON_Duplicate(root, 1);
    if (copy == NULL) return sib_error_set(c->err, SIB_ENOMEM, c->ptr, "out of memory");
    size_t s1 = ctx_push(c, "set");
    for (size_t i = 0; i < k->n_set; i++) {
        const char *p = k->set[i].pointer;
        size_t s2 = ctx_push(c, p);
        cJSON *node = json_pointer_resolve(copy, p, 1, &inner);
        if (node == NULL) {
            cJSON_Delete(copy);
            if (inner.code != SIB_EINVAL)
                return sib_error_set(c->err, inner.code, c->ptr, "%s", inner.message);
            return fail(c, "expected the pointer of a number or a prior in the scenario; at %s: %s",
                        inner.pointer, inner.message);
        }
        /* A missing last member of an object was added as null, as for any
         * override: the compile below says whether such a field exists. */
        if (!cJSON_IsNumber(node) && !cJSON_IsNull(node) &&
            !(cJSON_IsObject(node) && member(node, "dist") != NULL)) {
            char found[96];
            describe(node, found, sizeof found);
            cJSON_Delete(copy);
            return fail(c, "expected the pointer of a number or a prior (a distribution object) "
                           "in the scenario, found %s at %s",
                        found, p);
        }
        if (json_set_number(copy, node, p, k->set[i].value, &inner)) {
            cJSON_Delete(copy);
            return sib_error_set(c->err, inner.code, c->ptr, "%s", inner.message);
        }
        ctx_pop(c, s2);
    }
    scenario *tmp = scenario_blank();
    if (tmp == NULL) {
        cJSON_Delete(copy);
        return sib_error_set(c->err, SIB_ENOMEM, c->ptr, "out of memory");
    }
    ctx nested = {.err = &inner, .ptr = "", .len = 0, .sc = tmp};
    int rc = read_scenario(&nested, copy, tmp, 0);
    scenario_free(tmp);
    cJSON_Delete(copy);
    if (rc == SIB_OK) {
        ctx_pop(c, s1);
        return SIB_OK;
    }
    size_t blame = SIZE_MAX;
    for (size_t i = 0; i < k->n_set && blame == SIZE_MAX && inner.pointer[0]; i++)
        if (pointer_related(k->set[i].pointer, inner.pointer)) blame = i;
    if (blame == SIZE_MAX && k->n_set == 1) blame = 0;
    if (blame != SIZE_MAX) ctx_push(c, k->set[blame].pointer);
    if (inner.pointer[0] == '\0')
        return sib_error_set(c->err, inner.code, c->ptr, "with case \"%s\": %s", k->name,
                             inner.message);
    return sib_error_set(c->err, inner.code, c->ptr, "with case \"%s\", %s: %s", k->name,
                         inner.pointer, inner.message);
}

/* "cases": [{"name": ..., "description"?: ..., "set": {POINTER: number, ...}}].
 * Each member of "set" is a scenario_override; every case must compile. */
int read_cases(ctx *c, const cJSON *root, scenario *sc) {
    static const char *const keys[] = {"name", "description", "set", NULL};
    /* Fields a case may not set: the cases themselves, the record, the
     * format version, the sources and the assumptions (none of them a term of
     * the deal). */
    static const char *const outside[] = {"cases",   "realised",    "sibsim",
                                          "sources", "assumptions", NULL};
    const cJSON *arr;
    if (read_array(c, root, "cases", 0, &arr, &sc->n_cases)) return c->err->code;
    if (arr == NULL) return SIB_OK;
    sc->cases = xcalloc(c, sc->n_cases, sizeof *sc->cases);
    if (sc->cases == NULL) {
        sc->n_cases = 0;
        return SIB_ENOMEM;
    }
    size_t s1 = ctx_push(c, "cases");
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        scenario_case *k = &sc->cases[i];
        size_t s2 = ctx_push_index(c, i);
        if (check_object(c, it, keys) || read_string(c, it, "name", NULL, k->name, sizeof k->name) ||
            read_string_dup(c, it, "description", "", &k->description))
            return c->err->code;
        for (size_t j = 0; j < i; j++)
            if (strcmp(sc->cases[j].name, k->name) == 0) {
                ctx_push(c, "name");
                return fail(c, "duplicate case name \"%s\" (also /cases/%zu)", k->name, j);
            }
        const cJSON *set = member(it, "set");
        size_t s3 = ctx_push(c, "set");
        if (set == NULL) return fail(c, "required field is missing");
        if (!cJSON_IsObject(set))
            return fail_expected(c, set, "an object of JSON Pointer: number");
        if (set->child == NULL)
            return fail(c, "expected at least one field to set (a JSON Pointer and its number), "
                           "found an empty object");
        k->n_set = (size_t)cJSON_GetArraySize(set);
        k->set = xcalloc(c, k->n_set, sizeof *k->set);
        if (k->set == NULL) {
            k->n_set = 0;
            return SIB_ENOMEM;
        }
        size_t j = 0;
        for (const cJSON *m = set->child; m; m = m->next, j++) {
            size_t s4 = ctx_push(c, m->string);
            for (const cJSON *prev = set->child; prev != m; prev = prev->next)
                if (strcmp(prev->string, m->string) == 0)
                    return fail(c, "duplicate field \"%s\"", m->string);
            if (m->string[0] != '/')
                return fail(c, "expected a JSON Pointer starting with '/' (e.g. "
                               "\"/contract/payments/0/price\"), found \"%s\"",
                            m->string);
            if (strlen(m->string) >= sizeof k->set[j].pointer)
                return fail(c, "expected a JSON Pointer of at most %zu characters",
                            sizeof k->set[j].pointer - 1);
            char first[256];
            json_pointer_token(m->string + 1, first, sizeof first);
            for (const char *const *o = outside; *o; o++)
                if (strcmp(first, *o) == 0)
                    return fail(c,
                                "expected a pointer to a term of the scenario, outside "
                                "/cases, /realised, /sibsim, /sources and /assumptions, "
                                "found \"%s\"",
                                m->string);
            if (!cJSON_IsNumber(m) || !isfinite(m->valuedouble))
                return fail_expected(c, m, "a number");
            snprintf(k->set[j].pointer, sizeof k->set[j].pointer, "%s", m->string);
            k->set[j].value = m->valuedouble;
            ctx_pop(c, s4);
        }
        ctx_pop(c, s3);
        if (!c->overridden && compile_case(c, root, k)) return c->err->code;
        ctx_pop(c, s2);
    }
    ctx_pop(c, s1);
    return SIB_OK;
}

/* -------------------------------------------------------- realised record */

/* Free what a record owns and clear it (scenario_free does the same for a
 * scenario's record; this one serves a record read on its own). */
void realised_clear(realised *r) {
    free(r->description);
    for (size_t i = 0; r->sources && i < r->n_sources; i++) free(r->sources[i]);
    free(r->sources);
    free(r->stage_ran);
    free(r->results);
    free(r->reported);
    memset(r, 0, sizeof *r);
    r->stopped = HUGE_VAL;
}

/* The expected mean of people whose counterfactual mean is the outcome's
 * baseline, given the true effect eff: the baseline moved by the effect in
 * the better direction (relative: a share of it; absolute: in the
 * outcome's units), within what the outcome can be (a share in [0, 1], a
 * count >= 0). The engine's treated mean (sim/engine.c), at the baseline. */
static double effect_mean(const outcome *o, double eff) {
    double mu0 = o->baseline;
    double delta = (o->scale == EFFECT_RELATIVE) ? mu0 * eff : eff;
    double mu = (o->direction == DIRECTION_LOWER_IS_BETTER) ? mu0 - delta : mu0 + delta;
    if (o->kind == OUTCOME_RATE) return fmin(fmax(mu, 0.0), 1.0);
    if (o->kind == OUTCOME_COUNT) return fmax(mu, 0.0);
    return mu;
}

/* The effects outcome o can take, the bounds of its prior (read_outcome in
 * loader.c): a rate or a count cannot fall below zero, nor a rate rise
 * above one; a relative effect of 1 is "all gone", and harm is bounded at
 * -10 (relative) or the effect scale's own bound (absolute). */
static void effect_bounds(const outcome *o, double *lo, double *hi) {
    *hi = LOADER_MEASURE_MAX;
    if (o->kind != OUTCOME_CONTINUOUS) {
        if (o->direction == DIRECTION_LOWER_IS_BETTER)
            *hi = (o->scale == EFFECT_RELATIVE) ? 1.0 : o->baseline;
        else if (o->kind == OUTCOME_RATE)
            *hi = (o->scale == EFFECT_RELATIVE)
                      ? fmin((1.0 - o->baseline) / o->baseline, LOADER_MEASURE_MAX)
                      : 1.0 - o->baseline;
    }
    *lo = (o->scale == EFFECT_RELATIVE) ? -10.0 : -LOADER_MEASURE_MAX;
}

/* A measured group at key: {"size": > 0, and "mean" (per person) or
 * "total" (over the group)}, in the outcome's units: people with the event
 * (rate), events (count) or the sum of scores (continuous). *n and *sum
 * receive the size and the total (mean x size). */
static int read_group(ctx *c, const cJSON *obj, const char *key, const outcome *o, double *n,
                      double *sum) {
    static const char *const keys[] = {"size", "mean", "total", NULL};
    const cJSON *v = member(obj, key);
    size_t saved = ctx_push(c, key);
    if (check_object(c, v, keys) || read_positive(c, v, "size", 1, 0, LOADER_PEOPLE_MAX, n))
        return c->err->code;
    int has_mean = member(v, "mean") != NULL, has_total = member(v, "total") != NULL;
    if (has_mean == has_total)
        return fail(c, "expected exactly one of \"mean\" (per person) or \"total\" (over the "
                       "group), found %s",
                    has_mean ? "both" : "neither");
    /* A rate's mean is a share, its total a number of people; a count
     * cannot be negative; a score can be anything within the effect
     * scale's bound (1e9 per person, so 1e9 x size in total). */
    const double X = has_mean ? LOADER_MEASURE_MAX : LOADER_MEASURE_MAX * *n;
    double lo = o->kind == OUTCOME_CONTINUOUS ? -X : 0;
    double hi = o->kind == OUTCOME_RATE ? (has_mean ? 1 : *n) : X;
    double x;
    if (read_number(c, v, has_mean ? "mean" : "total", 1, 0, lo, hi, &x)) return c->err->code;
    *sum = has_mean ? x * *n : x;
    ctx_pop(c, saved);
    return SIB_OK;
}

/* "cohort A" of "s1", "cohort B" of "s2", ...: every cohort of sc. */
static void list_cohorts(const scenario *sc, char *buf, size_t size) {
    size_t len = 0;
    buf[0] = '\0';
    for (size_t s = 0; s < sc->n_stages; s++)
        for (size_t k = 0; k < sc->stages[s].n_cohorts && len + 2 < size; k++)
            len += (size_t)snprintf(buf + len, size - len, "%s\"%s\" of \"%s\"", len ? ", " : "",
                                    sc->stages[s].cohorts[k].name, sc->stages[s].name);
}

/* Resolve a result's "stage" (optional when its cohort's name is unique
 * over all stages) and "cohort" to a stage and a cohort within it. */
static int read_result_cohort(ctx *c, const cJSON *v, const scenario *sc, size_t *s, size_t *k) {
    char cname[SCENARIO_NAME_MAX], sname[SCENARIO_NAME_MAX], list[400];
    if (read_string(c, v, "cohort", NULL, cname, sizeof cname)) return c->err->code;
    if (member(v, "stage") != NULL) {
        if (read_string(c, v, "stage", NULL, sname, sizeof sname)) return c->err->code;
        FIND_NAME(sc->stages, sc->n_stages, sname, *s);
        if (*s == SIZE_MAX) {
            ctx_push(c, "stage");
            LIST_NAMES(sc->stages, sc->n_stages, list);
            return fail(c, "expected the name of a stage (%s), found \"%s\"", list, sname);
        }
        const stage *st = &sc->stages[*s];
        FIND_NAME(st->cohorts, st->n_cohorts, cname, *k);
        if (*k == SIZE_MAX) {
            ctx_push(c, "cohort");
            LIST_NAMES(st->cohorts, st->n_cohorts, list);
            return fail(c, "expected the name of a cohort of stage \"%s\" (%s), found \"%s\"",
                        st->name, list, cname);
        }
        return SIB_OK;
    }
    size_t found = 0, len = 0;
    list[0] = '\0';
    for (size_t i = 0; i < sc->n_stages; i++) {
        size_t j;
        FIND_NAME(sc->stages[i].cohorts, sc->stages[i].n_cohorts, cname, j);
        if (j == SIZE_MAX) continue;
        if (found++ == 0) {
            *s = i;
            *k = j;
        }
        if (len + 2 < sizeof list)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s\"%s\"", len ? ", " : "",
                                    sc->stages[i].name);
    }
    if (found == 1) return SIB_OK;
    if (found > 1) {
        ctx_push(c, "stage");
        return fail(c, "required field is missing: cohort \"%s\" is in stages %s; name the "
                       "stage",
                    cname, list);
    }
    ctx_push(c, "cohort");
    list_cohorts(sc, list, sizeof list);
    return fail(c, "expected the name of a cohort (%s), found \"%s\"", list, cname);
}

/* One measured result (see scenario.h's realised_result), in the units the
 * contract settles on. `treated` (and `comparison`) give the groups as
 * measured; `effect` with `size` gives the measured effect, turned into the
 * groups the engine would have measured it on: a comparison group of the
 * evaluation's size (rct, matched) at the baseline, or the fixed baseline
 * itself (historical, n_c = 1), and a treated group at the baseline moved
 * by the effect. Validated counts have no comparison: only `treated`. */
static int read_result(ctx *c, const cJSON *v, const scenario *sc, realised_result *r) {
    static const char *const keys[] = {"stage",      "cohort", "outcome", "note",        "treated",
                                       "comparison", "effect", "size",    "measurement", NULL};
    char oname[SCENARIO_NAME_MAX], list[300];
    size_t s = 0, k = 0;
    if (check_object(c, v, keys) || read_result_cohort(c, v, sc, &s, &k)) return c->err->code;
    r->cohort = k;
    for (size_t i = 0; i < s; i++) r->cohort += sc->stages[i].n_cohorts;
    r->outcome = 0;
    if (member(v, "outcome") != NULL) {
        if (read_string(c, v, "outcome", NULL, oname, sizeof oname)) return c->err->code;
        FIND_NAME(sc->outcomes, sc->n_outcomes, oname, r->outcome);
        if (r->outcome == SIZE_MAX) {
            ctx_push(c, "outcome");
            LIST_NAMES(sc->outcomes, sc->n_outcomes, list);
            return fail(c, "expected the name of an outcome (%s), found \"%s\"", list, oname);
        }
    } else if (sc->n_outcomes > 1) {
        ctx_push(c, "outcome");
        LIST_NAMES(sc->outcomes, sc->n_outcomes, list);
        return fail(c, "required field is missing: the scenario has several outcomes (%s)", list);
    }
    const cJSON *note = member(v, "note");
    if (note != NULL && !cJSON_IsString(note)) {
        ctx_push(c, "note");
        return fail_expected(c, note, "a string (where the figure comes from)");
    }
    const outcome *o = &sc->outcomes[r->outcome];
    /* Which of the cohort's measurements (0 = the first); only an outcome
     * measured several times has more than one. */
    double m;
    if (read_integer(c, v, "measurement", 0, 0, 0, o->times > 1 ? o->times - 1 : 0, &m))
        return c->err->code;
    r->measurement = (int)m;
    /* The design in force for this cohort at this measurement; an outcome
     * measured by several designs (composite) carries its comparison as a
     * mean over the treated size, as the engine does. */
    const evaluation *ev =
        evaluation_at(scenario_evaluation(sc, s, r->outcome),
                      scenario_measurement_time(sc, s, k, r->outcome, r->measurement));
    const int composite = o->composite || ev->design == EVAL_BLEND || ev->design == EVAL_DID;
    int has_t = member(v, "treated") != NULL, has_c = member(v, "comparison") != NULL;
    int has_e = member(v, "effect") != NULL;
    if (ev->design == EVAL_VALIDATED && (has_c || has_e)) {
        ctx_push(c, has_c ? "comparison" : "effect");
        return fail(c, "outcome \"%s\" is evaluated by validated counts, with no comparison "
                       "group: give \"treated\" (the size and the total or mean of the outcome "
                       "counted)",
                    o->name);
    }
    if (has_t == has_e)
        return fail(c, has_t ? "expected \"treated\" (the groups as measured) or \"effect\" (the "
                               "measured effect, with \"size\"), found both"
                             : "expected \"treated\" (the groups as measured) or \"effect\" (the "
                               "measured effect, with \"size\"), found neither");
    if (has_t) {
        if (member(v, "size") != NULL) {
            ctx_push(c, "size");
            return fail(c, "\"size\" goes with \"effect\"; with \"treated\", give the size "
                           "inside it");
        }
        if (read_group(c, v, "treated", o, &r->n_t, &r->sum_t)) return c->err->code;
        if (has_c) {
            if (read_group(c, v, "comparison", o, &r->n_c, &r->sum_c)) return c->err->code;
        } else if (ev->design != EVAL_HISTORICAL && ev->design != EVAL_VALIDATED) {
            ctx_push(c, "comparison");
            return fail(c, "required field is missing (outcome \"%s\" is measured against a %s)",
                        o->name,
                        ev->design == EVAL_RCT       ? "randomised comparison group"
                        : ev->design == EVAL_MATCHED ? "matched comparison group"
                        : ev->design == EVAL_DID     ? "difference in differences: give the "
                                                       "counterfactual it estimates as a group"
                                                     : "blend of designs: give the comparison "
                                                       "mean it implies as a group");
        } else if (ev->design == EVAL_HISTORICAL) {
            r->n_c = 1; /* the fixed historical baseline, as the engine compares with */
            r->sum_c = o->baseline;
        } else {
            r->n_c = r->sum_c = 0;
        }
        if (composite && r->n_c > 0) { /* a mean over the treated size */
            r->sum_c = r->n_t * (r->sum_c / r->n_c);
            r->n_c = r->n_t;
        }
        return SIB_OK;
    }
    if (has_c) {
        ctx_push(c, "comparison");
        return fail(c, "\"comparison\" goes with \"treated\"; with \"effect\" the comparison "
                       "follows from the evaluation and the baseline");
    }
    double eff, lo, hi;
    effect_bounds(o, &lo, &hi);
    if (read_number(c, v, "effect", 1, 0, -LOADER_MEASURE_MAX, LOADER_MEASURE_MAX, &eff))
        return c->err->code;
    if (eff < lo || eff > hi) {
        ctx_push(c, "effect");
        return fail(c, "expected an effect outcome \"%s\" can take (%s), in [%g, %g] as its "
                       "prior, found %.10g",
                    o->name,
                    o->scale == EFFECT_RELATIVE ? "relative: 0.2 is 20%, 1 all of it"
                                                : "absolute, in the outcome's units",
                    lo, hi, eff);
    }
    if (read_positive(c, v, "size", 1, 0, LOADER_PEOPLE_MAX, &r->n_t)) return c->err->code;
    r->sum_t = effect_mean(o, eff) * r->n_t;
    if (composite) { /* the baseline as a mean over the treated size */
        r->n_c = r->n_t;
        r->sum_c = o->baseline * r->n_t;
    } else if (ev->design == EVAL_HISTORICAL) {
        r->n_c = 1;
        r->sum_c = o->baseline;
    } else {
        r->n_c = ev->comparison_size > 0 ? ev->comparison_size
                                         : fmax(round(ev->comparison_ratio * r->n_t), 1.0);
        r->sum_c = o->baseline * r->n_c;
    }
    return SIB_OK;
}

/* The record's "stages": the names of the stages that ran, each once; a
 * stage runs only after every earlier one. */
static int read_realised_stages(ctx *c, const cJSON *v, const scenario *sc, realised *rec) {
    const cJSON *arr;
    size_t n;
    char list[300];
    if (read_array(c, v, "stages", 0, &arr, &n)) return c->err->code;
    if (arr == NULL) return SIB_OK;
    size_t s1 = ctx_push(c, "stages");
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        size_t s2 = ctx_push_index(c, i), s;
        if (!cJSON_IsString(it)) return fail_expected(c, it, "the name of a stage");
        FIND_NAME(sc->stages, sc->n_stages, it->valuestring, s);
        if (s == SIZE_MAX) {
            LIST_NAMES(sc->stages, sc->n_stages, list);
            return fail(c, "expected the name of a stage (%s), found \"%s\"", list,
                        it->valuestring);
        }
        if (rec->stage_ran[s]) return fail(c, "stage \"%s\" is listed twice", it->valuestring);
        rec->stage_ran[s] = true;
        ctx_pop(c, s2);
    }
    i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        size_t s;
        FIND_NAME(sc->stages, sc->n_stages, it->valuestring, s);
        for (size_t e = 0; e < s; e++)
            if (!rec->stage_ran[e]) {
                ctx_push_index(c, i);
                return fail(c, "stage \"%s\" cannot have run without the earlier stage \"%s\" "
                               "(stages run in order): list it too",
                            sc->stages[s].name, sc->stages[e].name);
            }
    }
    ctx_pop(c, s1);
    return SIB_OK;
}

/* The listed stages that ran (the record's "stages", read into rec) each
 * start before the record's stop: the engine runs no stage that starts at
 * or after it (sim/path.c), so a stage listed that does is a contradiction
 * in the record, refused at its entry in the list. base is the length of
 * the record's own pointer ("/realised", or "" in a file of its own). */
static int check_stages_before_stop(ctx *c, const cJSON *v, const scenario *sc,
                                    const realised *rec, size_t base) {
    const cJSON *arr = member(v, "stages");
    size_t i = 0;
    for (const cJSON *it = arr ? arr->child : NULL; it; it = it->next, i++) {
        size_t s;
        FIND_NAME(sc->stages, sc->n_stages, it->valuestring, s);
        if (sc->stages[s].start < rec->stopped) continue;
        size_t saved = ctx_push(c, "stages");
        ctx_push_index(c, i);
        int rc = fail(c, "expected a stage that started before the programme stopped at %g "
                         "years (%.*s/stopped), found \"%s\", which starts at %g years: it "
                         "cannot have run",
                      rec->stopped, (int)base, c->ptr, sc->stages[s].name, sc->stages[s].start);
        ctx_pop(c, saved);
        return rc;
    }
    return SIB_OK;
}

/* Copy text for people into buf (size bytes): whole when it fits, else cut
 * where a word ends (at a character's start when no word ends in the
 * second half of what fits) and followed by "...", so that a cut never
 * splits a UTF-8 character, never shortens a number into another one, and
 * shows that it was made. */
static void copy_text(char *buf, size_t size, const char *s) {
    size_t len = strlen(s);
    if (len < size) {
        memcpy(buf, s, len + 1);
        return;
    }
    size_t keep = size - 4; /* room for "..." and the terminator */
    while (keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80) keep--; /* s[keep] starts one */
    size_t at = keep;
    while (at > keep / 2 && s[at] != ' ') at--;
    if (s[at] == ' ') keep = at;
    while (keep > 0 && s[keep - 1] == ' ') keep--;
    memcpy(buf, s, keep);
    memcpy(buf + keep, "...", 4);
}

/* One figure the record reports (see scenario.h's realised_figure). */
static int read_figure(ctx *c, const cJSON *v, realised_figure *f) {
    static const char *const keys[] = {"what",  "metric",    "flow",  "by",
                                       "value", "tolerance", "range", "source", NULL};
    if (check_object(c, v, keys)) return c->err->code;
    const cJSON *w = member(v, "what");
    size_t saved = ctx_push(c, "what");
    if (w == NULL) return fail(c, "required field is missing");
    if (!cJSON_IsString(w) || w->valuestring[0] == '\0')
        return fail_expected(c, w, "a non-empty string");
    size_t at;
    unsigned cp;
    if (text_control(w->valuestring, 0, &at, &cp)) return fail_control(c, "a string", 0, at, cp);
    /* Text for people: cut to the buffer rather than refused. */
    copy_text(f->what, sizeof f->what, w->valuestring);
    ctx_pop(c, saved);
    int has_m = member(v, "metric") != NULL;
    f->is_flow = member(v, "flow") != NULL;
    if (has_m == f->is_flow)
        return fail(c, "expected exactly one of \"metric\" (GROUP/KEY of a metric of one "
                       "future, as `cashflows --format csv` names it in section metric) or "
                       "\"flow\" (GROUP/KEY of a ledger line, as it names it in section line), "
                       "found %s",
                    has_m ? "both" : "neither");
    const char *key = f->is_flow ? "flow" : "metric";
    const cJSON *m = member(v, key);
    saved = ctx_push(c, key);
    const char *slash = cJSON_IsString(m) ? strchr(m->valuestring, '/') : NULL;
    if (slash == NULL || slash == m->valuestring || slash[1] == '\0')
        return fail_expected(c, m, "\"GROUP/KEY\" (a group and a key joined by '/')");
    if (strlen(m->valuestring) >= sizeof f->name)
        return fail_expected(c, m, "a GROUP/KEY of at most %zu characters", sizeof f->name - 1);
    if (text_control(m->valuestring, 0, &at, &cp)) return fail_control(c, "a GROUP/KEY", 0, at, cp);
    snprintf(f->name, sizeof f->name, "%s", m->valuestring);
    ctx_pop(c, saved);
    f->has_by = member(v, "by") != NULL;
    if (f->has_by && !f->is_flow) {
        ctx_push(c, "by");
        return fail(c, "\"by\" goes only with \"flow\" (a ledger line's total up to that date)");
    }
    if (read_time(c, v, "by", 0, 0, 0, LOADER_TIME_MAX, &f->by) ||
        read_number(c, v, "value", 1, 0, -LOADER_MONEY_MAX, LOADER_MONEY_MAX, &f->value))
        return c->err->code;
    int has_tol = member(v, "tolerance") != NULL, has_range = member(v, "range") != NULL;
    if (!has_tol && !has_range)
        return fail(c, "a reported figure is rounded: give \"tolerance\" (value +- tolerance) or "
                       "\"range\" ([lo, hi])");
    if (has_tol && has_range)
        return fail(c, "expected one of \"tolerance\" or \"range\", found both");
    if (has_tol) {
        double tol;
        if (read_number(c, v, "tolerance", 1, 0, 0, LOADER_MONEY_MAX, &tol)) return c->err->code;
        f->lo = f->value - tol;
        f->hi = f->value + tol;
    } else {
        const cJSON *r = member(v, "range");
        const cJSON *lo = cJSON_GetArrayItem(r, 0), *hi = cJSON_GetArrayItem(r, 1);
        saved = ctx_push(c, "range");
        if (!cJSON_IsArray(r) || cJSON_GetArraySize(r) != 2)
            return fail_expected(c, r, "[lo, hi]: two numbers in [%g, %g] with lo <= hi",
                                 -LOADER_MONEY_MAX, LOADER_MONEY_MAX);
        for (int i = 0; i < 2; i++) {
            const cJSON *x = i ? hi : lo;
            if (!cJSON_IsNumber(x) || !(fabs(x->valuedouble) <= LOADER_MONEY_MAX)) {
                ctx_push_index(c, (size_t)i);
                return fail_expected(c, x, "a number in [%g, %g]", -LOADER_MONEY_MAX,
                                     LOADER_MONEY_MAX);
            }
        }
        if (lo->valuedouble > hi->valuedouble)
            return fail(c, "expected lo <= hi, found [%.10g, %.10g]", lo->valuedouble,
                        hi->valuedouble);
        /* The value reported reproduces itself: a range without it is a slip. */
        if (!(f->value >= lo->valuedouble && f->value <= hi->valuedouble))
            return fail(c, "expected a range that holds the reported value %.10g, found "
                           "[%.10g, %.10g]",
                        f->value, lo->valuedouble, hi->valuedouble);
        ctx_pop(c, saved);
        f->lo = lo->valuedouble;
        f->hi = hi->valuedouble;
    }
    const cJSON *src = member(v, "source");
    if (src != NULL) {
        if (!cJSON_IsString(src)) {
            ctx_push(c, "source");
            return fail_expected(c, src, "a string");
        }
        if (text_control(src->valuestring, 0, &at, &cp)) {
            ctx_push(c, "source");
            return fail_control(c, "a string", 0, at, cp);
        }
        copy_text(f->source, sizeof f->source, src->valuestring);
    }
    return SIB_OK;
}

/* Read a realised record (the object v, at the current pointer) against
 * sc's stages, cohorts and outcomes into rec, which must be empty. On error
 * rec may hold part of the record: the caller frees it (realised_clear, or
 * scenario_free for a scenario's own record). */
int read_realised(ctx *c, const cJSON *v, const scenario *sc, realised *rec) {
    static const char *const keys[] = {"description", "sources", "stages", "stopped",
                                       "results",     "reported", NULL};
    const size_t base = c->len; /* the record's own pointer: "/realised", or "" in a file */
    rec->stopped = HUGE_VAL;
    if (check_object(c, v, keys) ||
        read_string_dup(c, v, "description", "", &rec->description))
        return c->err->code;
    const cJSON *arr;
    size_t n;
    if (read_array(c, v, "sources", 0, &arr, &n)) return c->err->code;
    if (arr != NULL) {
        rec->sources = xcalloc(c, n, sizeof *rec->sources);
        if (rec->sources == NULL) return SIB_ENOMEM;
        rec->n_sources = n;
        size_t s1 = ctx_push(c, "sources"), i = 0;
        for (const cJSON *it = arr->child; it; it = it->next, i++) {
            size_t s2 = ctx_push_index(c, i);
            if (!cJSON_IsString(it) || it->valuestring[0] == '\0')
                return fail_expected(c, it, "a non-empty string");
            size_t at;
            unsigned cp;
            if (text_control(it->valuestring, 0, &at, &cp))
                return fail_control(c, "a string", 0, at, cp);
            if ((rec->sources[i] = strdup(it->valuestring)) == NULL)
                return sib_error_set(c->err, SIB_ENOMEM, c->ptr, "out of memory");
            ctx_pop(c, s2);
        }
        ctx_pop(c, s1);
    }
    rec->stage_ran = xcalloc(c, sc->n_stages, sizeof *rec->stage_ran);
    if (rec->stage_ran == NULL) return SIB_ENOMEM;
    int listed = member(v, "stages") != NULL;
    if (read_realised_stages(c, v, sc, rec) ||
        read_time(c, v, "stopped", 0, HUGE_VAL, 0, LOADER_TIME_MAX, &rec->stopped) ||
        (listed && check_stages_before_stop(c, v, sc, rec, base)))
        return c->err->code;

    const cJSON *res = member(v, "results");
    size_t s1 = ctx_push(c, "results");
    if (res == NULL) return fail(c, "required field is missing");
    if (!cJSON_IsArray(res)) return fail_expected(c, res, "an array of results (it may be empty)");
    n = (size_t)cJSON_GetArraySize(res);
    rec->results = xcalloc(c, n, sizeof *rec->results);
    if (rec->results == NULL) return SIB_ENOMEM;
    size_t last = SIZE_MAX, i = 0; /* the last stage with a result */
    for (const cJSON *it = res->child; it; it = it->next, i++) {
        realised_result *r = &rec->results[i];
        size_t s2 = ctx_push_index(c, i);
        if (read_result(c, it, sc, r)) return c->err->code;
        rec->n_results = i + 1;
        size_t s = 0, k = r->cohort;
        while (k >= sc->stages[s].n_cohorts) k -= sc->stages[s++].n_cohorts;
        const char *cname = sc->stages[s].cohorts[k].name, *sname = sc->stages[s].name;
        if (listed && !rec->stage_ran[s]) {
            ctx_push(c, "cohort");
            return fail(c, "cohort \"%s\" is of stage \"%s\", which did not run (it is not in "
                           "%.*s/stages)",
                        cname, sname, (int)base, c->ptr);
        }
        /* Nobody enters the programme at or after its stop (the engine's
         * cohort_size): such a cohort was never there to be measured. A
         * cohort enters within its stage, so this holds a stage that starts
         * at or after the stop too (listed, its stage is refused above). */
        const cohort *co = &sc->stages[s].cohorts[k];
        if (co->entry >= rec->stopped) {
            ctx_push(c, "cohort");
            if (sc->stages[s].start >= rec->stopped)
                return fail(c, "expected a cohort that entered before the programme stopped at "
                               "%g years (%.*s/stopped), found \"%s\" of stage \"%s\", which "
                               "starts at %g years: it cannot have run, nor been measured",
                            rec->stopped, (int)base, c->ptr, cname, sname, sc->stages[s].start);
            return fail(c, "expected a cohort that entered before the programme stopped at %g "
                           "years (%.*s/stopped), found \"%s\" of stage \"%s\", which enters "
                           "at %g years: nobody was enrolled in it to be measured",
                        rec->stopped, (int)base, c->ptr, cname, sname, co->entry);
        }
        for (size_t j = 0; j < i; j++)
            if (rec->results[j].cohort == r->cohort && rec->results[j].outcome == r->outcome &&
                rec->results[j].measurement == r->measurement) {
                if (sc->outcomes[r->outcome].times > 1)
                    return fail(c,
                                "measurement %d of cohort \"%s\" of stage \"%s\" on outcome "
                                "\"%s\" is already given by %.*s/%zu",
                                r->measurement, cname, sname, sc->outcomes[r->outcome].name,
                                (int)s2, c->ptr, j);
                return fail(c, "cohort \"%s\" of stage \"%s\" on outcome \"%s\" is already given "
                               "by %.*s/%zu",
                            cname, sname, sc->outcomes[r->outcome].name, (int)s2, c->ptr, j);
            }
        if (last == SIZE_MAX || s > last) last = s;
        ctx_pop(c, s2);
    }
    ctx_pop(c, s1);
    /* Stages run in order: by default, every stage up to the last one
     * that has a result ran. */
    if (!listed)
        for (size_t s = 0; last != SIZE_MAX && s <= last; s++) rec->stage_ran[s] = true;

    if (read_array(c, v, "reported", 0, &arr, &n)) return c->err->code;
    if (arr != NULL) {
        rec->reported = xcalloc(c, n, sizeof *rec->reported);
        if (rec->reported == NULL) return SIB_ENOMEM;
        rec->n_reported = n;
        s1 = ctx_push(c, "reported");
        i = 0;
        for (const cJSON *it = arr->child; it; it = it->next, i++) {
            size_t s2 = ctx_push_index(c, i);
            if (read_figure(c, it, &rec->reported[i])) return c->err->code;
            ctx_pop(c, s2);
        }
        ctx_pop(c, s1);
    }
    rec->present = true;
    return SIB_OK;
}

