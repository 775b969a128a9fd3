/* paper.c -- the committee paper: the page, at a glance, the financing
 * structures side by side, true against measured, and how to reproduce
 * the page; with the helpers every section uses to read and show a metric
 * of the run. See paper.h; section 1 (what the scenario says) is in
 * paper_inputs.c, the charted sections in paper_charts.c.
 *
 * Every number in a table cell carries the metric it shows as data
 * attributes (data-metric="GROUP/KEY", data-stat, data-value with every
 * digit), so that a test -- or an analyst -- can lay the page beside
 * `sibsim run --format json` of the same seed and paths.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../model/financing.h"
#include "format.h"
#include "html.h"
#include "paper_internal.h"

/* ------------------------------------------------------------- helpers */

size_t paper_find(const paper *p, const char *group, const char *key) {
    return engine_find_metric(p->e, group, key);
}

metric_unit paper_shown_unit(const metric_info *m) {
    return m->kind == METRIC_INDICATOR ? UNIT_SHARE : m->unit;
}

static const char *const stat_names[] = {"mean", "p05", "p50", "p95", "worst05"};

double paper_stat_of(const paper *p, size_t i, paper_stat st, double *se) {
    stats_summary s;
    engine_summary(p->e, i, &s);
    if (se) *se = st == ST_MEAN ? s.se : NAN;
    switch (st) {
    case ST_MEAN:
        return s.n > 0 || engine_metric(p->e, i)->kind == METRIC_POOLED_IRR ? s.mean : NAN;
    case ST_P05: return s.p05;
    case ST_P50: return s.p50;
    case ST_P95: return s.p95;
    case ST_WORST: return engine_worst_mean(p->e, i, 0.05);
    }
    return NAN;
}

/* Metric i's statistic, formatted in its unit ("n/a" when undefined). */
const char *paper_fmt(char *buf, size_t size, const paper *p, size_t i, paper_stat st) {
    if (i == NONE) return present_value(buf, size, p->sc->currency, UNIT_COUNT, NAN);
    return present_value(buf, size, p->sc->currency, paper_shown_unit(engine_metric(p->e, i)),
                         paper_stat_of(p, i, st, NULL));
}

/* A table cell with metric i's statistic, its standard error for a mean,
 * and the metric as data attributes. */
void paper_cell(FILE *out, const paper *p, size_t i, paper_stat st) {
    char buf[64], se_buf[64];
    if (i == NONE) {
        fputs("<td class=\"num\">n/a</td>", out);
        return;
    }
    const metric_info *m = engine_metric(p->e, i);
    double se, v = paper_stat_of(p, i, st, &se);
    fputs("<td class=\"num\" data-metric=\"", out);
    html_text(out, m->group);
    fputc('/', out);
    html_text(out, m->key);
    fprintf(out, "\" data-stat=\"%s\"", stat_names[st]);
    if (isfinite(v)) fprintf(out, " data-value=\"%.17g\"", v == 0 ? 0.0 : v); /* never -0 */
    fputc('>', out);
    /* A mean of money beside an SE below a unit has the SE's decimals
     * ("€1.96 ±€0.13", where it read "€2 ±€0.13"). */
    if (st == ST_MEAN && paper_shown_unit(m) == UNIT_MONEY && isfinite(se))
        html_text(out, present_money_beside_se(buf, sizeof buf, p->sc->currency, v, se));
    else
        html_text(out, present_value(buf, sizeof buf, p->sc->currency, paper_shown_unit(m), v));
    if (st == ST_MEAN && isfinite(v) && isfinite(se)) {
        fputs("<span class=\"se\">", out);
        html_text(out, present_se(se_buf, sizeof se_buf, p->sc->currency, paper_shown_unit(m), se));
        fputs("</span>", out);
    }
    fputs("</td>", out);
}

void paper_td_label(FILE *out, const char *label, const char *note) {
    fputs("<td>", out);
    html_text(out, label);
    if (note) {
        fputs("<br><span class=\"note\">", out);
        html_text(out, note);
        fputs("</span>", out);
    }
    fputs("</td>", out);
}

void paper_why(FILE *out, const char *text) {
    fputs("<p class=\"why\">", out);
    html_text(out, text);
    fputs("</p>\n", out);
}

const char *paper_type_of(const paper *p, size_t f) {
    const char *type = present_financing_type(p->sc->financing[f].type);
    return strcasecmp(type, p->sc->financing[f].name) == 0 ? NULL : type;
}

/* ----------------------------------------------------- investor tranches */

