/* report.c -- table, JSON and CSV output of a run. See report.h. */
#include "report.h"

#include "../present/format.h"

#include <gsl/gsl_histogram.h>
#include <math.h>
#include <string.h>

#define HIST_BINS 20

/* ---------------------------------------------------------------- table */

/* Width of the label column: the longest label, within [30, 56]. */
static int label_width(const engine *e) {
    size_t w = 30;
    for (size_t i = 0; i < engine_metric_count(e); i++) {
        size_t n = strlen(engine_metric(e, i)->label);
        if (n > w) w = n;
    }
    return (int)(w > 56 ? 56 : w);
}

static void table_header(FILE *out, int lw) {
    fprintf(out, "  %-*s", lw, "");
    const char *h[] = {"mean", "± SE", "p5", "p25", "median", "p75", "p95"};
    for (size_t k = 0; k < 7; k++) present_col(out, h[k], 10);
    fputc('\n', out);
}

static void table_row(FILE *out, const scenario *sc, const engine *e, size_t i, int lw) {
    const metric_info *m = engine_metric(e, i);
    stats_summary s;
    engine_summary(e, i, &s);
    char buf[48];
    const char *cur = sc->currency;
    metric_unit unit = m->kind == METRIC_INDICATOR ? UNIT_SHARE : m->unit;
    if (s.n == 0) return; /* undefined in every future: nothing to show */
    fprintf(out, "  %-*.*s", lw, lw, m->label);
    present_col(out, present_value(buf, sizeof buf, cur, unit, s.mean), 10);
    present_col(out, present_se(buf, sizeof buf, cur, unit, s.se), 10);
    if (m->kind != METRIC_INDICATOR) {
        const double q[] = {s.p05, s.p25, s.p50, s.p75, s.p95};
        for (size_t k = 0; k < 5; k++) present_col(out, present_value(buf, sizeof buf, cur, unit, q[k]), 10);
    }
    fputc('\n', out);
    if (s.undefined > 0) {
        char n1[32], n2[32];
        fprintf(out, "  %-*s undefined on %s of %s paths%s\n", lw, "",
                present_count(n1, sizeof n1, s.undefined),
                present_count(n2, sizeof n2, s.undefined + s.n),
                m->unit == UNIT_RATE ? " (no IRR: nothing drawn, or no sign change)" : "");
    }
}

/* A horizontal bar chart of metric i over HIST_BINS/2 bins from min to max. */
static void table_histogram(FILE *out, const scenario *sc, const engine *e, size_t i) {
    const metric_info *m = engine_metric(e, i);
    stats_summary s;
    engine_summary(e, i, &s);
    if (s.n == 0) return;
    char lo[48], hi[48];
    fprintf(out, "\n  %s: distribution over %llu paths\n", m->label, (unsigned long long)s.n);
    if (s.max <= s.min) {
        fprintf(out, "    every path: %s\n", present_value(lo, sizeof lo, sc->currency, m->unit, s.min));
        return;
    }
    const size_t bins = HIST_BINS / 2;
    gsl_histogram *h = gsl_histogram_alloc(bins);
    if (h == NULL) return;
    /* The top edge is nudged up so that the maximum lands in the last bin
     * (GSL's bins are half-open, [lower, upper)). */
    gsl_histogram_set_ranges_uniform(h, s.min, s.max + (s.max - s.min) * 1e-9);
    stats_acc_fill_histogram(engine_stats(e, i), h);
    double top = gsl_histogram_max_val(h);
    for (size_t k = 0; k < bins; k++) {
        double l, u, cnt = gsl_histogram_get(h, k);
        gsl_histogram_get_range(h, k, &l, &u);
        int w = top > 0 ? (int)lround(40 * cnt / top) : 0;
        fprintf(out, "    %10s to %-10s %6.1f%% ", present_value(lo, sizeof lo, sc->currency, m->unit, l),
                present_value(hi, sizeof hi, sc->currency, m->unit, u), 100 * cnt / (double)s.n);
        for (int j = 0; j < w; j++) fputs("#", out);
        fputc('\n', out);
    }
    gsl_histogram_free(h);
}

