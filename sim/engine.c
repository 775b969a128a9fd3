/* engine.c -- compiling a scenario, simulating one future, and the parallel
 * block runner with in-order commits. The contract is in engine.h; the model
 * of one future is in docs/model.md and summarised at simulate_path().
 */
#include "engine.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/contract.h"
#include "../model/finance.h"
#include "../model/financing.h"
#include "sample.h"

/* ----------------------------------------------------------- the engine */

/* Indices of the metrics, fixed when the engine is compiled. Per-outcome,
 * per-rule and per-financing metrics are laid out contiguously, with the
 * stride given by the count. */
typedef struct metric_index {
    size_t eff_true, eff_meas, units_true, units_meas; /* + o */
    size_t cost_delivery;
    size_t pay_total, pay_pv, pay_any;
    size_t pay_rule;                       /* + r */
    size_t cost_per_outcome, paid_nothing; /* + o */
    size_t fin;                            /* + FIN_METRICS * f, then the FIN_* offset */
} metric_index;

enum {
    FIN_IRR,
    FIN_MOIC,
    FIN_NPV,
    FIN_DRAWN,
    FIN_RECEIVED,
    FIN_LOSS,
    FIN_P_LOSS,
    FIN_FULL,
    FIN_UNFUNDED,
    FIN_SURPLUS,
    FIN_METRICS
};

struct engine {
    const scenario *sc;
    const gsl_rng_type *rng_type;
    size_t periods;   /* T: length of the cash-flow grid */
    double *costs;    /* [T] delivery costs per period */
    double cost_total;
    double *discount; /* [T] public discount factor (1 + d)^(-t/p) */
    contract_plan *plan;
    size_t n_cohorts;   /* flat cohorts over all stages */
    double *n_treated;  /* [c] */
    double *n_compare;  /* [o * n_cohorts + c] comparison group sizes */
    double *mu_compare; /* [o] comparison group's expected mean */
    metric_info *metrics;
    stats_acc **acc;
    size_t n_metrics;
    metric_index mi;
    uint64_t done; /* paths committed */
};

/* Per-thread scratch: everything one path needs, allocated once. */
typedef struct worker {
    gsl_rng *rng;
    irr_solver *irr;
    cohort_obs *obs;  /* [o * n_cohorts + c] */
    double *pay;      /* [n_events] */
    double *scratch;  /* [n_rules + n_outcomes] for contract_settle */
    double *payments; /* [T] outcome payments per period */
    double *investor; /* [T] investor flows per period */
    double *effect;   /* [o] true effect drawn */
    double *mu_t;     /* [o] treated group's expected mean */
    double *paid_o;   /* [o] payments on each outcome's rules */
} worker;

static void worker_free(worker *w) {
    if (w == NULL) return;
    gsl_rng_free(w->rng);
    irr_solver_free(w->irr);
    free(w->obs);
    free(w->pay);
    free(w->scratch);
    free(w->payments);
    free(w->investor);
    free(w->effect);
    free(w->mu_t);
    free(w->paid_o);
    free(w);
}

static worker *worker_new(const engine *e) {
    const scenario *sc = e->sc;
    worker *w = calloc(1, sizeof *w);
    if (w == NULL) return NULL;
    size_t no = sc->n_outcomes;
    w->rng = gsl_rng_alloc(e->rng_type);
    w->irr = irr_solver_new();
    w->obs = calloc(no * e->n_cohorts, sizeof *w->obs);
    w->pay = calloc(e->plan->n_events + 1, sizeof *w->pay);
    w->scratch = calloc(sc->contract.n_rules + no, sizeof *w->scratch);
    w->payments = calloc(e->periods, sizeof *w->payments);
    w->investor = calloc(e->periods, sizeof *w->investor);
    w->effect = calloc(no, sizeof *w->effect);
    w->mu_t = calloc(no, sizeof *w->mu_t);
    w->paid_o = calloc(no, sizeof *w->paid_o);
    if (!w->rng || !w->irr || !w->obs || !w->pay || !w->scratch || !w->payments ||
        !w->investor || !w->effect || !w->mu_t || !w->paid_o) {
        worker_free(w);
        return NULL;
    }
    return w;
}

