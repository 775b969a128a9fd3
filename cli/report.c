/* report.c -- table, JSON and CSV output of a run. See report.h.
 *
 * The table is laid out for the width the reader chose (present/table.h):
 * the statistics that do not fit give way (p25 and p75 first, then the
 * median), long labels and notes wrap, and the structures compared side by
 * side run on in blocks. */
#include "report.h"

#include "../present/format.h"
#include "../present/table.h"
#include "../present/text.h"

#include <gsl/gsl_histogram.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HIST_BINS 20

/* ---------------------------------------------------------------- table */

/* The label a table shows: a tranche's metrics sit under the tranche's
 * heading, so its name is dropped from their labels. */
/* "s" after a count other than one: "1 future", "2 futures". */
static const char *plural(uint64_t n) { return n == 1 ? "" : "s"; }

static const char *shown_label(const metric_info *m) {
    if (m->tranche == SIZE_MAX || m->stem[0] == '\0') return m->label;
    const char *name = m->key, *colon = strstr(m->key, ": ");
    if (colon) name = colon + 2; /* a blend's part: "part: tranche.stem" */
    size_t n = strlen(name) - strlen(m->stem) - 1;
    if (strncmp(m->label, name, n) == 0 && m->label[n] == ' ') return m->label + n + 1;
    return m->label;
}

/* The statistics of a run's table: all seven with --wide; without, p25
 * and p75 are left out, and where even the five do not fit (a currency
 * without a symbol in 80 columns) the median gives way, then p95 and p5. */
static const char *const stat_heads[] = {"mean", "± SE", "p5", "p25", "median", "p75", "p95"};
static const int stat_drop[] = {0, 0, 3, 9, 4, 9, 3};

/* The label column of every table of a report: as wide as the longest
 * label (and a tranche's indent), at most 56 columns. */
static int label_width(const engine *e) {
    size_t w = 30;
    for (size_t i = 0; i < engine_metric_count(e); i++) {
        size_t n = strlen(shown_label(engine_metric(e, i))) + 2;
        if (n > w) w = n;
    }
    return (int)(w > 56 ? 56 : w);
}

/* A table of the statistics (t's columns: stat_heads) for the width, its
 * label column lw wide where the width allows. */
static present_table *stat_table(int width, int lw) {
    present_table *t = present_table_new(7, stat_heads, stat_drop);
    if (t == NULL) return NULL;
    present_table_label_min(t, 30);
    present_table_label_width(t, lw);
    present_table_col_min(t, 8);
    if (width > 0) {
        present_table_hide(t, 3);
        present_table_hide(t, 5);
    }
    return t;
}

/* Print t within width and free it. */
static void print_table(FILE *out, present_table *t, int width) {
    if (t == NULL) return;
    present_table_print(out, t, width, present_unicode());
    present_table_free(t);
}

/* A line of text wrapped to the width, continuation lines indented by 2
 * more. */
static void text(FILE *out, int indent, int width, const char *s) {
    present_wrap(out, s, indent, indent + 2, width);
}

/* What became of the IRR in every future: a single IRR, -100% (counted in
 * the distribution), or no IRR (left out of it, by reason). */
static void irr_outcomes(present_table *t, const engine *e, size_t i, int indent) {
    irr_counts c;
    if (engine_irr_counts(e, i, &c) != SIB_OK) return;
    uint64_t undefined =
        c.nothing_drawn + c.no_sign_change + c.several_roots + c.no_root + c.no_convergence;
    uint64_t all = c.defined + c.total_loss + undefined;
    if (c.total_loss == 0 && undefined == 0) return;
    char a[32], b[32], x[32], note[1024];
    size_t n = (size_t)snprintf(note, sizeof note, "(of %s future%s: one IRR in %s",
                                present_count(a, sizeof a, all), plural(all),
                                present_count(b, sizeof b, c.defined));
    if (c.total_loss && n < sizeof note)
        n += (size_t)snprintf(note + n, sizeof note - n, ", -100%% (nothing came back) in %s",
                              present_count(x, sizeof x, c.total_loss));
    if (undefined && n < sizeof note) {
        n += (size_t)snprintf(note + n, sizeof note - n, "; no IRR, left out of the distribution, in %s:",
                              present_count(x, sizeof x, undefined));
        const struct {
            uint64_t n;
            const char *why;
        } r[] = {{c.nothing_drawn, "nothing drawn"},
                 {c.no_sign_change, "money only came in"},
                 {c.several_roots, "several IRRs"},
                 {c.no_root, "no rate gives a zero NPV (money back, then more lost)"},
                 {c.no_convergence, "solver failed"}};
        int first = 1;
        for (size_t k = 0; k < 5 && n < sizeof note; k++)
            if (r[k].n) {
                n += (size_t)snprintf(note + n, sizeof note - n, "%s %s %s", first ? "" : ",", r[k].why,
                                      present_count(x, sizeof x, r[k].n));
                first = 0;
            }
    }
    if (n < sizeof note) snprintf(note + n, sizeof note - n, ")");
    present_table_text(t, indent, indent + 1, note);
}

/* The "± SE" cell of a summary: its standard error (of a difference, when
 * change: percentage points for shares and rates), or "n/a" when the mean
 * stands on a single future (an SE needs two: stats.h), or "" when the
 * statistic has no SE at all. */
static const char *se_cell(char *buf, size_t size, const char *currency, metric_unit unit,
                           const stats_summary *s, int change) {
    if (isnan(s->se) && !isnan(s->mean) && s->n < 2) {
        snprintf(buf, size, "n/a");
        return buf;
    }
    return change ? present_change_se(buf, size, currency, unit, s->se)
                  : present_se(buf, size, currency, unit, s->se);
}