/* The tranches of every structure, in the engine's order. */
size_t paper_units(const paper *p, paper_unit *u, size_t cap) {
    size_t n = 0;
    for (size_t i = 0; i < engine_metric_count(p->e); i++) {
        const metric_info *m = engine_metric(p->e, i);
        if (m->role != ROLE_OWN || m->tranche == SIZE_MAX || strcmp(m->stem, "pooled_irr") != 0)
            continue;
        if (n < cap) {
            u[n].f = m->fin;
            size_t len = strlen(m->key) - strlen(m->stem) - 1;
            snprintf(u[n].name, sizeof u[n].name, "%.*s", (int)len, m->key);
            const tranche *t = engine_metric_tranche(p->e, i);
            u[n].discount_rate = t ? t->discount_rate : NAN;
        }
        n++;
    }
    return n;
}

/* The metric `stem` of tranche u, or NONE. */
size_t paper_unit_metric(const paper *p, const paper_unit *u, const char *stem) {
    char key[2 * SCENARIO_NAME_MAX + 40];
    snprintf(key, sizeof key, "%s.%s", u->name, stem);
    return paper_find(p, p->sc->financing[u->f].name, key);
}

const char *paper_contract_cost(char *buf, size_t size, const paper *p) {
    size_t t = paper_find(p, "commissioner", "payments.total");
    char mean[64], worst[64];
    snprintf(buf, size, "%s on average, %s in the costliest 5%% of futures",
             paper_fmt(mean, sizeof mean, p, t, ST_MEAN),
             paper_fmt(worst, sizeof worst, p, t, ST_WORST));
    return buf;
}

/* ------------------------------------------------------------ at a glance */

/* The glance's line for what it leaves out: "2 further tranches: section 2
 * gives every one.", "1 further tranche: section 2 gives it." Nothing when
 * it leaves nothing out. */
static void glance_more(FILE *out, size_t n, size_t shown, const char *one, const char *many,
                        const char *where) {
    if (n <= shown) return;
    fprintf(out, "<li>%zu further %s: section %s gives %s.</li>\n", n - shown,
            n - shown == 1 ? one : many, where, n - shown == 1 ? "it" : "every one");
}

/* At most this many structures, tranches and outcomes are named in the
 * glance; glance_more counts the rest. */
enum { GLANCE_STRUCTURES = 8, GLANCE_TRANCHES = 6, GLANCE_OUTCOMES = 4 };

static void at_a_glance(FILE *out, const paper *p, const paper_unit *u, size_t nu) {
    const scenario *sc = p->sc;
    char a[64], b[64], c[64], n[32], line[800];
    fputs("<div class=\"glance\"><strong>At a glance</strong>\n<ul>\n", out);
    snprintf(line, sizeof line,
             sc->n_financing ? "%s simulated futures of the same programme; every financing "
                               "structure is run on the same futures."
                             : "%s simulated futures of the programme.",
             present_count(n, sizeof n, engine_paths_done(p->e)));
    fputs("<li>", out);
    html_text(out, line);
    fputs("</li>\n", out);
    if (sc->n_financing == 0) {
        /* No structure: the contract's payments are the commissioner's. */
        char cost[160];
        snprintf(line, sizeof line,
                 "No financing structure: the commissioner pays the contract's outcome payments "
                 "itself, %s.",
                 paper_contract_cost(cost, sizeof cost, p));
        fputs("<li>", out);
        html_text(out, line);
        fputs("</li>\n", out);
    }
    for (size_t f = 0; f < sc->n_financing && f < GLANCE_STRUCTURES; f++) {
        size_t t = paper_find(p, sc->financing[f].name, "commissioner.total");
        if (t == NONE) continue;
        const char *type = paper_type_of(p, f);
        snprintf(line, sizeof line,
                 "%s%s%s%s: the commissioner pays %s on average, %s in the costliest 5%% of "
                 "futures.",
                 sc->financing[f].name, type ? " (" : "", type ? type : "", type ? ")" : "",
                 paper_fmt(a, sizeof a, p, t, ST_MEAN), paper_fmt(b, sizeof b, p, t, ST_WORST));
        fputs("<li>", out);
        html_text(out, line);
        fputs("</li>\n", out);
    }
    glance_more(out, sc->n_financing, GLANCE_STRUCTURES, "financing structure",
                "financing structures", "2");
    for (size_t k = 0; k < nu && k < GLANCE_TRANCHES; k++) {
        size_t pooled = paper_unit_metric(p, &u[k], "pooled_irr"),
               pl = paper_unit_metric(p, &u[k], "p_loss_given_drawn"),
               em = paper_unit_metric(p, &u[k], "expected_moic");
        snprintf(line, sizeof line,
                 "Investor %s (%s): expected return (IRR of the expected cash flows) %s, expected "
                 "multiple %s, P(loss | capital drawn) %s.",
                 u[k].name, sc->financing[u[k].f].name, paper_fmt(a, sizeof a, p, pooled, ST_MEAN),
                 paper_fmt(b, sizeof b, p, em, ST_MEAN), paper_fmt(c, sizeof c, p, pl, ST_MEAN));
        fputs("<li>", out);
        html_text(out, line);
        fputs("</li>\n", out);
    }
    glance_more(out, nu, GLANCE_TRANCHES, "tranche", "tranches", "2");
    if (sc->n_stages > 1) {
        char key[SCENARIO_NAME_MAX + 24];
        snprintf(key, sizeof key, "stage.%s.reached", sc->stages[sc->n_stages - 1].name);
        size_t r = paper_find(p, "programme", key);
        snprintf(line, sizeof line, "The programme reaches its last stage, %s, in %s of futures.",
                 sc->stages[sc->n_stages - 1].name, paper_fmt(a, sizeof a, p, r, ST_MEAN));
        fputs("<li>", out);
        html_text(out, line);
        fputs("</li>\n", out);
    }
    for (size_t o = 0; o < sc->n_outcomes && o < GLANCE_OUTCOMES; o++) {
        char key[SCENARIO_NAME_MAX + 40];
        snprintf(key, sizeof key, "paid_without_effect.%s", sc->outcomes[o].name);
        size_t pw = paper_find(p, "commissioner", key);
        snprintf(key, sizeof key, "unpaid_true_outcomes.%s", sc->outcomes[o].name);
        size_t un = paper_find(p, "commissioner", key);
        snprintf(key, sizeof key, "outcomes.true.%s", sc->outcomes[o].name);
        size_t tr = paper_find(p, "programme", key);
        const double caused = tr == NONE ? NAN : paper_stat_of(p, tr, ST_MEAN, NULL);
        if (isfinite(caused) && caused <= 0)
            /* Nothing caused on average (harm in some futures): there is
             * no "of the N" to count the unpaid outcomes of. */
            snprintf(line, sizeof line,
                     "%s: paid when the true effect is zero or harmful, %s a future on average; "
                     "the programme causes no true outcomes on average (a mean of %s).",
                     sc->outcomes[o].name, paper_fmt(a, sizeof a, p, pw, ST_MEAN),
                     paper_fmt(c, sizeof c, p, tr, ST_MEAN));
        else
            snprintf(line, sizeof line,
                     "%s: paid when the true effect is zero or harmful, %s a future on average; "
                     "true outcomes never paid for, %s of the %s the programme causes on average.",
                     sc->outcomes[o].name, paper_fmt(a, sizeof a, p, pw, ST_MEAN),
                     paper_fmt(b, sizeof b, p, un, ST_MEAN),
                     paper_fmt(c, sizeof c, p, tr, ST_MEAN));
        fputs("<li>", out);
        html_text(out, line);
        fputs("</li>\n", out);
    }
    glance_more(out, sc->n_outcomes, GLANCE_OUTCOMES, "outcome", "outcomes", "7");
    fputs("</ul></div>\n", out);
}

