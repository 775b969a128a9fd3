/* loader.c -- JSON scenario text to a validated, compiled scenario.
 *
 * The public entry points (scenario.h's scenario_load_*) and the scenario's
 * own fields: the top level, simulation settings, stages and their gates,
 * outcomes and their evaluations, and correlations. The text is parsed
 * (model/json_check.c places a syntax error), the tree is walked with a JSON
 * Pointer that always names the field being read, every field is checked
 * (type, range, cross references, no unknown or duplicate keys) and copied
 * into the plain structs of scenario.h. The first error stops the walk and
 * is reported with the pointer, what was expected and what was found; a
 * syntax error is reported with its line and column instead.
 *
 * The other sections are read by loader_contract.c, loader_financing.c and
 * loader_realised.c (named cases and the realised record), with the typed
 * field readers of loader_read.c; loader_internal.h lists what they share.
 * cJSON is known only to these files, json_check.c, json_pointer.c and
 * document.c.
 *
 * The format is documented field by field in docs/scenario-format.md; the
 * tables of allowed keys in these files are the authority the documentation
 * follows.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "loader_internal.h"

/* ------------------------------------------------------------- simulation */

static int read_simulation(ctx *c, const cJSON *root, sim_settings *s) {
    static const char *const keys[] = {"paths", "seed", "rng", "periods_per_year",
                                       "discount_rate", NULL};
    s->paths = 100000;
    s->seed = 1;
    snprintf(s->rng, sizeof s->rng, "mt19937");
    s->periods_per_year = 4;
    s->discount_rate = 0.035;
    const cJSON *v = member(root, "simulation");
    if (v == NULL) return SIB_OK;
    size_t saved = ctx_push(c, "simulation");
    double paths, seed, ppy;
    if (check_object(c, v, keys) || read_integer(c, v, "paths", 0, 100000, 1, 1e12, &paths) ||
        read_integer(c, v, "seed", 0, 1, 0, 9007199254740992.0, &seed) ||
        read_string(c, v, "rng", "mt19937", s->rng, sizeof s->rng) ||
        read_integer(c, v, "periods_per_year", 0, 4, 1, 366, &ppy) ||
        read_number(c, v, "discount_rate", 0, 0.035, -0.1, 1.0, &s->discount_rate))
        return c->err->code;
    s->paths = (uint64_t)paths;
    s->seed = (uint64_t)seed;
    s->periods_per_year = (int)ppy;
    ctx_pop(c, saved);
    return SIB_OK;
}

/* ---------------------------------------------------------------- stages */

static int read_stage_evaluations(ctx *c, const cJSON *v, scenario *sc, stage *st);

static int read_cohort(ctx *c, const cJSON *v, const stage *st, size_t index, cohort *co) {
    static const char *const keys[] = {"name", "size", "entry", "enrolment", NULL};
    char def[SCENARIO_NAME_MAX];
    snprintf(def, sizeof def, "cohort %zu", index + 1);
    if (check_object(c, v, keys) || read_string(c, v, "name", def, co->name, sizeof co->name) ||
        read_integer(c, v, "size", 1, 0, 1, 1e9, &co->size) ||
        read_time(c, v, "entry", 0, st->start, st->start, st->start + st->duration,
                    &co->entry) ||
        read_time(c, v, "enrolment", 0, 0, 0, st->start + st->duration - co->entry,
                    &co->enrolment))
        return c->err->code;
    return SIB_OK;
}

/* Read the gate of stage s (s > 0): {"after"?, "outcome"?, "min_effect"?,
 * "probability"?}. Needs the outcomes already read. */
static int read_gate(ctx *c, const cJSON *v, scenario *sc, size_t s) {
    static const char *const keys[] = {"after", "outcome", "min_effect", "min_paid",
                                       "probability", NULL};
    stage *st = &sc->stages[s];
    gate *g = &st->gate;
    const cJSON *gv = member(v, "gate");
    g->present = false;
    g->outcome = SIZE_MAX;
    g->probability = 1;
    if (gv == NULL) return SIB_OK;
    size_t saved = ctx_push(c, "gate");
    if (s == 0) return fail(c, "the first stage cannot have a gate (there are no earlier results)");
    if (check_object(c, gv, keys)) return c->err->code;
    g->present = true;
    g->stage = s - 1;
    char name[SCENARIO_NAME_MAX], list[300];
    if (member(gv, "after") != NULL) {
        if (read_string(c, gv, "after", NULL, name, sizeof name)) return c->err->code;
        FIND_NAME(sc->stages, s, name, g->stage);
        if (g->stage == SIZE_MAX) {
            ctx_push(c, "after");
            LIST_NAMES(sc->stages, s, list);
            return fail(c, "expected the name of an earlier stage (%s), found \"%s\"", list, name);
        }
    }
    if (member(gv, "outcome") != NULL || member(gv, "min_effect") != NULL) {
        if (read_string(c, gv, "outcome", NULL, name, sizeof name)) return c->err->code;
        FIND_NAME(sc->outcomes, sc->n_outcomes, name, g->outcome);
        if (g->outcome == SIZE_MAX) {
            ctx_push(c, "outcome");
            LIST_NAMES(sc->outcomes, sc->n_outcomes, list);
            return fail(c, "expected the name of an outcome (%s), found \"%s\"", list, name);
        }
        if (read_number(c, gv, "min_effect", 1, 0, -LOADER_MEASURE_MAX, LOADER_MEASURE_MAX,
                        &g->min_effect))
            return c->err->code;
        /* The rule is on results measured by the time the stage would start. */
        const stage *after = &sc->stages[g->stage];
        double known = 0;
        for (size_t k = 0; k < after->n_cohorts; k++)
            known = fmax(known, scenario_measure_time(sc, g->stage, k, g->outcome));
        if (known > st->start + 1e-9) {
            ctx_push(c, "outcome");
            return fail(c, "the gate needs \"%s\" results of stage \"%s\", measured at %g years, "
                           "but this stage starts at %g",
                        name, after->name, known, st->start);
        }
    }
    g->has_min_paid = member(gv, "min_paid") != NULL;
    if (read_number(c, gv, "min_paid", 0, 0, 0, LOADER_MONEY_MAX, &g->min_paid) ||
        read_number(c, gv, "probability", 0, 1, 0, 1, &g->probability))
        return c->err->code;
    if (g->has_min_paid) {
        /* Payments count only if made by this stage's start, so the gating
         * stage's cohorts must be measured, on every outcome, by then. */
        const stage *after = &sc->stages[g->stage];
        double known = 0;
        for (size_t k = 0; k < after->n_cohorts; k++)
            for (size_t o = 0; o < sc->n_outcomes; o++)
                known = fmax(known, scenario_measure_time(sc, g->stage, k, o));
        if (known > st->start + 1e-9) {
            ctx_push(c, "min_paid");
            return fail(c, "the gate needs payments for stage \"%s\", whose cohorts are "
                           "measured by %g years, but this stage starts at %g",
                        after->name, known, st->start);
        }
    }
    ctx_pop(c, saved);
    return SIB_OK;
}