/* -------------------------------------------------------------- compiling */

static size_t add_metric(engine *e, const char *group, const char *key, const char *label,
                         metric_unit unit, metric_kind kind) {
    metric_info *m = &e->metrics[e->n_metrics];
    snprintf(m->group, sizeof m->group, "%s", group);
    snprintf(m->key, sizeof m->key, "%s", key);
    snprintf(m->label, sizeof m->label, "%s", label);
    m->unit = unit;
    m->kind = kind;
    return e->n_metrics++;
}

/* Lay out the metric table; see metric_index. */
static void define_metrics(engine *e) {
    const scenario *sc = e->sc;
    char key[SCENARIO_NAME_MAX + 32], label[SCENARIO_NAME_MAX + 48];
    const size_t no = sc->n_outcomes;
    const char *P = "programme", *C = "commissioner";
#define EACH_OUTCOME(field, keyfmt, labelfmt, unitexpr, kind)                         \
    for (size_t o = 0; o < no; o++) {                                                 \
        const outcome *oc = &sc->outcomes[o];                                         \
        snprintf(key, sizeof key, keyfmt, oc->name);                                  \
        snprintf(label, sizeof label, labelfmt, oc->name);                            \
        size_t id = add_metric(e, group, key, label, unitexpr, kind);                 \
        if (o == 0) e->mi.field = id;                                                 \
    }
    const char *group = P;
    EACH_OUTCOME(eff_true, "effect.true.%s", "True effect: %s",
                 (oc->scale == EFFECT_RELATIVE || oc->kind == OUTCOME_RATE) ? UNIT_SHARE
                                                                             : UNIT_COUNT,
                 METRIC_VALUE)
    EACH_OUTCOME(eff_meas, "effect.measured.%s", "Measured effect (pooled): %s",
                 (oc->scale == EFFECT_RELATIVE || oc->kind == OUTCOME_RATE) ? UNIT_SHARE
                                                                             : UNIT_COUNT,
                 METRIC_VALUE)
    EACH_OUTCOME(units_true, "outcomes.true.%s", "True outcomes achieved: %s", UNIT_COUNT,
                 METRIC_VALUE)
    EACH_OUTCOME(units_meas, "outcomes.measured.%s", "Measured outcomes: %s", UNIT_COUNT,
                 METRIC_VALUE)
    e->mi.cost_delivery =
        add_metric(e, P, "cost.delivery", "Delivery cost", UNIT_MONEY, METRIC_VALUE);
    group = C;
    e->mi.pay_total =
        add_metric(e, C, "payments.total", "Outcome payments", UNIT_MONEY, METRIC_VALUE);
    e->mi.pay_pv = add_metric(e, C, "payments.pv", "Outcome payments (present value)",
                              UNIT_MONEY, METRIC_VALUE);
    e->mi.pay_any =
        add_metric(e, C, "payments.any", "P(any outcome payment)", UNIT_SHARE, METRIC_INDICATOR);
    for (size_t r = 0; r < sc->contract.n_rules; r++) {
        snprintf(key, sizeof key, "payments.rule.%s", sc->contract.rules[r].name);
        snprintf(label, sizeof label, "Paid by rule: %s", sc->contract.rules[r].name);
        size_t id = add_metric(e, C, key, label, UNIT_MONEY, METRIC_VALUE);
        if (r == 0) e->mi.pay_rule = id;
    }
    EACH_OUTCOME(cost_per_outcome, "cost_per_true_outcome.%s", "Cost per true outcome: %s",
                 UNIT_MONEY, METRIC_VALUE)
    EACH_OUTCOME(paid_nothing, "paid_without_effect.%s", "Paid when true effect <= 0: %s",
                 UNIT_MONEY, METRIC_VALUE)
#undef EACH_OUTCOME
    static const struct {
        const char *key, *label;
        metric_unit unit;
        metric_kind kind;
    } fin[FIN_METRICS] = {
        [FIN_IRR] = {"irr", "Investor IRR", UNIT_RATE, METRIC_VALUE},
        [FIN_MOIC] = {"moic", "Investor money multiple", UNIT_MULTIPLE, METRIC_VALUE},
        [FIN_NPV] = {"npv", "Investor NPV", UNIT_MONEY, METRIC_VALUE},
        [FIN_DRAWN] = {"drawn", "Capital drawn", UNIT_MONEY, METRIC_VALUE},
        [FIN_RECEIVED] = {"received", "Paid to investors", UNIT_MONEY, METRIC_VALUE},
        [FIN_LOSS] = {"loss", "Investor loss", UNIT_MONEY, METRIC_VALUE},
        [FIN_P_LOSS] = {"p_loss", "P(investor loss)", UNIT_SHARE, METRIC_INDICATOR},
        [FIN_FULL] = {"full_repayment", "P(full repayment)", UNIT_SHARE, METRIC_INDICATOR},
        [FIN_UNFUNDED] = {"unfunded", "Costs beyond commitment", UNIT_MONEY, METRIC_VALUE},
        [FIN_SURPLUS] = {"surplus", "Payments above the return cap", UNIT_MONEY, METRIC_VALUE},
    };
    e->mi.fin = e->n_metrics;
    for (size_t f = 0; f < sc->n_financing; f++)
        for (int k = 0; k < FIN_METRICS; k++)
            add_metric(e, sc->financing[f].name, fin[k].key, fin[k].label, fin[k].unit,
                       fin[k].kind);
}