/* ------------------------------------------------- structures side by side */

typedef struct row {
    const char *key; /* a structure's metric key, or a tranche's stem */
    paper_stat st;
    const char *label, *note;
} row;

/* The commissioner's figures of structures [f0, f1), one column each. */
static void commissioner_chunk(FILE *out, const paper *p, size_t f0, size_t f1) {
    const scenario *sc = p->sc;
    char disc[160];
    snprintf(disc, sizeof disc, "at the scenario's discount rate of %.3g%% a year",
             100 * sc->sim.discount_rate);
    const row rows[] = {
        {"commissioner.total", ST_MEAN, "Commissioner pays", "mean over every future"},
        {"commissioner.total", ST_WORST, "... mean of the costliest 5% of futures", NULL},
        {"commissioner.pv", ST_MEAN, "... present value (mean)", disc},
        {"returned", ST_MEAN, "Surplus returned to payers",
         "mean over every future: outcome payments the structure hands back to the payers, "
         "already taken off what the commissioner pays above; section 7's outcome payments are "
         "before it"},
        {"commissioner.max_annual", ST_P95, "Largest outlay in any 12 months",
         "95th percentile of futures: the most any run of 12 months can demand, wherever it "
         "starts"},
        {"commissioner.cost_per_true_outcome", ST_MEAN,
         "Cost per true outcome (E[paid] / E[true outcomes])",
         "a ratio of expectations over every future"},
        {"commissioner.spent_without_effect", ST_MEAN, "Spent when nothing truly improved",
         "mean over every future: what is paid in futures where no outcome truly improved"},
        {"net_value", ST_MEAN, "Net value (outcomes' value - PV paid)", "mean over every future"},
        {"provider.surplus", ST_MEAN, "Provider surplus",
         "mean over every future: for payment by results the present value of the provider's "
         "flows at its cost of capital; for the others its cash (a fee's margin; a bond's share "
         "of the surplus less the costs nobody funded)"},
        {"provider.p_loss", ST_MEAN, "P(provider loss)",
         "over every future: the provider's surplus, as above, below zero"},
        {"peak_capital", ST_MEAN, "Largest capital outstanding",
         "mean over every future: working capital (PbR) or investors' capital (SIB)"},
    };
    fputs("<div class=\"scroll\"><table>\n<thead><tr><th></th>", out);
    for (size_t f = f0; f < f1; f++) {
        const char *type = paper_type_of(p, f);
        fputs("<th class=\"num\">", out);
        html_text(out, sc->financing[f].name);
        if (type != NULL) {
            fputs("<br><span class=\"note\">", out);
            html_text(out, type);
            fputs("</span>", out);
        }
        fputs("</th>", out);
    }
    fputs("</tr></thead>\n<tbody>\n", out);
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        int any = 0;
        for (size_t f = f0; f < f1; f++) {
            size_t i = paper_find(p, sc->financing[f].name, rows[r].key);
            any |= i != NONE && isfinite(paper_stat_of(p, i, rows[r].st, NULL));
        }
        if (!any) continue; /* undefined for every structure (e.g. no value given) */
        if (strcmp(rows[r].key, "returned") == 0) {
            /* Only where a structure returns a surplus in some future. */
            int some = 0;
            for (size_t f = f0; f < f1; f++) {
                size_t i = paper_find(p, sc->financing[f].name, rows[r].key);
                some |= i != NONE && paper_stat_of(p, i, ST_MEAN, NULL) != 0;
            }
            if (!some) continue;
        }
        fputs("<tr>", out);
        paper_td_label(out, rows[r].label, rows[r].note);
        for (size_t f = f0; f < f1; f++)
            paper_cell(out, p, paper_find(p, sc->financing[f].name, rows[r].key), rows[r].st);
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table></div>\n", out);
}