static int read_stage(ctx *c, const cJSON *v, scenario *sc, size_t s) {
    static const char *const keys[] = {
        "name",       "start", "duration",          "costs",          "cohorts",    "volume",
        "engagement", "gate",  "effect_multiplier", "failure_hazard", "evaluation", NULL};
    static const char *const cost_keys[] = {"setup", "fixed_per_year", "per_participant",
                                            "overrun", NULL};
    stage *st = &sc->stages[s];
    if (check_object(c, v, keys) || read_string(c, v, "name", NULL, st->name, sizeof st->name) ||
        read_time(c, v, "start", 0, 0, 0, 200, &st->start) ||
        read_positive(c, v, "duration", 1, 0, 100, &st->duration))
        return c->err->code;
    const cJSON *costs = member(v, "costs");
    set_fixed(&st->overrun, 1);
    if (costs != NULL) {
        size_t saved = ctx_push(c, "costs");
        if (check_object(c, costs, cost_keys) ||
            read_number(c, costs, "setup", 0, 0, 0, LOADER_MONEY_MAX, &st->setup_cost) ||
            read_number(c, costs, "fixed_per_year", 0, 0, 0, LOADER_MONEY_MAX,
                        &st->fixed_per_year) ||
            read_number(c, costs, "per_participant", 0, 0, 0, LOADER_MONEY_MAX,
                        &st->per_participant) ||
            read_prior(c, costs, "overrun", &st->overrun, 0, 100, 0, 1))
            return c->err->code;
        ctx_pop(c, saved);
    }
    if (read_prior(c, v, "volume", &st->volume, 0, 10, 0, 1) ||
        read_prior(c, v, "engagement", &st->engagement, 0, 1, 0, 1) ||
        read_prior(c, v, "effect_multiplier", &st->effect_multiplier, -10, 10, 0, 1) ||
        read_number(c, v, "failure_hazard", 0, 0, 0, 100, &st->failure_hazard))
        return c->err->code;
    const cJSON *arr;
    if (read_array(c, v, "cohorts", 1, &arr, &st->n_cohorts)) return c->err->code;
    st->cohorts = xcalloc(c, st->n_cohorts, sizeof *st->cohorts);
    if (st->cohorts == NULL) return SIB_ENOMEM;
    size_t saved = ctx_push(c, "cohorts");
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        size_t s2 = ctx_push_index(c, i);
        if (read_cohort(c, it, st, i, &st->cohorts[i])) return c->err->code;
        for (size_t j = 0; j < i; j++)
            if (strcmp(st->cohorts[j].name, st->cohorts[i].name) == 0) {
                ctx_push(c, "name");
                /* c->ptr up to s2 is this stage's ".../cohorts". */
                return fail(c, "duplicate cohort name \"%s\" (also %.*s/%zu)",
                            st->cohorts[i].name, (int)s2, c->ptr, j);
            }
        ctx_pop(c, s2);
    }
    ctx_pop(c, saved);
    if (read_stage_evaluations(c, v, sc, st)) return c->err->code;
    return read_gate(c, v, sc, s);
}

/* --------------------------------------------------------------- outcomes */

static const char *const kind_names[] = {"rate", "count", "continuous", NULL};
static const char *const direction_names[] = {"lower_is_better", "higher_is_better", NULL};
static const char *const scale_names[] = {"relative", "absolute", NULL};
static const char *const design_names[] = {
    "rct", "matched", "historical", "validated_count", "difference_in_differences", NULL};

/* Where an evaluation object stands, which decides what it may hold: an
 * outcome's own and a stage's may switch; a switch's design may not; a
 * blend's member is a plain design with a weight. */
typedef enum {
    EV_OUTCOME, /* /outcomes/N/evaluation */
    EV_STAGE,   /* /stages/N/evaluation/OUTCOME */
    EV_SWITCH,  /* .../switch/to */
    EV_MEMBER   /* .../blend/N */
} ev_level;

/* Whether ev (with its switch's design) measures outcomes achieved with no
 * comparison (1), compares (0), or both (-1). A blend always compares. */
static int counts_only(const evaluation *ev) {
    int here = ev->design == EVAL_VALIDATED;
    if (!ev->has_switch) return here;
    int there = ev->switch_to->design == EVAL_VALIDATED;
    return here == there ? here : -1;
}