/* Spread amount evenly over the periods of [t0, t1); all of it in t0's
 * period when the span covers no whole period boundary. */
static void spread(const engine *e, double *flows, double t0, double t1, double amount) {
    size_t p0 = scenario_period_of(e->sc, t0), p1 = scenario_period_of(e->sc, t1);
    if (t1 <= t0 || p1 <= p0) {
        flows[p0] += amount;
        return;
    }
    double each = amount / (double)(p1 - p0);
    for (size_t p = p0; p < p1; p++) flows[p] += each;
}

engine *engine_new(const scenario *sc, sib_error *err) {
    const gsl_rng_type *type = sample_rng_type(sc->sim.rng);
    if (type == NULL) {
        sib_error_set(err, SIB_EINVAL, "/simulation/rng",
                      "expected the name of a GSL generator (e.g. \"mt19937\", \"taus2\", "
                      "\"ranlxd2\"), found \"%s\"",
                      sc->sim.rng);
        return NULL;
    }
    engine *e = calloc(1, sizeof *e);
    if (e == NULL) goto nomem;
    e->sc = sc;
    e->rng_type = type;
    e->periods = scenario_periods(sc);
    e->plan = contract_plan_new(sc);
    e->n_cohorts = e->plan ? e->plan->n_cohorts : 0;
    const size_t no = sc->n_outcomes, nc = e->n_cohorts, T = e->periods;
    e->costs = calloc(T, sizeof *e->costs);
    e->discount = calloc(T, sizeof *e->discount);
    e->n_treated = calloc(nc, sizeof *e->n_treated);
    e->n_compare = calloc(no * nc, sizeof *e->n_compare);
    e->mu_compare = calloc(no, sizeof *e->mu_compare);
    size_t max_metrics = 5 * no + 4 + sc->contract.n_rules + 2 * no + FIN_METRICS * sc->n_financing;
    e->metrics = calloc(max_metrics, sizeof *e->metrics);
    e->acc = calloc(max_metrics, sizeof *e->acc);
    if (!e->plan || !e->costs || !e->discount || !e->n_treated || !e->n_compare ||
        !e->mu_compare || !e->metrics || !e->acc)
        goto nomem;

    /* Delivery costs on the grid: set-up at the stage's start, fixed costs
     * over the stage, per-participant costs over each cohort's enrolment. */
    size_t flat = 0;
    for (size_t s = 0; s < sc->n_stages; s++) {
        const stage *st = &sc->stages[s];
        e->costs[scenario_period_of(sc, st->start)] += st->setup_cost;
        spread(e, e->costs, st->start, st->start + st->duration, st->fixed_per_year * st->duration);
        for (size_t c = 0; c < st->n_cohorts; c++, flat++) {
            const cohort *co = &st->cohorts[c];
            spread(e, e->costs, co->entry, co->entry + co->enrolment,
                   st->per_participant * co->size);
            e->n_treated[flat] = co->size;
            for (size_t o = 0; o < no; o++) {
                const evaluation *ev = &sc->outcomes[o].eval;
                e->n_compare[o * nc + flat] = ev->comparison_size > 0
                                                  ? ev->comparison_size
                                                  : round(ev->comparison_ratio * co->size);
            }
        }
    }
    for (size_t t = 0; t < T; t++) {
        e->cost_total += e->costs[t];
        e->discount[t] = pow(1.0 + sc->sim.discount_rate, -(double)t / sc->sim.periods_per_year);
    }
    /* A matched comparison group's mean is off the true counterfactual by
     * its bias: baseline * (1 + bias). A randomised one is unbiased. */
    for (size_t o = 0; o < no; o++) {
        const outcome *oc = &sc->outcomes[o];
        double mu = oc->baseline * (1.0 + oc->eval.bias);
        e->mu_compare[o] = oc->kind == OUTCOME_RATE ? fmin(mu, 1.0) : mu;
    }
    define_metrics(e);
    for (size_t i = 0; i < e->n_metrics; i++)
        if ((e->acc[i] = stats_acc_new()) == NULL) goto nomem;
    return e;

nomem:
    engine_free(e);
    sib_error_set(err, SIB_ENOMEM, NULL, "out of memory compiling the scenario");
    return NULL;
}

