/* tornado.c -- the tornado: every uncertain input moved to its 10th and
 * 90th percentiles and every term of the contract, the financing and the
 * planned costs moved down and up by a share, each alone, on the common
 * seed; the bars ranked by how far they move a metric. The contract is in
 * analysis.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "analysis_internal.h"
#include "sample.h"

/* The terms a tornado moves by +- pct: every number of the contract and the
 * financing that a negotiator could change, and the planned costs. */
typedef struct term {
    char pointer[256];
    double value;
} term;

static size_t list_terms(const scenario *sc, term *t, size_t max) {
    size_t n = 0;
#define ADD(val, ...)                                                                              \
    do {                                                                                           \
        if (n < max && isfinite(val) && (val) != 0) {                                              \
            snprintf(t[n].pointer, sizeof t[n].pointer, __VA_ARGS__);                              \
            t[n].value = (val);                                                                    \
            n++;                                                                                   \
        }                                                                                          \
    } while (0)
    for (size_t r = 0; r < sc->contract.n_rules; r++) {
        const payment_rule *p = &sc->contract.rules[r];
        if (p->type == PAY_PER_UNIT || p->type == PAY_PER_OUTCOME)
            ADD(p->price, "/contract/payments/%zu/price", r);
        if (p->type == PAY_FIXED || p->type == PAY_LINEAR)
            ADD(p->amount, "/contract/payments/%zu/amount", r);
        if (p->type == PAY_SAVINGS) {
            ADD(p->value, "/contract/payments/%zu/value", r);
            ADD(p->share, "/contract/payments/%zu/share", r);
        }
        if (p->has_trigger) ADD(p->trigger, "/contract/payments/%zu/trigger", r);
        ADD(p->cap, "/contract/payments/%zu/cap", r);
        if (p->scope == SCOPE_COHORT)
            ADD(p->cap_per_cohort, "/contract/payments/%zu/cap_per_cohort", r);
    }
    ADD(sc->contract.cap, "/contract/cap");
    for (size_t s = 0; s < sc->n_stages; s++) {
        const stage *st = &sc->stages[s];
        ADD(st->setup_cost, "/stages/%zu/costs/setup", s);
        ADD(st->fixed_per_year, "/stages/%zu/costs/fixed_per_year", s);
        ADD(st->per_participant, "/stages/%zu/costs/per_participant", s);
    }
    for (size_t f = 0; f < sc->n_financing; f++) {
        const financing *fin = &sc->financing[f];
        for (size_t k = 0; k < fin->n_tranches; k++) {
            const tranche *tr = &fin->tranches[k];
            ADD(tr->commitment, "/financing/%zu/tranches/%zu/commitment", f, k);
            if (tr->has_coupon) ADD(tr->coupon, "/financing/%zu/tranches/%zu/coupon", f, k);
            if (tr->has_return_cap)
                ADD(tr->return_cap, "/financing/%zu/tranches/%zu/return_cap", f, k);
        }
    }
#undef ADD
    return n;
}

/* Widest swing first; a swing that is undefined (NaN: the metric is
 * undefined at an end) after every defined one; then by pointer. */
static int bar_cmp(const void *a, const void *b) {
    const tornado_bar *x = a, *y = b;
    if (isnan(x->swing) != isnan(y->swing)) return isnan(x->swing) ? 1 : -1;
    if (!isnan(x->swing) && x->swing != y->swing) return x->swing > y->swing ? -1 : 1;
    return strcmp(x->pointer, y->pointer);
}

/* A tornado's runs: 0 the scenario as it is, then each candidate bar's
 * low (2k + 1) and high (2k + 2) value. */
typedef struct tornado_ctx {
    const char *metric;
    tornado_bar *cand; /* inputs first, then terms */
    size_t n_inputs, n_cand;
    tornado_bar *bars;
    size_t n; /* bars recorded */
    double *base;
    double low; /* the metric at the current candidate's low value */
    int low_rc; /* ... and how its run went */
    sib_error low_err;
    sib_error *err;
} tornado_ctx;

static size_t tornado_spec(size_t i, scenario_override *ov, void *ud) {
    const tornado_ctx *c = ud;
    if (i == 0) return 0;
    const tornado_bar *bar = &c->cand[(i - 1) / 2];
    ov[0] = (scenario_override){bar->pointer, i % 2 ? bar->low : bar->high};
    return 1;
}

/* The chosen metric of a run that went well; a failure's code otherwise. */
static int tornado_value(const tornado_ctx *c, int rc, const engine *e, const sib_error *err,
                         double *v, sib_error *out) {
    if (rc != SIB_OK) {
        *out = *err;
        return rc;
    }
    metric_choice m;
    rc = analysis_choose(e, c->metric, &m, out);
    if (rc == SIB_OK) *v = analysis_value(e, &m, NULL);
    return rc;
}