static int read_evaluation_object(ctx *c, const cJSON *v, evaluation *ev, ev_level level);

/* One plain design (everything but a blend) at the current pointer, whose
 * "design" has been read. A member of a blend also takes its "weight"; an
 * outcome's or a stage's evaluation its "switch" (read by the caller). */
static int read_plain_design(ctx *c, const cJSON *v, evaluation *ev, ev_level level) {
    /* The keys of each design; the last two slots take "weight" or "switch". */
    static const char *const k_group[] = {"design", "comparison_size", "comparison_ratio",
                                          "clusters", "bias", NULL};
    static const char *const k_did[] = {"design",   "comparison_size", "comparison_ratio",
                                        "clusters", "deviation",       NULL};
    static const char *const k_hist[] = {"design", "trend", "volatility", NULL};
    static const char *const k_valid[] = {"design", NULL};
    static const char *const k_clusters[] = {"size", "icc", NULL};
    const char *const *base = ev->design == EVAL_HISTORICAL  ? k_hist
                              : ev->design == EVAL_VALIDATED ? k_valid
                              : ev->design == EVAL_DID       ? k_did
                                                             : k_group;
    const char *keys[8];
    size_t nk = 0;
    for (const char *const *k = base; *k; k++) keys[nk++] = *k;
    if (level == EV_MEMBER) keys[nk++] = "weight";
    if (level == EV_OUTCOME || level == EV_STAGE) keys[nk++] = "switch";
    keys[nk] = NULL;
    if (check_object(c, v, keys)) return c->err->code;
    if (level == EV_MEMBER && read_positive(c, v, "weight", 1, 0, 1, &ev->weight))
        return c->err->code;
    if (ev->design == EVAL_HISTORICAL) {
        if (level != EV_OUTCOME &&
            (member(v, "trend") != NULL || member(v, "volatility") != NULL)) {
            ctx_push(c, member(v, "trend") != NULL ? "trend" : "volatility");
            return fail(c, "\"trend\" and \"volatility\" say how the outcome's true counterfactual "
                           "drifts, one drift per outcome: give them on the outcome's own "
                           "historical design; here the historical baseline is fixed");
        }
        if (read_prior(c, v, "trend", &ev->trend, -1, 1, 0, 0) ||
            read_number(c, v, "volatility", 0, 0, 0, 1, &ev->volatility))
            return c->err->code;
        return SIB_OK;
    }
    if (ev->design == EVAL_VALIDATED) {
        if (level == EV_MEMBER) {
            ctx_push(c, "design");
            return fail(c, "expected a design that estimates an effect (\"rct\", \"matched\", "
                           "\"historical\", \"difference_in_differences\"), found "
                           "\"validated_count\": a blend weights effects, and validated counts "
                           "estimate none");
        }
        return SIB_OK;
    }
    const cJSON *size = member(v, "comparison_size"), *ratio = member(v, "comparison_ratio");
    if ((size == NULL) == (ratio == NULL))
        return fail(c, "expected exactly one of \"comparison_size\" (people per cohort) or "
                       "\"comparison_ratio\" (comparison people per treated person), found %s",
                    size ? "both" : "neither");
    if (size ? read_integer(c, v, "comparison_size", 1, 0, 1, 1e9, &ev->comparison_size)
             : read_positive(c, v, "comparison_ratio", 1, 0, 100, &ev->comparison_ratio))
        return c->err->code;
    if (member(v, "bias") != NULL && ev->design != EVAL_MATCHED) {
        ctx_push(c, "bias");
        return fail(c, "\"bias\" applies only to design \"matched\" (a randomised comparison "
                       "group is unbiased)");
    }
    if (read_prior(c, v, "bias", &ev->bias, -0.99, 10, 0, 0) ||
        read_prior(c, v, "deviation", &ev->deviation, -0.99, 10, 0, 0))
        return c->err->code;
    const cJSON *cl = member(v, "clusters");
    if (cl != NULL) {
        size_t s2 = ctx_push(c, "clusters");
        if (level == EV_MEMBER)
            return fail(c, "a blend's designs share one treated group, drawn without clusters: "
                           "clusters cannot be given per design (use one clustered design)");
        if (check_object(c, cl, k_clusters) ||
            read_integer(c, cl, "size", 1, 0, 1, 1e6, &ev->cluster_size) ||
            read_number(c, cl, "icc", 1, 0, 0, 1, &ev->icc))
            return c->err->code;
        ctx_pop(c, s2);
    }
    return SIB_OK;
}

/* "blend": [{"weight": w, <design>}, ...] at the current pointer (the
 * evaluation object v): two or more plain designs whose weights sum to 1. */
static int read_blend(ctx *c, const cJSON *v, evaluation *ev) {
    const cJSON *arr;
    size_t n;
    if (read_array(c, v, "blend", 1, &arr, &n)) return c->err->code;
    size_t s1 = ctx_push(c, "blend");
    if (n < 2) return fail_expected(c, arr, "two or more designs to weight together");
    if (n > EVAL_BLEND_MAX) return fail_expected(c, arr, "at most %d designs", EVAL_BLEND_MAX);
    ev->design = EVAL_BLEND;
    ev->blend = xcalloc(c, n, sizeof *ev->blend);
    if (ev->blend == NULL) return SIB_ENOMEM;
    ev->n_blend = n;
    double sum = 0;
    char terms[200] = "";
    size_t len = 0, i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        size_t s2 = ctx_push_index(c, i);
        if (read_evaluation_object(c, it, &ev->blend[i], EV_MEMBER)) return c->err->code;
        sum += ev->blend[i].weight;
        if (len + 2 < sizeof terms)
            len += (size_t)snprintf(terms + len, sizeof terms - len, "%s%g", i ? " + " : "",
                                    ev->blend[i].weight);
        ctx_pop(c, s2);
    }
    if (fabs(sum - 1) > 1e-9)
        return fail(c, "expected weights that add up to 1, found %s = %.10g", terms, sum);
    ctx_pop(c, s1);
    return SIB_OK;
}