static void commissioner_table(FILE *out, const paper *p) {
    const scenario *sc = p->sc;
    fputs("<h3>What the commissioner pays, structure by structure</h3>\n", out);
    for (size_t f = 0; f < sc->n_financing; f += PAPER_COLUMNS)
        commissioner_chunk(
            out, p, f, sc->n_financing - f < PAPER_COLUMNS ? sc->n_financing : f + PAPER_COLUMNS);
    if (sc->n_outcomes > 1)
        fputs("<p class=\"note\">With several outcomes the cost per true outcome is given per "
              "outcome, under the contract (section 7): outcomes on different measures do not "
              "add up.</p>\n",
              out);
}

/* How many futures the IRR's distribution is over, in the words of
 * `run`: the futures with an IRR, which are those with one IRR and those
 * where nothing came back (counted as -100%), and why the others have none:
 * "91,926 of 92,260 futures have an IRR: one IRR in 57,472, -100% (nothing
 * came back) in 34,454; no IRR in 334 (several IRRs)". */
static void irr_coverage(char *buf, size_t size, const paper *p, size_t irr) {
    irr_counts c;
    if (irr == NONE || engine_irr_counts(p->e, irr, &c) != SIB_OK) {
        snprintf(buf, size, "n/a");
        return;
    }
    char a[32], b[32], t[32], x[32];
    uint64_t left =
        c.nothing_drawn + c.no_sign_change + c.several_roots + c.no_root + c.no_convergence;
    size_t n = (size_t)snprintf(buf, size, "%s of %s futures have an IRR: one IRR in %s",
                                present_count(a, sizeof a, c.defined + c.total_loss),
                                present_count(t, sizeof t, c.defined + c.total_loss + left),
                                present_count(b, sizeof b, c.defined));
    if (c.total_loss && n < size)
        n += (size_t)snprintf(buf + n, size - n, ", -100%% (nothing came back) in %s",
                              present_count(x, sizeof x, c.total_loss));
    if (left == 0 || n >= size) return;
    const struct {
        uint64_t k;
        const char *why;
    } r[] = {{c.nothing_drawn, "nothing drawn"},
             {c.no_sign_change, "money only came in"},
             {c.several_roots, "several IRRs"},
             {c.no_root, "no rate gives a zero NPV"},
             {c.no_convergence, "solver failed"}};
    n += (size_t)snprintf(buf + n, size - n, "; no IRR in");
    int first = 1;
    for (size_t k = 0; k < 5 && n < size; k++)
        if (r[k].k) {
            n += (size_t)snprintf(buf + n, size - n, "%s %s (%s)", first ? "" : ",",
                                  present_count(x, sizeof x, r[k].k), r[k].why);
            first = 0;
        }
}

/* What the NPV row is over and at which rate: "mean over every future,
 * valued at the start at 3.5% a year" when the tranches u[0 .. nu) share
 * one rate, else each column's rate in order ("at 3.5%, 6% a year, column
 * by column"). Returns buf. */
static const char *npv_note(char *buf, size_t size, const paper_unit *u, size_t nu) {
    int same = 1;
    for (size_t k = 1; k < nu; k++) same &= u[k].discount_rate == u[0].discount_rate;
    size_t len = (size_t)snprintf(buf, size, "mean over every future, valued at the start at ");
    for (size_t k = 0; k < (same ? 1 : nu) && len < size; k++)
        len += (size_t)snprintf(buf + len, size - len, "%s%g%%", k ? ", " : "",
                                100 * u[k].discount_rate);
    if (len < size) snprintf(buf + len, size - len, " a year%s", same ? "" : ", column by column");
    return buf;
}