static void table_row(present_table *t, const scenario *sc, const engine *e, size_t i,
                      int indent) {
    const metric_info *m = engine_metric(e, i);
    stats_summary s;
    engine_summary(e, i, &s);
    const char *cur = sc->currency;
    metric_unit unit = m->kind == METRIC_INDICATOR ? UNIT_SHARE : m->unit;
    /* Undefined in every future: left out, but for the aggregates that
     * apply here, which say why they have no value (a ratio without a
     * denominator does not apply: a structure's cost per true outcome when
     * the scenario has several outcomes). */
    const int ratio = m->kind == METRIC_RATIO && m->num[0] != SIZE_MAX && m->den[0] != SIZE_MAX;
    /* A tranche's IRR future by future stays, as n/a, with its count of
     * futures by reason: "no IRR in any future" is a finding, not a row
     * to leave out. */
    const int tranche_irr = m->tranche != SIZE_MAX && strcmp(m->stem, "irr") == 0;
    if (s.n == 0 && m->kind != METRIC_POOLED_IRR && !ratio && !tranche_irr) return;
    char v[7][48];
    const char *cells[7] = {NULL};
    /* A mean of money beside an SE below a unit has the SE's decimals. */
    cells[0] = unit == UNIT_MONEY ? present_money_beside_se(v[0], sizeof v[0], cur, s.mean, s.se)
                                  : present_value(v[0], sizeof v[0], cur, unit, s.mean);
    cells[1] = se_cell(v[1], sizeof v[1], cur, unit, &s, 0);
    if (m->kind == METRIC_VALUE) {
        const double q[] = {s.p05, s.p25, s.p50, s.p75, s.p95};
        for (size_t k = 0; k < 5; k++) cells[2 + k] = present_value(v[2 + k], sizeof v[2 + k], cur, unit, q[k]);
    }
    present_table_row(t, indent, shown_label(m), cells, -1);
    if (tranche_irr) {
        irr_outcomes(t, e, i, 2 + indent);
    } else if (m->kind == METRIC_POOLED_IRR && isnan(s.mean)) {
        present_table_text(t, 2 + indent, 3 + indent, "(the expected cash flows have no single IRR)");
    } else if (ratio && isnan(s.mean)) {
        /* A ratio of expectations whose denominator's is not above zero:
         * no capital ever drawn, or no outcome caused on average. */
        present_table_text(t, 2 + indent, 3 + indent,
                           "(none: the expectation it divides by is not above zero)");
    } else if (s.undefined > 0 && m->kind == METRIC_VALUE) {
        char n1[32], n2[32], note[160];
        snprintf(note, sizeof note, "(over the %s of %s future%s where it is defined)",
                 present_count(n1, sizeof n1, s.n), present_count(n2, sizeof n2, s.undefined + s.n),
                 plural(s.undefined + s.n));
        present_table_text(t, 2 + indent, 3 + indent, note);
    }
}

/* A horizontal bar chart of metric i over HIST_BINS/2 bins from min to
 * max: each bin's range, its share of the futures and a bar. */
static void table_histogram(FILE *out, const scenario *sc, const engine *e, size_t i, int width) {
    const metric_info *m = engine_metric(e, i);
    stats_summary s;
    engine_summary(e, i, &s);
    if (s.n == 0) return;
    char lo[48], hi[48], share[32], head[400];
    fputc('\n', out);
    char n[32];
    snprintf(head, sizeof head, "%s: distribution over %s future%s", m->label,
             present_count(n, sizeof n, s.n), plural(s.n));
    text(out, 2, width, head);
    if (s.max <= s.min) {
        fprintf(out, "    every future: %s\n", present_value(lo, sizeof lo, sc->currency, m->unit, s.min));
        return;
    }
    const size_t bins = HIST_BINS / 2;
    gsl_histogram *h = gsl_histogram_alloc(bins);
    present_table *t = present_table_new(4, NULL, NULL);
    if (h == NULL || t == NULL) {
        gsl_histogram_free(h);
        present_table_free(t);
        return;
    }
    /* The top edge is nudged up so that the maximum lands in the last bin
     * (GSL's bins are half-open, [lower, upper)). */
    gsl_histogram_set_ranges_uniform(h, s.min, s.max + (s.max - s.min) * 1e-9);
    stats_acc_fill_histogram(engine_stats(e, i), h);
    double top = gsl_histogram_max_val(h);
    for (size_t k = 0; k < bins; k++) {
        double l, u, cnt = gsl_histogram_get(h, k);
        gsl_histogram_get_range(h, k, &l, &u);
        snprintf(share, sizeof share, "%.1f%%", 100 * cnt / (double)s.n);
        const char *cells[] = {present_value(lo, sizeof lo, sc->currency, m->unit, l), "to",
                               present_value(hi, sizeof hi, sc->currency, m->unit, u), share};
        present_table_row(t, 2, "", cells, top > 0 ? cnt / top : 0);
    }
    gsl_histogram_free(h);
    print_table(out, t, width);
}

static void table_group(FILE *out, const scenario *sc, const engine *e, const char *group,
                        int width) {
    present_table *t = stat_table(width, label_width(e));
    if (t == NULL) return;
    for (size_t i = 0; i < engine_metric_count(e); i++)
        if (strcmp(engine_metric(e, i)->group, group) == 0) table_row(t, sc, e, i, 0);
    print_table(out, t, width);
}

