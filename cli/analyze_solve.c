/* analyze_solve.c -- the analysis commands that search and measure: solve
 * (the value of a term that hits a target), converge (how many paths are
 * enough) and pilot-value (the value of the pilot's information). Each
 * calls sim/solve.c or sim/analysis.c and renders what it returns, as a
 * table, CSV or JSON, through the plumbing of analyze.c
 * (analyze_internal.h). */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../present/format.h"
#include "../present/table.h"
#include "../present/term.h"
#include "../present/text.h"
#include "../sim/analysis.h"
#include "../sim/warnings.h"
#include "options.h"
#include "output.h"
#include "progress.h"
#include "analyze_internal.h"

/* ----------------------------------------------------------------- solve */

/* Whether the scenario loads with every --param set to x; when it does
 * not, *err says why. */
static int loads_at_why(const run_opts *o, const char *text, const char *name, double x,
                        sib_error *err) {
    scenario_override ov[OPT_MAX_PARAMS];
    for (int k = 0; k < o->n_params; k++) ov[k] = (scenario_override){o->param[k], x};
    scenario *sc = scenario_load_string_with(text, name, ov, (size_t)o->n_params, err);
    scenario_free(sc);
    return sc != NULL;
}

/* Whether the scenario loads with every --param set to x. */
static int loads_at(const run_opts *o, const char *text, const char *name, double x) {
    sib_error err;
    return loads_at_why(o, text, name, x, &err);
}

/* Whether solve's range [lo, hi] holds a value the scenario does not take,
 * said before the search (which would otherwise stop at its first such
 * iterate with the loader's message alone, naming a value the user never
 * wrote: 'found 4987.308845'). The ends are tried (a bound past --from or
 * --to), then a value inside that is no whole number (the golden section of
 * the range): a term that takes whole numbers only, or some values only,
 * cannot be searched by a method that tries every value between its ends.
 * Returns 1 after the message, 0 when the range is searchable. */
static int range_refused(const run_opts *o, const char *text, const char *name, double lo,
                         double hi) {
    const double inside = lo + 0.3819660112501051 * (hi - lo);
    const double at[3] = {lo, hi, inside};
    for (int k = 0; k < 3; k++) {
        sib_error err;
        if (loads_at_why(o, text, name, at[k], &err)) continue;
        /* Which option gave the end (the range is put in order). */
        const char *origin = "by default";
        for (int j = 0; j < o->n_params; j++) {
            if (o->have_to[j] && o->to[j] == at[k]) origin = "from --to";
            if (o->have_from[j] && o->from[j] == at[k]) origin = "from --from";
        }
        if (k < 2)
            fprintf(stderr,
                    "sibsim: solve: %s %.10g, %s, is a value the scenario does not "
                    "take:\n",
                    k == 0 ? "the range's lower end" : "the range's upper end", at[k], origin);
        else
            fprintf(stderr,
                    "sibsim: solve: the scenario does not take %.10g, inside the range "
                    "[%.10g, %.10g]: solve tries every value between the ends, so it "
                    "cannot search a term that takes only some of them (a whole number): "
                    "sweep its values instead\n",
                    inside, lo, hi);
        char buf[1200];
        fprintf(stderr, "%s\nTry 'sibsim help solve'.\n", sib_error_format(&err, buf, sizeof buf));
        return 1;
    }
    return 0;
}

/* Whether the field takes a value past `end` of solve's range, on the
 * side `side` says (-1 below, 1 above): a thousandth of the range's width
 * past it, so that an end pulled back to within a millionth of a bound
 * (default_end_within_bounds) reads as at the bound. */
static int solve_loads_past(const run_opts *o, const char *text, const char *name, double end,
                            int side, double width) {
    return loads_at(o, text, name, end + side * fmax(1e-3 * width, 1e-9 * fabs(end)));
}

/* A default end of solve's range pulled back inside what the scenario
 * accepts: when `end` is refused (past a field's bound, e.g. a return cap of
 * 1.3 > 1), bisect between `now`, which loads, and `end` to within a
 * millionth of their gap, and return the last value that loads. */
static double default_end_within_bounds(const run_opts *o, const char *text, const char *name,
                                        double now, double end) {
    if (loads_at(o, text, name, end)) return end;
    double good = now, bad = end;
    while (fabs(bad - good) > 1e-6 * fabs(end - now)) {
        double mid = 0.5 * (good + bad);
        if (loads_at(o, text, name, mid)) good = mid;
        else bad = mid;
    }
    return good;
}