/* An evaluation object v at the current pointer: one design ("design") or
 * a blend ("blend"), with a "switch" to another where level allows it. */
static int read_evaluation_object(ctx *c, const cJSON *v, evaluation *ev, ev_level level) {
    set_fixed(&ev->bias, 0);
    set_fixed(&ev->trend, 0);
    set_fixed(&ev->deviation, 0);
    if (!cJSON_IsObject(v)) return fail_expected(c, v, "an object");
    const cJSON *bl = member(v, "blend");
    if (bl != NULL && level != EV_MEMBER) {
        if (member(v, "design") != NULL)
            return fail(c, "expected \"design\" (one design) or \"blend\" (designs weighted "
                           "together), found both");
        static const char *const k_blend[] = {"blend", "switch", NULL};
        static const char *const k_blend_to[] = {"blend", NULL};
        if (check_object(c, v, level == EV_SWITCH ? k_blend_to : k_blend) || read_blend(c, v, ev))
            return c->err->code;
    } else {
        int design;
        if (read_enum(c, v, "design", design_names, -1, &design)) return c->err->code;
        ev->design = (eval_design)design;
        if (read_plain_design(c, v, ev, level)) return c->err->code;
    }
    const cJSON *sw = member(v, "switch");
    if (sw == NULL) return SIB_OK;
    static const char *const k_switch[] = {"at", "to", NULL};
    size_t s1 = ctx_push(c, "switch");
    if (check_object(c, sw, k_switch) ||
        read_time(c, sw, "at", 1, 0, 0, LOADER_TIME_MAX, &ev->switch_at))
        return c->err->code;
    const cJSON *to = member(sw, "to");
    size_t s2 = ctx_push(c, "to");
    if (to == NULL) return fail(c, "required field is missing");
    ev->switch_to = xcalloc(c, 1, sizeof *ev->switch_to);
    if (ev->switch_to == NULL) return SIB_ENOMEM;
    ev->has_switch = true;
    if (read_evaluation_object(c, to, ev->switch_to, EV_SWITCH)) return c->err->code;
    if (counts_only(ev) < 0) {
        ctx_push(c, "design");
        return fail(c,
                    "expected %s, as before the switch, found %s: one outcome is measured "
                    "one way; use two outcomes",
                    ev->design == EVAL_VALIDATED ? "validated counts (outcomes achieved)"
                                                 : "a design that compares",
                    ev->design == EVAL_VALIDATED ? "a design that compares"
                                                 : "validated counts (outcomes achieved)");
    }
    ctx_pop(c, s2);
    ctx_pop(c, s1);
    return SIB_OK;
}

static int read_evaluation(ctx *c, const cJSON *o, evaluation *ev) {
    const cJSON *v = member(o, "evaluation");
    size_t saved = ctx_push(c, "evaluation");
    if (v == NULL) return fail(c, "required field is missing");
    if (read_evaluation_object(c, v, ev, EV_OUTCOME)) return c->err->code;
    ctx_pop(c, saved);
    return SIB_OK;
}

/* The stage's own evaluation of some outcomes: "evaluation": {OUTCOME:
 * <evaluation>, ...}. Each must measure as the outcome's own does (both
 * count outcomes achieved, or both compare), and makes the outcome
 * composite: measured by more than one design. */
static int read_stage_evaluations(ctx *c, const cJSON *v, scenario *sc, stage *st) {
    const cJSON *ov = member(v, "evaluation");
    if (ov == NULL) return SIB_OK;
    size_t s1 = ctx_push(c, "evaluation");
    if (!cJSON_IsObject(ov)) return fail_expected(c, ov, "an object of outcome name: evaluation");
    st->evals = xcalloc(c, sc->n_outcomes, sizeof *st->evals);
    st->eval_given = xcalloc(c, sc->n_outcomes, sizeof *st->eval_given);
    if (st->evals == NULL || st->eval_given == NULL) return SIB_ENOMEM;
    for (const cJSON *it = ov->child; it; it = it->next) {
        size_t o;
        size_t s2 = ctx_push(c, it->string);
        for (const cJSON *prev = ov->child; prev != it; prev = prev->next)
            if (strcmp(prev->string, it->string) == 0)
                return fail(c, "duplicate field \"%s\"", it->string);
        FIND_NAME(sc->outcomes, sc->n_outcomes, it->string, o);
        if (o == SIZE_MAX) {
            char list[300];
            LIST_NAMES(sc->outcomes, sc->n_outcomes, list);
            return fail(c, "expected the name of an outcome (%s), found \"%s\"", list, it->string);
        }
        st->eval_given[o] = 1;
        if (read_evaluation_object(c, it, &st->evals[o], EV_STAGE)) return c->err->code;
        outcome *oc = &sc->outcomes[o];
        int mine = counts_only(&st->evals[o]), its = counts_only(&oc->eval);
        if (mine != its) {
            ctx_push(c, "design");
            return fail(
                c,
                "expected %s, as outcome \"%s\"'s own evaluation, found %s: one "
                "outcome is measured one way; use another outcome for this stage",
                its == 1 ? "validated counts (outcomes achieved)" : "a design that compares",
                oc->name,
                its == 1 ? "a design that compares" : "validated counts (outcomes achieved)");
        }
        oc->composite = true;
        ctx_pop(c, s2);
    }
    ctx_pop(c, s1);
    return SIB_OK;
}

