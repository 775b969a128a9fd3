/* engine.c -- compiling a scenario, simulating one future, and the parallel
 * block runner with in-order commits. The contract is in engine.h; the model
 * of one future is in docs/model.md and summarised at simulate_path().
 */
#include "engine.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/contract.h"
#include "../model/finance.h"
#include "../model/financing.h"
#include "sample.h"

/* The cash-flow grid may not exceed this many periods (e.g. 100 years of
 * weeks): a guard against a typo making every path allocate gigabytes. */
#define ENGINE_MAX_PERIODS 20000

/* ----------------------------------------------------------- the engine */

/* Indices of the metrics, fixed when the engine is compiled. Per-outcome,
 * per-stage, per-rule, per-payer and per-financing metrics are laid out
 * contiguously, with the stride given by the count. */
typedef struct metric_index {
    size_t eff_true, eff_meas, units_true, units_meas; /* + o */
    size_t cost_delivery, participants, stages_reached, failed;
    size_t stage_reached;                  /* + s */
    size_t pay_total, pay_pv, pay_any;
    size_t pay_rule;                       /* + r */
    size_t pay_payer;                      /* + p, when there are several payers */
    size_t cost_per_outcome, paid_nothing, unpaid; /* + o */
    size_t value_pv;                       /* SIZE_MAX when no outcome is valued */
} metric_index;

/* Metrics of every financing structure, from its `common` base. */
enum {
    FC_TOTAL,     /* commissioner's total outlay */
    FC_PV,        /* ... its present value */
    FC_PER_OUTCOME, /* ... per true outcome */
    FC_NOTHING,   /* ... in futures where no outcome truly improved */
    FC_MAX_YEAR,  /* ... its largest outlay in any twelve months */
    FC_PROVIDER,  /* provider's surplus */
    FC_PROVIDER_LOSS,
    FC_PEAK,      /* largest working capital (PbR) or capital outstanding (SIB) */
    FC_UNFUNDED,
    FC_RETURNED,
    FC_NET,       /* value of true outcomes - commissioner's PV (when valued) */
    FC_METRICS
};

/* Metrics of each investor tranche, from its base. */
enum {
    TR_IRR,
    TR_MOIC,
    TR_NPV,
    TR_DRAWN,
    TR_RECEIVED,
    TR_LOSS,
    TR_P_LOSS,
    TR_FULL,
    TR_GUARANTEED,
    TR_METRICS
};

#define MAX_UNITS (FINANCING_MAX_PARTS * FINANCING_MAX_TRANCHES)

/* Where a structure's metrics live, and the plain structures it runs: itself,
 * or for a blend by stage, each distinct part. */
typedef struct fin_map {
    size_t common;                        /* FC_* base */
    size_t n_parts;
    size_t parts[FINANCING_MAX_PARTS];    /* indices into scenario.financing */
    size_t n_units;                       /* investor tranches over all parts */
    size_t unit_part[MAX_UNITS], unit_tranche[MAX_UNITS], unit_base[MAX_UNITS];
    size_t n_guar;
    size_t guar_part[MAX_UNITS], guar_index[MAX_UNITS], guar_base[MAX_UNITS];
} fin_map;

struct engine {
    const scenario *sc;
    const gsl_rng_type *rng_type;
    size_t periods;   /* T: length of the cash-flow grid */
    double *discount; /* [T] public discount factor (1 + d)^(-t/p) */
    contract_plan *plan;
    size_t n_cohorts;     /* flat cohorts over all stages */
    size_t *cohort_index; /* [c] index of flat cohort c within its stage */
    size_t *stage_first;  /* [s] flat index of stage s's first cohort */
    double *measured_by;  /* [c] when the cohort is measured on every outcome */
    size_t *hist_order;   /* [c] flat cohorts in order of measurement (historical drift) */
    double *costs_plan;   /* [T] delivery costs if everything runs as planned */
    /* Correlated inputs: a Gaussian copula over n_corr of the inputs. */
    size_t n_corr;
    size_t *corr_input;   /* [n_corr] input index of each correlated input */
    size_t *corr_pos;     /* [n_inputs] position of a correlated input among them */
    int *is_corr;         /* [n_inputs] 1 when drawn through the copula */
    gsl_matrix *chol;     /* lower Cholesky factor of the correlation matrix */
    metric_info *metrics;
    stats_acc **acc;
    size_t n_metrics;
    metric_index mi;
    fin_map *fmap;     /* [n_financing] */
    double *measure_discount; /* [o * n_cohorts + c] discount factor at measurement */
    uint64_t done; /* paths committed */
    /* Compare engines (engine_new_compare): the second scenario's engine. */
    engine *twin;
    size_t n_own, n_diff;
    size_t *diff_own, *diff_twin; /* [n_diff] the metrics each difference subtracts */
};

/* Per-thread scratch: everything one path needs, allocated once. */
typedef struct worker {
    gsl_rng *rng;     /* outcome sampling and the counterfactual's drift */
    gsl_rng *rin;     /* inputs, commissioning and failure: a fixed count per path */
    double *u_gate;   /* [s] this path's commissioning uniform for each stage */
    irr_solver *irr;
    double *x;        /* [n_inputs] this path's draw of every input */
    double *z;        /* [n_corr] normal scores */
    cohort_obs *obs;  /* [o * n_cohorts + c] */
    double *pay;      /* [n_events] */
    double *payer;    /* [n_payers] */
    double *scratch;  /* contract_scratch_size */
    double *costs;    /* [T] this path's delivery costs per period */
    double *payments; /* [T] outcome payments per period */
    double *stage_costs; /* [s * T + t] costs by stage */
    double *stage_pay;   /* [s * T + t] outcome payments attributed to each stage */
    double *sub_costs, *sub_pay; /* [T] a blend part's share */
    double *comm;     /* [T] a structure's commissioner flows */
    double *stage_w;  /* [s] pooled payments' weights by stage */
    fin_result **ws;  /* [f * FINANCING_MAX_PARTS + j] */
    double value_pv;  /* PV of the value of true outcomes */
    double u_fail;    /* this path's uniform for the failure time */
    double *true_units; /* [o] */
    double *cohort_true;  /* [o * n_cohorts + c] true outcomes of each cohort */
    double *cohort_value; /* [o * n_cohorts + c] their value, discounted */
    double *paid_o;   /* [o] payments on each outcome's rules */
    double *drift;    /* [c] historical drift factor of each cohort's counterfactual */
    int *ran;         /* [s] the stage ran */
    int *cohort_drawn; /* [c] the cohort is realised on this path */
    size_t n_ws;
} worker;

static void worker_free(worker *w) {
    if (w == NULL) return;
    gsl_rng_free(w->rng);
    gsl_rng_free(w->rin);
    free(w->u_gate);
    irr_solver_free(w->irr);
    free(w->x);
    free(w->z);
    free(w->obs);
    free(w->pay);
    free(w->payer);
    free(w->scratch);
    free(w->costs);
    free(w->payments);
    free(w->stage_costs);
    free(w->stage_pay);
    free(w->sub_costs);
    free(w->sub_pay);
    free(w->comm);
    free(w->stage_w);
    if (w->ws)
        for (size_t i = 0; i < w->n_ws; i++) fin_ws_free(w->ws[i]);
    free(w->ws);
    free(w->true_units);
    free(w->cohort_true);
    free(w->cohort_value);
    free(w->paid_o);
    free(w->drift);
    free(w->ran);
    free(w->cohort_drawn);
    free(w);
}