static void table_group(FILE *out, const scenario *sc, const engine *e, const char *group) {
    int lw = label_width(e);
    table_header(out, lw);
    for (size_t i = 0; i < engine_metric_count(e); i++)
        if (strcmp(engine_metric(e, i)->group, group) == 0) table_row(out, sc, e, i, lw);
}

static const char *type_name(financing_type t) {
    switch (t) {
    case FIN_GRANT: return "grant";
    case FIN_FEE_FOR_SERVICE: return "fee for service";
    case FIN_PBR: return "payment by results";
    case FIN_SIB: return "social impact bond";
    case FIN_OUTCOMES_FUND: return "outcomes fund";
    case FIN_DIB: return "development impact bond";
    case FIN_BY_STAGE: return "by stage";
    }
    return "?";
}

/* The structures side by side: one row a measure, one column a structure,
 * each cell the mean over the same futures (or the p95 where marked). */
static void table_compare(FILE *out, const scenario *sc, const engine *e) {
    static const struct {
        const char *key, *label;
        int p95;
    } rows[] = {
        {"commissioner.total", "Commissioner pays", 0},
        {"commissioner.total", "  ... in the worst 5% of futures", 1},
        {"commissioner.pv", "  ... present value", 0},
        {"commissioner.max_annual", "Largest outlay in a year (p95)", 1},
        {"commissioner.cost_per_true_outcome", "Cost per true outcome", 0},
        {"commissioner.spent_without_effect", "Spent when nothing truly improved", 0},
        {"net_value", "Net value (outcomes' value - PV paid)", 0},
        {"provider.surplus", "Provider surplus", 0},
        {"provider.p_loss", "P(provider loss)", 0},
        {"peak_capital", "Largest capital outstanding", 0},
    };
    const int cw = 16, lw = 38;
    fprintf(out, "\nFinancing compared on the same %llu futures\n",
            (unsigned long long)engine_paths_done(e));
    fprintf(out, "  %-*s", lw, "");
    for (size_t f = 0; f < sc->n_financing; f++) {
        char head[32];
        snprintf(head, sizeof head, "%.15s", sc->financing[f].name);
        present_col(out, head, cw);
    }
    fputc('\n', out);
    fprintf(out, "  %-*s", lw, "");
    for (size_t f = 0; f < sc->n_financing; f++) {
        char head[32];
        snprintf(head, sizeof head, "(%.13s)", type_name(sc->financing[f].type));
        present_col(out, head, cw);
    }
    fputc('\n', out);
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        char cells[16][48];
        int any = 0;
        for (size_t f = 0; f < sc->n_financing && f < 16; f++) {
            size_t i = engine_find_metric(e, sc->financing[f].name, rows[r].key);
            cells[f][0] = '\0';
            if (i == (size_t)-1) continue;
            stats_summary s;
            engine_summary(e, i, &s);
            const metric_info *m = engine_metric(e, i);
            double x = rows[r].p95 ? s.p95 : s.mean;
            if (isnan(x)) continue;
            present_value(cells[f], sizeof cells[f], sc->currency,
                      m->kind == METRIC_INDICATOR ? UNIT_SHARE : m->unit, x);
            any = 1;
        }
        if (!any) continue;
        fprintf(out, "  %-*s", lw, rows[r].label);
        for (size_t f = 0; f < sc->n_financing && f < 16; f++) present_col(out, cells[f], cw);
        fputc('\n', out);
    }
}

