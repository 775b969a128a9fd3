/* paper_inputs.c -- section 1 of the committee paper: what the scenario
 * says. Its name and description, the sources and assumptions it states,
 * its key inputs in tables a committee can check against the deal's papers
 * (stages and gates, outcomes and how they are measured, the payment
 * rules, the financing, every uncertain input with its range), and the
 * model's own main assumptions. Also the reading of a JSON Pointer as a
 * named field, which the tornado uses. See paper.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/sample.h"
#include "format.h"
#include "html.h"
#include "paper_internal.h"
#include "term.h"

/* ------------------------------------------------------------- numbers */

/* x as a percentage with up to four significant digits: "14.25%". */
static const char *pct(char *buf, size_t size, double x) {
    if (!isfinite(x))
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, "%.4g%%", 100 * x);
    return buf;
}

/* x in unit u, precisely enough to check against a deal's papers. */
static const char *amount(char *buf, size_t size, metric_unit u, const char *cur, double x) {
    if (!isfinite(x)) {
        snprintf(buf, size, "%s", x > 0 ? "none" : "n/a");
        return buf;
    }
    switch (u) {
    case UNIT_MONEY: return present_money(buf, size, cur, x);
    case UNIT_RATE:
    case UNIT_SHARE: return pct(buf, size, x);
    case UNIT_MULTIPLE: snprintf(buf, size, "%.4gx", x); return buf;
    case UNIT_COUNT:
        /* Four significant digits below 10,000; from there the whole
         * number, grouped ("15,000", not "1.5e+04"). */
        if (fabs(x) < 1e4)
            snprintf(buf, size, "%.4g", x);
        else
            present_whole(buf, size, x);
        return buf;
    }
    return buf;
}

/* A duration: "1 year", "0.5 years", "2 years". */
static const char *years(char *buf, size_t size, double x) {
    return present_term_value(buf, size, NULL, TERM_YEARS, x);
}

/* A cell of text that may wrap after '_' and '/' (an outcome's name). */
static void td_text(FILE *out, const char *s) {
    fputs("<td>", out);
    html_text_breakable(out, s);
    fputs("</td>", out);
}

static void th_text(FILE *out, const char *s) {
    fputs("<th>", out);
    html_text(out, s);
    fputs("</th>", out);
}

static void table_head(FILE *out, const char *const *cols, size_t n) {
    fputs("<div class=\"scroll\"><table class=\"wide\">\n<thead><tr>", out);
    for (size_t i = 0; i < n; i++) th_text(out, cols[i]);
    fputs("</tr></thead>\n<tbody>\n", out);
}

/* -------------------------------------------------------------- priors */

/* The unit of an outcome's effect: a share when it is relative (0.1 = 10%
 * of the counterfactual) or the outcome a rate (0.1 = 10 points of it), as
 * present_term_unit has it; else the outcome's own units. */
static metric_unit effect_unit(const outcome *o) {
    return o->scale == EFFECT_RELATIVE || o->kind == OUTCOME_RATE ? UNIT_SHARE : UNIT_COUNT;
}

/* What an effect's numbers are relative to, in words. */
static const char *effect_basis(const outcome *o) {
    if (o->scale == EFFECT_RELATIVE) return "relative to the counterfactual";
    return o->kind == OUTCOME_RATE ? "points of the rate, per person" : "per person";
}

/* The unit an input's values are in, from its pointer: a comparison's
 * deviation (its counterfactual mean times 1 + d) and an outcome's
 * eligible population are shares. */
static metric_unit input_unit(const scenario *sc, const char *pointer) {
    size_t o;
    int at = 0;
    if (sscanf(pointer, "/outcomes/%zu/effect/prior%n", &o, &at) == 1 && pointer[at] == '\0' &&
        o < sc->n_outcomes)
        return effect_unit(&sc->outcomes[o]);
    const size_t n = strlen(pointer);
    static const struct {
        const char *end;
        metric_unit unit;
    } ends[] = {{"/bias", UNIT_SHARE},       {"/trend", UNIT_SHARE},
                {"/engagement", UNIT_SHARE}, {"/overrun", UNIT_MULTIPLE},
                {"/volume", UNIT_MULTIPLE},  {"/effect_multiplier", UNIT_MULTIPLE},
                {"/deviation", UNIT_SHARE},  {"/population", UNIT_SHARE}};
    for (size_t k = 0; k < sizeof ends / sizeof ends[0]; k++) {
        size_t m = strlen(ends[k].end);
        if (n >= m && strcmp(pointer + n - m, ends[k].end) == 0) return ends[k].unit;
    }
    return UNIT_COUNT;
}