void engine_free(engine *e) {
    if (e == NULL) return;
    if (e->acc)
        for (size_t i = 0; i < e->n_metrics; i++) stats_acc_free(e->acc[i]);
    free(e->acc);
    free(e->metrics);
    contract_plan_free(e->plan);
    free(e->costs);
    free(e->discount);
    free(e->n_treated);
    free(e->n_compare);
    free(e->mu_compare);
    free(e);
}

void engine_reset(engine *e) {
    for (size_t i = 0; i < e->n_metrics; i++) stats_acc_reset(e->acc[i]);
    e->done = 0;
}

uint64_t engine_paths_done(const engine *e) { return e->done; }
size_t engine_metric_count(const engine *e) { return e->n_metrics; }
const metric_info *engine_metric(const engine *e, size_t i) { return &e->metrics[i]; }
const stats_acc *engine_stats(const engine *e, size_t i) { return e->acc[i]; }
size_t engine_periods(const engine *e) { return e->periods; }
const double *engine_costs(const engine *e) { return e->costs; }

size_t engine_find_metric(const engine *e, const char *group, const char *key) {
    for (size_t i = 0; i < e->n_metrics; i++)
        if (strcmp(e->metrics[i].group, group) == 0 && strcmp(e->metrics[i].key, key) == 0)
            return i;
    return (size_t)-1;
}

/* -------------------------------------------------------- one future */

/* The treated group's expected outcome for true effect eff: the baseline
 * moved by the effect in the better direction (relative: a share of the
 * baseline; absolute: in the outcome's units), kept within what the outcome
 * can be (a share in [0, 1], a count >= 0). */
static double treated_mean(const outcome *o, double eff) {
    double delta = (o->scale == EFFECT_RELATIVE) ? o->baseline * eff : eff;
    double mu = (o->direction == DIRECTION_LOWER_IS_BETTER) ? o->baseline - delta
                                                            : o->baseline + delta;
    if (o->kind == OUTCOME_RATE) return fmin(fmax(mu, 0.0), 1.0);
    return fmax(mu, 0.0);
}