/* "measured": {"times": M, "every": years, "correlation": rho}: M
 * measurements of each cohort, the m-th at observation_lag + m x every
 * after its enrolment ends, each person's results correlated rho from one
 * to the next. The last is at most 50 years after enrolment, as a single
 * measurement is (so that no date passes 500 years). */
static int read_measured(ctx *c, const cJSON *v, outcome *o) {
    static const char *const keys[] = {"times", "every", "correlation", NULL};
    o->times = 1;
    o->every = 1;
    o->correlation = 0;
    const cJSON *m = member(v, "measured");
    if (m == NULL) return SIB_OK;
    size_t saved = ctx_push(c, "measured");
    double times;
    if (check_object(c, m, keys) || read_integer(c, m, "times", 1, 1, 1, 100, &times) ||
        read_positive(c, m, "every", 0, 1, 50, &o->every) ||
        read_number(c, m, "correlation", times > 1, 0, 0, 1, &o->correlation))
        return c->err->code;
    o->times = (int)times;
    double last = o->observation_lag + (times - 1) * o->every;
    if (last > 50) {
        ctx_push(c, "times");
        return fail(c,
                    "expected the last measurement at most 50 years after enrolment ends, "
                    "found %g (observation_lag %g + (times - 1) %g x every %g)",
                    last, o->observation_lag, times - 1, o->every);
    }
    const evaluation *ev = &o->eval;
    if (o->times > 1 && ev->design == EVAL_HISTORICAL &&
        (ev->trend.slot != SIZE_MAX || ev->trend.a != 0 || ev->volatility > 0)) {
        ctx_push(c, "times");
        return fail(c,
                    "expected one measurement of an outcome whose counterfactual drifts "
                    "(its historical design's trend and volatility move each measurement's "
                    "mean), found %d: measure once, or leave out trend and volatility",
                    o->times);
    }
    ctx_pop(c, saved);
    return SIB_OK;
}

static int read_outcome(ctx *c, const cJSON *v, outcome *o) {
    static const char *const keys[] = {"name",  "kind",       "direction",  "baseline",
                                       "sd",    "effect",     "evaluation", "observation_lag",
                                       "value", "population", "dispersion", "measured",
                                       NULL};
    static const char *const population_keys[] = {"share", NULL};
    static const char *const effect_keys[] = {"scale", "prior", NULL};
    int kind, dir, scale;
    if (check_object(c, v, keys) || read_string(c, v, "name", NULL, o->name, sizeof o->name) ||
        read_enum(c, v, "kind", kind_names, -1, &kind) ||
        read_enum(c, v, "direction", direction_names, -1, &dir))
        return c->err->code;
    o->kind = (outcome_kind)kind;
    o->direction = (outcome_direction)dir;
    const cJSON *b = member(v, "baseline");
    if (o->kind == OUTCOME_RATE) {
        if (b != NULL && (!cJSON_IsNumber(b) || b->valuedouble <= 0 || b->valuedouble >= 1)) {
            ctx_push(c, "baseline");
            /* A rate written in percent (25 for 0.25): ask, as read_number
             * does for a share past its bound. From 1 to 2 it is more
             * likely a count's mean per person given kind "rate". */
            const double x = cJSON_IsNumber(b) ? b->valuedouble : 0, f = x / 100;
            if (isfinite(x) && x >= 2 && f > 0 && f < 1)
                return fail(c,
                            "expected a share strictly between 0 and 1, found %g: a rate or "
                            "share is a fraction, did you mean %g (%g%%)?",
                            x, f, x);
            return fail_expected(c, b, "a share strictly between 0 and 1");
        }
        if (read_number(c, v, "baseline", 1, 0, 0, 1, &o->baseline)) return c->err->code;
    } else if (o->kind == OUTCOME_COUNT) {
        if (read_positive(c, v, "baseline", 1, 0, LOADER_MEASURE_MAX, &o->baseline))
            return c->err->code;
    } else {
        if (read_number(c, v, "baseline", 1, 0, -LOADER_MEASURE_MAX, LOADER_MEASURE_MAX,
                        &o->baseline))
            return c->err->code;
    }
    if (o->kind == OUTCOME_CONTINUOUS) {
        if (read_positive(c, v, "sd", 1, 0, LOADER_MEASURE_MAX, &o->sd)) return c->err->code;
    } else if (member(v, "sd") != NULL) {
        ctx_push(c, "sd");
        return fail(c, "\"sd\" applies only to kind \"continuous\" (the spread of a rate or a "
                       "count follows from its mean)");
    }
    const cJSON *e = member(v, "effect");
    size_t saved = ctx_push(c, "effect");
    if (e == NULL) return fail(c, "required field is missing");
    if (check_object(c, e, effect_keys) ||
        read_enum(c, e, "scale", scale_names, o->kind == OUTCOME_CONTINUOUS, &scale))
        return c->err->code;
    o->scale = (effect_scale)scale;
    if (o->kind == OUTCOME_CONTINUOUS && o->scale == EFFECT_RELATIVE && o->baseline <= 0) {
        ctx_push(c, "scale");
        return fail(c, "a relative effect needs a baseline > 0; use \"absolute\" for a score "
                       "whose baseline is %g",
                    o->baseline);
    }
    /* The largest possible improvement: a rate or a count cannot fall below
     * zero (nor a rate rise above one). A relative effect of 1 means "all
     * gone". A score has no such bound, nor a count that rises: the effect
     * scale's own bound (1e9) keeps them finite. */
    double hi = LOADER_MEASURE_MAX;
    if (o->kind != OUTCOME_CONTINUOUS) {
        if (o->direction == DIRECTION_LOWER_IS_BETTER)
            hi = (o->scale == EFFECT_RELATIVE) ? 1.0 : o->baseline;
        else if (o->kind == OUTCOME_RATE)
            hi = (o->scale == EFFECT_RELATIVE)
                     ? fmin((1.0 - o->baseline) / o->baseline, LOADER_MEASURE_MAX)
                     : 1.0 - o->baseline;
    }
    double lo = (o->scale == EFFECT_RELATIVE) ? -10.0 : -LOADER_MEASURE_MAX;
    if (read_prior(c, e, "prior", &o->effect, lo, hi, 1, 0)) return c->err->code;
    ctx_pop(c, saved);
    if (read_evaluation(c, v, &o->eval)) return c->err->code;
    if (o->eval.design == EVAL_VALIDATED && o->kind != OUTCOME_RATE &&
        o->direction == DIRECTION_LOWER_IS_BETTER) {
        ctx_push(c, "evaluation");
        ctx_push(c, "design");
        return fail(c, "validated counts count outcomes achieved, and a %s where lower is better "
                       "has none to count (its level rises as results worsen): use \"rct\", "
                       "\"matched\" or \"historical\"",
                    o->kind == OUTCOME_COUNT ? "count" : "score");
    }
    if (read_time(c, v, "observation_lag", 0, 0, 0, 50, &o->observation_lag) ||
        read_number(c, v, "value", 0, 0, 0, LOADER_MONEY_MAX, &o->value))
        return c->err->code;
    o->composite = o->eval.design == EVAL_BLEND || o->eval.design == EVAL_DID || o->eval.has_switch;
    /* The eligible share of each cohort: a prior (drawn once a future). */
    set_fixed(&o->population, 1);
    const cJSON *pop = member(v, "population");
    if (pop != NULL) {
        size_t s2 = ctx_push(c, "population");
        if (check_object(c, pop, population_keys) ||
            read_prior(c, pop, "share", &o->population, 0, 1, 1, 1))
            return c->err->code;
        ctx_pop(c, s2);
    }
    o->dispersion = 0;
    if (member(v, "dispersion") != NULL && o->kind != OUTCOME_COUNT) {
        ctx_push(c, "dispersion");
        return fail(c, "\"dispersion\" applies only to kind \"count\" (a rate's spread follows "
                       "from its mean, a score's is its \"sd\")");
    }
    /* At least 0.001 (far beyond any overdispersion measured in practice),
     * so that a group's gamma scale, mean / (n k), stays finite. */
    if (read_number(c, v, "dispersion", 0, 0, 1e-3, LOADER_MEASURE_MAX, &o->dispersion) ||
        read_measured(c, v, o))
        return c->err->code;
    return SIB_OK;
}