/* What a compare row shows of a metric. */
typedef enum { SHOW_MEAN, SHOW_P95, SHOW_WORST } show_stat;

/* The structures side by side: one row a measure, one column a structure
 * (headed by its name and type, over several lines when long), each cell
 * over the same futures. Columns that do not fit run on in blocks. */
static void table_compare(FILE *out, const scenario *sc, const engine *e, int width) {
    static const struct {
        const char *key, *label;
        show_stat stat;
    } rows[] = {
        {"commissioner.total", "Commissioner pays (mean)", SHOW_MEAN},
        {"commissioner.total", "  ... mean of the costliest 5% of futures", SHOW_WORST},
        {"commissioner.pv", "  ... present value (mean)", SHOW_MEAN},
        {"commissioner.max_annual", "Largest outlay in any 12 months (p95)", SHOW_P95},
        {"commissioner.cost_per_true_outcome", "Cost per true outcome (E[paid]/E[true])", SHOW_MEAN},
        {"commissioner.spent_without_effect", "Spent when nothing truly improved", SHOW_MEAN},
        {"net_value", "Net value (outcomes' value - PV paid)", SHOW_MEAN},
        {"provider.surplus", "Provider surplus (mean)", SHOW_MEAN},
        {"provider.p_loss", "P(provider loss)", SHOW_MEAN},
        {"peak_capital", "Largest capital outstanding (mean)", SHOW_MEAN},
    };
    size_t nf = sc->n_financing;
    char **heads = calloc(nf + 1, sizeof *heads);
    char(*cells)[48] = calloc(nf + 1, sizeof *cells);
    const char **cp = calloc(nf + 1, sizeof *cp);
    present_table *t = NULL;
    if (heads && cells && cp) {
        for (size_t f = 0; f < nf; f++) {
            heads[f] = malloc(2 * SCENARIO_NAME_MAX + 40);
            if (heads[f])
                snprintf(heads[f], 2 * SCENARIO_NAME_MAX + 40, "%s\n(%s)", sc->financing[f].name,
                         present_financing_type(sc->financing[f].type));
        }
        t = present_table_new(nf, (const char *const *)heads, NULL);
    }
    char n[32];
    fprintf(out, "\nFinancing compared on the same %s future%s\n",
            present_count(n, sizeof n, engine_paths_done(e)), plural(engine_paths_done(e)));
    for (size_t r = 0; t && r < sizeof rows / sizeof rows[0]; r++) {
        int any = 0;
        for (size_t f = 0; f < nf; f++) {
            size_t i = engine_find_metric(e, sc->financing[f].name, rows[r].key);
            cells[f][0] = '\0';
            cp[f] = cells[f];
            if (i == (size_t)-1) continue;
            stats_summary s;
            engine_summary(e, i, &s);
            const metric_info *m = engine_metric(e, i);
            double x = rows[r].stat == SHOW_P95     ? s.p95
                       : rows[r].stat == SHOW_WORST ? engine_worst_mean(e, i, 0.05)
                                                    : s.mean;
            if (isnan(x)) continue;
            present_value(cells[f], sizeof cells[f], sc->currency,
                          m->kind == METRIC_INDICATOR ? UNIT_SHARE : m->unit, x);
            any = 1;
        }
        if (any) present_table_row(t, 0, rows[r].label, cp, -1);
    }
    if (t) {
        present_table_head_width(t, 15);
        present_table_col_min(t, 10);
        print_table(out, t, width);
    }
    /* The provider's surplus is not one measure across the columns when
     * payment by results sits beside another structure: say so. */
    int pbr = 0, other = 0;
    for (size_t f = 0; f < nf; f++) {
        if (sc->financing[f].type == FIN_PBR) pbr = 1;
        else if (sc->financing[f].type != FIN_GRANT) other = 1;
    }
    if (t && pbr && other)
        text(out, 2, width,
             "Provider surplus and P(provider loss): for payment by results, the present value "
             "of the provider's flows at its cost of capital; for the others, its cash (a fee's "
             "margin; a bond's share of the surplus less the costs nobody funded).");
    for (size_t f = 0; heads && f < nf; f++) free(heads[f]);
    free(heads);
    free(cells);
    free(cp);
}

/* Whether metric i only says that a feature is unused: zero in every future
 * (no guarantee, no fee, no unfunded cost, no surplus), or, for the
 * capital-drawn rows, drawn in every future (the conditional figures then
 * equal the unconditional ones). */
static int quiet_row(const engine *e, size_t i) {
    const metric_info *m = engine_metric(e, i);
    static const char *const zero_stems[] = {"guaranteed", "guarantee_fees", NULL};
    static const char *const zero_keys[] = {"provider.", "unfunded", "returned", "guarantor.", NULL};
    int quiet = 0;
    for (const char *const *k = zero_stems; *k; k++) quiet |= strcmp(m->stem, *k) == 0;
    for (const char *const *k = zero_keys; *k; k++) quiet |= strncmp(m->key, *k, strlen(*k)) == 0;
    stats_summary z;
    if (quiet) {
        engine_summary(e, i, &z);
        return z.n > 0 && z.min == 0 && z.max == 0;
    }
    if (m->tranche == SIZE_MAX) return 0;
    if (strcmp(m->stem, "drawn_any") == 0 || strcmp(m->stem, "p_loss_given_drawn") == 0 ||
        strcmp(m->stem, "full_repayment_given_drawn") == 0) {
        /* The tranche's P(capital drawn): find it beside this metric. */
        for (size_t j = 0; j < engine_metric_count(e); j++) {
            const metric_info *x = engine_metric(e, j);
            if (x->fin == m->fin && x->tranche == m->tranche && x->role == m->role &&
                strcmp(x->stem, "drawn_any") == 0) {
                engine_summary(e, j, &z);
                return z.n > 0 && z.min == 1;
            }
        }
    }
    return 0;
}