/* The terms solved for, by name and pointer, joined by " = " when several
 * move together. */
static const char *solve_names(char *buf, size_t size, const run_opts *o, const scenario *sc) {
    buf[0] = '\0';
    for (int k = 0; k < o->n_params; k++) {
        char one[900];
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, "%s%s", k ? " = " : "",
                 analyze_term_title(one, sizeof one, sc, o->param[k]));
    }
    return buf;
}

/* The value found: the terms by name with the value in their unit, what
 * the metric is there against the target, the value with every digit by
 * pointer (to copy into the scenario), and how it was found. */
static void solve_table(FILE *out, const run_opts *o, const shown_metric *sm, const scenario *sc,
                        const char *params, const char *metric, double target,
                        const solve_result *r, uint64_t paths) {
    const char *cur = sc ? sc->currency : "";
    term_unit tu = present_term_unit(sc, o->param[0]);
    char line[4096], names[2400], v[64], m[64], tg[64], se[64], lo[64], hi[64], np[32];
    names[0] = '\0';
    for (int k = 0; k < o->n_params; k++) {
        char one[600];
        size_t used = strlen(names);
        snprintf(names + used, sizeof names - used, "%s%s", k ? " = " : "",
                 present_term_name(one, sizeof one, sc, o->param[k]));
    }
    snprintf(line, sizeof line, "%s = %s gives %s = %s (target %s)%s%s", names,
             present_term_exact(v, sizeof v, cur, tu, r->value), metric,
             analyze_show(m, sizeof m, sm, cur, r->metric), analyze_show(tg, sizeof tg, sm, cur, target),
             isnan(r->se) ? "" : ", SE ", analyze_show_se(se, sizeof se, sm, cur, r->se));
    present_wrap(out, line, 0, 2, o->width);
    snprintf(line, sizeof line, "%s = %.8g", params, r->value);
    present_wrap(out, line, 2, 4, o->width);
    if (r->twice && r->found2) { /* the other crossing, in the upper half */
        char v2[64], m2[64], se2[64];
        snprintf(line, sizeof line, "and %s gives it too (%s%s%s; %s = %.8g): the metric rises "
                 "and falls over the range, and crosses the target twice",
                 present_term_exact(v2, sizeof v2, cur, tu, r->value2),
                 analyze_show(m2, sizeof m2, sm, cur, r->metric2), isnan(r->se2) ? "" : ", SE ",
                 analyze_show_se(se2, sizeof se2, sm, cur, r->se2), params, r->value2);
        present_wrap(out, line, 2, 4, o->width);
    } else if (r->twice)
        present_wrap(out, "the metric rises and falls over the range: it crosses the target "
                     "again in the other half of the range, where it jumps past it", 2, 4,
                     o->width);
    if (r->iterations == 0) /* the target met exactly at an end: no search */
        snprintf(line, sizeof line,
                 "the metric equals the target exactly at this end of the "
                 "range searched, on common random numbers; %s path%s a run",
                 present_count(np, sizeof np, (unsigned long long)paths), paths == 1 ? "" : "s");
    else
        snprintf(line, sizeof line,
                 "Brent's method on common random numbers: %d iterations, "
                 "final bracket [%s, %s]; %s path%s a run",
                 r->iterations, present_term_exact(lo, sizeof lo, cur, tu, r->lo),
                 present_term_exact(hi, sizeof hi, cur, tu, r->hi),
                 present_count(np, sizeof np, (unsigned long long)paths), paths == 1 ? "" : "s");
    present_wrap(out, line, 2, 4, o->width);
}