/* One structure in detail: its measures with spread, then each tranche. */
static void table_structure(FILE *out, const scenario *sc, const engine *e, size_t f) {
    const financing *fin = &sc->financing[f];
    fprintf(out, "\n%s (%s)", fin->name, type_name(fin->type));
    if (fin->type == FIN_BY_STAGE) {
        fprintf(out, ":");
        for (size_t s = 0; s < sc->n_stages; s++)
            fprintf(out, "%s %s -> %s", s ? "," : "", sc->stages[s].name,
                    sc->financing[fin->stage_part[s]].name);
    }
    fputc('\n', out);
    /* Investors first (what an investor reads first), then the commissioner,
     * provider and capital measures; rows that are zero in every future and
     * only say that a feature is unused (no guarantee, no unfunded cost, no
     * surplus) are left out. */
    int lw = label_width(e);
    table_header(out, lw);
    static const char *const structure_keys[] = {"commissioner.", "provider.", "peak_capital",
                                                  "unfunded", "returned", "net_value", NULL};
    static const char *const quiet_if_zero[] = {"provider.", "unfunded", "returned", "guaranteed",
                                                "guarantor.", NULL};
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < engine_metric_count(e); i++) {
            const metric_info *m = engine_metric(e, i);
            if (strcmp(m->group, fin->name) != 0) continue;
            int is_structure = 0, quiet = 0;
            for (const char *const *k = structure_keys; *k; k++)
                is_structure |= strncmp(m->key, *k, strlen(*k)) == 0;
            if (is_structure != pass) continue;
            for (const char *const *k = quiet_if_zero; *k; k++)
                quiet |= strstr(m->key, *k) != NULL;
            stats_summary z;
            engine_summary(e, i, &z);
            if (quiet && z.n > 0 && z.min == 0 && z.max == 0) continue;
            table_row(out, sc, e, i, lw);
        }
    /* The lower-tail mean of each money multiple: the expected multiple in
     * the worst 5% of futures (CVaR 5%). */
    for (size_t i = 0; i < engine_metric_count(e); i++) {
        const metric_info *m = engine_metric(e, i);
        size_t kl = strlen(m->key);
        if (strcmp(m->group, fin->name) != 0 || kl < 5 || strcmp(m->key + kl - 5, ".moic") != 0)
            continue;
        char buf[48];
        double cvar = stats_acc_lower_tail_mean(engine_stats(e, i), 0.05);
        fprintf(out, "  %.*s: mean multiple in the worst 5%% of futures (CVaR 5%%): %s\n",
                (int)(kl - 5), m->key, present_value(buf, sizeof buf, sc->currency, UNIT_MULTIPLE, cvar));
    }
}

/* Two scenarios on common random numbers: every metric they share, with
 * the mean of each and the paired difference B - A with its standard error. */
static int write_compare(FILE *out, const scenario *sc, const engine *e, const report_run *run) {
    char n[32];
    const scenario *b = run->scenario_b;
    fprintf(out, "A: %s\nB: %s\n", sc->name, b->name);
    fprintf(out, "  %s paths on common random numbers (A's seed %llu, generator %s), %u thread%s, "
                 "%.2f s\n",
            present_count(n, sizeof n, engine_paths_done(e)), (unsigned long long)sc->sim.seed,
            sc->sim.rng, run->threads, run->threads == 1 ? "" : "s", run->seconds);
    int lw = label_width(e);
    const char *group = "";
    for (size_t i = 0; i < engine_metric_count(e); i++) {
        const metric_info *m = engine_metric(e, i);
        if (m->role != ROLE_OWN || m->diff == SIZE_MAX) continue;
        stats_summary sa, sb, sd;
        engine_summary(e, i, &sa);
        engine_summary(e, m->twin, &sb);
        engine_summary(e, m->diff, &sd);
        if (sa.n == 0 && sb.n == 0) continue;
        if (strcmp(group, m->group) != 0) {
            group = m->group;
            fprintf(out, "\n%s\n  %-*s", group, lw, "");
            const char *h[] = {"A", "B", "B - A", "± SE"};
            for (size_t k = 0; k < 4; k++) present_col(out, h[k], 11);
            fputc('\n', out);
        }
        metric_unit unit = m->kind == METRIC_INDICATOR ? UNIT_SHARE : m->unit;
        char buf[48];
        fprintf(out, "  %-*.*s", lw, lw, m->label);
        present_col(out, present_value(buf, sizeof buf, sc->currency, unit, sa.mean), 11);
        present_col(out, present_value(buf, sizeof buf, sc->currency, unit, sb.mean), 11);
        present_col(out, present_value(buf, sizeof buf, sc->currency, unit, sd.mean), 11);
        present_col(out, present_se(buf, sizeof buf, sc->currency, unit, sd.se), 11);
        fputc('\n', out);
    }
    fprintf(out, "\nB - A is averaged path by path: its ± SE is that of a paired comparison.\n");
    return ferror(out) ? -1 : 0;
}