/* The investor metrics of the tranches u[0 .. nu), one column each. */
static void investors_chunk(FILE *out, const paper *p, const paper_unit *u, size_t nu) {
    const row rows[] = {
        {"pooled_irr", ST_MEAN, "IRR of the expected cash flows",
         "the expected return of a deal memo: the IRR of the mean cash flow of each period over "
         "every future"},
        {"irr", ST_MEAN, "IRR, future by future: mean",
         "over the futures with an IRR, a total loss counted as -100% (below)"},
        {"irr", ST_P05, "... 5th percentile", NULL},
        {"irr", ST_P50, "... median", NULL},
        {"irr", ST_P95, "... 95th percentile", NULL},
        {"expected_moic", ST_MEAN, "Expected multiple E[back] / E[in]",
         "money back over money in, each averaged over every future"},
        {"moic", ST_MEAN, "Money multiple, future by future: mean",
         "over the futures where capital went in"},
        {"moic", ST_P50, "... median", NULL},
        {"moic", ST_WORST, "... mean of the worst 5% of futures", NULL},
        {"npv", ST_MEAN, "NPV at the tranche's discount rate", NULL /* npv_note */},
        {"drawn", ST_MEAN, "Capital drawn", "mean over every future"},
        {"drawn_any", ST_MEAN, "P(capital drawn)", "share of futures in which it put money in"},
        {"received", ST_MEAN, "Repaid from outcomes", "mean over every future"},
        {"guaranteed", ST_MEAN, "Recovered from guarantees", "mean over every future"},
        {"loss", ST_MEAN, "Loss (in - back)", "mean over every future"},
        {"p_loss", ST_MEAN, "P(loss), over every future", NULL},
        {"p_loss_given_drawn", ST_MEAN, "P(loss | capital drawn)",
         "among the futures where capital was drawn"},
        {"full_repayment", ST_MEAN, "P(full repayment), over every future", NULL},
        {"full_repayment_given_drawn", ST_MEAN, "P(full repayment | capital drawn)", NULL},
    };
    fputs("<div class=\"scroll\"><table>\n<thead><tr><th></th>", out);
    for (size_t k = 0; k < nu; k++) {
        fputs("<th class=\"num\">", out);
        html_text(out, u[k].name);
        fputs("<br><span class=\"note\">", out);
        html_text(out, p->sc->financing[u[k].f].name);
        fputs("</span></th>", out);
    }
    fputs("</tr></thead>\n<tbody>\n", out);
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        /* A row that only says a feature is unused is left out, as in run:
         * no guarantee; nothing conditional when capital is always drawn. */
        int show = 0;
        for (size_t k = 0; k < nu; k++) {
            size_t i = paper_unit_metric(p, &u[k], rows[r].key);
            if (i == NONE) continue;
            stats_summary s;
            engine_summary(p->e, i, &s);
            if (strcmp(rows[r].key, "guaranteed") == 0)
                show |= s.n > 0 && s.max > 0;
            else if (strstr(rows[r].key, "drawn") != NULL && strcmp(rows[r].key, "drawn") != 0) {
                stats_summary d;
                size_t any = paper_unit_metric(p, &u[k], "drawn_any");
                if (any != NONE) engine_summary(p->e, any, &d);
                show |= any == NONE || !(d.n > 0 && d.min == 1);
            } else
                show = 1;
        }
        if (!show) continue;
        fputs("<tr>", out);
        char note[600];
        const int is_npv = strcmp(rows[r].key, "npv") == 0;
        paper_td_label(out, rows[r].label,
                       is_npv ? npv_note(note, sizeof note, u, nu) : rows[r].note);
        for (size_t k = 0; k < nu; k++)
            paper_cell(out, p, paper_unit_metric(p, &u[k], rows[r].key), rows[r].st);
        fputs("</tr>\n", out);
        if (strcmp(rows[r].key, "irr") == 0 && rows[r].st == ST_P95) {
            fputs("<tr class=\"sub\"><td>Futures in the IRR's distribution</td>", out);
            for (size_t k = 0; k < nu; k++) {
                char buf[400];
                irr_coverage(buf, sizeof buf, p, paper_unit_metric(p, &u[k], "irr"));
                fputs("<td class=\"num\" style=\"white-space:normal\">", out);
                html_text(out, buf);
                fputs("</td>", out);
            }
            fputs("</tr>\n", out);
        }
    }
    fputs("</tbody></table></div>\n", out);
}