int cmd_solve_text(const run_opts *o, const char *text, const char *name) {
    if (o->n_params < 1 || o->target == NULL) {
        fprintf(stderr, "sibsim: solve: expected --param POINTER (several move together) and "
                        "--target METRIC=VALUE\n");
        return EXIT_INPUT;
    }
    char metric[512];
    const char *eq = strrchr(o->target, '=');
    double target = NAN;
    /* The value whole and finite, as --from and --to: "0.8x", " 0.8",
     * "nan", "inf" and "1e400" are refused, never read as 0.8 or as a
     * target no metric equals. */
    if (eq == NULL || eq == o->target || options_parse_number(eq + 1, &target) != 0) {
        fprintf(stderr, "sibsim: solve: --target: expected METRIC=VALUE with a finite number "
                        "(e.g. irr=0.07), found '%s'\n",
                o->target);
        return EXIT_INPUT;
    }
    snprintf(metric, sizeof metric, "%.*s", (int)(eq - o->target), o->target);
    if (analyze_params_are_terms("solve", o, text, name)) return EXIT_INPUT;
    if (analyze_metric_refused("solve", "target", metric, text, name)) return EXIT_INPUT;
    sib_error err;
    sib_error_clear(&err);
    /* The range: --from and --to, each given once after any of the linked
     * --param pointers (they all take the same value; options.c). */
    double lo = 0, hi = 0;
    int have_lo = 0, have_hi = 0;
    for (int k = 0; k < o->n_params; k++) {
        if (o->have_from[k]) lo = o->from[k], have_lo = 1;
        if (o->have_to[k]) hi = o->to[k], have_hi = 1;
    }
    if (!have_lo || !have_hi) {
        /* Default range: a tenth to ten times the current value, within the
         * field's bounds. */
        double now;
        if (scenario_number_at(text, o->param[0], &now, &err) != SIB_OK) {
            /* No number there (a field left at its default, a prior): the
             * default range, around the current value, has no centre. */
            snprintf(err.file, sizeof err.file, "%s", name);
            int status = analyze_fail(&err);
            /* A range helps only a term that takes a number: a field left
             * at its default, or a prior (fixed at each value tried). A
             * string, a flag or a malformed pointer takes none; the
             * loader's message above says why. */
            if (strcmp(err.pointer, o->param[0]) == 0 &&
                (loads_at(o, text, name, 0) || loads_at(o, text, name, 1)))
                fprintf(stderr, "sibsim: solve: %s has no number in the scenario to search "
                                "around: give the range with --from and --to\n", o->param[0]);
            return status;
        }
        if (!have_lo)
            lo = default_end_within_bounds(o, text, name, now, now > 0 ? now / 10 : now * 10);
        if (!have_hi)
            hi = default_end_within_bounds(o, text, name, now, now > 0 ? now * 10 : now / 10);
        if (lo == hi) {
            if (now == 0)
                fprintf(stderr, "sibsim: solve: %s is 0 now: give the range with --from and --to\n",
                        o->param[0]);
            else
                fprintf(stderr, "sibsim: solve: the range [%.8g, %.8g] is empty: give both ends "
                                "with --from and --to\n", lo, hi);
            return EXIT_INPUT;
        }
    } else if (lo == hi) {
        fprintf(stderr, "sibsim: solve: --from and --to are the same value (%.8g): give a range to "
                        "search\nTry 'sibsim help solve'.\n", lo);
        return EXIT_INPUT;
    }
    /* A range is a range whichever end is given first (sweep, whose grid
     * has an order, takes it in the order given). */
    if (lo > hi) {
        double t = lo;
        lo = hi;
        hi = t;
    }
    if (range_refused(o, text, name, lo, hi)) return EXIT_INPUT;
    analysis_base b = analyze_base_of(o, text, name);
    if (!o->have_paths) b.paths = OPT_ANALYSIS_PATHS;
    solve_result r;
    double xtol = 1e-6 * fmax(fabs(lo), fabs(hi));
    int rc = analysis_solve(&b, o->param, (size_t)o->n_params, lo, hi, metric, target, xtol,
                            &r, &err);
    if (rc != SIB_OK) return analyze_fail(&err);
    if (r.found) { /* what the value found would warn of, as `run` would */
        double xs[OPT_MAX_PARAMS];
        for (int k = 0; k < o->n_params && k < OPT_MAX_PARAMS; k++) xs[k] = r.value;
        warn_base wb;
        analyze_warn_base_of(text, name, &wb);
        if (analyze_strict_points(
                o, analyze_warn_at(text, name, &wb, o->param, xs, (size_t)o->n_params, 64, NULL)))
            return EXIT_INPUT;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (out == NULL) return EXIT_RUN;
    const shown_metric sm = analyze_metric_shown(text, name, metric);
    scenario *sc = scenario_load_string(text, name, &err);
    /* The parameters, joined: "/a = /b" when several move together. */
    char params[1200] = "";
    for (int k = 0; k < o->n_params; k++) {
        size_t used = strlen(params);
        snprintf(params + used, sizeof params - used, "%s%s", k ? " = " : "", o->param[k]);
    }
    if (o->fmt == FORMAT_JSON) {
        /* Not found: no value, no metric there (null, with the reason);
         * a quantile has no SE estimated (null). */
        fputs("{\"param\": ", out);
        present_json_string(out, o->param[0]);
        fputs(", \"params\": [", out);
        for (int k = 0; k < o->n_params; k++) {
            if (k) fputs(", ", out);
            present_json_string(out, o->param[k]);
        }
        fputs("], \"metric\": ", out);
        present_json_string(out, metric);
        analyze_json_metric_resolved(out, &sm);
        fputs(", \"target\": ", out);
        present_json_number(out, target);
        fprintf(out, ", \"found\": %s, \"flat\": %s, \"value\": ", r.found ? "true" : "false",
                r.flat == 2 ? "true" : "false");
        present_json_number(out, r.found ? r.value : NAN);
        fputs(", \"metric_value\": ", out);
        present_json_number(out, r.found ? r.metric : NAN);
        fputs(", \"se\": ", out);
        present_json_number(out, r.found ? r.se : NAN);
        fputs(", \"bracket\": [", out);
        present_json_number(out, r.lo);
        fputs(", ", out);
        present_json_number(out, r.hi);
        fprintf(out, "], \"iterations\": %d, \"twice\": %s, \"other_value\": ", r.iterations,
                r.twice ? "true" : "false");
        /* The metric crosses the target twice: the crossing in the upper
         * half of the range (value is that in the lower); null otherwise. */
        const int other = r.found && r.twice && r.found2;
        present_json_number(out, other ? r.value2 : NAN);
        fputs(", \"other_metric_value\": ", out);
        present_json_number(out, other ? r.metric2 : NAN);
        fputs(", \"other_se\": ", out);
        present_json_number(out, other ? r.se2 : NAN);
        if (!r.found) {
            const int past = r.widen != 0 && solve_loads_past(o, text, name, r.widen < 0 ? lo : hi,
                                                              r.widen, hi - lo);
            fprintf(out, ", \"note\": \"%s\", \"widen\": %s, \"metric_at_ends\": [",
                    r.jump ? "the metric jumps past the target: no value in the range gives it"
                    : r.flat == 2
                        ? "the metric does not move in the range (a cap or trigger holds it)"
                    : r.flat && r.widen == 0
                        ? "the metric stops moving within the range (a cap or trigger holds "
                          "it): a wider range will not reach the target"
                    : r.widen != 0 && !past
                        ? "no value in the range reaches the target, and the term takes no "
                          "value past the end where the metric is nearer it"
                    : r.widen != 0
                        ? "no value in the range reaches the target: a range reaching past the "
                          "end named by widen may"
                        : "no value in the range reaches the target",
                    !past ? "null" : r.widen < 0 ? "\"low\"" : "\"high\"");
            present_json_number(out, r.f_lo + target);
            fputs(", ", out);
            present_json_number(out, r.f_hi + target);
            fputc(']', out);
        }
        if (r.jump) {
            fputs(", \"jump_at\": ", out);
            present_json_number(out, r.value);
            fputs(", \"metric_across_jump\": [", out);
            present_json_number(out, r.f_jump_lo + target);
            fputs(", ", out);
            present_json_number(out, r.f_jump_hi + target);
            fputc(']', out);
        }
        fputs("}\n", out);
    } else if (o->fmt == FORMAT_CSV) {
        fputs(
            "param,metric,target,found,value,metric_value,se,lo,hi,iterations," CSV_METRIC_RESOLVED
            ",other_value,other_metric_value\n",
            out);
        present_csv_field(out, params);
        fputc(',', out);
        present_csv_field(out, metric);
        present_csv_number(out, target);
        fprintf(out, ",%d", r.found);
        present_csv_number(out, r.found ? r.value : NAN);
        present_csv_number(out, r.found ? r.metric : NAN);
        present_csv_number(out, r.found ? r.se : NAN);
        present_csv_number(out, r.lo);
        present_csv_number(out, r.hi);
        fprintf(out, ",%d", r.iterations);
        analyze_csv_metric_resolved(out, &sm);
        const int other = r.found && r.twice && r.found2;
        present_csv_number(out, other ? r.value2 : NAN);
        present_csv_number(out, other ? r.metric2 : NAN);
        fputc('\n', out);
    } else if (r.found) {
        solve_table(out, o, &sm, sc, params, metric, target, &r, b.paths);
    }
    fclose(out);
    int status = 0;
    /* Not found: why, with the term and the metric in their units. */
    const char *cur = sc ? sc->currency : "";
    term_unit tu = present_term_unit(sc, o->param[0]);
    char names[2400], vlo[64], vhi[64], vmid[64], flo[64], fhi[64], fmid[64], tg[64];
    solve_names(names, sizeof names, o, sc);
    present_term_value(vlo, sizeof vlo, cur, tu, lo);
    present_term_value(vhi, sizeof vhi, cur, tu, hi);
    analyze_show(flo, sizeof flo, &sm, cur, r.f_lo + target);
    analyze_show(fhi, sizeof fhi, &sm, cur, r.f_hi + target);
    analyze_show(fmid, sizeof fmid, &sm, cur, r.f_mid + target);
    analyze_show(tg, sizeof tg, &sm, cur, target);
    if (r.jump) {
        char vat[64], jlo[64], jhi[64];
        fprintf(stderr,
                "sibsim: solve: no value of %s in [%s, %s] gives %s = %s: it jumps past the target "
                "at %s, from %s to %s, with no value between: on these futures the metric steps "
                "there by more than its Monte Carlo noise (a term that moves every future at once, "
                "such as a lag by whole periods). Choose a target on one side of the jump.\n",
                names, vlo, vhi, metric, tg, present_term_exact(vat, sizeof vat, cur, tu, r.value),
                analyze_show(jlo, sizeof jlo, &sm, cur, r.f_jump_lo + target),
                analyze_show(jhi, sizeof jhi, &sm, cur, r.f_jump_hi + target));
        status = EXIT_RUN;
    } else if (!r.found && r.flat == 2) {
        fprintf(stderr,
                "sibsim: solve: %s does not move when %s goes from %s to %s: it is %s at both "
                "ends and in the middle. A cap or a trigger holds it there (or the parameter does "
                "not reach it): the target %s is out of reach by this term alone.\n",
                metric, names, vlo, vhi, flo, tg);
        status = EXIT_RUN;
    } else if (!r.found && r.flat == 1 && r.widen == 0) {
        int at_hi = r.f_mid == r.f_hi;
        present_term_value(vmid, sizeof vmid, cur, tu, 0.5 * (lo + hi));
        fprintf(stderr,
                "sibsim: solve: no value of %s in [%s, %s] gives %s = %s: it is %s at %s and "
                "%s at %s, and it stops moving between %s and %s (exactly %s at both): a cap "
                "or a trigger holds it there, so a wider range will not reach the target.\n",
                names, vlo, vhi, metric, tg, flo, vlo, fhi, vhi, at_hi ? vmid : vlo,
                at_hi ? vhi : vmid, fmid);
        status = EXIT_RUN;
    } else if (!r.found) {
        /* Where to look next: past the end where the metric is nearer the
         * target and still moves (r.widen), when the field takes values
         * there; a cap holding the other end still is said, not taken for
         * the target being out of reach. */
        char held[400] = "", next[600];
        if (r.flat == 1) {
            int at_hi = r.f_mid == r.f_hi;
            present_term_value(vmid, sizeof vmid, cur, tu, 0.5 * (lo + hi));
            snprintf(held, sizeof held, "; it stops moving between %s and %s (exactly %s at "
                     "both), where a cap or a trigger holds it, but it still moves at %s",
                     at_hi ? vmid : vlo, at_hi ? vhi : vmid, fmid, at_hi ? vlo : vhi);
        }
        const double end = r.widen < 0 ? lo : hi;
        if (r.widen != 0 && !solve_loads_past(o, text, name, end, r.widen, hi - lo))
            snprintf(next, sizeof next, "It is nearer the target at %s, but %s takes no value %s "
                     "it: the target is out of reach by this term.", r.widen < 0 ? vlo : vhi,
                     o->param[0], r.widen < 0 ? "below" : "above");
        else if (r.widen != 0)
            snprintf(next, sizeof next, "Widen the range %s %s (%s), where it is nearer the "
                     "target, or the target may be out of reach.", r.widen < 0 ? "below" : "above",
                     r.widen < 0 ? vlo : vhi, r.widen < 0 ? "--from" : "--to");
        else
            snprintf(next, sizeof next, "Widen the range with --from/--to, or the target may be "
                     "out of reach.");
        fprintf(stderr,
                "sibsim: solve: no value of %s in [%s, %s] gives %s = %s: it is %s at %s and "
                "%s at %s%s. %s\n",
                names, vlo, vhi, metric, tg, flo, vlo, fhi, vhi, held, next);
        status = EXIT_RUN;
    }
    if (status == 0 || len > 0) {
        int st2 = analyze_emit(o, buf, len);
        if (status == 0) status = st2;
    }
    free(buf);
    scenario_free(sc);
    return status;
}

/* -------------------------------------------------------------- converge */

typedef struct conv_ud {
    FILE *out;
    const char *metric;
    const run_opts *o;
    int rows;
    present_table *t;   /* table: the steps, printed when the run ends */
    shown_metric sm;
    char currency[8];
    double last_se;
    int undefined; /* the last estimate is undefined: no future defines the metric */
} conv_ud;

/* An estimate with the digits a convergence table needs: money to the
 * unit with thousands separators, a rate or share to a thousandth of a
 * percent, a multiple to five decimals. A standard error that is not zero
 * but rounds to zero at those digits is written as below their last
 * ("±<0.0001%", "±<$1"), never as zero, which would read as an estimate
 * that no longer moves at all. */
static const char *precise(char *buf, size_t size, const shown_metric *sm, const char *currency,
                           double x, int se) {
    char v[64];
    const int below = se && x > 0; /* rounds to zero: checked per unit */
    if (isnan(x)) snprintf(v, sizeof v, "n/a");
    else if (!sm->known) snprintf(v, sizeof v, se ? "%.4g" : "%.8g", x);
    else if (sm->unit == UNIT_MONEY) {
        present_money_exact(v, sizeof v, currency, below && x < 0.5 ? 1 : x);
        char *dot = strrchr(v, '.');
        if (dot) *dot = '\0'; /* whole units */
        if (below && x < 0.5) {
            memmove(v + 1, v, strnlen(v, sizeof v - 2) + 1);
            v[0] = '<';
            v[sizeof v - 1] = '\0';
        }
    } else if (se && analyze_se_below(v, sizeof v, sm, x)) {
        /* written: "<0.0001%", "<0.00001x" */
    } else if (sm->unit == UNIT_SHARE || sm->unit == UNIT_RATE) {
        present_fixed(v, sizeof v, se ? 4 : 3, 100 * x, "%");
    } else if (sm->unit == UNIT_MULTIPLE) {
        present_fixed(v, sizeof v, 5, x, "x");
    } else
        snprintf(v, sizeof v, se ? "%.4g" : "%.8g", x);
    snprintf(buf, size, "%s%.60s", se && !isnan(x) ? "±" : "", v);
    return buf;
}

static int conv_step(uint64_t paths, const engine *e, void *v) {
    conv_ud *u = v;
    metric_choice m;
    sib_error err;
    if (analysis_choose(e, u->metric, &m, &err) != SIB_OK) return 1;
    double se, x = analysis_value(e, &m, &se);
    u->undefined = isnan(x);
    if (u->o->fmt == FORMAT_CSV) {
        fprintf(u->out, "%llu", (unsigned long long)paths);
        present_csv_number(u->out, x);
        present_csv_number(u->out, se);
        fputc(',', u->out);
        present_csv_field(u->out, u->metric);
        analyze_csv_metric_resolved(u->out, &u->sm);
        fputc('\n', u->out);
    } else if (u->o->fmt == FORMAT_JSON) {
        fprintf(u->out, "%s\n  {\"paths\": %llu, \"estimate\": ", u->rows ? "," : "",
                (unsigned long long)paths);
        present_json_number(u->out, x);
        fputs(", \"se\": ", u->out);
        present_json_number(u->out, se);
        fputc('}', u->out);
    } else if (u->t) {
        char n[32], xv[64], sv[64];
        const char *cells[] = {present_count(n, sizeof n, paths),
                               precise(xv, sizeof xv, &u->sm, u->currency, x, 0),
                               precise(sv, sizeof sv, &u->sm, u->currency, se, 1)};
        present_table_row(u->t, 0, "", cells, -1);
        u->last_se = se;
    }
    u->rows++;
    return 0;
}

/* The ':' of a statistic other than the mean that ends metric, as
 * analysis_choose reads it (the last ':' followed by p05, p25, median, p50,
 * p75, p95 or sd), or NULL. Any other colon belongs to the name: a blend's
 * parts are keyed "part: tranche.moic". */
static const char *quantile_suffix(const char *metric) {
    static const char *const stats[] = {"p05", "p25", "median", "p50", "p75", "p95", "sd"};
    const char *colon = strrchr(metric, ':');
    if (colon == NULL) return NULL;
    for (size_t k = 0; k < sizeof stats / sizeof stats[0]; k++)
        if (strcmp(colon + 1, stats[k]) == 0) return colon;
    return NULL;
}

int cmd_converge_text(const run_opts *o, const char *text, const char *name) {
    char mbuf[512];
    if (analyze_metric_refused("converge", "metric", o->metric, text, name)) return EXIT_INPUT;
    const char *metric = analyze_metric_of(o, text, name, mbuf, sizeof mbuf);
    analysis_base b = analyze_base_of(o, text, name);
    uint64_t max = o->have_paths ? o->paths : OPT_CONVERGE_PATHS;
    double precision = o->have_precision ? o->precision : 0;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (out == NULL) return EXIT_RUN;
    conv_ud u = {.out = out, .metric = metric, .o = o, .last_se = NAN};
    const char *stat = quantile_suffix(metric);
    if (o->have_precision && stat != NULL) {
        fprintf(stderr, "sibsim: converge: --precision is a standard error, estimated for a mean "
                        "only; drop it, or converge on the mean of %.*s\n",
                (int)(stat - metric), metric);
        fclose(out);
        free(buf);
        return EXIT_INPUT;
    }
    u.sm = analyze_metric_shown(text, name, metric);
    if (o->fmt == FORMAT_CSV)
        fprintf(out, "paths,estimate,se,metric," CSV_METRIC_RESOLVED "\n");
    else if (o->fmt == FORMAT_JSON) {
        fputs("{\"metric\": ", out);
        present_json_string(out, metric);
        analyze_json_metric_resolved(out, &u.sm);
        fputs(", \"steps\": [", out);
    } else {
        sib_error lerr;
        scenario *sc = scenario_load_string(text, name, &lerr);
        snprintf(u.currency, sizeof u.currency, "%s", sc ? sc->currency : "");
        scenario_free(sc);
        char line[1000];
        snprintf(line, sizeof line, "Convergence of %s%s%s%s (paths double; each estimate includes "
                 "the last)", metric, u.sm.known ? " (" : "", u.sm.label, u.sm.known ? ")" : "");
        present_wrap(out, line, 0, 2, o->width);
        u.t = present_table_new(3, (const char *[]){"paths", "estimate", "SE"}, NULL);
        if (u.t) present_table_col_min(u.t, 10);
    }
    sib_error err;
    sib_error_clear(&err);
    uint64_t done;
    int reached;
    int rc = analysis_converge(&b, metric, precision, max, conv_step, &u, &done, &reached, &err);
    if (rc == SIB_OK && o->fmt == FORMAT_JSON)
        fprintf(out, "\n], \"paths\": %llu, \"reached\": %s}\n", (unsigned long long)done,
                reached ? "true" : "false");
    else if (rc == SIB_OK && o->fmt != FORMAT_CSV) {
        char n[32];
        present_count(n, sizeof n, done);
        if (u.t) present_table_print(out, u.t, o->width, present_unicode());
        if (u.undefined) {
            char line[800];
            snprintf(line, sizeof line, "%.500s is undefined in %s%s %s run: no number of paths "
                     "gives it an estimate", metric, done == 1 ? "the " : "every one of the ", n,
                     done == 1 ? "future" : "futures");
            present_wrap(out, line, 2, 4, o->width);
        } else {
            const char *paths = done == 1 ? "path" : "paths";
            /* The precision in the metric's unit, as the SE column writes
             * it: "--precision 0.005" of an IRR is an SE of 0.5%, not
             * 0.005%, beside a column of "±0.4021%". */
            char want[96];
            precise(want, sizeof want, &u.sm, u.currency, precision, 1);
            if (!o->have_precision) fprintf(out, "  (no --precision: ran to %s %s)\n", n, paths);
            else if (reached)
                fprintf(out, "  precision %g reached at %s %s: an SE of at most %s\n", precision,
                        n, paths, want);
            else
                fprintf(out, "  precision %g NOT reached by %s %s: raise --paths (an SE of at "
                        "most %s was asked)\n", precision, n, paths, want);
        }
    }
    present_table_free(u.t);
    fclose(out);
    int status = rc == SIB_OK ? analyze_emit(o, buf, len) : analyze_fail(&err);
    free(buf);
    return status;
}

/* ---------------------------------------------------- value of the pilot */

int cmd_pilot_text(const run_opts *o, const char *text, const char *name) {
    analysis_base b = analyze_base_of(o, text, name);
    sib_error err;
    sib_error_clear(&err);
    analysis_run r;
    scenario *committed;
    double t0 = progress_now();
    int rc = analysis_pilot_value(&b, &r, &committed, &err);
    if (rc != SIB_OK) return analyze_fail(&err);
    double seconds = progress_now() - t0;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (out == NULL) return EXIT_RUN;
    report_run rr = {.scenario_file = name,
                     .scenario_b = r.sc,
                     .threads = (unsigned)o->threads,
                     .seconds = seconds,
                     .width = o->width,
                     .seed_given = o->have_seed};
    /* JSON gives the pairs as compare's does (the engine paired the two
     * versions of one scenario by name: engine_new_compare without pairs);
     * the table leaves them out, as each structure is its own partner. */
    size_t *pair = calloc(committed->n_financing + 1, sizeof *pair);
    pair_how *how = calloc(committed->n_financing + 1, sizeof *how);
    if (pair == NULL || how == NULL) {
        free(pair);
        free(how);
        fclose(out);
        free(buf);
        engine_free(r.e);
        scenario_free(r.sc);
        scenario_free(committed);
        return EXIT_RUN;
    }
    engine_pair_structures(committed, r.sc, NULL, pair, how);
    if (o->fmt == FORMAT_JSON) {
        rr.pair = pair;
        rr.how = how;
    }
    if (o->fmt == FORMAT_TABLE) {
        present_wrap(out, "Value of the pilot's information: every stage committed up front (A) "
                     "against later stages gated on measured results as written (B), on common "
                     "random numbers. B - A is what the gates are worth: costs avoided when "
                     "results are poor, outcomes forgone when a good programme is stopped.",
                     0, 0, o->width > 0 ? o->width : PRESENT_COMPACT);
        fputc('\n', out);
        /* The headline: for each structure, the expected value of the gate,
         * with its SE written as the other analyses write one
         * (analyze_show_se): an SE below a unit of money in its decimals
         * ("€0.09"), never rounded to "€0", which reads as no uncertainty. */
        const shown_metric money = {.unit = UNIT_MONEY, .known = 1};
        for (size_t f = 0; f < r.sc->n_financing; f++) {
            const char *g = r.sc->financing[f].name;
            const char *keys[] = {"net_value", "commissioner.pv"};
            for (size_t k = 0; k < 2; k++) {
                size_t i = engine_find_metric(r.e, g, keys[k]);
                if (i == (size_t)-1 || engine_metric(r.e, i)->diff == SIZE_MAX) continue;
                stats_summary d;
                engine_summary(r.e, engine_metric(r.e, i)->diff, &d);
                if (d.n == 0) continue;
                char v[48], se[48], line[400];
                snprintf(line, sizeof line, "%s, %s: gating changes it by %s (SE %s)", g,
                         k == 0 ? "net value" : "commissioner's cost (PV)",
                         present_money_beside_se(v, sizeof v, r.sc->currency, d.mean, d.se),
                         present_se_unsigned(
                             analyze_show_se(se, sizeof se, &money, r.sc->currency, d.se)));
                present_wrap(out, line, 2, 4, o->width);
            }
        }
        fputc('\n', out);
    }
    int wr = report_write(out, o->fmt, committed, r.e, &rr);
    fclose(out);
    int status = wr == 0 ? analyze_emit(o, buf, len) : EXIT_RUN;
    free(buf);
    free(pair);
    free(how);
    engine_free(r.e);
    scenario_free(r.sc);
    scenario_free(committed);
    return status;
}