/* The group a metric is printed under in JSON and CSV: a compare engine's
 * second scenario and differences are marked. */
static const char *shown_group(const metric_info *m, char *buf, size_t size) {
    if (m->role == ROLE_TWIN) snprintf(buf, size, "[B] %s", m->group);
    else if (m->role == ROLE_DIFF) snprintf(buf, size, "[B-A] %s", m->group);
    else snprintf(buf, size, "%s", m->group);
    return buf;
}

static int write_table(FILE *out, const scenario *sc, const engine *e, const report_run *run) {
    if (run->scenario_b) return write_compare(out, sc, e, run);
    char n[32], b[48];
    fprintf(out, "%s\n", sc->name);
    fprintf(out, "  %s paths, seed %llu, generator %s, %u thread%s, %.2f s; currency %s\n",
            present_count(n, sizeof n, engine_paths_done(e)), (unsigned long long)sc->sim.seed,
            sc->sim.rng, run->threads, run->threads == 1 ? "" : "s", run->seconds, sc->currency);
    fprintf(out, "  scenario: %s\n", run->scenario_file);

    if (sc->n_financing > 1) table_compare(out, sc, e);
    for (size_t f = 0; f < sc->n_financing; f++) {
        table_structure(out, sc, e, f);
        /* The distribution of the first tranche's multiple: what an investor reads first. */
        for (size_t i = 0; i < engine_metric_count(e); i++) {
            const metric_info *m = engine_metric(e, i);
            size_t kl = strlen(m->key);
            if (strcmp(m->group, sc->financing[f].name) == 0 && kl >= 5 &&
                strcmp(m->key + kl - 5, ".moic") == 0) {
                table_histogram(out, sc, e, i);
                break;
            }
        }
    }

    fprintf(out, "\nOutcome payments under the contract (PV at %.1f%%)\n",
            100 * sc->sim.discount_rate);
    table_group(out, sc, e, "commissioner");
    size_t pay = engine_find_metric(e, "commissioner", "payments.total");
    if (pay != (size_t)-1) table_histogram(out, sc, e, pay);

    double cost = 0;
    for (size_t t = 0; t < engine_periods(e); t++) cost += engine_costs(e)[t];
    fprintf(out, "\nProgramme: %.0f participants and delivery cost %s as planned\n",
            scenario_participants(sc), present_money(b, sizeof b, sc->currency, cost));
    table_group(out, sc, e, "programme");
    fprintf(out, "\nMeans are over simulated futures; ± SE is their Monte Carlo standard error.\n");
    return ferror(out) ? -1 : 0;
}

/* ----------------------------------------------------------------- JSON */

static void json_string(FILE *out, const char *s) {
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') fprintf(out, "\\%c", *p);
        else if (*p == '\n') fputs("\\n", out);
        else if (*p == '\t') fputs("\\t", out);
        else if (*p < 0x20) fprintf(out, "\\u%04x", *p);
        else fputc(*p, out);
    }
    fputc('"', out);
}

static void json_number(FILE *out, double x) {
    if (isfinite(x)) fprintf(out, "%.17g", x);
    else fputs("null", out);
}

static const char *unit_name(metric_unit u) {
    switch (u) {
    case UNIT_MONEY: return "money";
    case UNIT_RATE: return "annual_rate";
    case UNIT_SHARE: return "share";
    case UNIT_MULTIPLE: return "multiple";
    case UNIT_COUNT: return "count";
    }
    return "?";
}