/* ----------------------------------------------------------- correlations */

/* "correlations": [{"between": [POINTER, POINTER], "rho": r}, ...] where each
 * pointer names a prior of this scenario. Positive definiteness of the
 * whole matrix is checked when the engine factorises it. */
static int read_correlations(ctx *c, const cJSON *root, scenario *sc) {
    static const char *const keys[] = {"between", "rho", NULL};
    const cJSON *arr;
    if (read_array(c, root, "correlations", 0, &arr, &sc->n_correlations)) return c->err->code;
    if (arr == NULL) return SIB_OK;
    sc->correlations = xcalloc(c, sc->n_correlations, sizeof *sc->correlations);
    if (sc->correlations == NULL) return SIB_ENOMEM;
    size_t s1 = ctx_push(c, "correlations");
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        correlation *k = &sc->correlations[i];
        size_t s2 = ctx_push_index(c, i);
        if (check_object(c, it, keys)) return c->err->code;
        const cJSON *bt = member(it, "between");
        size_t s3 = ctx_push(c, "between");
        if (bt == NULL) return fail(c, "required field is missing");
        if (!cJSON_IsArray(bt) || cJSON_GetArraySize(bt) != 2)
            return fail_expected(c, bt, "an array of two JSON Pointers to priors");
        size_t idx[2];
        for (int j = 0; j < 2; j++) {
            const cJSON *pv = cJSON_GetArrayItem(bt, j);
            size_t s4 = ctx_push_index(c, (size_t)j);
            if (!cJSON_IsString(pv)) return fail_expected(c, pv, "a JSON Pointer to a prior");
            idx[j] = scenario_find_input(sc, pv->valuestring);
            if (idx[j] == SIZE_MAX) {
                char list[400] = "";
                size_t n = 0;
                for (size_t q = 0; q < sc->n_inputs && n + 2 < sizeof list; q++)
                    n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", q ? ", " : "",
                                          sc->inputs[q].pointer);
                return fail(c, "expected the pointer of an uncertain input (%s), found \"%s\"",
                            n ? list : "this scenario has none", pv->valuestring);
            }
            ctx_pop(c, s4);
        }
        if (idx[0] == idx[1]) return fail(c, "expected two different inputs, found the same twice");
        ctx_pop(c, s3);
        k->a = idx[0];
        k->b = idx[1];
        const cJSON *rv = member(it, "rho");
        if (rv != NULL && cJSON_IsNumber(rv) && fabs(rv->valuedouble) >= 1) {
            ctx_push(c, "rho");
            return fail_expected(c, rv, "a correlation strictly between -1 and 1 (two inputs "
                                        "correlated at +-1 are one input: use one prior)");
        }
        if (read_number(c, it, "rho", 1, 0, -1, 1, &k->rho)) return c->err->code;
        for (size_t j = 0; j < i; j++) {
            const correlation *q = &sc->correlations[j];
            if ((q->a == k->a && q->b == k->b) || (q->a == k->b && q->b == k->a)) {
                ctx_push(c, "between");
                return fail(c, "this pair is already correlated by /correlations/%zu", j);
            }
        }
        ctx_pop(c, s2);
    }
    ctx_pop(c, s1);
    return SIB_OK;
}