static void investors_table(FILE *out, const paper *p, const paper_unit *u, size_t nu) {
    fputs("<h3>What investors can expect, tranche by tranche</h3>\n", out);
    if (nu == 0) {
        paper_why(out,
                  "No financing structure of this scenario has investors (grant, fee for service "
                  "and payment by results have none): there are no investor returns to show.");
        return;
    }
    for (size_t k = 0; k < nu; k += PAPER_COLUMNS)
        investors_chunk(out, p, u + k, nu - k < PAPER_COLUMNS ? nu - k : PAPER_COLUMNS);
}

static void section_financing(FILE *out, const paper *p, const paper_unit *u, size_t nu) {
    char n[32];
    fputs("<section id=\"financing\" class=\"sheet\">\n<h2>2. The financing structures side by "
          "side</h2>\n",
          out);
    if (p->sc->n_financing == 0) {
        paper_why(out, "This scenario has no financing structure: the commissioner pays the "
                       "contract's outcome payments itself (at a glance, above), and there is "
                       "nothing to set side by side. A structure added to the scenario's "
                       "\"financing\" is compared here.");
        fputs("</section>\n", out);
        return;
    }
    fputs("<p>", out);
    fprintf(out,
            "Each structure is run on the same %s simulated futures, so the differences "
            "between columns come from the structures, not from chance. Each figure is a mean "
            "over futures unless it says otherwise; the small figure after a mean is its "
            "Monte Carlo standard error.",
            present_count(n, sizeof n, engine_paths_done(p->e)));
    fputs("</p>\n", out);
    commissioner_table(out, p);
    investors_table(out, p, u, nu);
    fputs("</section>\n", out);
}

/* ------------------------------------------------------ true and measured */

/* A share in words, with the digits a small one needs: "6.9%", "0.27%",
 * "less than 0.01%", "none". */
static const char *share_words(char *buf, size_t size, double x) {
    if (!isfinite(x))
        snprintf(buf, size, "n/a");
    else if (x <= 0)
        snprintf(buf, size, "none");
    else if (x < 1e-4)
        snprintf(buf, size, "less than 0.01%%");
    else if (x < 0.01)
        snprintf(buf, size, "%.2f%%", 100 * x);
    else
        snprintf(buf, size, "%.1f%%", 100 * x);
    return buf;
}

static void section_truth(FILE *out, const paper *p) {
    const scenario *sc = p->sc;
    fputs("<section id=\"truth\" class=\"sheet\">\n<h2>7. True against measured results</h2>\n",
          out);
    fputs("<p>Money changes hands on what the evaluation measures; what the commissioner wants "
          "to buy is what the programme truly causes. Sampling noise, a biased comparison group "
          "or a drifting baseline separate the two, and triggers turn the gap into all-or-nothing "
          "payments. Two figures measure it: money <em>paid for nothing</em> -- outcome payments "
          "in futures where the programme's true effect was zero or harmful -- and <em>success "
          "never paid for</em> -- true outcomes caused in futures where nothing at all was paid "
          "for them. Amounts paid here are the contract's gross outcome payments, before any "
          "surplus a financing structure returns to the payers, so they can exceed what section 2 "
          "says the commissioner pays.</p>\n",
          out);
    char key[SCENARIO_NAME_MAX + 48], a[64], b[64], c[64], line[600];
    for (size_t o = 0; o < sc->n_outcomes; o++) {
        const char *name = sc->outcomes[o].name;
        if (sc->n_outcomes > 1) {
            fputs("<h3>", out);
            html_text(out, name);
            fputs("</h3>\n", out);
        }
        const struct {
            const char *group, *fmt, *label, *note;
        } rows[] = {
            {"programme", "effect.true.%s", "True effect",
             "drawn from its prior (mean over every future)"},
            {"programme", "effect.measured.%s", "Measured effect, all cohorts pooled",
             "mean over the futures where someone enrolled"},
            {"programme", "outcomes.true.%s", "True outcomes caused", "mean over every future"},
            {"programme", "outcomes.measured.%s", "Outcomes measured",
             "mean over the futures where someone enrolled"},
            {"commissioner", "paid_without_effect.%s", "Paid when true effect <= 0",
             "paid for nothing: mean over every future (0 where the programme truly worked)"},
            {"commissioner", "unpaid_true_outcomes.%s", "True outcomes never paid for",
             "success never paid for: mean over every future"},
            {"commissioner", "cost_per_true_outcome.%s",
             "Cost per true outcome under the contract (E[paid] / E[true outcomes])",
             "a ratio of expectations over every future"},
        };
        fputs("<div class=\"scroll\"><table>\n<tbody>\n", out);
        size_t idx[7];
        for (size_t r = 0; r < 7; r++) {
            snprintf(key, sizeof key, rows[r].fmt, name);
            idx[r] = paper_find(p, rows[r].group, key);
            if (idx[r] == NONE) continue;
            fputs("<tr>", out);
            paper_td_label(out, rows[r].label, rows[r].note);
            paper_cell(out, p, idx[r], ST_MEAN);
            fputs("</tr>\n", out);
        }
        fputs("</tbody></table></div>\n", out);
        /* The two gaps, in proportion. */
        snprintf(key, sizeof key, "payments.outcome.%s", name);
        size_t pay = paper_find(p, "commissioner", key);
        if (pay == NONE) pay = paper_find(p, "commissioner", "payments.total");
        double paid = pay == NONE ? NAN : paper_stat_of(p, pay, ST_MEAN, NULL);
        double nothing = idx[4] == NONE ? NAN : paper_stat_of(p, idx[4], ST_MEAN, NULL);
        double caused = idx[2] == NONE ? NAN : paper_stat_of(p, idx[2], ST_MEAN, NULL);
        double unpaid = idx[5] == NONE ? NAN : paper_stat_of(p, idx[5], ST_MEAN, NULL);
        size_t m = 0;
        line[0] = '\0';
        if (isfinite(paid) && paid > 0 && isfinite(nothing))
            m += (size_t)snprintf(line, sizeof line,
                                  "Of the %s the contract pays on average for %s (gross, "
                                  "before any surplus returned to payers), %s (%s) is paid in "
                                  "futures where the programme truly did nothing or harm. ",
                                  present_money(a, sizeof a, sc->currency, paid), name,
                                  present_money(b, sizeof b, sc->currency, nothing),
                                  share_words(c, sizeof c, nothing / paid));
        if (isfinite(caused) && caused > 0 && isfinite(unpaid) && m < sizeof line) {
            /* Counts as the table above shows them: "2,246", not "2.25e+03". */
            snprintf(line + m, sizeof line - m,
                     "Of the %s true outcomes the programme causes on average, %s (%s) "
                     "are caused in futures where nothing at all is paid for them.",
                     present_value(a, sizeof a, sc->currency, UNIT_COUNT, caused),
                     present_value(b, sizeof b, sc->currency, UNIT_COUNT, unpaid),
                     share_words(c, sizeof c, unpaid / caused));
        }
        if (line[0]) {
            fputs("<p>", out);
            html_text(out, line);
            fputs("</p>\n", out);
        }
    }
    fputs("<p class=\"note\">Neither figure counts overpayment when the true effect was positive "
          "but smaller than measured, nor outcomes left unpaid by a cap or by one cohort missing "
          "its trigger while another met it. Under each financing structure, \"spent when nothing "
          "truly improved\" (section 2) is what the commissioner pays in futures where no "
          "outcome truly improved.</p>\n</section>\n",
          out);
}