static int write_json(FILE *out, const scenario *sc, const engine *e, const report_run *run) {
    fprintf(out, "{\n  \"sibsim\": ");
    json_string(out, SIBSIM_VERSION);
    fprintf(out, ",\n  \"scenario\": {\"name\": ");
    json_string(out, sc->name);
    fprintf(out, ", \"file\": ");
    json_string(out, run->scenario_file);
    fprintf(out, ", \"currency\": ");
    json_string(out, sc->currency);
    fprintf(out, "},\n  \"run\": {\"paths\": %llu, \"seed\": %llu, \"rng\": ",
            (unsigned long long)engine_paths_done(e), (unsigned long long)sc->sim.seed);
    json_string(out, sc->sim.rng);
    fprintf(out, ", \"threads\": %u, \"seconds\": %.3f, \"block_paths\": %u},\n", run->threads,
            run->seconds, ENGINE_BLOCK_PATHS);
    fprintf(out, "  \"metrics\": [");
    for (size_t i = 0; i < engine_metric_count(e); i++) {
        const metric_info *m = engine_metric(e, i);
        stats_summary s;
        engine_summary(e, i, &s);
        char gbuf[SCENARIO_NAME_MAX + 8];
        fprintf(out, "%s\n    {\"group\": ", i ? "," : "");
        json_string(out, shown_group(m, gbuf, sizeof gbuf));
        fprintf(out, ", \"key\": ");
        json_string(out, m->key);
        fprintf(out, ", \"label\": ");
        json_string(out, m->label);
        fprintf(out, ", \"unit\": \"%s\", \"kind\": \"%s\",\n     \"n\": %llu, \"undefined\": %llu",
                unit_name(m->unit), m->kind == METRIC_INDICATOR ? "probability" : "value",
                (unsigned long long)s.n, (unsigned long long)s.undefined);
        double cvar = stats_acc_lower_tail_mean(engine_stats(e, i), 0.05);
        const struct {
            const char *k;
            double v;
        } f[] = {{"mean", s.mean}, {"se", s.se},   {"sd", s.sd},   {"min", s.min},
                 {"p05", s.p05},   {"p25", s.p25}, {"p50", s.p50}, {"p75", s.p75},
                 {"p95", s.p95},   {"max", s.max}, {"cvar05", cvar}};
        for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) {
            fprintf(out, "%s\"%s\": ", k % 5 == 0 ? ",\n     " : ", ", f[k].k);
            json_number(out, f[k].v);
        }
        /* Histogram: HIST_BINS equal bins from min to max. */
        fprintf(out, ",\n     \"histogram\": ");
        if (s.n > 0 && s.max > s.min) {
            gsl_histogram *h = gsl_histogram_alloc(HIST_BINS);
            if (h != NULL) {
                gsl_histogram_set_ranges_uniform(h, s.min, s.max + (s.max - s.min) * 1e-9);
                stats_acc_fill_histogram(engine_stats(e, i), h);
                fprintf(out, "{\"lower\": ");
                json_number(out, s.min);
                fprintf(out, ", \"upper\": ");
                json_number(out, s.max);
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

static void csv_field(FILE *out, const char *s) {
    if (strpbrk(s, ",\"\n") == NULL) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (const char *p = s; *p; p++) {
        if (*p == '"') fputc('"', out);
        fputc(*p, out);
    }
    fputc('"', out);
}

static int write_csv(FILE *out, const engine *e) {
    fputs("group,key,label,unit,kind,n,undefined,mean,se,sd,min,p05,p25,p50,p75,p95,max,cvar05\n",
          out);
    for (size_t i = 0; i < engine_metric_count(e); i++) {
        const metric_info *m = engine_metric(e, i);
        stats_summary s;
        engine_summary(e, i, &s);
        char gbuf[SCENARIO_NAME_MAX + 8];
        csv_field(out, shown_group(m, gbuf, sizeof gbuf));
        fputc(',', out);
        csv_field(out, m->key);
        fputc(',', out);
        csv_field(out, m->label);
        fprintf(out, ",%s,%s,%llu,%llu", unit_name(m->unit),
                m->kind == METRIC_INDICATOR ? "probability" : "value", (unsigned long long)s.n,
                (unsigned long long)s.undefined);
        double v[] = {s.mean, s.se,  s.sd,  s.min, s.p05, s.p25,
                      s.p50,  s.p75, s.p95, s.max, stats_acc_lower_tail_mean(engine_stats(e, i), 0.05)};
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
            fputc(',', out);
            if (isfinite(v[k])) fprintf(out, "%.17g", v[k]);
        }
        fputc('\n', out);
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