/* ---------------------------------------------------------------- top level */

/* Read an array of named elements with a per-element reader, refusing
 * duplicate names. */
static int read_outcomes(ctx *c, const cJSON *root, scenario *sc) {
    const cJSON *arr;
    if (read_array(c, root, "outcomes", 1, &arr, &sc->n_outcomes)) return c->err->code;
    sc->outcomes = xcalloc(c, sc->n_outcomes, sizeof *sc->outcomes);
    if (sc->outcomes == NULL) return SIB_ENOMEM;
    size_t s1 = ctx_push(c, "outcomes");
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        size_t s2 = ctx_push_index(c, i);
        if (read_outcome(c, it, &sc->outcomes[i])) return c->err->code;
        for (size_t j = 0; j < i; j++)
            if (strcmp(sc->outcomes[j].name, sc->outcomes[i].name) == 0) {
                ctx_push(c, "name");
                return fail(c, "duplicate outcome name \"%s\" (also /outcomes/%zu)",
                            sc->outcomes[i].name, j);
            }
        ctx_pop(c, s2);
    }
    ctx_pop(c, s1);
    /* The measurement table: each outcome's own row (every measurement
     * pooled), then the rows of each measurement of the outcomes measured
     * more than once. */
    sc->n_obs_rows = sc->n_outcomes;
    for (size_t o = 0; o < sc->n_outcomes; o++) {
        outcome *oc = &sc->outcomes[o];
        oc->obs_row = o;
        if (oc->times > 1) {
            oc->obs_row = sc->n_obs_rows;
            sc->n_obs_rows += (size_t)oc->times;
        }
    }
    return SIB_OK;
}

static int read_stages(ctx *c, const cJSON *root, scenario *sc) {
    const cJSON *arr;
    if (read_array(c, root, "stages", 1, &arr, &sc->n_stages)) return c->err->code;
    if (sc->n_stages > 64) {
        sc->n_stages = 0; /* nothing allocated yet */
        ctx_push(c, "stages");
        return fail_expected(c, arr, "at most 64 stages");
    }
    sc->stages = xcalloc(c, sc->n_stages, sizeof *sc->stages);
    if (sc->stages == NULL) return SIB_ENOMEM;
    size_t s1 = ctx_push(c, "stages");
    size_t i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        size_t s2 = ctx_push_index(c, i);
        if (read_stage(c, it, sc, i)) return c->err->code;
        for (size_t j = 0; j < i; j++)
            if (strcmp(sc->stages[j].name, sc->stages[i].name) == 0) {
                ctx_push(c, "name");
                return fail(c, "duplicate stage name \"%s\" (also /stages/%zu)",
                            sc->stages[i].name, j);
            }
        if (i > 0 && sc->stages[i].start < sc->stages[i - 1].start) {
            ctx_push(c, "start");
            return fail(c, "expected stages in order of start; this stage starts at %g, before "
                           "/stages/%zu at %g",
                        sc->stages[i].start, i - 1, sc->stages[i - 1].start);
        }
        ctx_pop(c, s2);
    }
    ctx_pop(c, s1);
    return SIB_OK;
}

/* Read a whole scenario; with whole = 0 (a case's compile), leave out its
 * cases, its realised record, its sources and its assumptions. */
int read_scenario(ctx *c, const cJSON *root, scenario *sc, int whole) {
    static const char *const keys[] = {"$schema",  "sibsim",     "name",         "description",
                                       "currency", "simulation", "stages",       "outcomes",
                                       "contract", "financing",  "correlations", "cases",
                                       "realised", "sources",    "assumptions",  NULL};
    double version;
    /* "$schema" tells an editor where the JSON Schema is; sibsim ignores it
     * but refuses anything other than a string, like any field. */
    const cJSON *schema = member(root, "$schema");
    if (check_object(c, root, keys)) return c->err->code;
    if (schema != NULL && !cJSON_IsString(schema)) {
        ctx_push(c, "$schema");
        return fail_expected(c, schema,
                             "a string (the address of the JSON Schema that editors "
                             "read; sibsim ignores it)");
    }
    if (read_integer(c, root, "sibsim", 0, SCENARIO_FORMAT_VERSION, SCENARIO_FORMAT_VERSION,
                     SCENARIO_FORMAT_VERSION, &version) ||
        read_string_dup(c, root, "name", NULL, &sc->name) ||
        read_string_dup(c, root, "description", "", &sc->description) ||
        read_string(c, root, "currency", NULL, sc->currency, sizeof sc->currency))
        return c->err->code;
    if (sc->name[0] == '\0') {
        ctx_push(c, "name");
        return fail_expected(c, member(root, "name"), "a non-empty string");
    }
    const char *cur = sc->currency;
    if (strlen(cur) != 3 || cur[0] < 'A' || cur[0] > 'Z' || cur[1] < 'A' || cur[1] > 'Z' ||
        cur[2] < 'A' || cur[2] > 'Z') {
        ctx_push(c, "currency");
        return fail_expected(c, member(root, "currency"), "a three-letter ISO 4217 code such as \"GBP\"");
    }
    /* Outcomes before stages: a stage's gate names an outcome. */
    if (read_simulation(c, root, &sc->sim) || read_outcomes(c, root, sc) ||
        read_stages(c, root, sc) || read_contract(c, root, sc) || read_financing(c, root, sc) ||
        read_correlations(c, root, sc))
        return c->err->code;
    if (!whole) return SIB_OK;
    /* Cases after the scenario: each is checked by compiling the scenario
     * it makes. The record last: it names stages, cohorts and outcomes. */
    if (read_cases(c, root, sc)) return c->err->code;
    const cJSON *rv = member(root, "realised");
    if (rv != NULL) {
        size_t saved = ctx_push(c, "realised");
        if (read_realised(c, rv, sc, &sc->realised)) return c->err->code;
        ctx_pop(c, saved);
    }
    /* Sources and assumptions last: they annotate everything above. */
    return read_sources_and_assumptions(c, root, sc);
}