/* A group's total: people with the event out of n (RATE, binomial) or
 * events among n people (COUNT, Poisson with mean n * mu). */
static double draw_total(const outcome *o, gsl_rng *r, double n, double mu) {
    return o->kind == OUTCOME_RATE ? sample_binomial(r, mu, n) : sample_poisson(r, n * mu);
}

/* Simulate one future with w's generator and write its metric values:
 *   1. draw each outcome's true effect from its prior;
 *   2. for each cohort and outcome, draw the treated group's and the
 *      comparison group's totals around their expected means;
 *   3. settle the contract on what was measured (contract_settle);
 *   4. put payments and costs on the grid; run each financing structure;
 *   5. compute the metrics (IRR, multiple, losses, cost per true outcome...). */
static void simulate_path(const engine *e, worker *w, double *v) {
    const scenario *sc = e->sc;
    const size_t no = sc->n_outcomes, nc = e->n_cohorts, T = e->periods;
    const metric_index *mi = &e->mi;
    const int ppy = sc->sim.periods_per_year;

    for (size_t o = 0; o < no; o++) {
        w->effect[o] = sample_prior(&sc->outcomes[o].effect, w->rng);
        w->mu_t[o] = treated_mean(&sc->outcomes[o], w->effect[o]);
    }
    for (size_t c = 0; c < nc; c++)
        for (size_t o = 0; o < no; o++) {
            const outcome *oc = &sc->outcomes[o];
            cohort_obs *ob = &w->obs[o * nc + c];
            ob->n_t = e->n_treated[c];
            ob->n_c = e->n_compare[o * nc + c];
            ob->sum_t = draw_total(oc, w->rng, ob->n_t, w->mu_t[o]);
            ob->sum_c = draw_total(oc, w->rng, ob->n_c, e->mu_compare[o]);
        }
    contract_settle(sc, e->plan, w->obs, w->pay, w->scratch);

    memset(w->payments, 0, T * sizeof *w->payments);
    for (size_t r = 0; r < sc->contract.n_rules; r++) v[mi->pay_rule + r] = 0;
    for (size_t o = 0; o < no; o++) w->paid_o[o] = 0;
    double total = 0, pv = 0;
    for (size_t k = 0; k < e->plan->n_events; k++) {
        const pay_event *ev = &e->plan->events[k];
        double amt = w->pay[k];
        w->payments[ev->period] += amt;
        v[mi->pay_rule + ev->rule] += amt;
        w->paid_o[sc->contract.rules[ev->rule].outcome] += amt;
        total += amt;
        pv += amt * e->discount[ev->period];
    }
    v[mi->pay_total] = total;
    v[mi->pay_pv] = pv;
    v[mi->pay_any] = total > 0;
    v[mi->cost_delivery] = e->cost_total;

    for (size_t o = 0; o < no; o++) {
        const outcome *oc = &sc->outcomes[o];
        double n_t = 0, s_t = 0, n_c = 0, s_c = 0;
        for (size_t c = 0; c < nc; c++) {
            const cohort_obs *ob = &w->obs[o * nc + c];
            n_t += ob->n_t;
            s_t += ob->sum_t;
            n_c += ob->n_c;
            s_c += ob->sum_c;
        }
        /* True outcomes: the improvement the programme really caused, in
         * expectation, against the true counterfactual (the baseline). */
        double units_true = contract_units(oc, w->mu_t[o], oc->baseline, n_t);
        v[mi->eff_true + o] = w->effect[o];
        v[mi->eff_meas + o] = contract_effect(oc, s_t / n_t, s_c / n_c);
        v[mi->units_true + o] = units_true;
        v[mi->units_meas + o] = contract_units(oc, s_t / n_t, s_c / n_c, n_t);
        v[mi->cost_per_outcome + o] = units_true > 0 ? w->paid_o[o] / units_true : NAN;
        v[mi->paid_nothing + o] = w->effect[o] <= 0 ? w->paid_o[o] : 0.0;
    }

    for (size_t f = 0; f < sc->n_financing; f++) {
        const financing *fin = &sc->financing[f];
        double *m = v + mi->fin + (size_t)FIN_METRICS * f;
        const tranche *tr = &fin->tranches[0];
        sib_totals tot = financing_sib_flows(tr, ppy, e->costs, w->payments, T, w->investor);
        double irr;
        irr_status st = irr_solve(w->irr, w->investor, T, ppy, &irr);
        m[FIN_IRR] = (st == IRR_OK || st == IRR_TOTAL_LOSS) ? irr : NAN;
        m[FIN_MOIC] = tot.drawn > 0 ? tot.received / tot.drawn : NAN;
        m[FIN_NPV] = finance_npv(w->investor, T, ppy, tr->discount_rate);
        m[FIN_DRAWN] = tot.drawn;
        m[FIN_RECEIVED] = tot.received;
        m[FIN_LOSS] = fmax(tot.drawn - tot.received, 0.0);
        /* Full repayment: at least the capital back (to a relative 1e-9, so
         * that rounding in the sums does not turn a repayment into a loss). */
        int full = tot.received >= tot.drawn * (1 - 1e-9);
        m[FIN_P_LOSS] = !full;
        m[FIN_FULL] = full;
        m[FIN_UNFUNDED] = tot.unfunded;
        m[FIN_SURPLUS] = tot.surplus;
    }
}