/* One structure in detail: each investor tranche, then the commissioner,
 * provider and capital measures. */
static void table_structure(FILE *out, const scenario *sc, const engine *e, size_t f, int width) {
    const financing *fin = &sc->financing[f];
    char head[4096];
    size_t n = (size_t)snprintf(head, sizeof head, "%s (%s)", fin->name, present_financing_type(fin->type));
    if (fin->type == FIN_BY_STAGE) {
        n += (size_t)snprintf(head + n, sizeof head - n, ":");
        for (size_t s = 0; s < sc->n_stages && n < sizeof head; s++)
            n += (size_t)snprintf(head + n, sizeof head - n, "%s %s -> %s", s ? "," : "",
                                  sc->stages[s].name, sc->financing[fin->stage_part[s]].name);
    }
    fputc('\n', out);
    text(out, 0, width, head);
    present_table *t = stat_table(width, label_width(e));
    if (t == NULL) return;
    /* Investors first, what an investor reads first: tranche by tranche. */
    size_t last_tranche = SIZE_MAX;
    for (size_t i = 0; i < engine_metric_count(e); i++) {
        const metric_info *m = engine_metric(e, i);
        if (m->role != ROLE_OWN || m->fin != f || m->tranche == SIZE_MAX) continue;
        if (m->tranche != last_tranche) {
            last_tranche = m->tranche;
            size_t k = strlen(m->key) - strlen(m->stem) - 1;
            char line[SCENARIO_NAME_MAX * 2 + 32];
            snprintf(line, sizeof line, "Investor: %.*s", (int)k, m->key);
            present_table_text(t, 0, 2, line);
        }
        if (!quiet_row(e, i)) table_row(t, sc, e, i, 2);
        if (strcmp(m->stem, "moic") == 0) {
            char buf[48], line[160];
            double worst = engine_worst_mean(e, i, 0.05);
            snprintf(line, sizeof line, "(mean multiple in the worst 5%% of futures: %s)",
                     present_value(buf, sizeof buf, sc->currency, UNIT_MULTIPLE, worst));
            if (!isnan(worst)) present_table_text(t, 4, 5, line);
        }
    }
    if (last_tranche != SIZE_MAX) present_table_text(t, 0, 2, "Commissioner, provider and capital");
    for (size_t i = 0; i < engine_metric_count(e); i++) {
        const metric_info *m = engine_metric(e, i);
        if (m->role != ROLE_OWN || m->fin != f || m->tranche != SIZE_MAX) continue;
        if (!quiet_row(e, i)) table_row(t, sc, e, i, last_tranche != SIZE_MAX ? 2 : 0);
    }
    print_table(out, t, width);
}

/* The metrics of A, or of B (b set), that the other has not: not in the
 * comparison's table, so named under it -- those of a structure without a
 * partner excepted, which are named with the pairs. At most 16 a side, then
 * how many more. */
static void unpaired_metrics(FILE *out, const engine *e, const report_run *run, int b,
                             const char *heading, int *headed) {
    const size_t nm = engine_metric_count(e);
    const size_t nb = run->scenario_b->n_financing;
    char *partnered = calloc(nm + nb + 1, 1); /* B's metrics with a partner, B's structures */
    if (partnered == NULL) return;
    for (size_t i = 0; i < nm; i++) {
        const metric_info *m = engine_metric(e, i);
        if (m->role == ROLE_OWN && m->diff != SIZE_MAX && m->twin != SIZE_MAX)
            partnered[m->twin] = 1;
        if (m->role == ROLE_OWN && m->fin != SIZE_MAX && run->pair[m->fin] < nb)
            partnered[nm + run->pair[m->fin]] = 1;
    }
    size_t shown = 0, more = 0;
    char line[1024];
    for (size_t i = 0; i < nm; i++) {
        const metric_info *m = engine_metric(e, i);
        if (m->role != (b ? ROLE_TWIN : ROLE_OWN)) continue;
        if (b ? partnered[i] : m->diff != SIZE_MAX) continue;
        if (m->fin != SIZE_MAX && (b ? m->fin >= nb || !partnered[nm + m->fin]
                                     : run->pair[m->fin] == SIZE_MAX))
            continue; /* its structure has no partner: said above */
        if (shown == 16) {
            more++;
            continue;
        }
        if (!*headed) {
            fputc('\n', out);
            text(out, 0, run->width, heading);
            *headed = 1;
        }
        snprintf(line, sizeof line, "%s only: %s: %s", b ? "B" : "A", m->group, m->label);
        text(out, 2, run->width, line);
        shown++;
    }
    if (more) {
        snprintf(line, sizeof line, "%s only: and %zu more", b ? "B" : "A", more);
        text(out, 2, run->width, line);
    }
    free(partnered);
}

/* Two scenarios on common random numbers: every metric they share, with
 * the mean of each and the paired difference B - A with its standard error;
 * how their structures were paired, and what has no partner. */