/* An empty scenario for read_scenario to fill. */
scenario *scenario_blank(void) {
    scenario *sc = calloc(1, sizeof *sc);
    if (sc == NULL) return NULL;
    sc->contract.cap = HUGE_VAL;
    sc->realised.stopped = HUGE_VAL;
    return sc;
}

/* ------------------------------------------------------------ entry points */

scenario *scenario_load_string_with(const char *text, const char *name,
                                    const scenario_override *ov, size_t n_ov, sib_error *err) {
    sib_error local;
    if (err == NULL) err = &local;
    sib_error_clear(err);
    snprintf(err->file, sizeof err->file, "%s", name ? name : "<scenario>");

    cJSON *root = json_parse_checked(text, NULL, err);
    if (root == NULL) return NULL;
    if (!cJSON_IsObject(root)) {
        char found[96];
        describe(root, found, sizeof found);
        cJSON_Delete(root);
        sib_error_set(err, SIB_EINVAL, NULL, "expected the scenario to be a JSON object, found %s",
                      found);
        return NULL;
    }
    /* Apply the overrides: each pointer's value becomes a number (a prior's
     * distribution object becomes a fixed value). The loader then checks the
     * result like any scenario, so an out-of-range value is refused with
     * its pointer. */
    for (size_t i = 0; i < n_ov; i++) {
        cJSON *node = json_pointer_resolve(root, ov[i].pointer, 1, err);
        if (node == NULL) {
            cJSON_Delete(root);
            return NULL;
        }
        if (!cJSON_IsNumber(node) && !cJSON_IsNull(node) && !cJSON_IsObject(node)) {
            char found[96];
            describe(node, found, sizeof found);
            sib_error_set(err, SIB_EINVAL, ov[i].pointer,
                          "expected a number or a distribution to set, found %s", found);
            cJSON_Delete(root);
            return NULL;
        }
        if (json_set_number(root, node, ov[i].pointer, ov[i].value, err)) {
            cJSON_Delete(root);
            return NULL;
        }
    }
    json_unsign_zeros(root);
    scenario *sc = scenario_blank();
    if (sc == NULL) {
        cJSON_Delete(root);
        sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
        return NULL;
    }
    ctx c = {.err = err, .ptr = "", .len = 0, .sc = sc, .overridden = n_ov > 0};
    int rc = read_scenario(&c, root, sc, 1);
    cJSON_Delete(root);
    if (rc != SIB_OK) {
        scenario_free(sc);
        return NULL;
    }
    return sc;
}

scenario *scenario_load_string(const char *text, const char *name, sib_error *err) {
    return scenario_load_string_with(text, name, NULL, 0, err);
}

int scenario_number_at(const char *text, const char *pointer, double *out, sib_error *err) {
    sib_error local;
    if (err == NULL) err = &local;
    cJSON *root = json_parse_checked(text, NULL, err);
    if (root == NULL) return err->code;
    cJSON *node = json_pointer_resolve(root, pointer, 0, err);
    int rc = SIB_OK;
    if (node == NULL) {
        rc = err->code;
    } else if (!cJSON_IsNumber(node)) {
        char found[96];
        describe(node, found, sizeof found);
        rc = sib_error_set(err, SIB_EINVAL, pointer, "expected a number, found %s", found);
    } else {
        *out = node->valuedouble;
    }
    cJSON_Delete(root);
    return rc;
}

int scenario_load_realised_file(scenario *sc, const char *path, sib_error *err) {
    sib_error local;
    if (err == NULL) err = &local;
    char *text = sib_file_read(path, err); /* sets err->file */
    if (text == NULL) return err->code;
    cJSON *root = json_parse_checked(text, NULL, err);
    free(text);
    if (root == NULL) return err->code;
    if (!cJSON_IsObject(root)) {
        char found[96];
        describe(root, found, sizeof found);
        cJSON_Delete(root);
        return sib_error_set(err, SIB_EINVAL, NULL,
                             "expected the realised record to be a JSON object, found %s", found);
    }
    /* Read into a record of its own, so that sc keeps its record on error;
     * pointers are relative to the file's root. */
    realised rec;
    memset(&rec, 0, sizeof rec);
    json_unsign_zeros(root);
    ctx c = {.err = err, .ptr = "", .len = 0, .sc = sc};
    int rc = read_realised(&c, root, sc, &rec);
    cJSON_Delete(root);
    if (rc != SIB_OK) {
        realised_clear(&rec);
        return rc;
    }
    realised_clear(&sc->realised);
    sc->realised = rec;
    return SIB_OK;
}

scenario *scenario_load_file(const char *path, sib_error *err) {
    char *text = sib_file_read(path, err);
    if (text == NULL) return NULL;
    scenario *sc = scenario_load_string(text, path, err);
    free(text);
    return sc;
}