/* A prior in words: "normal, mean 9%, sd 5%, kept within [-30%, 60%]". */
static const char *prior_text(char *buf, size_t size, const prior *p, metric_unit u,
                              const char *cur) {
    char a[32], b[32], c[32], d[32];
    switch (p->kind) {
    case PRIOR_FIXED: snprintf(buf, size, "fixed at %s", amount(a, sizeof a, u, cur, p->a)); break;
    case PRIOR_NORMAL:
        snprintf(buf, size, "normal, mean %s, sd %s", amount(a, sizeof a, u, cur, p->a),
                 amount(b, sizeof b, u, cur, p->b));
        break;
    case PRIOR_UNIFORM:
        snprintf(buf, size, "uniform from %s to %s", amount(a, sizeof a, u, cur, p->a),
                 amount(b, sizeof b, u, cur, p->b));
        break;
    case PRIOR_BETA:
        snprintf(buf, size, "beta(%.4g, %.4g) on [%s, %s]", p->a, p->b,
                 amount(c, sizeof c, u, cur, p->c), amount(d, sizeof d, u, cur, p->d));
        break;
    case PRIOR_LOGNORMAL:
        snprintf(buf, size, "lognormal, log-mean %.4g, log-sd %.4g", p->a, p->b);
        break;
    case PRIOR_TRIANGULAR:
        snprintf(buf, size, "triangular from %s to %s, most likely %s",
                 amount(a, sizeof a, u, cur, p->a), amount(c, sizeof c, u, cur, p->c),
                 amount(b, sizeof b, u, cur, p->b));
        break;
    }
    if (p->kind == PRIOR_FIXED) return buf;
    /* Only the bounds that can cut the distribution: one beyond its least
     * or greatest draw (sample.h keeps u within [1e-15, 1 - 1e-15], about
     * 7.9 sd for a normal) never does -- such as the loader's own range of
     * a field, a billion either way for a score, when the scenario gives
     * none. */
    prior whole = *p;
    whole.lo = -HUGE_VAL;
    whole.hi = HUGE_VAL;
    const int lo = isfinite(p->lo) && p->lo > sample_prior_quantile(&whole, 0),
              hi = isfinite(p->hi) && p->hi < sample_prior_quantile(&whole, 1);
    size_t n = strlen(buf);
    if (lo && hi)
        snprintf(buf + n, size - n, ", kept within [%s, %s]", amount(a, sizeof a, u, cur, p->lo),
                 amount(b, sizeof b, u, cur, p->hi));
    else if (lo)
        snprintf(buf + n, size - n, ", kept at %s or more", amount(a, sizeof a, u, cur, p->lo));
    else if (hi)
        snprintf(buf + n, size - n, ", kept at %s or less", amount(b, sizeof b, u, cur, p->hi));
    return buf;
}

metric_unit paper_field_unit(const scenario *sc, const char *pointer) {
    if (scenario_find_input(sc, pointer) != SIZE_MAX) return input_unit(sc, pointer);
    const char *last = strrchr(pointer, '/');
    last = last ? last + 1 : pointer;
    static const char *const shares[] = {"trigger",
                                         "return_cap",
                                         "coupon",
                                         "min_effect",
                                         "share",
                                         "share_after",
                                         "fee_share",
                                         "margin",
                                         "cost_of_capital",
                                         "provider_share",
                                         "probability",
                                         "discount_rate",
                                         "failure_hazard",
                                         "floor",
                                         "ceiling",
                                         "from",
                                         "icc",
                                         "owed_rate",
                                         "fee",
                                         "baseline",
                                         "return",
                                         "volatility",
                                         "comparison_ratio"};
    for (size_t k = 0; k < sizeof shares / sizeof shares[0]; k++)
        if (strcmp(last, shares[k]) == 0) return UNIT_SHARE;
    static const char *const counts[] = {
        "size",     "comparison_size", "installments",    "cluster_size",
        "lag",      "interval",        "duration",        "start",
        "entry",    "enrolment",       "observation_lag", "maturity",
        "priority", "principal_from",  "owed_from"};
    for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++)
        if (strcmp(last, counts[k]) == 0) return UNIT_COUNT;
    return UNIT_MONEY;
}

/* ---------------------------------------------------- pointers as names */

/* ------------------------------------------------------- the inputs */