static int write_compare(FILE *out, const scenario *sc, const engine *e, const report_run *run) {
    char n[32], line[1024];
    const int width = run->width;
    const scenario *b = run->scenario_b;
    snprintf(line, sizeof line, "A: %s", sc->name);
    text(out, 0, width, line);
    snprintf(line, sizeof line, "B: %s", b->name);
    text(out, 0, width, line);
    snprintf(
        line, sizeof line,
        "%s path%s on common random numbers (%sseed %llu%s, generator %s), %u thread%s, %.2f s",
        present_count(n, sizeof n, engine_paths_done(e)), plural(engine_paths_done(e)),
        run->seed_given ? "" : "A's ", (unsigned long long)sc->sim.seed,
        run->seed_given ? " from --seed" : "", sc->sim.rng, run->threads,
        run->threads == 1 ? "" : "s", run->seconds);
    text(out, 2, width, line);
    if (run->pair != NULL && (sc->n_financing || b->n_financing)) {
        static const char *const why[] = {"no partner", "--pair", "same name", "same position"};
        fprintf(out, "  financing structures paired:\n");
        int *taken = calloc(b->n_financing + 1, sizeof *taken);
        for (size_t f = 0; f < sc->n_financing; f++) {
            size_t p = run->pair[f];
            if (p == SIZE_MAX) {
                snprintf(line, sizeof line, "A \"%s\" has no partner in B: its differences are not shown",
                         sc->financing[f].name);
                text(out, 4, width, line);
                continue;
            }
            if (taken) taken[p] = 1;
            snprintf(line, sizeof line, "A \"%s\" with B \"%s\" (%s)", sc->financing[f].name,
                     b->financing[p].name, why[run->how[f]]);
            text(out, 4, width, line);
        }
        for (size_t p = 0; taken && p < b->n_financing; p++)
            if (!taken[p]) {
                snprintf(line, sizeof line, "B \"%s\" has no partner in A: shown in --format csv or json only",
                         b->financing[p].name);
                text(out, 4, width, line);
            }
        free(taken);
    }
    static const char *const heads[] = {"A", "B", "B - A", "± SE"};
    present_table *t = NULL;
    const char *group = "";
    size_t unit = SIZE_MAX; /* the tranche whose metrics are being listed */
    for (size_t i = 0; i < engine_metric_count(e); i++) {
        const metric_info *m = engine_metric(e, i);
        if (m->role != ROLE_OWN || m->diff == SIZE_MAX) continue;
        stats_summary sa, sb, sd;
        engine_summary(e, i, &sa);
        engine_summary(e, m->twin, &sb);
        engine_summary(e, m->diff, &sd);
        if (sa.n == 0 && sb.n == 0) continue;
        if (strcmp(group, m->group) != 0) {
            print_table(out, t, width);
            group = m->group;
            unit = SIZE_MAX;
            const metric_info *tw = engine_metric(e, m->twin);
            if (strcmp(tw->group, m->group) == 0) snprintf(line, sizeof line, "%s", group);
            else snprintf(line, sizeof line, "%s (B: %s)", group, tw->group);
            fputc('\n', out);
            text(out, 0, width, line);
            t = present_table_new(4, heads, NULL);
            if (t == NULL) return -1;
            present_table_label_width(t, label_width(e));
            present_table_col_min(t, 9);
        }
        metric_unit mu = m->kind == METRIC_INDICATOR ? UNIT_SHARE : m->unit;
        if (m->tranche != unit) { /* a tranche's metrics under its name, as in run */
            unit = m->tranche;
            if (unit != SIZE_MAX) {
                size_t na = strlen(m->key) - strlen(m->stem) - 1;
                const metric_info *tw = engine_metric(e, m->twin);
                size_t nb = strlen(tw->key) - strlen(tw->stem) - 1;
                if (nb == na && strncmp(tw->key, m->key, na) == 0)
                    snprintf(line, sizeof line, "Investor: %.*s", (int)na, m->key);
                else
                    snprintf(line, sizeof line, "Investor: %.*s (B: %.*s)", (int)na, m->key,
                             (int)nb, tw->key);
                present_table_text(t, 0, 2, line);
            }
        }
        char v[4][48];
        const char *cells[] = {present_value(v[0], sizeof v[0], sc->currency, mu, sa.mean),
                               present_value(v[1], sizeof v[1], sc->currency, mu, sb.mean),
                               present_change(v[2], sizeof v[2], sc->currency, mu, sd.mean),
                               se_cell(v[3], sizeof v[3], sc->currency, mu, &sd, 1)};
        present_table_row(t, unit != SIZE_MAX ? 2 : 0, shown_label(m), cells, -1);
        /* A future-by-future value that some futures lack (an IRR, a
         * multiple when no capital went in): A's mean is over A's futures
         * that have it, B's over B's, B - A over those where both have it,
         * so B - A need not be B's mean less A's. Said where it happens. */
        if (m->kind == METRIC_VALUE && sd.n > 0 && (sd.n != sa.n || sd.n != sb.n)) {
            char na[32], nb[32], nd[32];
            snprintf(line, sizeof line,
                     "(B - A over the %s future%s where both are defined; A's mean over %s, B's "
                     "over %s)",
                     present_count(nd, sizeof nd, sd.n), plural(sd.n),
                     present_count(na, sizeof na, sa.n), present_count(nb, sizeof nb, sb.n));
            present_table_text(t, unit != SIZE_MAX ? 6 : 4, unit != SIZE_MAX ? 7 : 5, line);
        }
    }
    print_table(out, t, width);
    if (run->pair != NULL) {
        static const char heading[] = "Not compared, as only one of A and B has them (they are "
                                      "in --format csv and json):";
        int headed = 0;
        unpaired_metrics(out, e, run, 0, heading, &headed);
        unpaired_metrics(out, e, run, 1, heading, &headed);
    }
    fprintf(out, "\nB - A is averaged path by path: its ± SE is that of a paired comparison.\n"
                 "Differences of probabilities and rates are in percentage points (pp).\n");
    return ferror(out) ? -1 : 0;
}