int engine_simulate_path(const engine *e, uint64_t path, double *values, sib_error *err) {
    worker *w = worker_new(e);
    if (w == NULL) return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
    uint64_t block = path / ENGINE_BLOCK_PATHS;
    gsl_rng_set(w->rng, (unsigned long)sample_block_seed(e->sc->sim.seed, block));
    for (uint64_t j = 0; j <= path % ENGINE_BLOCK_PATHS; j++) simulate_path(e, w, values);
    worker_free(w);
    return SIB_OK;
}

/* ------------------------------------------------------------ the runner */

typedef struct run {
    engine *e;
    uint64_t total;      /* target paths */
    uint64_t next_block; /* next block to hand out */
    uint64_t commit;     /* next block to commit */
    uint64_t end_block;  /* one past the last block */
    unsigned window;     /* reorder slots */
    double *slots;       /* window * ENGINE_BLOCK_PATHS * n_metrics values */
    uint32_t *slot_paths; /* paths in the slot's block; 0 = not ready */
    engine_progress_fn progress;
    void *ud;
    int cancelled, failed;
    int committing; /* a thread is merging blocks into the accumulators */
    pthread_mutex_t lock;
    pthread_cond_t cond;
} run;

/* Commit every ready block at the head of the window, in block order.
 * Called with the lock held; returns with it held. One thread at a time is
 * the committer: it merges a block into the accumulators with the lock
 * released, so that the other workers can hand in and claim blocks
 * meanwhile (the merge is the one serial part of a run). */
static void commit_ready(run *r) {
    engine *e = r->e;
    const size_t M = e->n_metrics;
    if (r->committing) return; /* the committer will find our block too */
    r->committing = 1;
    while (!r->cancelled && r->commit < r->end_block &&
           r->slot_paths[r->commit % r->window] != 0) {
        size_t s = r->commit % r->window;
        uint32_t n = r->slot_paths[s];
        const double *buf = r->slots + s * ENGINE_BLOCK_PATHS * M;
        pthread_mutex_unlock(&r->lock);
        for (uint32_t j = 0; j < n; j++)
            for (size_t i = 0; i < M; i++) stats_acc_add(e->acc[i], buf[j * M + i]);
        pthread_mutex_lock(&r->lock);
        e->done += n;
        r->slot_paths[s] = 0;
        r->commit++;
        if (r->progress && !r->cancelled && r->progress(e->done, r->total, r->ud))
            r->cancelled = 1;
        pthread_cond_broadcast(&r->cond);
    }
    r->committing = 0;
}