/* ------------------------------------------------------- reproducibility */

/* s as one word of a POSIX shell, HTML-escaped: as it is when every
 * character is one a shell leaves alone, else in single quotes (a quote
 * inside as '\''). */
static void shell_word(FILE *out, const char *s) {
    if (s[0] != '\0' && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                  "0123456789_@%+=:,./-") == strlen(s)) {
        html_text(out, s);
        return;
    }
    fputs("&#39;", out);
    char piece[256];
    for (const char *q = s; *q;) {
        size_t n = strcspn(q, "'");
        if (n >= sizeof piece) n = sizeof piece - 1;
        memcpy(piece, q, n);
        piece[n] = '\0';
        html_text(out, piece);
        q += n;
        if (*q == '\'') {
            fputs("&#39;\\&#39;&#39;", out);
            q++;
        }
    }
    fputs("&#39;", out);
}

/* "sibsim CMD [FILE] --paths N --seed S": the command, then rest (already
 * HTML). */
static void repro_command(FILE *out, const paper *p, const char *cmd, int builtin) {
    fprintf(out, "sibsim %s", cmd);
    if (!builtin) {
        fputc(' ', out);
        shell_word(out, p->scenario_file ? p->scenario_file : "");
    }
    fprintf(out, " --paths %llu --seed %llu", (unsigned long long)engine_paths_done(p->e),
            (unsigned long long)p->sc->sim.seed);
}