static const char *shown_group(const metric_info *m, char *buf, size_t size) {
    if (m->role == ROLE_TWIN) snprintf(buf, size, "[B] %s", m->group);
    else if (m->role == ROLE_DIFF) snprintf(buf, size, "[B-A] %s", m->group);
    else snprintf(buf, size, "%s", m->group);
    return buf;
}


static int write_table(FILE *out, const scenario *sc, const engine *e, const report_run *run) {
    if (run->scenario_b) return write_compare(out, sc, e, run);
    const int width = run->width;
    char n[32], b[48], line[1024];
    /* The case is named as compare names it: "NAME, case "CASE"". */
    if (run->case_name) snprintf(line, sizeof line, "%s, case \"%s\"", sc->name, run->case_name);
    text(out, 0, width, run->case_name ? line : sc->name);
    snprintf(line, sizeof line,
             "%s path%s, seed %llu, generator %s, %u thread%s, %.2f s; currency %s",
             present_count(n, sizeof n, engine_paths_done(e)), plural(engine_paths_done(e)),
             (unsigned long long)sc->sim.seed, sc->sim.rng, run->threads,
             run->threads == 1 ? "" : "s", run->seconds, sc->currency);
    text(out, 2, width, line);
    snprintf(line, sizeof line, "scenario: %s", run->scenario_file);
    text(out, 2, width, line);

    if (sc->n_financing > 1) table_compare(out, sc, e, width);
    for (size_t f = 0; f < sc->n_financing; f++) {
        table_structure(out, sc, e, f, width);
        /* The distribution of the first tranche's multiple: what an investor reads first. */
        for (size_t i = 0; i < engine_metric_count(e); i++) {
            const metric_info *m = engine_metric(e, i);
            size_t kl = strlen(m->key);
            if (strcmp(m->group, sc->financing[f].name) == 0 && kl >= 5 &&
                strcmp(m->key + kl - 5, ".moic") == 0) {
                table_histogram(out, sc, e, i, width);
                break;
            }
        }
    }

    fprintf(out, "\nOutcome payments under the contract (PV at %.1f%%)\n",
            100 * sc->sim.discount_rate);
    table_group(out, sc, e, "commissioner", width);
    size_t pay = engine_find_metric(e, "commissioner", "payments.total");
    if (pay != (size_t)-1) table_histogram(out, sc, e, pay, width);

    double cost = 0;
    for (size_t t = 0; t < engine_periods(e); t++) cost += engine_costs(e)[t];
    snprintf(line, sizeof line, "Programme: %s participants and delivery cost %s as planned",
             present_whole(n, sizeof n, scenario_participants(sc)),
             present_money(b, sizeof b, sc->currency, cost));
    fputc('\n', out);
    text(out, 0, width, line);
    table_group(out, sc, e, "programme", width);
    fputc('\n', out);
    text(out, 0, width, "Means are over simulated futures; ± SE is their Monte Carlo standard error.");
    return ferror(out) ? -1 : 0;
}

/* ----------------------------------------------------------------- JSON */

static const char *kind_name(metric_kind k) {
    switch (k) {
    case METRIC_VALUE: return "value";
    case METRIC_INDICATOR: return "probability";
    case METRIC_RATIO: return "ratio";
    case METRIC_POOLED_IRR: return "pooled_irr";
    }
    return "?";
}

/* The side of a metric that hurts its party, for the worst-5% columns. */
static const char *side_name(metric_side b) {
    return b == SIDE_HIGH ? "high" : b == SIDE_LOW ? "low" : "";
}

/* The tranche or guarantee (guar set) a metric belongs to, or SIZE_MAX. */
static size_t unit_of(const metric_info *m, int guar) {
    return guar ? m->guarantee : m->tranche;
}

/* The investor tranches (or, guar set, the guarantees) of financing
 * structure f, in the order of their metrics: of A (the compare engine's
 * own metrics, b unset) or of B (its twins, b set). index[k] is the k-th's
 * index in the structure, first[k] its first metric. Returns how many, at
 * most `room`. */
static size_t structure_units(const engine *e, size_t f, int b, int guar, size_t room,
                              size_t *index, size_t *first) {
    size_t n = 0;
    for (size_t i = 0; i < engine_metric_count(e); i++) {
        const metric_info *m = engine_metric(e, i);
        if (m->role != (b ? ROLE_TWIN : ROLE_OWN) || m->fin != f || unit_of(m, guar) == SIZE_MAX)
            continue;
        size_t k = 0;
        while (k < n && index[k] != unit_of(m, guar)) k++;
        if (k < n || n == room) continue;
        index[n] = unit_of(m, guar);
        first[n++] = i;
    }
    return n;
}

/* A tranche's or a guarantee's name from one of its metrics, into buf: the
 * key without ".stem" (a blend's part included, "part: tranche"), as the
 * table heads it, and without a guarantee's "guarantor." in front. */
static const char *unit_name(char *buf, size_t size, const metric_info *m, int guar) {
    size_t k = strlen(m->key) - strlen(m->stem) - 1;
    static const char prefix[] = "guarantor.";
    const size_t skip =
        guar && strncmp(m->key, prefix, sizeof prefix - 1) == 0 ? sizeof prefix - 1 : 0;
    snprintf(buf, size, "%.*s", (int)(k - skip), m->key + skip);
    return buf;
}