static void *run_worker(void *arg) {
    run *r = arg;
    engine *e = r->e;
    const size_t M = e->n_metrics;
    worker *w = worker_new(e);
    pthread_mutex_lock(&r->lock);
    if (w == NULL) r->failed = 1;
    for (;;) {
        while (!r->cancelled && !r->failed && r->next_block < r->end_block &&
               r->next_block >= r->commit + r->window)
            pthread_cond_wait(&r->cond, &r->lock);
        if (r->cancelled || r->failed || r->next_block >= r->end_block) break;
        uint64_t k = r->next_block++;
        pthread_mutex_unlock(&r->lock);

        uint64_t first = k * ENGINE_BLOCK_PATHS;
        uint64_t n = r->total - first < ENGINE_BLOCK_PATHS ? r->total - first : ENGINE_BLOCK_PATHS;
        double *buf = r->slots + (k % r->window) * ENGINE_BLOCK_PATHS * M;
        gsl_rng_set(w->rng, (unsigned long)sample_block_seed(e->sc->sim.seed, k));
        for (uint64_t j = 0; j < n; j++) simulate_path(e, w, buf + j * M);

        pthread_mutex_lock(&r->lock);
        r->slot_paths[k % r->window] = (uint32_t)n;
        commit_ready(r);
        pthread_cond_broadcast(&r->cond);
    }
    pthread_cond_broadcast(&r->cond);
    pthread_mutex_unlock(&r->lock);
    worker_free(w);
    return NULL;
}

int engine_run(engine *e, uint64_t total_paths, unsigned threads, engine_progress_fn progress,
               void *ud, sib_error *err) {
    if (total_paths <= e->done) return SIB_OK;
    if (e->done % ENGINE_BLOCK_PATHS != 0)
        return sib_error_set(err, SIB_EINVAL, NULL,
                             "cannot extend a run of %llu paths: extensions need whole blocks "
                             "of %u paths",
                             (unsigned long long)e->done, ENGINE_BLOCK_PATHS);
    if (threads == 0) threads = 1;
    run r = {.e = e,
             .total = total_paths,
             .next_block = e->done / ENGINE_BLOCK_PATHS,
             .commit = e->done / ENGINE_BLOCK_PATHS,
             .end_block = (total_paths + ENGINE_BLOCK_PATHS - 1) / ENGINE_BLOCK_PATHS,
             .window = 2 * threads + 2,
             .progress = progress,
             .ud = ud};
    r.slots = malloc((size_t)r.window * ENGINE_BLOCK_PATHS * e->n_metrics * sizeof *r.slots);
    r.slot_paths = calloc(r.window, sizeof *r.slot_paths);
    if (r.slots == NULL || r.slot_paths == NULL) {
        free(r.slots);
        free(r.slot_paths);
        return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory for the run's buffers");
    }
    pthread_mutex_init(&r.lock, NULL);
    pthread_cond_init(&r.cond, NULL);

    pthread_t *tid = calloc(threads, sizeof *tid);
    unsigned started = 0;
    if (tid != NULL)
        for (; started + 1 < threads; started++)
            if (pthread_create(&tid[started], NULL, run_worker, &r) != 0) break;
    run_worker(&r); /* the calling thread works too */
    for (unsigned i = 0; i < started; i++) pthread_join(tid[i], NULL);
    free(tid);

    pthread_mutex_destroy(&r.lock);
    pthread_cond_destroy(&r.cond);
    free(r.slots);
    free(r.slot_paths);
    if (r.failed) return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory in a worker thread");
    if (r.cancelled) return sib_error_set(err, SIB_ECANCEL, NULL, "run cancelled");
    return SIB_OK;
}