static void stages_table(FILE *out, const scenario *sc) {
    static const char *const cols[] = {"Stage", "When (years)", "Cohorts, participants planned",
                                       "Costs", "Starts only if"};
    fputs("<h3>Stages of the programme</h3>\n", out);
    table_head(out, cols, 5);
    char a[48], b[48], c[48], buf[600];
    for (size_t s = 0; s < sc->n_stages; s++) {
        const stage *st = &sc->stages[s];
        double people = 0;
        for (size_t k = 0; k < st->n_cohorts; k++) people += st->cohorts[k].size;
        fputs("<tr>", out);
        td_text(out, st->name);
        snprintf(buf, sizeof buf, "%.4g to %.4g", st->start, st->start + st->duration);
        td_text(out, buf);
        snprintf(buf, sizeof buf, "%zu cohort%s, %s", st->n_cohorts, st->n_cohorts == 1 ? "" : "s",
                 present_count(a, sizeof a, (unsigned long long)llround(people)));
        td_text(out, buf);
        snprintf(buf, sizeof buf, "set-up %s, %s a year, %s per participant",
                 present_money(a, sizeof a, sc->currency, st->setup_cost),
                 present_money(b, sizeof b, sc->currency, st->fixed_per_year),
                 present_money(c, sizeof c, sc->currency, st->per_participant));
        if (st->failure_hazard > 0) {
            size_t n = strlen(buf);
            snprintf(buf + n, sizeof buf - n, "; failure hazard %s a year",
                     pct(a, sizeof a, st->failure_hazard));
        }
        td_text(out, buf);
        const gate *g = &st->gate;
        if (!g->present) {
            td_text(out, s == 0 ? "it is the first stage" : "the stage before it ran");
        } else {
            size_t n = (size_t)snprintf(buf, sizeof buf, "%s ran", sc->stages[g->stage].name);
            if (g->outcome != SIZE_MAX && n < sizeof buf)
                n += (size_t)snprintf(
                    buf + n, sizeof buf - n, " and measured an effect of at least %s on %s",
                    pct(a, sizeof a, g->min_effect), sc->outcomes[g->outcome].name);
            if (g->has_min_paid && n < sizeof buf)
                n += (size_t)snprintf(buf + n, sizeof buf - n,
                                      " and was paid at least %s by this stage's start",
                                      present_money(b, sizeof b, sc->currency, g->min_paid));
            if (g->probability < 1 && n < sizeof buf)
                snprintf(buf + n, sizeof buf - n, "; then commissioned with probability %s",
                         pct(c, sizeof c, g->probability));
            td_text(out, buf);
        }
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table></div>\n", out);
}

/* One plain design (not a blend), appended to buf. */
static void plain_design_text(char *buf, size_t size, const evaluation *ev) {
    char a[48], c[24];
    size_t n = strlen(buf);
    switch (ev->design) {
    case EVAL_RCT:
    case EVAL_MATCHED:
    case EVAL_DID:
        if (ev->comparison_size > 0)
            snprintf(a, sizeof a, "%s people a cohort",
                     present_whole(c, sizeof c, ev->comparison_size));
        else
            snprintf(a, sizeof a, "%.3g per person treated", ev->comparison_ratio);
        if (ev->design == EVAL_DID)
            snprintf(buf + n, size - n,
                     "difference in differences against a comparison group of %s, before and "
                     "after (its trend may depart from the treated group's)",
                     a);
        else
            snprintf(buf + n, size - n, "%s comparison group of %s%s",
                     ev->design == EVAL_RCT ? "randomised" : "matched", a,
                     ev->design == EVAL_MATCHED ? " (possibly biased)" : "");
        break;
    case EVAL_HISTORICAL:
        snprintf(buf + n, size - n,
                 "against the historical baseline, while the true one may drift");
        break;
    case EVAL_VALIDATED:
        snprintf(buf + n, size - n,
                 "validated counts, no comparison: every outcome achieved is paid");
        break;
    case EVAL_BLEND: break; /* not a plain design */
    }
    if (ev->cluster_size > 1 && ev->icc > 0) {
        n = strlen(buf);
        snprintf(buf + n, size - n, "; clusters of %.0f, ICC %.3g", ev->cluster_size, ev->icc);
    }
}

/* A design, or a blend of designs with their weights, appended to buf. */
static void evaluation_text(char *buf, size_t size, const evaluation *ev) {
    if (ev->design != EVAL_BLEND) {
        plain_design_text(buf, size, ev);
        return;
    }
    size_t n = strlen(buf);
    snprintf(buf + n, size - n, "a blend of estimates: ");
    for (size_t j = 0; j < ev->n_blend; j++) {
        n = strlen(buf);
        snprintf(buf + n, size - n, "%s%.3g%% ", j ? ", " : "", 100 * ev->blend[j].weight);
        plain_design_text(buf, size, &ev->blend[j]);
    }
}

static const char *design_text(char *buf, size_t size, const scenario *sc, const outcome *o) {
    const evaluation *ev = &o->eval;
    buf[0] = '\0';
    evaluation_text(buf, size, ev);
    if (ev->has_switch) {
        size_t n = strlen(buf);
        snprintf(buf + n, size - n, "; from year %.3g: ", ev->switch_at);
        evaluation_text(buf, size, ev->switch_to);
    }
    for (size_t s = 0; s < sc->n_stages; s++)
        if (sc->stages[s].eval_given != NULL && sc->stages[s].eval_given[o - sc->outcomes]) {
            size_t n = strlen(buf);
            snprintf(buf + n, size - n, "; stage %s has its own design", sc->stages[s].name);
        }
    return buf;
}

static void outcomes_table(FILE *out, const scenario *sc) {
    static const char *const cols[] = {"Outcome", "Measure", "True effect (uncertain)",
                                       "How it is measured", "Value of one unit"};
    fputs("<h3>Outcomes and how they are measured</h3>\n", out);
    table_head(out, cols, 5);
    static const char *const kinds[] = {"share of people with the event", "events per person",
                                        "mean score"};
    char a[48], buf[1200];
    for (size_t i = 0; i < sc->n_outcomes; i++) {
        const outcome *o = &sc->outcomes[i];
        fputs("<tr>", out);
        td_text(out, o->name);
        metric_unit bu = o->kind == OUTCOME_RATE ? UNIT_SHARE : UNIT_COUNT;
        snprintf(buf, sizeof buf, "%s, %s; baseline %s", kinds[o->kind],
                 o->direction == DIRECTION_LOWER_IS_BETTER ? "lower is better" : "higher is better",
                 amount(a, sizeof a, bu, sc->currency, o->baseline));
        td_text(out, buf);
        char pr[300];
        snprintf(buf, sizeof buf, "%s (%s)",
                 prior_text(pr, sizeof pr, &o->effect, effect_unit(o), sc->currency),
                 effect_basis(o));
        td_text(out, buf);
        design_text(buf, sizeof buf, sc, o);
        size_t n = strlen(buf);
        char y1[48], y2[48];
        if (o->times > 1)
            snprintf(buf + n, sizeof buf - n,
                     "; measured %d times, every %s from %s after a cohort's enrolment", o->times,
                     years(y1, sizeof y1, o->every), years(y2, sizeof y2, o->observation_lag));
        else
            snprintf(buf + n, sizeof buf - n, "; measured %s after a cohort's enrolment",
                     years(y1, sizeof y1, o->observation_lag));
        n = strlen(buf);
        if (o->population.slot != SIZE_MAX || o->population.a != 1)
            snprintf(buf + n, sizeof buf - n, "; on an eligible share of each cohort (mean %.3g)",
                     sample_prior_mean(&o->population));
        n = strlen(buf);
        if (o->dispersion > 0)
            snprintf(buf + n, sizeof buf - n, "; overdispersed (dispersion %.3g)", o->dispersion);
        td_text(out, buf);
        td_text(out,
                o->value > 0 ? present_money(a, sizeof a, sc->currency, o->value) : "not valued");
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table></div>\n", out);
}

static const char *rule_pays(char *buf, size_t size, const scenario *sc, const payment_rule *r) {
    char a[48], b[48], c[48], d[48];
    const char *cur = sc->currency;
    switch (r->type) {
    case PAY_PER_UNIT:
        snprintf(buf, size, "%s per unit of improvement",
                 present_money(a, sizeof a, cur, r->price));
        break;
    case PAY_PER_OUTCOME:
        snprintf(buf, size, "%s per outcome achieved", present_money(a, sizeof a, cur, r->price));
        break;
    case PAY_FIXED:
        snprintf(buf, size, "%s when triggered", present_money(a, sizeof a, cur, r->amount));
        break;
    case PAY_LINEAR:
        snprintf(buf, size, "up to %s, rising linearly with the effect from %s to %s",
                 present_money(a, sizeof a, cur, r->amount), pct(b, sizeof b, r->floor),
                 pct(c, sizeof c, r->ceiling));
        break;
    case PAY_TIERED:
        snprintf(buf, size, "by %zu band%s of measured effect, from %s", r->n_bands,
                 r->n_bands == 1 ? "" : "s", r->n_bands ? pct(a, sizeof a, r->bands[0].from) : "-");
        break;
    case PAY_SAVINGS:
        snprintf(buf, size, "%s of the savings (%s a unit) until %s is repaid, then %s",
                 pct(a, sizeof a, r->share), present_money(b, sizeof b, cur, r->value),
                 present_money(c, sizeof c, cur, r->owed), pct(d, sizeof d, r->share_after));
        break;
    }
    return buf;
}

static void rules_table(FILE *out, const scenario *sc) {
    const contract *k = &sc->contract;
    static const char *const cols[] = {"Payment rule", "Outcome", "Pays", "Assessed",
                                       "Trigger",      "Caps",    "Paid"};
    fputs("<h3>The contract: what is paid for measured results</h3>\n", out);
    if (k->n_rules == 0) {
        fputs(
            "<p class=\"why\">The contract has no payment rule: nothing is paid for results.</p>\n",
            out);
        return;
    }
    table_head(out, cols, 7);
    char a[48], b[48], buf[400];
    for (size_t i = 0; i < k->n_rules; i++) {
        const payment_rule *r = &k->rules[i];
        fputs("<tr>", out);
        td_text(out, r->name);
        td_text(out, sc->outcomes[r->outcome].name);
        td_text(out, rule_pays(buf, sizeof buf, sc, r));
        const char *st =
            r->stage != SIZE_MAX && r->stage < sc->n_stages ? sc->stages[r->stage].name : NULL;
        if (r->scope == SCOPE_COHORT)
            snprintf(buf, sizeof buf, "each cohort%s%s", st ? " of " : "", st ? st : "");
        else if (r->scope == SCOPE_STAGE)
            snprintf(buf, sizeof buf, "once, pooled over %s", st ? st : "its stage");
        else
            snprintf(buf, sizeof buf, "once, pooled over %s%s",
                     st ? "the cohorts of " : "every cohort", st ? st : "");
        if (r->true_up) {
            size_t n = strlen(buf);
            snprintf(buf + n, sizeof buf - n, ", less what narrower rules paid (true-up)");
        }
        td_text(out, buf);
        td_text(out, r->has_trigger ? pct(a, sizeof a, r->trigger) : "none");
        buf[0] = '\0';
        if (isfinite(r->cap_per_cohort))
            snprintf(buf, sizeof buf, "%s a cohort",
                     present_money(a, sizeof a, sc->currency, r->cap_per_cohort));
        if (isfinite(r->cap)) {
            size_t n = strlen(buf);
            snprintf(buf + n, sizeof buf - n, "%s%s in all", n ? "; " : "",
                     present_money(b, sizeof b, sc->currency, r->cap));
        }
        td_text(out, buf[0] ? buf : "none");
        if (r->installments > 1)
            snprintf(buf, sizeof buf, "%s after measurement, %d times %s apart",
                     years(a, sizeof a, r->lag), r->installments, years(b, sizeof b, r->interval));
        else
            snprintf(buf, sizeof buf, "%s after measurement", years(a, sizeof a, r->lag));
        td_text(out, buf);
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table></div>\n", out);
    /* Contract-wide caps and the payers. */
    size_t n = 0;
    buf[0] = '\0';
    if (isfinite(k->cap))
        n += (size_t)snprintf(buf, sizeof buf, "Every payment together is capped at %s. ",
                              present_money(a, sizeof a, sc->currency, k->cap));
    if (k->n_payers > 1 && n < sizeof buf) {
        n += (size_t)snprintf(buf + n, sizeof buf - n, "Payers:");
        for (size_t p = 0; p < k->n_payers && n < sizeof buf; p++)
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s %s %s%s%s", p ? "," : "",
                                  k->payers[p].name, pct(a, sizeof a, k->payers[p].share),
                                  isfinite(k->payers[p].cap) ? ", up to " : "",
                                  isfinite(k->payers[p].cap)
                                      ? present_money(b, sizeof b, sc->currency, k->payers[p].cap)
                                      : "");
        if (n < sizeof buf) snprintf(buf + n, sizeof buf - n, ".");
    }
    if (buf[0]) {
        fputs("<p class=\"note\">", out);
        html_text(out, buf);
        fputs("</p>\n", out);
    }
}

static void financing_terms(FILE *out, const scenario *sc, const financing *f) {
    char a[48], b[48], buf[600];
    const char *cur = sc->currency;
    switch (f->type) {
    case FIN_GRANT:
        html_text(out, "The commissioner pays the delivery costs as they fall due.");
        return;
    case FIN_FEE_FOR_SERVICE:
        snprintf(buf, sizeof buf, "The commissioner pays the costs plus a margin of %s.",
                 pct(a, sizeof a, f->margin));
        html_text(out, buf);
        return;
    case FIN_PBR:
        snprintf(
            buf, sizeof buf,
            "The provider fronts the costs at a cost of capital of %s a year; the commissioner "
            "pays %s of the costs as a fee and the outcome payments.",
            pct(a, sizeof a, f->cost_of_capital), pct(b, sizeof b, f->fee_share));
        html_text(out, buf);
        return;
    case FIN_BY_STAGE:
        for (size_t s = 0; s < sc->n_stages; s++) {
            snprintf(buf, sizeof buf, "%s%s: %s", s ? "; " : "", sc->stages[s].name,
                     sc->financing[f->stage_part[s]].name);
            html_text(out, buf);
        }
        html_text(out, ".");
        return;
    default: break;
    }
    fputs("Investors front the costs:", out);
    for (size_t t = 0; t < f->n_tranches; t++) {
        const tranche *tr = &f->tranches[t];
        snprintf(buf, sizeof buf, "%s %s commits %s (priority %d", t ? ";" : "", tr->name,
                 present_money(a, sizeof a, cur, tr->commitment), tr->priority);
        size_t n = strlen(buf);
        if (tr->has_coupon && n < sizeof buf)
            n += (size_t)snprintf(buf + n, sizeof buf - n, ", coupon %s",
                                  pct(b, sizeof b, tr->coupon));
        if (tr->has_return_cap && n < sizeof buf)
            n += (size_t)snprintf(buf + n, sizeof buf - n, ", return capped at %s a year",
                                  pct(b, sizeof b, tr->return_cap));
        if (n < sizeof buf) snprintf(buf + n, sizeof buf - n, ")");
        html_text(out, buf);
    }
    for (size_t g = 0; g < f->n_guarantees; g++) {
        const guarantee *gu = &f->guarantees[g];
        if (gu->kind == GUARANTEE_FIRST_LOSS)
            snprintf(buf, sizeof buf, "; %s covers the first %s of %s's loss", gu->name,
                     present_money(a, sizeof a, cur, gu->amount), f->tranches[gu->tranche].name);
        else
            snprintf(buf, sizeof buf, "; %s covers %s of %s's loss%s%s", gu->name,
                     pct(a, sizeof a, gu->share), f->tranches[gu->tranche].name,
                     isfinite(gu->max) ? " up to " : "",
                     isfinite(gu->max) ? present_money(b, sizeof b, cur, gu->max) : "");
        html_text(out, buf);
    }
    if (f->setup_fees > 0 || f->fees_per_year > 0) {
        snprintf(buf, sizeof buf, "; fees %s at set-up and %s a year",
                 present_money(a, sizeof a, cur, f->setup_fees),
                 present_money(b, sizeof b, cur, f->fees_per_year));
        html_text(out, buf);
    }
    if (f->provider_share > 0) {
        snprintf(buf, sizeof buf, "; the provider keeps %s of any surplus",
                 pct(a, sizeof a, f->provider_share));
        html_text(out, buf);
    }
    if (f->recycle) html_text(out, "; outcome payments received during delivery fund later costs");
    html_text(out, ".");
}

static void financing_table(FILE *out, const scenario *sc) {
    static const char *const cols[] = {"Financing structure", "Type", "Terms"};
    fputs("<h3>Financing structures compared</h3>\n", out);
    table_head(out, cols, 3);
    for (size_t f = 0; f < sc->n_financing; f++) {
        fputs("<tr>", out);
        td_text(out, sc->financing[f].name);
        td_text(out, present_financing_type(sc->financing[f].type));
        fputs("<td>", out);
        financing_terms(out, sc, &sc->financing[f]);
        fputs("</td></tr>\n", out);
    }
    fputs("</tbody></table></div>\n", out);
}

static void inputs_table(FILE *out, const scenario *sc) {
    fputs("<h3>Uncertain inputs</h3>\n", out);
    if (sc->n_inputs == 0) {
        fputs("<p class=\"why\">Every input is fixed: the futures differ only by measurement "
              "noise and the commissioning and failure draws.</p>\n",
              out);
        return;
    }
    fputs("<p>Each is drawn once in every simulated future from the distribution given, "
          "independently unless correlated below.</p>\n",
          out);
    static const char *const cols[] = {"Input", "Distribution", "Mean", "10th to 90th percentile"};
    table_head(out, cols, 4);
    char label[320], label2[320], pr[800], a[48], b[48];
    for (size_t i = 0; i < sc->n_inputs; i++) {
        const input *in = &sc->inputs[i];
        metric_unit u = input_unit(sc, in->pointer);
        fputs("<tr><td>", out);
        html_text_breakable(out, present_term_name(label, sizeof label, sc, in->pointer));
        fputs("<br><code>", out);
        html_text_breakable(out, in->pointer);
        fputs("</code></td>", out);
        td_text(out, prior_text(pr, sizeof pr, in->p, u, sc->currency));
        /* A mean that is zero but for the far tails a bound cuts off (a
         * deviation of sd 5% kept within [-99%, 1000%]: 3.7e-90) reads as
         * zero: below a millionth of the spread it is shown as 0. */
        const double q10 = sample_prior_quantile(in->p, 0.1),
                     q90 = sample_prior_quantile(in->p, 0.9);
        double mean = sample_prior_mean(in->p);
        if (fabs(mean) < 1e-6 * (q90 - q10)) mean = 0;
        /* The mean and percentiles are figures the paper computes, not
         * the scenario's own numbers: rounded as every figure of the paper
         * is (present_value: "29.9%", "0.83x"), never "29.99%". */
        td_text(out, present_value(a, sizeof a, sc->currency, u, mean));
        snprintf(pr, sizeof pr, "%s to %s", present_value(a, sizeof a, sc->currency, u, q10),
                 present_value(b, sizeof b, sc->currency, u, q90));
        td_text(out, pr);
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table></div>\n", out);
    for (size_t c = 0; c < sc->n_correlations; c++) {
        const correlation *k = &sc->correlations[c];
        snprintf(pr, sizeof pr, "%s and %s are correlated (rho %.3g in a Gaussian copula).",
                 present_term_name(label, sizeof label, sc, sc->inputs[k->a].pointer),
                 present_term_name(label2, sizeof label2, sc, sc->inputs[k->b].pointer), k->rho);
        fputs("<p class=\"note\">", out);
        html_text(out, pr);
        fputs("</p>\n", out);
    }
}

/* Appends to buf (of size bytes, holding n) as snprintf would. */
static size_t append(char *buf, size_t size, size_t n, const char *fmt, const char *s) {
    if (n >= size) return n;
    return n + (size_t)snprintf(buf + n, size - n, fmt, s);
}

/* A list or object of the scenario in words, never as JSON, from the
 * loader's structured copy of it (scenario_assumption.members): a list as
 * its items' names or values ("2 items: cohort 1, cohort 2"), an object
 * member by member but for its name, which the field's label gives ("setup
 * £100,000.00; fixed_per_year £150,000.00; overrun: 5 fields"), numbers in
 * the unit of their field (pointer + "/" + the member's key or index). The
 * loader keeps the first SCENARIO_VALUE_MEMBERS: past them, "…". */
static const char *value_words(char *buf, size_t size, const scenario *sc,
                               const scenario_assumption *as) {
    char a[96], ptr[512];
    size_t n = 0;
    buf[0] = '\0';
    if (as->kind == VALUE_LIST) {
        snprintf(a, sizeof a, "%zu item%s", as->size, as->size == 1 ? "" : "s");
        n = append(buf, size, n, "%s", a);
        for (size_t i = 0; i < as->n_members; i++) {
            const scenario_value_member *e = &as->members[i];
            const char *s = e->text;
            if (e->kind == VALUE_NUMBER) {
                snprintf(ptr, sizeof ptr, "%s/%zu", as->pointer, i);
                s = present_term_exact(a, sizeof a, sc->currency, present_term_unit(sc, ptr),
                                       e->number);
            }
            if (s == NULL) continue;
            n = append(buf, size, n, n > 0 && strchr(buf, ':') ? ", %s" : ": %s", s);
        }
    } else if (as->kind == VALUE_OBJECT) {
        for (size_t i = 0; i < as->n_members; i++) {
            const scenario_value_member *e = &as->members[i];
            if (strcmp(e->key, "name") == 0) continue; /* the field's label names it */
            n = append(buf, size, n, n ? "; %s" : "%s", e->key);
            snprintf(ptr, sizeof ptr, "%s/%s", as->pointer, e->key);
            if (e->kind == VALUE_NUMBER)
                n = append(buf, size, n, " %s",
                           present_term_exact(a, sizeof a, sc->currency, present_term_unit(sc, ptr),
                                              e->number));
            else if (e->kind == VALUE_STRING)
                n = append(buf, size, n, ": %s", e->text);
            else if (e->kind == VALUE_BOOL)
                n = append(buf, size, n, " %s", e->number != 0 ? "yes" : "no");
            else if (e->kind == VALUE_LIST || e->kind == VALUE_OBJECT) {
                snprintf(a, sizeof a, ": %zu %s%s", e->size,
                         e->kind == VALUE_LIST ? "item" : "field", e->size == 1 ? "" : "s");
                n = append(buf, size, n, "%s", a);
            }
        }
    }
    /* Some items listed, not all of them. */
    if (as->n_members < as->size && strchr(buf, ':') != NULL)
        append(buf, size, n, "%s", ", \xe2\x80\xa6");
    return buf;
}

/* An assumption's value as the paper shows it, never as JSON text: a
 * number in its field's unit, to the digit ("$3,108,571.00", "30%": the
 * loader keeps it as JSON text, "3108571"); a string as it is, without
 * quotes; an uncertain input's distribution in words, as "Uncertain inputs"
 * gives it; the contract or its payment rules by name ("2 payment rules:
 * cohort trigger, final true-up", as the contract's table shows them); a
 * named thing or a list of them as the loader words it ('2 items: "cohort
 * 1", "cohort 2"'); any other list or object in words (value_words). */
static const char *assumption_value(char *buf, size_t size, const scenario *sc,
                                    const scenario_assumption *a) {
    if (a->value == NULL) return "";
    char *end;
    double x = strtod(a->value, &end);
    if (end != a->value && *end == '\0' && isfinite(x))
        return present_term_exact(buf, size, sc->currency, present_term_unit(sc, a->pointer), x);
    const size_t in = scenario_find_input(sc, a->pointer);
    if (in != SIZE_MAX) {
        const input *i = &sc->inputs[in];
        return prior_text(buf, size, i->p, input_unit(sc, i->pointer), sc->currency);
    }
    if (strcmp(a->pointer, "/contract") == 0 || strcmp(a->pointer, "/contract/payments") == 0) {
        const contract *k = &sc->contract;
        size_t n = (size_t)snprintf(buf, size, "%zu payment rule%s", k->n_rules,
                                    k->n_rules == 1 ? "" : "s");
        for (size_t r = 0; r < k->n_rules; r++)
            n = append(buf, size, n, r == 0 ? ": %s" : ", %s", k->rules[r].name);
        return buf;
    }
    if (a->kind == VALUE_STRING) return a->string;
    if (a->kind == VALUE_BOOL) return strcmp(a->value, "true") == 0 ? "yes" : "no";
    /* A named thing, or a list of them, as the loader words it. */
    if (a->value[0] != '{' && a->value[0] != '[') return a->value;
    return value_words(buf, size, sc, a);
}

/* The model's main assumptions, as docs/model.md states them. */
static const char *const model_assumptions[] = {
    "Money changes hands on measured results; what the programme truly caused is simulated "
    "beside them, with the sampling noise, bias and drift the evaluation design allows.",
    "Each outcome has one true effect per future, shared by all its cohorts (a stage may scale "
    "it); there is no learning or decay between cohorts.",
    "Counts are Poisson unless the scenario gives them a dispersion (negative binomial); "
    "without one, measured effects on counts are less noisy than in reality and triggers look "
    "more predictable than they are.",
    "An operational failure stops the whole programme, and no payment due after it is made.",
    "Investors are paid from outcome payments through the waterfall, and from the fixed coupons "
    "and redemptions the scenario states; there is no default and no refinancing. Guarantees "
    "pay once, on lost capital.",
    "Cash flows sit on a grid of whole periods, dated at the start of their period; the "
    "commissioner's present values use the scenario's discount rate.",
    "Not modelled: taxes, the default of a party, a renegotiation other than the suspensions "
    "and termination the scenario states, or a limit on the provider's working capital.",
};

size_t paper_provenance(FILE *out, const scenario *sc) {
    if (sc->n_sources > 0) {
        /* Numbered as the scenario file numbers them ("source": 2 in an
         * assumption is sources[2]), and as `validate --verbose` and
         * `sources` show them: from 0, so that a figure is traced to the
         * file without a shift by one. */
        fputs("<h3>Sources the scenario cites</h3>\n<ol class=\"notes\" start=\"0\">\n", out);
        for (size_t i = 0; i < sc->n_sources; i++) {
            const scenario_source *src = &sc->sources[i];
            fputs("<li>", out);
            html_text(out, src->title);
            if (src->url[0]) {
                fputs(": ", out);
                html_linked_text(out, src->url);
            }
            if (src->note[0]) {
                fputs(" &mdash; ", out);
                html_text(out, src->note);
            }
            fputs("</li>\n", out);
        }
        fputs("</ol>\n", out);
    }
    if (sc->n_assumptions > 0) {
        char label[512], cite[64], value[600];
        /* The basis and sources columns hold "unverified" and "sources"
         * whole on an A4 page. */
        fputs(
            "<h3>What each figure rests on</h3>\n<div class=\"scroll\"><table class=\"provenance\">"
            "<colgroup><col style=\"width:19%\"><col style=\"width:17%\">"
            "<col style=\"width:12%\"><col style=\"width:42%\"><col style=\"width:10%\">"
            "</colgroup><thead><tr>"
            "<th>field</th><th>value</th><th>basis</th><th>note</th><th>sources</th>"
            "</tr></thead><tbody>\n",
            out);
        for (size_t i = 0; i < sc->n_assumptions; i++) {
            const scenario_assumption *a = &sc->assumptions[i];
            fputs("<tr>", out);
            td_text(out, present_term_name(label, sizeof label, sc, a->pointer));
            td_text(out, assumption_value(value, sizeof value, sc, a));
            td_text(out, assumption_status_name(a->status));
            td_text(out, a->note);
            size_t at = 0;
            cite[0] = '\0';
            for (size_t k = 0; k < a->n_sources && at < sizeof cite; k++)
                at += (size_t)snprintf(cite + at, sizeof cite - at, "%s[%zu]", k ? " " : "",
                                       a->sources[k]);
            td_text(out, cite);
            fputs("</tr>\n", out);
        }
        fputs("</tbody></table></div>\n", out);
    }
    size_t n = sc->n_sources + sc->n_assumptions;
    if (sc->realised.present)
        n += html_notes(out, "Sources cited by the scenario's realised record",
                        (const char *const *)sc->realised.sources, sc->realised.n_sources);
    return n;
}

void paper_purpose(FILE *out, const paper *p) {
    const scenario *sc = p->sc;
    fputs(
        "<section id=\"purpose\" class=\"sheet\">\n<h2>1. Purpose, sources and assumptions</h2>\n",
        out);
    fputs("<p>This paper sets out what the deal below can be expected to do, over many simulated "
          "futures of the same programme: what each way of financing it costs the commissioner, "
          "what investors can expect to earn or lose, and how often results are paid for that did "
          "not happen. Every figure comes from the scenario's inputs listed here; change an input "
          "and the figures change.</p>\n",
          out);
    fputs("<h3>The scenario</h3>\n<p><strong>", out);
    html_text(out, sc->name);
    fputs("</strong></p>\n", out);
    if (sc->description && sc->description[0])
        html_paragraphs(out, sc->description);
    else
        fputs("<p class=\"why\">The scenario has no description.</p>\n", out);
    paper_provenance(out, sc);
    stages_table(out, sc);
    outcomes_table(out, sc);
    rules_table(out, sc);
    financing_table(out, sc);
    inputs_table(out, sc);
    fputs("<h3>What the model assumes</h3>\n<ul>\n", out);
    for (size_t i = 0; i < sizeof model_assumptions / sizeof model_assumptions[0]; i++) {
        fputs("<li>", out);
        html_text(out, model_assumptions[i]);
        fputs("</li>\n", out);
    }
    fputs("</ul>\n<p class=\"note\">The methodology and every formula are in sibsim's "
          "docs/model.md.</p>\n</section>\n",
          out);
}