/* JSON: `, "tranches": [...]` (or, guar set, `, "guarantees": [...]`), how
 * the investor tranches (guarantees) of A's structure fa and B's structure
 * fb (SIZE_MAX: none) were paired, as the engine paired them (by name, then
 * by position): one entry for each of A's, in order, then each of B's
 * without a partner, as {"a": NAME or null, "b": NAME or null, "how": "same
 * name", "same position" or "no partner"}. The pairing is read from the
 * metrics' twins: a tranche of A is paired with the tranche of B its
 * metrics are compared with. */
static void json_unit_pairs(FILE *out, const engine *e, size_t fa, size_t fb, int guar) {
    enum { ROOM = 256 };
    size_t ia[ROOM], ma[ROOM], ib[ROOM], mb[ROOM];
    size_t na = fa == SIZE_MAX ? 0 : structure_units(e, fa, 0, guar, ROOM, ia, ma);
    size_t nb = fb == SIZE_MAX ? 0 : structure_units(e, fb, 1, guar, ROOM, ib, mb);
    char taken[ROOM] = {0}, na_buf[sizeof ((metric_info *)0)->key],
         nb_buf[sizeof ((metric_info *)0)->key];
    fprintf(out, ", \"%s\": [", guar ? "guarantees" : "tranches");
    int k = 0;
    for (size_t u = 0; u < na; u++, k++) {
        /* B's tranche: the twin of any metric of this tranche that has one. */
        size_t partner = SIZE_MAX;
        for (size_t i = 0; i < engine_metric_count(e) && partner == SIZE_MAX; i++) {
            const metric_info *m = engine_metric(e, i);
            if (m->role != ROLE_OWN || m->fin != fa || unit_of(m, guar) != ia[u] ||
                m->twin == SIZE_MAX)
                continue;
            const metric_info *tw = engine_metric(e, m->twin);
            for (size_t v = 0; v < nb; v++)
                if (tw->fin == fb && unit_of(tw, guar) == ib[v]) partner = v;
        }
        unit_name(na_buf, sizeof na_buf, engine_metric(e, ma[u]), guar);
        fprintf(out, "%s{\"a\": ", k ? ", " : "");
        present_json_string(out, na_buf);
        fputs(", \"b\": ", out);
        const char *how = "no partner";
        if (partner == SIZE_MAX) {
            fputs("null", out);
        } else {
            unit_name(nb_buf, sizeof nb_buf, engine_metric(e, mb[partner]), guar);
            how = strcmp(na_buf, nb_buf) == 0 ? "same name" : "same position";
            present_json_string(out, nb_buf);
            taken[partner] = 1;
        }
        fprintf(out, ", \"how\": \"%s\"}", how);
    }
    for (size_t v = 0; v < nb; v++)
        if (!taken[v]) {
            fprintf(out, "%s{\"a\": null, \"b\": ", k++ ? ", " : "");
            present_json_string(out, unit_name(nb_buf, sizeof nb_buf, engine_metric(e, mb[v]), guar));
            fputs(", \"how\": \"no partner\"}", out);
        }
    fputc(']', out);
}