static void section_repro(FILE *out, const paper *p) {
    const scenario *sc = p->sc;
    char n1[32];
    const int builtin = p->scenario_file && p->scenario_file[0] == '<';
    fputs("<section id=\"repro\" class=\"sheet\">\n<h2>8. Reproducing these numbers</h2>\n", out);
    fputs("<dl class=\"repro\">\n", out);
    const struct {
        const char *k;
        const char *v;
        int code;
    } items[] = {
        {"sibsim", p->version, 0},
        {"Scenario", p->scenario_file, 1},
    };
    for (size_t i = 0; i < 2; i++) {
        fprintf(out, "<dt>%s</dt><dd>%s", items[i].k, items[i].code ? "<code>" : "");
        html_text(out, items[i].v ? items[i].v : "");
        fprintf(out, "%s</dd>\n", items[i].code ? "</code>" : "");
    }
    fprintf(out,
            "<dt>Scenario text</dt><dd>FNV-1a 64-bit hash of the file's bytes: "
            "<code>%016llx</code></dd>\n",
            (unsigned long long)p->text_hash);
    fprintf(out, "<dt>Seed</dt><dd><code>%llu</code></dd>\n", (unsigned long long)sc->sim.seed);
    fputs("<dt>Generator</dt><dd><code>", out);
    html_text(out, sc->sim.rng);
    fputs("</code></dd>\n", out);
    char n2[32];
    fprintf(out,
            "<dt>Simulated futures</dt><dd>%s, in blocks of %s; block k draws from "
            "generators seeded from (seed, k)</dd>\n",
            present_count(n1, sizeof n1, engine_paths_done(p->e)),
            present_count(n2, sizeof n2, ENGINE_BLOCK_PATHS));
    if (p->tornado.why == NULL)
        fprintf(out, "<dt>Tornado</dt><dd>%s futures a run; terms moved by %.3g%%</dd>\n",
                present_count(n1, sizeof n1, p->tornado.paths), 100 * p->tornado.pct);
    /* This page's command: with the tornado's --metric and --pct when they
     * are not the defaults, since they change it. */
    fputs("<dt>This page</dt><dd><code>", out);
    repro_command(out, p, "report", builtin);
    if (p->tornado.metric_given && p->tornado.metric) {
        fputs(" --metric ", out);
        shell_word(out, p->tornado.metric);
    }
    if (p->tornado.pct != 0.1) fprintf(out, " --pct %.15g", p->tornado.pct);
    fputs(" -o report.html</code></dd>\n", out);
    fputs("<dt>Every metric</dt><dd><code>", out);
    repro_command(out, p, "run", builtin);
    fputs(" --format json</code></dd>\n</dl>\n", out);
    fputs("<p class=\"note\">The page holds no date, run time or thread count: the same "
          "scenario, seed and number of futures give this page byte for byte, on any number of "
          "threads and any machine. Every figure in a table that is a metric of the run carries "
          "its metric's name and full value in the page's source (data-metric, data-value), as "
          "<code>sibsim run --format json</code> names it. Means are over simulated futures, with "
          "their Monte Carlo standard error; "
          "percentiles are read to about 0.2%.</p>\n</section>\n",
          out);
}

/* ------------------------------------------------------------------ page */

int paper_write(FILE *out, const paper *p) {
    const scenario *sc = p->sc;
    /* Every tranche of every structure (up to 16 a structure). */
    const size_t nu = paper_units(p, NULL, 0);
    paper_unit *u = malloc((nu ? nu : 1) * sizeof *u);
    if (u == NULL) return -1;
    paper_units(p, u, nu);
    char title[400], gen[64], n1[32];
    snprintf(title, sizeof title, "%s -- committee paper", sc->name);
    snprintf(gen, sizeof gen, "sibsim %s", p->version ? p->version : "");
    html_begin(out, title, gen);
    fputs("<header>\n<p class=\"kicker\">Committee paper &middot; ", out);
    html_text(out, gen);
    fputs("</p>\n<h1>", out);
    html_text(out, sc->name);
    fputs("</h1>\n<p class=\"lede\">", out);
    if (sc->n_financing == 0)
        snprintf(title, sizeof title,
                 "What this outcome-based contract can be expected to cost, paid by the "
                 "commissioner on outcomes with no financing structure, over %s simulated "
                 "futures. Amounts in %s.",
                 present_count(n1, sizeof n1, engine_paths_done(p->e)), sc->currency);
    else
        snprintf(title, sizeof title,
                 "What this outcome-based contract can be expected to cost and return under %zu "
                 "financing structure%s, over %s simulated futures. Amounts in %s.",
                 sc->n_financing, sc->n_financing == 1 ? "" : "s",
                 present_count(n1, sizeof n1, engine_paths_done(p->e)), sc->currency);
    html_text(out, title);
    fputs("</p>\n", out);
    at_a_glance(out, p, u, nu);
    fputs("<nav><strong>Contents</strong><ol>"
          "<li><a href=\"#purpose\">Purpose, sources and assumptions</a></li>"
          "<li><a href=\"#financing\">The financing structures side by side</a></li>"
          "<li><a href=\"#returns\">Investors' returns, future by future</a></li>"
          "<li><a href=\"#outlay\">What the commissioner pays, year by year</a></li>"
          "<li><a href=\"#funnel\">How far the programme gets</a></li>"
          "<li><a href=\"#tornado\">Which assumptions matter most</a></li>"
          "<li><a href=\"#truth\">True against measured results</a></li>"
          "<li><a href=\"#repro\">Reproducing these numbers</a></li>"
          "</ol></nav>\n</header>\n",
          out);
    paper_purpose(out, p);
    section_financing(out, p, u, nu);
    paper_section_returns(out, p, u, nu);
    paper_section_outlay(out, p);
    paper_section_funnel(out, p);
    paper_section_tornado(out, p);
    section_truth(out, p);
    section_repro(out, p);
    html_end(out);
    free(u);
    return ferror(out) ? -1 : 0;
}