static int tornado_done(size_t i, int rc, const engine *e, const sib_error *err, void *ud) {
    tornado_ctx *c = ud;
    if (i == 0) {
        rc = tornado_value(c, rc, e, err, c->base, c->err);
        return rc == SIB_OK && c->n_cand == 0 ? EACH_ENOUGH : rc;
    }
    const size_t k = (i - 1) / 2;
    if (i % 2) { /* the low value: kept until the high one is in */
        c->low_rc = tornado_value(c, rc, e, err, &c->low, &c->low_err);
        return 0;
    }
    double high = NAN;
    sib_error high_err;
    int high_rc = tornado_value(c, rc, e, err, &high, &high_err);
    int bad = c->low_rc != SIB_OK ? c->low_rc : high_rc;
    const sib_error *why = c->low_rc != SIB_OK ? &c->low_err : &high_err;
    if (bad != SIB_OK) {
        /* A moved term the loader refuses (a share pushed past 1) is left
         * out; anything else ends the tornado. */
        if (k >= c->n_inputs && bad == SIB_EINVAL) return k + 1 == c->n_cand ? EACH_ENOUGH : 0;
        *c->err = *why;
        return bad;
    }
    tornado_bar *bar = &c->bars[c->n++];
    *bar = c->cand[k];
    bar->metric_low = c->low;
    bar->metric_high = high;
    return k + 1 == c->n_cand ? EACH_ENOUGH : 0;
}

/* The tornado's moves of sc into cand (room for sc->n_inputs + TORNADO_TERMS
 * bars): uncertain inputs, at their 10th and 90th percentiles; then terms,
 * +- pct. Returns their number. */
#define TORNADO_TERMS 128
static size_t tornado_moves(const scenario *sc, double pct, tornado_bar *cand) {
    term terms[TORNADO_TERMS];
    size_t nt = list_terms(sc, terms, TORNADO_TERMS);
    size_t n = 0;
    for (size_t i = 0; i < sc->n_inputs; i++) {
        const prior *p = sc->inputs[i].p;
        if (p->kind == PRIOR_FIXED) continue;
        tornado_bar *bar = &cand[n++];
        snprintf(bar->pointer, sizeof bar->pointer, "%.255s", sc->inputs[i].pointer);
        bar->is_input = 1;
        bar->low = sample_prior_quantile(p, 0.10);
        bar->high = sample_prior_quantile(p, 0.90);
        bar->metric_low = bar->metric_high = bar->swing = NAN;
    }
    for (size_t i = 0; i < nt; i++) {
        tornado_bar *bar = &cand[n++];
        snprintf(bar->pointer, sizeof bar->pointer, "%.255s", terms[i].pointer);
        bar->is_input = 0;
        /* pct of its size down and up: the low value is the lower, for a
         * term below zero too (a trigger of -10 goes to -11 .. -9). */
        const double v = terms[i].value, d = fabs(v) * pct;
        bar->low = v - d;
        bar->high = v + d;
        bar->metric_low = bar->metric_high = bar->swing = NAN;
    }
    return n;
}

int analysis_tornado_moves(const analysis_base *b, double pct, tornado_bar **moves, size_t *n,
                           sib_error *err) {
    *moves = NULL;
    *n = 0;
    scenario *sc = scenario_load_string(b->text, b->name, err);
    if (sc == NULL) return err->code;
    *moves = calloc(sc->n_inputs + TORNADO_TERMS + 1, sizeof **moves);
    if (*moves == NULL) {
        scenario_free(sc);
        return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory for a tornado");
    }
    *n = tornado_moves(sc, pct, *moves);
    scenario_free(sc);
    return SIB_OK;
}

int analysis_tornado(const analysis_base *b, const char *metric, double pct, tornado_bar *bars,
                     size_t max_bars, size_t *n_bars, double *base, sib_error *err) {
    *n_bars = 0;
    /* Every move is run, and the widest max_bars kept. */
    tornado_bar *cand;
    size_t n, ni = 0;
    int mrc = analysis_tornado_moves(b, pct, &cand, &n, err);
    if (mrc != SIB_OK) return mrc;
    while (ni < n && cand[ni].is_input) ni++;      /* the inputs come first */
    tornado_bar *all = calloc(n + 1, sizeof *all); /* every bar, before the widest are kept */
    if (all == NULL) {
        free(cand);
        return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory for a tornado");
    }
    tornado_ctx c = {.metric = metric,
                     .cand = cand,
                     .n_inputs = ni,
                     .n_cand = n,
                     .bars = all,
                     .base = base,
                     .err = err};
    analysis_base one = *b; /* each run reads the metric alone */
    one.only = metric;
    int rc = an_run_each(&one, 1 + 2 * n, tornado_spec, tornado_done, &c, err);
    free(cand);
    if (rc != SIB_OK) {
        free(all);
        return rc;
    }
    n = c.n;
    for (size_t i = 0; i < n; i++) {
        /* Undefined at either end: no swing (NaN), never a made-up 0. */
        all[i].swing = fabs(all[i].metric_high - all[i].metric_low);
    }
    qsort(all, n, sizeof *all, bar_cmp);
    if (n > max_bars) n = max_bars;
    memcpy(bars, all, n * sizeof *bars);
    free(all);
    *n_bars = n;
    return SIB_OK;
}