static int write_json(FILE *out, const scenario *sc, const engine *e, const report_run *run) {
    fprintf(out, "{\n  \"sibsim\": ");
    present_json_string(out, SIBSIM_VERSION);
    fprintf(out, ",\n  \"scenario\": {\"name\": ");
    present_json_string(out, sc->name);
    fprintf(out, ", \"file\": ");
    present_json_string(out, run->scenario_file);
    fprintf(out, ", \"currency\": ");
    present_json_string(out, sc->currency);
    fprintf(out, "},\n  \"run\": {\"paths\": %llu, \"seed\": %llu, \"rng\": ",
            (unsigned long long)engine_paths_done(e), (unsigned long long)sc->sim.seed);
    present_json_string(out, sc->sim.rng);
    fprintf(out, ", \"threads\": %u, \"seconds\": %.3f, \"block_paths\": %u},\n", run->threads,
            run->seconds, ENGINE_BLOCK_PATHS);
    if (run->scenario_b != NULL && run->pair != NULL) {
        /* Which of B's structures each of A's was compared with, as the
         * table says: the [B-A] groups are named after A's. */
        static const char *const why[] = {"no partner", "--pair", "same name", "same position"};
        const scenario *b = run->scenario_b;
        char *taken = calloc(b->n_financing + 1, 1);
        fprintf(out, "  \"pairs\": [");
        int k = 0;
        for (size_t f = 0; f < sc->n_financing; f++, k++) {
            const size_t p = run->pair[f];
            fprintf(out, "%s\n    {\"a\": ", k ? "," : "");
            present_json_string(out, sc->financing[f].name);
            fputs(", \"b\": ", out);
            if (p == SIZE_MAX) fputs("null", out);
            else present_json_string(out, b->financing[p].name);
            fprintf(out, ", \"how\": \"%s\"", why[p == SIZE_MAX ? PAIR_NONE : run->how[f]]);
            json_unit_pairs(out, e, f, p, 0);
            json_unit_pairs(out, e, f, p, 1);
            fputc('}', out);
            if (p != SIZE_MAX && taken) taken[p] = 1;
        }
        for (size_t p = 0; taken && p < b->n_financing; p++)
            if (!taken[p]) {
                fprintf(out, "%s\n    {\"a\": null, \"b\": ", k++ ? "," : "");
                present_json_string(out, b->financing[p].name);
                fputs(", \"how\": \"no partner\"", out);
                json_unit_pairs(out, e, SIZE_MAX, p, 0);
                json_unit_pairs(out, e, SIZE_MAX, p, 1);
                fputc('}', out);
            }
        free(taken);
        fprintf(out, "\n  ],\n");
    }
    fprintf(out, "  \"metrics\": [");
    for (size_t i = 0; i < engine_metric_count(e); i++) {
        const metric_info *m = engine_metric(e, i);
        stats_summary s;
        engine_summary(e, i, &s);
        char gbuf[SCENARIO_NAME_MAX + 8];
        fprintf(out, "%s\n    {\"group\": ", i ? "," : "");
        present_json_string(out, shown_group(m, gbuf, sizeof gbuf));
        fprintf(out, ", \"key\": ");
        present_json_string(out, m->key);
        fprintf(out, ", \"label\": ");
        present_json_string(out, m->label);
        fprintf(out, ", \"unit\": \"%s\", \"kind\": \"%s\", \"bad_side\": ",
                present_unit_name(m->unit), kind_name(m->kind));
        if (m->bad == SIDE_NONE) fputs("null", out);
        else fprintf(out, "\"%s\"", side_name(m->bad));
        fprintf(out, ",\n     \"n\": %llu, \"undefined\": %llu", (unsigned long long)s.n,
                (unsigned long long)s.undefined);
        double worst = engine_worst_mean(e, i, 0.05);
        const struct {
            const char *k;
            double v;
        } f[] = {{"mean", s.mean}, {"se", s.se},   {"sd", s.sd},   {"min", s.min},
                 {"p05", s.p05},   {"p25", s.p25}, {"p50", s.p50}, {"p75", s.p75},
                 {"p95", s.p95},   {"max", s.max}, {"worst05", worst}};
        for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) {
            fprintf(out, "%s\"%s\": ", k % 5 == 0 ? ",\n     " : ", ", f[k].k);
            present_json_number(out, f[k].v);
        }
        irr_counts c;
        if (m->stem[0] && strcmp(m->stem, "irr") == 0 && engine_irr_counts(e, i, &c) == SIB_OK)
            fprintf(out, ",\n     \"irr_outcomes\": {\"defined\": %llu, \"total_loss\": %llu, "
                         "\"nothing_drawn\": %llu, \"no_sign_change\": %llu, \"several_roots\": %llu, "
                         "\"no_root\": %llu, \"no_convergence\": %llu}",
                    (unsigned long long)c.defined, (unsigned long long)c.total_loss,
                    (unsigned long long)c.nothing_drawn, (unsigned long long)c.no_sign_change,
                    (unsigned long long)c.several_roots, (unsigned long long)c.no_root,
                    (unsigned long long)c.no_convergence);
        /* Histogram: HIST_BINS equal bins from min to max. */
        fprintf(out, ",\n     \"histogram\": ");
        if (m->kind == METRIC_VALUE && s.n > 0 && s.max > s.min) {
            gsl_histogram *h = gsl_histogram_alloc(HIST_BINS);
            if (h != NULL) {
                gsl_histogram_set_ranges_uniform(h, s.min, s.max + (s.max - s.min) * 1e-9);
                stats_acc_fill_histogram(engine_stats(e, i), h);
                fprintf(out, "{\"lower\": ");
                present_json_number(out, s.min);
                fprintf(out, ", \"upper\": ");
                present_json_number(out, s.max);
                fprintf(out, ", \"counts\": [");
                for (size_t k = 0; k < HIST_BINS; k++)
                    fprintf(out, "%s%.0f", k ? ", " : "", gsl_histogram_get(h, k));
                fprintf(out, "]}");
                gsl_histogram_free(h);
            } else {
                fputs("null", out);
            }
        } else {
            fputs("null", out);
        }
        fputc('}', out);
    }
    fprintf(out, "\n  ]\n}\n");
    return ferror(out) ? -1 : 0;
}

/* ------------------------------------------------------------------ CSV */

static int write_csv(FILE *out, const engine *e) {
    fputs("group,key,label,unit,kind,n,undefined,mean,se,sd,min,p05,p25,p50,p75,p95,max,worst05,"
          "bad_side\n",
          out);
    for (size_t i = 0; i < engine_metric_count(e); i++) {
        const metric_info *m = engine_metric(e, i);
        stats_summary s;
        engine_summary(e, i, &s);
        char gbuf[SCENARIO_NAME_MAX + 8];
        present_csv_field(out, shown_group(m, gbuf, sizeof gbuf));
        fputc(',', out);
        present_csv_field(out, m->key);
        fputc(',', out);
        present_csv_field(out, m->label);
        fprintf(out, ",%s,%s,%llu,%llu", present_unit_name(m->unit), kind_name(m->kind),
                (unsigned long long)s.n, (unsigned long long)s.undefined);
        double v[] = {s.mean, s.se,  s.sd,  s.min, s.p05, s.p25,
                      s.p50,  s.p75, s.p95, s.max, engine_worst_mean(e, i, 0.05)};
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) present_csv_number(out, v[k]);
        fprintf(out, ",%s\n", side_name(m->bad));
    }
    return ferror(out) ? -1 : 0;
}

int report_write(FILE *out, report_format fmt, const scenario *sc, const engine *e,
                 const report_run *run) {
    switch (fmt) {
    case FORMAT_TABLE: return write_table(out, sc, e, run);
    case FORMAT_JSON: return write_json(out, sc, e, run);
    case FORMAT_CSV: return write_csv(out, e);
    }
    return -1;
}