static worker *worker_new(const engine *e) {
    const scenario *sc = e->sc;
    worker *w = calloc(1, sizeof *w);
    if (w == NULL) return NULL;
    size_t no = sc->n_outcomes, T = e->periods;
    w->rng = gsl_rng_alloc(e->rng_type);
    w->rin = gsl_rng_alloc(e->rng_type);
    w->u_gate = calloc(sc->n_stages + 1, sizeof *w->u_gate);
    w->irr = irr_solver_new();
    w->x = calloc(sc->n_inputs + 1, sizeof *w->x);
    w->z = calloc(e->n_corr + 1, sizeof *w->z);
    w->obs = calloc(no * e->n_cohorts + 1, sizeof *w->obs);
    w->pay = calloc(e->plan->n_events + 1, sizeof *w->pay);
    w->payer = calloc(sc->contract.n_payers + 1, sizeof *w->payer);
    w->scratch = calloc(contract_scratch_size(sc) + 1, sizeof *w->scratch);
    const size_t ns = sc->n_stages;
    w->costs = calloc(T, sizeof *w->costs);
    w->payments = calloc(T, sizeof *w->payments);
    w->stage_costs = calloc(ns * T, sizeof *w->stage_costs);
    w->stage_pay = calloc(ns * T, sizeof *w->stage_pay);
    w->sub_costs = calloc(T, sizeof *w->sub_costs);
    w->sub_pay = calloc(T, sizeof *w->sub_pay);
    w->comm = calloc(T, sizeof *w->comm);
    w->stage_w = calloc(ns, sizeof *w->stage_w);
    w->n_ws = sc->n_financing * FINANCING_MAX_PARTS;
    w->ws = calloc(w->n_ws + 1, sizeof *w->ws);
    if (w->ws != NULL)
        for (size_t f = 0; f < sc->n_financing; f++)
            for (size_t j = 0; j < e->fmap[f].n_parts; j++) {
                fin_result *r = fin_ws_new(&sc->financing[e->fmap[f].parts[j]], T,
                                           sc->sim.periods_per_year);
                w->ws[f * FINANCING_MAX_PARTS + j] = r;
                if (r == NULL) {
                    worker_free(w);
                    return NULL;
                }
            }
    w->true_units = calloc(no, sizeof *w->true_units);
    w->cohort_true = calloc(no * e->n_cohorts + 1, sizeof *w->cohort_true);
    w->cohort_value = calloc(no * e->n_cohorts + 1, sizeof *w->cohort_value);
    w->paid_o = calloc(no, sizeof *w->paid_o);
    w->drift = calloc(e->n_cohorts + 1, sizeof *w->drift);
    w->ran = calloc(sc->n_stages + 1, sizeof *w->ran);
    w->cohort_drawn = calloc(e->n_cohorts + 1, sizeof *w->cohort_drawn);
    if (!w->rng || !w->rin || !w->u_gate || !w->irr || !w->x || !w->z || !w->obs || !w->pay || !w->payer || !w->scratch ||
        !w->costs || !w->payments || !w->stage_costs || !w->stage_pay || !w->sub_costs ||
        !w->sub_pay || !w->comm || !w->stage_w || !w->ws || !w->true_units || !w->cohort_true ||
        !w->cohort_value || !w->paid_o ||
        !w->drift || !w->ran || !w->cohort_drawn) {
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
    m->role = ROLE_OWN;
    m->twin = m->diff = SIZE_MAX;
    return e->n_metrics++;
}

/* The number of metrics define_metrics() lays out. */
static size_t metric_count(const scenario *sc) {
    size_t payers = sc->contract.n_payers > 1 ? sc->contract.n_payers : 0;
    size_t fin = 0;
    for (size_t f = 0; f < sc->n_financing; f++) fin += FC_METRICS + (size_t)TR_METRICS * MAX_UNITS + MAX_UNITS;
    return 7 * sc->n_outcomes + 5 + sc->n_stages + 3 + sc->contract.n_rules + payers + fin;
}

/* The plain structures a structure runs: itself, or a blend's distinct parts. */
static void map_parts(const scenario *sc, size_t f, fin_map *m) {
    const financing *fin = &sc->financing[f];
    m->n_parts = 0;
    if (fin->type != FIN_BY_STAGE) {
        m->parts[m->n_parts++] = f;
        return;
    }
    for (size_t s = 0; s < sc->n_stages; s++) {
        size_t p = fin->stage_part[s], seen = 0;
        for (size_t j = 0; j < m->n_parts; j++) seen |= m->parts[j] == p;
        if (!seen && m->n_parts < FINANCING_MAX_PARTS) m->parts[m->n_parts++] = p;
    }
}

static int is_bond(financing_type t) {
    return t == FIN_SIB || t == FIN_OUTCOMES_FUND || t == FIN_DIB;
}

/* Lay out the metrics of every financing structure; see fin_map. */
static void define_financing_metrics(engine *e) {
    const scenario *sc = e->sc;
    static const struct {
        const char *key, *label;
        metric_unit unit;
        metric_kind kind;
    } fc[FC_METRICS] = {
        [FC_TOTAL] = {"commissioner.total", "Commissioner pays", UNIT_MONEY, METRIC_VALUE},
        [FC_PV] = {"commissioner.pv", "Commissioner pays (present value)", UNIT_MONEY, METRIC_VALUE},
        [FC_PER_OUTCOME] = {"commissioner.cost_per_true_outcome", "Cost per true outcome",
                            UNIT_MONEY, METRIC_VALUE},
        [FC_NOTHING] = {"commissioner.spent_without_effect", "Spent when nothing truly improved",
                        UNIT_MONEY, METRIC_VALUE},
        [FC_MAX_YEAR] = {"commissioner.max_annual", "Largest outlay in a year", UNIT_MONEY,
                         METRIC_VALUE},
        [FC_PROVIDER] = {"provider.surplus", "Provider surplus", UNIT_MONEY, METRIC_VALUE},
        [FC_PROVIDER_LOSS] = {"provider.p_loss", "P(provider loss)", UNIT_SHARE, METRIC_INDICATOR},
        [FC_PEAK] = {"peak_capital", "Largest capital outstanding", UNIT_MONEY, METRIC_VALUE},
        [FC_UNFUNDED] = {"unfunded", "Costs beyond commitments", UNIT_MONEY, METRIC_VALUE},
        [FC_RETURNED] = {"returned", "Surplus returned to payers", UNIT_MONEY, METRIC_VALUE},
        [FC_NET] = {"net_value", "Net value (outcomes' value - PV paid)", UNIT_MONEY,
                    METRIC_VALUE},
    };
    static const struct {
        const char *key, *label;
        metric_unit unit;
        metric_kind kind;
    } tr[TR_METRICS] = {
        [TR_IRR] = {"irr", "IRR", UNIT_RATE, METRIC_VALUE},
        [TR_MOIC] = {"moic", "money multiple", UNIT_MULTIPLE, METRIC_VALUE},
        [TR_NPV] = {"npv", "NPV", UNIT_MONEY, METRIC_VALUE},
        [TR_DRAWN] = {"drawn", "capital drawn", UNIT_MONEY, METRIC_VALUE},
        [TR_RECEIVED] = {"received", "repaid from outcomes", UNIT_MONEY, METRIC_VALUE},
        [TR_LOSS] = {"loss", "loss", UNIT_MONEY, METRIC_VALUE},
        [TR_P_LOSS] = {"p_loss", "P(loss)", UNIT_SHARE, METRIC_INDICATOR},
        [TR_FULL] = {"full_repayment", "P(full repayment)", UNIT_SHARE, METRIC_INDICATOR},
        [TR_GUARANTEED] = {"guaranteed", "recovered from guarantees", UNIT_MONEY, METRIC_VALUE},
    };
    char key[2 * SCENARIO_NAME_MAX + 40], label[2 * SCENARIO_NAME_MAX + 60];
    for (size_t f = 0; f < sc->n_financing; f++) {
        fin_map *m = &e->fmap[f];
        const char *g = sc->financing[f].name;
        map_parts(sc, f, m);
        m->common = e->n_metrics;
        for (int k = 0; k < FC_METRICS; k++)
            add_metric(e, g, fc[k].key, fc[k].label, fc[k].unit, fc[k].kind);
        m->n_units = m->n_guar = 0;
        for (size_t j = 0; j < m->n_parts; j++) {
            const financing *part = &sc->financing[m->parts[j]];
            if (!is_bond(part->type)) continue;
            const int blend = sc->financing[f].type == FIN_BY_STAGE;
            for (size_t k = 0; k < part->n_tranches && m->n_units < MAX_UNITS; k++) {
                size_t u = m->n_units++;
                m->unit_part[u] = j;
                m->unit_tranche[u] = k;
                m->unit_base[u] = e->n_metrics;
                for (int q = 0; q < TR_METRICS; q++) {
                    if (blend) snprintf(key, sizeof key, "%s: %s.%s", part->name,
                                        part->tranches[k].name, tr[q].key);
                    else snprintf(key, sizeof key, "%s.%s", part->tranches[k].name, tr[q].key);
                    snprintf(label, sizeof label, "%s %s", part->tranches[k].name, tr[q].label);
                    add_metric(e, g, key, label, tr[q].unit, tr[q].kind);
                }
            }
            for (size_t k = 0; k < part->n_guarantees && m->n_guar < MAX_UNITS; k++) {
                size_t u = m->n_guar++;
                m->guar_part[u] = j;
                m->guar_index[u] = k;
                snprintf(key, sizeof key, "guarantor.%s.paid", part->guarantees[k].name);
                snprintf(label, sizeof label, "Guarantor %s pays", part->guarantees[k].name);
                m->guar_base[u] = add_metric(e, g, key, label, UNIT_MONEY, METRIC_VALUE);
            }
        }
    }
}

/* Lay out the metric table; see metric_index. */
static void define_metrics(engine *e) {
    const scenario *sc = e->sc;
    char key[2 * SCENARIO_NAME_MAX + 40], label[2 * SCENARIO_NAME_MAX + 60];
    const size_t no = sc->n_outcomes;
    const char *P = "programme", *C = "commissioner";
    /* Several outcomes: labels name them; one: the label is enough. */
    const int named = no > 1;
#define EACH_OUTCOME(field, keyfmt, labeltext, unitexpr, kind)                        \
    for (size_t o = 0; o < no; o++) {                                                 \
        const outcome *oc = &sc->outcomes[o];                                         \
        snprintf(key, sizeof key, keyfmt, oc->name);                                  \
        if (named) snprintf(label, sizeof label, "%s: %s", labeltext, oc->name);      \
        else snprintf(label, sizeof label, "%s", labeltext);                          \
        size_t id = add_metric(e, group, key, label, unitexpr, kind);                 \
        if (o == 0) e->mi.field = id;                                                 \
    }
#define EFFECT_UNIT(oc) \
    (((oc)->scale == EFFECT_RELATIVE || (oc)->kind == OUTCOME_RATE) ? UNIT_SHARE : UNIT_COUNT)
    const char *group = P;
    EACH_OUTCOME(eff_true, "effect.true.%s", "True effect", EFFECT_UNIT(oc), METRIC_VALUE)
    EACH_OUTCOME(eff_meas, "effect.measured.%s", "Measured effect (pooled)", EFFECT_UNIT(oc),
                 METRIC_VALUE)
    EACH_OUTCOME(units_true, "outcomes.true.%s", "True outcomes caused", UNIT_COUNT,
                 METRIC_VALUE)
    EACH_OUTCOME(units_meas, "outcomes.measured.%s", "Outcomes measured", UNIT_COUNT,
                 METRIC_VALUE)
    e->mi.participants =
        add_metric(e, P, "participants", "Participants enrolled", UNIT_COUNT, METRIC_VALUE);
    e->mi.cost_delivery =
        add_metric(e, P, "cost.delivery", "Delivery cost", UNIT_MONEY, METRIC_VALUE);
    e->mi.stages_reached =
        add_metric(e, P, "stages.reached", "Stages reached", UNIT_COUNT, METRIC_VALUE);
    e->mi.failed = add_metric(e, P, "failed", "P(operational failure)", UNIT_SHARE,
                              METRIC_INDICATOR);
    for (size_t s = 0; s < sc->n_stages; s++) {
        snprintf(key, sizeof key, "stage.%s.reached", sc->stages[s].name);
        snprintf(label, sizeof label, "P(reaches %s)", sc->stages[s].name);
        size_t id = add_metric(e, P, key, label, UNIT_SHARE, METRIC_INDICATOR);
        if (s == 0) e->mi.stage_reached = id;
    }
    e->mi.value_pv = SIZE_MAX;
    for (size_t o = 0; o < no; o++)
        if (sc->outcomes[o].value > 0 && e->mi.value_pv == SIZE_MAX)
            e->mi.value_pv = add_metric(e, P, "outcomes.value", "Value of true outcomes (PV)",
                                        UNIT_MONEY, METRIC_VALUE);
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
    e->mi.pay_payer = SIZE_MAX;
    if (sc->contract.n_payers > 1)
        for (size_t p = 0; p < sc->contract.n_payers; p++) {
            snprintf(key, sizeof key, "payments.payer.%s", sc->contract.payers[p].name);
            snprintf(label, sizeof label, "Paid by %s", sc->contract.payers[p].name);
            size_t id = add_metric(e, C, key, label, UNIT_MONEY, METRIC_VALUE);
            if (p == 0) e->mi.pay_payer = id;
        }
    EACH_OUTCOME(cost_per_outcome, "cost_per_true_outcome.%s", "Cost per true outcome",
                 UNIT_MONEY, METRIC_VALUE)
    EACH_OUTCOME(unpaid, "unpaid_true_outcomes.%s", "True outcomes never paid for", UNIT_COUNT,
                 METRIC_VALUE)
    EACH_OUTCOME(paid_nothing, "paid_without_effect.%s", "Paid when true effect <= 0",
                 UNIT_MONEY, METRIC_VALUE)
#undef EACH_OUTCOME
#undef EFFECT_UNIT
    define_financing_metrics(e);
}

/* Spread amount evenly over the periods of [t0, t1); all of it in t0's
 * period when the span covers no whole period boundary. */
static void spread(const scenario *sc, size_t n, double *flows, double t0, double t1,
                   double amount) {
    size_t p0 = scenario_period_in(sc, n, t0), p1 = scenario_period_in(sc, n, t1);
    if (t1 <= t0 || p1 <= p0) {
        flows[p0] += amount;
        return;
    }
    double each = amount / (double)(p1 - p0);
    for (size_t p = p0; p < p1; p++) flows[p] += each;
}

/* Build the Gaussian copula of the scenario's correlations: the correlation
 * matrix over the inputs that appear in one, and its Cholesky factor (GSL).
 * A matrix that is not positive definite cannot be the correlation matrix
 * of anything: refuse it, naming the inputs. */
static int compile_copula(engine *e, sib_error *err) {
    const scenario *sc = e->sc;
    e->is_corr = calloc(sc->n_inputs + 1, sizeof *e->is_corr);
    e->corr_input = calloc(sc->n_inputs + 1, sizeof *e->corr_input);
    if (e->is_corr == NULL || e->corr_input == NULL)
        return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
    for (size_t k = 0; k < sc->n_correlations; k++) {
        e->is_corr[sc->correlations[k].a] = 1;
        e->is_corr[sc->correlations[k].b] = 1;
    }
    size_t *pos = calloc(sc->n_inputs + 1, sizeof *pos);
    if (pos == NULL) return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
    e->corr_pos = pos; /* kept: draw_inputs places each normal score by it */
    for (size_t i = 0; i < sc->n_inputs; i++)
        if (e->is_corr[i]) {
            pos[i] = e->n_corr;
            e->corr_input[e->n_corr++] = i;
        }
    if (e->n_corr == 0) return SIB_OK;
    e->chol = gsl_matrix_alloc(e->n_corr, e->n_corr);
    if (e->chol == NULL) return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
    gsl_matrix_set_identity(e->chol);
    for (size_t k = 0; k < sc->n_correlations; k++) {
        const correlation *c = &sc->correlations[k];
        gsl_matrix_set(e->chol, pos[c->a], pos[c->b], c->rho);
        gsl_matrix_set(e->chol, pos[c->b], pos[c->a], c->rho);
    }
    if (gsl_linalg_cholesky_decomp1(e->chol) != GSL_SUCCESS) {
        char names[200] = "";
        size_t n = 0;
        for (size_t i = 0; i < e->n_corr && n + 2 < sizeof names; i++)
            n += (size_t)snprintf(names + n, sizeof names - n, "%s%s", i ? ", " : "",
                                  sc->inputs[e->corr_input[i]].pointer);
        return sib_error_set(err, SIB_EINVAL, "/correlations",
                             "these correlations cannot hold together (the matrix over %s is not "
                             "positive definite): lower some of them, or check their signs",
                             names);
    }
    return SIB_OK;
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
    if (scenario_horizon(sc) * sc->sim.periods_per_year > ENGINE_MAX_PERIODS) {
        sib_error_set(err, SIB_EINVAL, "/simulation/periods_per_year",
                      "the cash-flow grid would have %.0f periods (%g years x %d a year); at "
                      "most %d are allowed",
                      scenario_horizon(sc) * sc->sim.periods_per_year, scenario_horizon(sc),
                      sc->sim.periods_per_year, ENGINE_MAX_PERIODS);
        return NULL;
    }
    engine *e = calloc(1, sizeof *e);
    if (e == NULL) goto nomem;
    e->sc = sc;
    e->rng_type = type;
    e->periods = scenario_periods(sc);
    e->plan = contract_plan_new(sc);
    e->n_cohorts = e->plan ? e->plan->n_cohorts : 0;
    const size_t nc = e->n_cohorts, T = e->periods;
    e->discount = calloc(T, sizeof *e->discount);
    e->costs_plan = calloc(T, sizeof *e->costs_plan);
    e->cohort_index = calloc(nc + 1, sizeof *e->cohort_index);
    e->hist_order = calloc(nc + 1, sizeof *e->hist_order);
    e->stage_first = calloc(sc->n_stages + 1, sizeof *e->stage_first);
    e->measured_by = calloc(nc + 1, sizeof *e->measured_by);
    size_t max_metrics = metric_count(sc);
    e->metrics = calloc(max_metrics, sizeof *e->metrics);
    e->acc = calloc(max_metrics, sizeof *e->acc);
    e->fmap = calloc(sc->n_financing + 1, sizeof *e->fmap);
    e->measure_discount = calloc(sc->n_outcomes * nc + 1, sizeof *e->measure_discount);
    if (!e->plan || !e->discount || !e->costs_plan || !e->cohort_index || !e->hist_order ||
        !e->stage_first || !e->measured_by ||
        !e->metrics || !e->acc || !e->fmap || !e->measure_discount)
        goto nomem;
    if (compile_copula(e, err) != SIB_OK) {
        engine_free(e);
        return NULL;
    }
    /* Cohorts in order of measurement time, for the historical random walk. */
    size_t flat = 0;
    double *when = calloc(nc + 1, sizeof *when);
    if (when == NULL) goto nomem;
    for (size_t s = 0; s < sc->n_stages; s++) {
        e->stage_first[s] = flat;
        for (size_t c = 0; c < sc->stages[s].n_cohorts; c++, flat++) {
            const cohort *co = &sc->stages[s].cohorts[c];
            e->cohort_index[flat] = c;
            for (size_t o = 0; o < sc->n_outcomes; o++)
                e->measured_by[flat] = fmax(e->measured_by[flat], scenario_measure_time(sc, s, c, o));
            e->hist_order[flat] = flat;
            when[flat] = co->entry + co->enrolment;
        }
    }
    for (size_t i = 1; i < nc; i++) /* insertion sort: a handful of cohorts, stable */
        for (size_t j = i; j > 0 && when[e->hist_order[j]] < when[e->hist_order[j - 1]]; j--) {
            size_t t = e->hist_order[j];
            e->hist_order[j] = e->hist_order[j - 1];
            e->hist_order[j - 1] = t;
        }
    free(when);
    /* The planned delivery costs (every stage runs, no overrun). */
    for (size_t s = 0; s < sc->n_stages; s++) {
        const stage *st = &sc->stages[s];
        e->costs_plan[scenario_period_of(sc, st->start)] += st->setup_cost;
        spread(sc, T, e->costs_plan, st->start, st->start + st->duration,
               st->fixed_per_year * st->duration);
        for (size_t c = 0; c < st->n_cohorts; c++) {
            const cohort *co = &st->cohorts[c];
            spread(sc, T, e->costs_plan, co->entry, co->entry + co->enrolment,
                   st->per_participant * co->size);
        }
    }
    for (size_t t = 0; t < T; t++)
        e->discount[t] = pow(1.0 + sc->sim.discount_rate, -(double)t / sc->sim.periods_per_year);
    for (size_t o = 0; o < sc->n_outcomes; o++)
        for (size_t c = 0; c < nc; c++) {
            double t = scenario_measure_time(sc, e->plan->cohort_stage[c], e->cohort_index[c], o);
            e->measure_discount[o * nc + c] = pow(1.0 + sc->sim.discount_rate, -t);
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

engine *engine_new_compare(const scenario *a, const scenario *b, sib_error *err) {
    engine *e = engine_new(a, err);
    if (e == NULL) return NULL;
    engine *t = engine_new(b, err);
    if (t == NULL) {
        engine_free(e);
        return NULL;
    }
    /* B runs on A's streams: A's seed (seed_worker) and A's generator. */
    t->rng_type = e->rng_type;
    e->twin = t;
    e->n_own = e->n_metrics;
    size_t most = e->n_own + t->n_metrics + e->n_own;
    metric_info *mi = realloc(e->metrics, most * sizeof *mi);
    stats_acc **acc = mi ? realloc(e->acc, most * sizeof *acc) : NULL;
    if (mi) e->metrics = mi;
    if (acc) e->acc = acc;
    e->diff_own = calloc(e->n_own + 1, sizeof *e->diff_own);
    e->diff_twin = calloc(e->n_own + 1, sizeof *e->diff_twin);
    if (!mi || !acc || !e->diff_own || !e->diff_twin) goto nomem;
    for (size_t i = 0; i < t->n_metrics; i++) {
        size_t k = e->n_metrics;
        e->metrics[k] = t->metrics[i];
        e->metrics[k].role = ROLE_TWIN;
        e->acc[k] = NULL;
        e->n_metrics++;
        if ((e->acc[k] = stats_acc_new()) == NULL) goto nomem;
    }
    for (size_t i = 0; i < e->n_own; i++) {
        size_t j = engine_find_metric(t, e->metrics[i].group, e->metrics[i].key);
        if (j == (size_t)-1) continue;
        size_t k = e->n_metrics;
        e->metrics[k] = e->metrics[i];
        e->metrics[k].role = ROLE_DIFF;
        e->metrics[k].kind = METRIC_VALUE; /* a difference of indicators is not one */
        e->acc[k] = NULL;
        e->n_metrics++;
        if ((e->acc[k] = stats_acc_new()) == NULL) goto nomem;
        e->metrics[i].twin = e->n_own + j;
        e->metrics[i].diff = k;
        e->diff_own[e->n_diff] = i;
        e->diff_twin[e->n_diff] = j;
        e->n_diff++;
    }
    return e;
nomem:
    engine_free(e);
    sib_error_set(err, SIB_ENOMEM, NULL, "out of memory compiling the comparison");
    return NULL;
}

void engine_free(engine *e) {
    if (e == NULL) return;
    if (e->acc)
        for (size_t i = 0; i < e->n_metrics; i++) stats_acc_free(e->acc[i]);
    free(e->acc);
    free(e->metrics);
    contract_plan_free(e->plan);
    free(e->discount);
    free(e->costs_plan);
    free(e->cohort_index);
    free(e->hist_order);
    free(e->stage_first);
    free(e->measured_by);
    free(e->is_corr);
    free(e->corr_input);
    free(e->corr_pos);
    free(e->fmap);
    free(e->measure_discount);
    free(e->diff_own);
    free(e->diff_twin);
    engine_free(e->twin);
    if (e->chol) gsl_matrix_free(e->chol);
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
const double *engine_costs(const engine *e) { return e->costs_plan; }

size_t engine_find_metric(const engine *e, const char *group, const char *key) {
    for (size_t i = 0; i < e->n_metrics; i++)
        if (strcmp(e->metrics[i].group, group) == 0 && strcmp(e->metrics[i].key, key) == 0)
            return i;
    return (size_t)-1;
}

/* -------------------------------------------------------- one future */

/* The value of prior p on this path: its draw, or its fixed default. */
static double value_of(const prior *p, const worker *w) {
    return p->slot == SIZE_MAX ? p->a : w->x[p->slot];
}

/* Draw every input of the scenario for one path, from the inputs stream:
 * exactly one uniform u per input, x = F^-1(u), whatever its distribution
 * (a fixed input consumes its uniform too). So two scenarios that differ
 * in an input's distribution -- a tornado's P10, a sweep of a prior's mean --
 * still see the same draws of every other input and of everything after:
 * common random numbers hold exactly. Correlated inputs take their normal
 * scores z = Phi^-1(u), correlate them as y = L z (L the Cholesky factor),
 * and map back: x = F^-1(Phi(y)) -- a Gaussian copula: each input keeps its
 * own distribution, their normal scores are correlated. Then the
 * commissioning uniform of every stage and the failure uniform, drawn
 * whether used or not, for the same reason. */
static void draw_inputs(const engine *e, worker *w) {
    const scenario *sc = e->sc;
    for (size_t i = 0; i < sc->n_inputs; i++) {
        double u = gsl_rng_uniform_pos(w->rin);
        if (!e->is_corr[i]) w->x[i] = sample_prior_quantile(sc->inputs[i].p, u);
        else w->z[e->corr_pos[i]] = gsl_cdf_ugaussian_Pinv(u);
    }
    for (size_t s = 0; s < sc->n_stages; s++) w->u_gate[s] = gsl_rng_uniform(w->rin);
    w->u_fail = gsl_rng_uniform_pos(w->rin);
    if (e->n_corr == 0) return;
    for (size_t k = e->n_corr; k-- > 0;) { /* y = L z, in place from the bottom row up */
        double y = 0;
        for (size_t j = 0; j <= k; j++) y += gsl_matrix_get(e->chol, k, j) * w->z[j];
        w->z[k] = y;
    }
    for (size_t k = 0; k < e->n_corr; k++) {
        size_t i = e->corr_input[k];
        w->x[i] = sample_prior_quantile(sc->inputs[i].p, gsl_cdf_ugaussian_P(w->z[k]));
    }
}

/* The expected outcome of people with counterfactual mean mu0 and true
 * effect eff: mu0 moved by the effect in the better direction (relative: a
 * share of mu0; absolute: in the outcome's units), kept within what the
 * outcome can be (a share in [0, 1], a count >= 0). */
static double treated_mean(const outcome *o, double mu0, double eff) {
    double delta = (o->scale == EFFECT_RELATIVE) ? mu0 * eff : eff;
    double mu = (o->direction == DIRECTION_LOWER_IS_BETTER) ? mu0 - delta : mu0 + delta;
    if (o->kind == OUTCOME_RATE) return fmin(fmax(mu, 0.0), 1.0);
    if (o->kind == OUTCOME_COUNT) return fmax(mu, 0.0);
    return mu;
}

/* Between-person variance of the outcome at mean mu. */
static double person_variance(const outcome *o, double mu) {
    switch (o->kind) {
    case OUTCOME_RATE: return mu * (1 - mu);
    case OUTCOME_COUNT: return mu;
    case OUTCOME_CONTINUOUS: return o->sd * o->sd;
    }
    return 0;
}

/* A group's measured total for n people with expected mean mu: people with
 * the event (RATE, binomial), events (COUNT, Poisson with mean n mu), or the
 * sum of scores (CONTINUOUS: the mean is normal with variance sd^2 / n).
 * Clustered designs (clusters of k people, intra-cluster correlation icc)
 * add a normal shock to the group mean with variance sigma^2 (k - 1) icc / n,
 * so that its variance is sigma^2 / n times the design effect
 * 1 + (k - 1) icc. */
static double draw_total(const outcome *o, gsl_rng *r, double n, double mu) {
    if (n <= 0) return 0;
    double total;
    if (o->kind == OUTCOME_RATE) total = sample_binomial(r, mu, n);
    else if (o->kind == OUTCOME_COUNT) total = sample_poisson(r, n * mu);
    else total = n * (mu + gsl_ran_gaussian_ziggurat(r, o->sd / sqrt(n)));
    const evaluation *ev = &o->eval;
    if (ev->cluster_size > 1 && ev->icc > 0) {
        double var = person_variance(o, mu) * (ev->cluster_size - 1) * ev->icc / n;
        total += n * gsl_ran_gaussian_ziggurat(r, sqrt(var));
        if (o->kind == OUTCOME_RATE) total = fmin(fmax(total, 0.0), n);
        else if (o->kind == OUTCOME_COUNT) total = fmax(total, 0.0);
    }
    return total;
}

/* Attribute an outcome payment to the stages whose cohorts earned it: a
 * cohort's payment to its stage; a pooled one pro rata to the treated
 * people of each pooled stage. Blends by stage finance each stage's share. */
static void attribute_payment(const engine *e, worker *w, const pay_event *ev, double amt) {
    const scenario *sc = e->sc;
    const size_t T = e->periods, nc = e->n_cohorts;
    if (ev->cohort != CONTRACT_POOLED) {
        w->stage_pay[e->plan->cohort_stage[ev->cohort] * T + ev->period] += amt;
        return;
    }
    const cohort_obs *row = w->obs + sc->contract.rules[ev->rule].outcome * nc;
    double total = 0;
    for (size_t s = 0; s < sc->n_stages; s++) w->stage_w[s] = 0;
    for (size_t c = 0; c < nc; c++) {
        size_t s = e->plan->cohort_stage[c];
        if (ev->pool_stage != SIZE_MAX && s != ev->pool_stage) continue;
        w->stage_w[s] += row[c].n_t;
        total += row[c].n_t;
    }
    for (size_t s = 0; s < sc->n_stages; s++)
        if (total > 0) w->stage_pay[s * T + ev->period] += amt * w->stage_w[s] / total;
}

/* The largest sum of consecutive `window` values of x (a year's outlay). */
static double max_window(const double *x, size_t n, size_t window) {
    double best = 0, run = 0;
    for (size_t t = 0; t < n; t++) {
        run += x[t];
        if (t >= window) run -= x[t - window];
        best = fmax(best, run);
    }
    return best;
}

/* Run financing structure f on this path's flows and write its metrics. A
 * blend runs each part on the costs and payments of the stages it finances. */
static void run_structure(const engine *e, worker *w, size_t f, double *v, double true_total,
                          int nothing_improved) {
    const scenario *sc = e->sc;
    const size_t T = e->periods;
    const int ppy = sc->sim.periods_per_year;
    const fin_map *m = &e->fmap[f];
    const financing *fin = &sc->financing[f];
    double *c = v + m->common;
    memset(w->comm, 0, T * sizeof *w->comm);
    double provider = 0, peak = 0, unfunded = 0, returned = 0;
    for (size_t j = 0; j < m->n_parts; j++) {
        const financing *part = &sc->financing[m->parts[j]];
        const double *costs = w->costs, *pays = w->payments;
        if (fin->type == FIN_BY_STAGE) {
            memset(w->sub_costs, 0, T * sizeof *w->sub_costs);
            memset(w->sub_pay, 0, T * sizeof *w->sub_pay);
            for (size_t s = 0; s < sc->n_stages; s++) {
                if (fin->stage_part[s] != m->parts[j]) continue;
                for (size_t t = 0; t < T; t++) {
                    w->sub_costs[t] += w->stage_costs[s * T + t];
                    w->sub_pay[t] += w->stage_pay[s * T + t];
                }
            }
            costs = w->sub_costs;
            pays = w->sub_pay;
        }
        fin_result *r = w->ws[f * FINANCING_MAX_PARTS + j];
        fin_run(part, costs, pays, T, r);
        for (size_t t = 0; t < T; t++) w->comm[t] += r->commissioner[t];
        provider += r->provider_surplus;
        peak = fmax(peak, r->peak_capital);
        unfunded += r->unfunded;
        returned += r->returned;
    }
    double total = 0, pv = 0;
    for (size_t t = 0; t < T; t++) {
        total += w->comm[t];
        pv += w->comm[t] * e->discount[t];
    }
    c[FC_TOTAL] = total;
    c[FC_PV] = pv;
    /* Per true outcome only when there is one outcome: units of different
     * outcomes (bed days, jobs) do not add up. */
    c[FC_PER_OUTCOME] = sc->n_outcomes == 1 && true_total > 0 ? total / true_total : NAN;
    c[FC_NOTHING] = nothing_improved ? total : 0.0;
    c[FC_MAX_YEAR] = max_window(w->comm, T, (size_t)ppy);
    c[FC_PROVIDER] = provider;
    c[FC_PROVIDER_LOSS] = provider < -1e-9;
    c[FC_PEAK] = peak;
    c[FC_UNFUNDED] = unfunded;
    c[FC_RETURNED] = returned;
    c[FC_NET] = e->mi.value_pv != SIZE_MAX ? w->value_pv - pv : NAN;

    for (size_t u = 0; u < m->n_units; u++) {
        const financing *part = &sc->financing[m->parts[m->unit_part[u]]];
        const fin_result *r = w->ws[f * FINANCING_MAX_PARTS + m->unit_part[u]];
        size_t k = m->unit_tranche[u];
        const tranche_result *tr = &r->tranche[k];
        const double *flows = r->investor + k * T;
        double *x = v + m->unit_base[u];
        double irr, back = tr->received + tr->guaranteed;
        irr_status st = irr_solve(w->irr, flows, T, ppy, &irr);
        x[TR_IRR] = (st == IRR_OK || st == IRR_TOTAL_LOSS) ? irr : NAN;
        x[TR_MOIC] = tr->drawn > 0 ? back / tr->drawn : NAN;
        x[TR_NPV] = finance_npv(flows, T, ppy, part->tranches[k].discount_rate);
        x[TR_DRAWN] = tr->drawn;
        x[TR_RECEIVED] = tr->received;
        x[TR_LOSS] = fmax(tr->drawn - back, 0.0);
        /* Full repayment: at least the capital back (to a relative 1e-9, so
         * that rounding in the sums does not turn a repayment into a loss). */
        int full = back >= tr->drawn * (1 - 1e-9);
        x[TR_P_LOSS] = !full;
        x[TR_FULL] = full;
        x[TR_GUARANTEED] = tr->guaranteed;
    }
    for (size_t u = 0; u < m->n_guar; u++)
        v[m->guar_base[u]] = w->ws[f * FINANCING_MAX_PARTS + m->guar_part[u]]->guarantor[m->guar_index[u]];
}

/* The time the programme fails, given the stages that run: each fails at
 * its hazard while it runs, so the cumulative hazard
 *     H(t) = sum over running stages s of h_s |[start_s, min(t, end_s))|
 * is piecewise linear, and the failure time solves H(t) = E, E ~ Exp(1)
 * drawn as -log(u). HUGE_VAL when H never reaches E. Overlapping stages add
 * their hazards. */
static double failure_time(const scenario *sc, const int *ran, double E) {
    double pts[2 * 64 + 2];
    size_t np = 0;
    for (size_t s = 0; s < sc->n_stages && np + 2 < sizeof pts / sizeof pts[0]; s++)
        if (ran[s] && sc->stages[s].failure_hazard > 0) {
            pts[np++] = sc->stages[s].start;
            pts[np++] = sc->stages[s].start + sc->stages[s].duration;
        }
    if (np == 0) return HUGE_VAL;
    for (size_t i = 1; i < np; i++) /* insertion sort of the breakpoints */
        for (size_t j = i; j > 0 && pts[j] < pts[j - 1]; j--) {
            double t = pts[j];
            pts[j] = pts[j - 1];
            pts[j - 1] = t;
        }
    double H = 0;
    for (size_t i = 0; i + 1 < np; i++) {
        double a = pts[i], b = pts[i + 1], rate = 0;
        if (b <= a) continue;
        for (size_t s = 0; s < sc->n_stages; s++) {
            const stage *st = &sc->stages[s];
            if (ran[s] && st->start <= a && st->start + st->duration >= b) rate += st->failure_hazard;
        }
        if (rate > 0 && H + rate * (b - a) >= E) return a + (E - H) / rate;
        H += rate * (b - a);
    }
    return HUGE_VAL;
}

/* Participants of cohort co on this path: the plan times the volume drawn,
 * cut short when the programme fails (at `stop`) during its enrolment. */
static double cohort_size(const cohort *co, double volume, double stop) {
    double n = round(co->size * volume);
    if (co->entry >= stop) return 0;
    if (co->entry + co->enrolment > stop) return round(n * (stop - co->entry) / co->enrolment);
    return n;
}

/* Realise cohort c (its index within stage s) of this path: its
 * participants (the plan times the volume drawn, cut short by a failure at
 * `stop`) and, for each outcome, the treated group's total around the
 * counterfactual moved by the effect (programme effect x stage multiplier x
 * engagement) and the comparison's as the design says; also its true
 * outcomes and their value. A cohort is realised once per path: early, for
 * a gate, only when it was measured before the gated stage's start (so no
 * later failure can cut it), else with the final failure time. */
static void realise_cohort(const engine *e, worker *w, size_t s, size_t c, double stop) {
    const scenario *sc = e->sc;
    const size_t no = sc->n_outcomes, nc = e->n_cohorts, f = e->stage_first[s] + c;
    const stage *st = &sc->stages[s];
    double engaged = value_of(&st->engagement, w), mult = value_of(&st->effect_multiplier, w);
    double n = cohort_size(&st->cohorts[c], value_of(&st->volume, w), stop);
    w->cohort_drawn[f] = 1;
    for (size_t o = 0; o < no; o++) {
        const outcome *oc = &sc->outcomes[o];
        const evaluation *ev = &oc->eval;
        cohort_obs *ob = &w->obs[o * nc + f];
        *ob = (cohort_obs){n, 0, 0, 0};
        double eff = value_of(&oc->effect, w) * mult * engaged, mu0 = oc->baseline;
        if (ev->design == EVAL_HISTORICAL) mu0 = oc->baseline * w->drift[f];
        if (oc->kind == OUTCOME_RATE) mu0 = fmin(fmax(mu0, 0.0), 1.0);
        else if (oc->kind == OUTCOME_COUNT) mu0 = fmax(mu0, 0.0);
        double mu_t = treated_mean(oc, mu0, eff);
        double units = contract_units(oc, mu_t, mu0, n);
        w->cohort_true[o * nc + f] = units;
        w->cohort_value[o * nc + f] = oc->value * units * e->measure_discount[o * nc + f];
        if (n <= 0) continue;
        ob->sum_t = draw_total(oc, w->rng, n, mu_t);
        switch (ev->design) {
        case EVAL_RCT:
        case EVAL_MATCHED: {
            double m = ev->comparison_size > 0 ? ev->comparison_size
                                               : fmax(round(ev->comparison_ratio * n), 1.0);
            double mu_c = mu0 * (1.0 + value_of(&ev->bias, w));
            if (oc->kind == OUTCOME_RATE) mu_c = fmin(fmax(mu_c, 0.0), 1.0);
            ob->n_c = m;
            ob->sum_c = draw_total(oc, w->rng, m, mu_c);
            break;
        }
        case EVAL_HISTORICAL: /* the fixed historical baseline, no sampling */
            ob->n_c = 1;
            ob->sum_c = oc->baseline;
            break;
        case EVAL_VALIDATED: /* no counterfactual at all */
            ob->n_c = ob->sum_c = 0;
            break;
        }
    }
}

/* Realise the cohorts of stage s not realised yet; with `by` finite, only
 * those measured (on every outcome) by then. */
static void realise_stage(const engine *e, worker *w, size_t s, double stop, double by) {
    const stage *st = &e->sc->stages[s];
    for (size_t c = 0; c < st->n_cohorts; c++) {
        size_t f = e->stage_first[s] + c;
        if (w->cohort_drawn[f] || e->measured_by[f] > by) continue;
        realise_cohort(e, w, s, c, stop);
    }
}

static void draw_drift(const engine *e, worker *w);

/* Simulate one future with w's generator and write its metric values:
 *   1. draw every uncertain input (correlated ones through the copula) and
 *      the time of an operational failure, if any;
 *   2. run the stages in order: a stage starts only if the one before ran,
 *      its gate holds on what was measured (and the commissioner commissions
 *      it), and the programme has not failed; its participants are the plan
 *      times the volume drawn, its costs the plan times the overrun drawn;
 *   3. for each cohort and outcome, draw the treated group's total around the
 *      counterfactual moved by the effect (programme effect x stage
 *      multiplier x engagement), and the comparison's as the design says;
 *   4. settle the contract on what was measured (contract_settle);
 *   5. put payments and costs on the grid; run each financing structure;
 *   6. compute the metrics (IRR, multiple, losses, cost per true outcome...). */
static void simulate_path(const engine *e, worker *w, double *v) {
    const scenario *sc = e->sc;
    const size_t no = sc->n_outcomes, nc = e->n_cohorts, T = e->periods;
    const metric_index *mi = &e->mi;

    draw_inputs(e, w);
    draw_drift(e, w);
    /* Operational failure: each stage fails at its hazard rate while it
     * runs, so the cumulative hazard of the stages that ran,
     * H(t) = sum_s h_s |[start_s, min(t, end_s))|, reaches E = -log(u) ~ Exp(1)
     * at the failure time. Stages that never start add no hazard. */
    const double hazard_e = -log(w->u_fail); /* E ~ Exp(1) by inversion */
    double stop = HUGE_VAL;

    memset(w->costs, 0, T * sizeof *w->costs);
    memset(w->stage_costs, 0, sc->n_stages * T * sizeof *w->stage_costs);
    memset(w->stage_pay, 0, sc->n_stages * T * sizeof *w->stage_pay);
    for (size_t o = 0; o < no; o++) w->true_units[o] = 0;
    w->value_pv = 0;
    double participants = 0;
    size_t reached = 0;

    /* Pass 1: which stages run, and when the programme fails. Stages are
     * decided in order of start: a stage runs if the one before ran, the
     * programme has not failed by its start, and its gate holds on what was
     * measured (the gating stage's outcomes are realised then, on demand).
     * Adding a stage's hazard changes the failure time only after that
     * stage's start, so the stages decided on stay consistent with the
     * final failure time. */
    for (size_t s = 0; s < sc->n_stages; s++) w->ran[s] = 0;
    memset(w->cohort_drawn, 0, nc * sizeof *w->cohort_drawn);
    memset(w->obs, 0, no * nc * sizeof *w->obs); /* nothing measured yet */
    memset(w->cohort_true, 0, no * nc * sizeof *w->cohort_true);
    memset(w->cohort_value, 0, no * nc * sizeof *w->cohort_value);
    for (size_t s = 0; s < sc->n_stages; s++) {
        const stage *st = &sc->stages[s];
        if (s > 0 && !w->ran[s - 1]) break;
        if (st->start >= stop) break;
        if (st->gate.present) {
            const gate *g = &st->gate;
            if (g->outcome != SIZE_MAX) {
                /* The measured effect pooled over the gating stage's cohorts
                 * (measured by now: the loader checks the dates). */
                realise_stage(e, w, g->stage, stop, st->start);
                const outcome *go = &sc->outcomes[g->outcome];
                double nt = 0, stt = 0, ncp = 0, scp = 0;
                for (size_t c = 0; c < nc; c++) {
                    if (e->plan->cohort_stage[c] != g->stage) continue;
                    const cohort_obs *ob = &w->obs[g->outcome * nc + c];
                    nt += ob->n_t;
                    stt += ob->sum_t;
                    ncp += ob->n_c;
                    scp += ob->sum_c;
                }
                double eff = nt <= 0 ? -HUGE_VAL
                             : ncp > 0 ? contract_effect(go, stt / nt, scp / ncp)
                                       : contract_achieved(go, stt / nt, nt) / nt;
                if (!(eff >= g->min_effect)) break;
            }
            if (g->has_min_paid) {
                /* Payments for the gating stage's cohorts made by this
                 * stage's start: settle what is measured so far (later
                 * stages' cohorts are still empty), up to the start. */
                /* Every cohort of the stages that ran so far that was
                 * measured by now, not only the gating stage's: caps tie
                 * their payments together. Cohorts measured later cannot
                 * have been paid by now. */
                for (size_t q = 0; q < s; q++)
                    if (w->ran[q]) realise_stage(e, w, q, stop, st->start);
                contract_settle(sc, e->plan, w->obs, st->start, w->pay, w->payer, w->scratch);
                double paid = 0;
                for (size_t k = 0; k < e->plan->n_events; k++) {
                    const pay_event *ev = &e->plan->events[k];
                    size_t es = ev->cohort == CONTRACT_POOLED ? ev->pool_stage
                                                              : e->plan->cohort_stage[ev->cohort];
                    if (es == g->stage) paid += w->pay[k];
                }
                if (!(paid >= g->min_paid)) break;
            }
            if (g->probability < 1 && w->u_gate[s] >= g->probability) break;
        }
        w->ran[s] = 1;
        reached++;
        stop = failure_time(sc, w->ran, hazard_e);
    }
    /* Pass 2: the stages that ran, with the final failure time: costs stop
     * at the failure, a cohort enrolling then is cut short. */
    for (size_t s = 0; s < sc->n_stages; s++) {
        if (!w->ran[s]) continue;
        const stage *st = &sc->stages[s];
        double overrun = value_of(&st->overrun, w);
        double end = fmin(st->start + st->duration, stop);
        double *sc_costs = w->stage_costs + s * T; /* summed into w->costs below */
        sc_costs[scenario_period_in(sc, T, st->start)] += overrun * st->setup_cost;
        spread(sc, T, sc_costs, st->start, end, overrun * st->fixed_per_year * (end - st->start));
        size_t flat0 = e->stage_first[s];
        realise_stage(e, w, s, stop, HUGE_VAL);
        for (size_t c = 0; c < st->n_cohorts; c++) {
            const cohort *co = &st->cohorts[c];
            double n = w->obs[flat0 + c].n_t; /* outcome 0's row holds the size */
            participants += n;
            if (n > 0)
                spread(sc, T, sc_costs, co->entry, fmin(co->entry + co->enrolment, stop),
                       overrun * st->per_participant * n);
        }
    }
    /* Cohorts of stages that did not run; the true outcomes of those that did. */
    for (size_t c = 0; c < nc; c++) {
        int ran = w->ran[e->plan->cohort_stage[c]];
        for (size_t o = 0; o < no; o++) {
            if (!ran) {
                w->obs[o * nc + c] = (cohort_obs){0, 0, 0, 0};
                continue;
            }
            w->true_units[o] += w->cohort_true[o * nc + c];
            w->value_pv += w->cohort_value[o * nc + c];
        }
    }

    contract_settle(sc, e->plan, w->obs, stop, w->pay, w->payer, w->scratch);

    memset(w->payments, 0, T * sizeof *w->payments);
    for (size_t r = 0; r < sc->contract.n_rules; r++) v[mi->pay_rule + r] = 0;
    for (size_t o = 0; o < no; o++) w->paid_o[o] = 0;
    double total = 0, pv = 0, cost = 0;
    for (size_t k = 0; k < e->plan->n_events; k++) {
        const pay_event *ev = &e->plan->events[k];
        double amt = w->pay[k];
        if (amt == 0) continue;
        w->payments[ev->period] += amt;
        attribute_payment(e, w, ev, amt);
        v[mi->pay_rule + ev->rule] += amt;
        w->paid_o[sc->contract.rules[ev->rule].outcome] += amt;
        total += amt;
        pv += amt * e->discount[ev->period];
    }
    for (size_t st = 0; st < sc->n_stages; st++)
        for (size_t t = 0; t < T; t++) w->costs[t] += w->stage_costs[st * T + t];
    for (size_t t = 0; t < T; t++) cost += w->costs[t];
    v[mi->pay_total] = total;
    v[mi->pay_pv] = pv;
    v[mi->pay_any] = total > 0;
    if (mi->pay_payer != SIZE_MAX)
        for (size_t p = 0; p < sc->contract.n_payers; p++) v[mi->pay_payer + p] = w->payer[p];
    v[mi->cost_delivery] = cost;
    v[mi->participants] = participants;
    v[mi->stages_reached] = (double)reached;
    v[mi->failed] = stop < HUGE_VAL;
    for (size_t s = 0; s < sc->n_stages; s++) v[mi->stage_reached + s] = w->ran[s];

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
        double units_true = w->true_units[o];
        double eff = value_of(&oc->effect, w);
        v[mi->eff_true + o] = eff;
        if (n_t <= 0) {
            v[mi->eff_meas + o] = v[mi->units_meas + o] = NAN;
        } else if (n_c > 0) {
            v[mi->eff_meas + o] = contract_effect(oc, s_t / n_t, s_c / n_c);
            v[mi->units_meas + o] = contract_units(oc, s_t / n_t, s_c / n_c, n_t);
        } else {
            v[mi->units_meas + o] = contract_achieved(oc, s_t / n_t, n_t);
            v[mi->eff_meas + o] = v[mi->units_meas + o] / n_t;
        }
        v[mi->units_true + o] = units_true;
        v[mi->cost_per_outcome + o] = units_true > 0 ? w->paid_o[o] / units_true : NAN;
        v[mi->paid_nothing + o] = eff <= 0 ? w->paid_o[o] : 0.0;
        /* The other side of measured != true: outcomes the programme caused
         * in futures where the contract paid nothing for them. */
        v[mi->unpaid + o] = (units_true > 0 && w->paid_o[o] == 0) ? units_true : 0.0;
    }

    double true_total = 0;
    int nothing_improved = 1;
    for (size_t o = 0; o < no; o++) {
        true_total += w->true_units[o];
        if (value_of(&sc->outcomes[o].effect, w) > 0) nothing_improved = 0;
    }
    if (mi->value_pv != SIZE_MAX) v[mi->value_pv] = w->value_pv;
    for (size_t f = 0; f < sc->n_financing; f++)
        run_structure(e, w, f, v, true_total, nothing_improved);
}

/* The historical drift factors of this path, cohort by cohort: the true
 * counterfactual of a cohort measured at time t is
 *     baseline * (1 + trend * t + volatility * W(t)),
 * W a standard random walk (Brownian motion) sampled at the cohorts' times in
 * order. Called before simulate_path's stage loop needs them. */
static void draw_drift(const engine *e, worker *w) {
    const scenario *sc = e->sc;
    for (size_t c = 0; c < e->n_cohorts; c++) w->drift[c] = 1.0;
    for (size_t o = 0; o < sc->n_outcomes; o++) {
        const outcome *oc = &sc->outcomes[o];
        if (oc->eval.design != EVAL_HISTORICAL) continue;
        double trend = value_of(&oc->eval.trend, w), walk = 0, t_prev = 0;
        for (size_t k = 0; k < e->n_cohorts; k++) {
            size_t c = e->hist_order[k];
            size_t s = e->plan->cohort_stage[c];
            double t = scenario_measure_time(sc, s, e->cohort_index[c], o);
            if (oc->eval.volatility > 0 && t > t_prev)
                walk += gsl_ran_gaussian_ziggurat(w->rng, sqrt(t - t_prev));
            t_prev = fmax(t, t_prev);
            w->drift[c] = 1.0 + trend * t + oc->eval.volatility * walk;
        }
    }
}

/* Seed a worker's two streams for block k of engine e's run (a compare
 * engine's twin is seeded with e, so that it uses A's streams). */
static void seed_worker(const engine *e, worker *w, uint64_t k) {
    gsl_rng_set(w->rng, (unsigned long)sample_block_seed(e->sc->sim.seed, k));
    gsl_rng_set(w->rin, (unsigned long)sample_block_seed(e->sc->sim.seed ^ 0x9e3779b97f4a7c15ULL, k));
}

/* Replay path `path` of the run: reseed its block's generator and simulate
 * the block's paths up to it. values (metrics) and inputs may be NULL. */
static int replay(const engine *e, uint64_t path, double *values, double *inputs,
                  sib_error *err) {
    worker *w = worker_new(e);
    double *v = values ? values : calloc(e->n_metrics + 1, sizeof *v);
    if (w == NULL || v == NULL) {
        worker_free(w);
        if (values == NULL) free(v);
        return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
    }
    seed_worker(e, w, path / ENGINE_BLOCK_PATHS);
    for (uint64_t j = 0; j <= path % ENGINE_BLOCK_PATHS; j++) simulate_path(e, w, v);
    if (inputs)
        for (size_t i = 0; i < e->sc->n_inputs; i++) inputs[i] = w->x[i];
    worker_free(w);
    if (values == NULL) free(v);
    return SIB_OK;
}

int engine_simulate_path(const engine *e, uint64_t path, double *values, sib_error *err) {
    return replay(e, path, values, NULL, err);
}

int engine_path_inputs(const engine *e, uint64_t path, double *inputs, sib_error *err) {
    return replay(e, path, NULL, inputs, err);
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
    worker *w2 = e->twin ? worker_new(e->twin) : NULL;
    double *tmp = e->twin ? calloc(e->twin->n_metrics + 1, sizeof *tmp) : NULL;
    pthread_mutex_lock(&r->lock);
    if (w == NULL || (e->twin && (w2 == NULL || tmp == NULL))) r->failed = 1;
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
        seed_worker(e, w, k);
        if (w2) seed_worker(e, w2, k); /* the twin on A's streams: common random numbers */
        for (uint64_t j = 0; j < n; j++) {
            double *row = buf + j * M;
            simulate_path(e, w, row);
            if (w2) {
                const size_t nt = e->twin->n_metrics;
                simulate_path(e->twin, w2, tmp);
                memcpy(row + e->n_own, tmp, nt * sizeof *tmp);
                for (size_t d = 0; d < e->n_diff; d++)
                    row[e->n_own + nt + d] = tmp[e->diff_twin[d]] - row[e->diff_own[d]];
            }
        }

        pthread_mutex_lock(&r->lock);
        r->slot_paths[k % r->window] = (uint32_t)n;
        commit_ready(r);
        pthread_cond_broadcast(&r->cond);
    }
    pthread_cond_broadcast(&r->cond);
    pthread_mutex_unlock(&r->lock);
    worker_free(w);
    worker_free(w2);
    free(tmp);
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
