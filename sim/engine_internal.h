/* engine_internal.h -- what engine.c, path.c and metrics.c share: the
 * compiled engine, a worker's scratch, and the functions between them. Not
 * part of the engine's interface (engine.h). */
#ifndef SIB_ENGINE_INTERNAL_H
#define SIB_ENGINE_INTERNAL_H

#include <gsl/gsl_matrix.h>
#include <gsl/gsl_rng.h>

#include "../model/contract.h"
#include "../model/finance.h"
#include "../model/financing.h"
#include "../model/ledger.h"
#include "engine.h"
#include "law.h"

/* Indices of the metrics, fixed when the engine is compiled. Per-outcome,
 * per-stage, per-rule, per-payer and per-financing metrics are laid out
 * contiguously, with the stride given by the count. */
typedef struct metric_index {
    size_t eff_true, eff_meas, units_true, units_meas; /* + o */
    size_t cost_delivery, participants, stages_reached, failed;
    size_t terminated;                     /* SIZE_MAX when the contract has no termination */
    size_t stage_reached;                  /* + s */
    size_t pay_total, pay_pv, pay_any;
    size_t pay_rule;                       /* + r */
    size_t pay_payer;                      /* + p, when there are several payers */
    size_t pay_outcome;                    /* + o, when there are several outcomes */
    size_t cost_per_outcome, cost_per_outcome_path, paid_nothing, unpaid; /* + o */
    size_t value_pv;                       /* SIZE_MAX when no outcome is valued */
} metric_index;

/* Metrics of every financing structure, from its `common` base. */
enum {
    FC_TOTAL,        /* commissioner's total outlay */
    FC_PV,           /* ... its present value */
    FC_PER_OUTCOME,  /* ... per true outcome: total / total (a ratio of expectations) */
    FC_PER_OUTCOME_PATH, /* ... the same, future by future */
    FC_NOTHING,      /* ... in futures where no outcome truly improved */
    FC_MAX_YEAR,     /* ... its largest outlay in any twelve months */
    FC_PROVIDER,     /* provider's surplus */
    FC_PROVIDER_LOSS,
    FC_PEAK,         /* largest working capital (PbR) or capital outstanding (SIB) */
    FC_UNFUNDED,
    FC_RETURNED,
    FC_NET,          /* value of true outcomes - commissioner's PV (when valued) */
    FC_METRICS
};

/* Metrics of each investor tranche, from its base, in the order a report
 * shows them: the deal memo's expected return first. */
enum {
    TR_POOLED_IRR,   /* the IRR of the expected flows */
    TR_IRR,          /* per path */
    TR_EXP_MOIC,     /* E[back] / E[in] */
    TR_MOIC,         /* per path */
    TR_NPV,
    TR_DRAWN,
    TR_ANY_DRAWN,    /* P(capital drawn) */
    TR_RECEIVED,
    TR_GUARANTEED,
    TR_FEES,         /* guarantee fees the tranche paid */
    TR_LOSS,
    TR_P_LOSS,       /* P(drawn and lost), over every future */
    TR_P_LOSS_DRAWN, /* ... given capital was drawn */
    TR_FULL,         /* P(drawn and fully repaid), over every future */
    TR_FULL_DRAWN,   /* ... given capital was drawn */
    TR_METRICS
};

#define MAX_UNITS (FINANCING_MAX_PARTS * FINANCING_MAX_TRANCHES)

/* Where a structure's metrics live, and the plain structures it runs. */
/* irr_status values counted per unit (IRR_OK .. IRR_NO_ROOT). */
#define IRR_STATUSES 7

typedef struct fin_map {
    size_t common;                        /* FC_* base */
    size_t n_units;                       /* investor tranches over all parts */
    size_t unit_part[MAX_UNITS], unit_tranche[MAX_UNITS], unit_base[MAX_UNITS];
    size_t unit_global;                   /* index of unit 0 among the engine's units */
    /* An earlier unit of the same part whose flows are those of this one
     * scaled, when its terms are the same (priority, rate, maturity, no
     * guarantee): both then have the same IRR. SIZE_MAX when none. */
    size_t unit_like[MAX_UNITS];
    /* A tranche's metrics of its terms, after its TR_* block: its fixed
     * coupons received, and its redemption and P(redemption) (SIZE_MAX when
     * the tranche has no such term). */
    size_t unit_coupon[MAX_UNITS], unit_redeemed[MAX_UNITS];
    size_t n_guar;
    size_t guar_part[MAX_UNITS], guar_index[MAX_UNITS], guar_base[MAX_UNITS];
    size_t guar_fee_base[MAX_UNITS];      /* SIZE_MAX: the guarantee has no fee */
    size_t end;                           /* the structure's metrics are [common, end) */
} fin_map;

/* How one future is made. */
typedef enum {
    PATH_RANDOM,   /* a simulated future: every draw from the block's generators */
    PATH_EXPECTED, /* inputs at their means, measured = expected (engine.h) */
    PATH_REALISED  /* a backtest: measurements and stages from a realised record */
} path_mode;

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
    double *last_event;   /* [c] the last contract event that can pay for cohort c */
    size_t *hist_order;   /* [c] flat cohorts in order of measurement (historical drift) */
    double *costs_plan;   /* [T] delivery costs if everything runs as planned */
    /* The periods where the contract can pay, in increasing order: a
     * ledger's payment lines are zero everywhere else (its payments are
     * booked only at the plan's events and fixed items), so their sums
     * visit only these. Every rule's and fixed item's, then rule r's alone
     * at rule_t[rule_t_at[r] .. rule_t_at[r + 1]). */
    size_t *pay_t, n_pay_t;
    size_t *rule_t, *rule_t_at; /* rule_t_at: [n_rules + 1] */
    /* Correlated inputs: a Gaussian copula over n_corr of the inputs. */
    size_t n_corr;
    size_t *corr_input;   /* [n_corr] input index of each correlated input */
    size_t *corr_pos;     /* [n_inputs] position of a correlated input among them */
    int *is_corr;         /* [n_inputs] 1 when drawn through the copula */
    gsl_matrix *chol;     /* lower Cholesky factor of the correlation matrix */
    metric_info *metrics;
    stats_acc **acc;
    size_t n_metrics;
    size_t *per_path;     /* the metrics with a value per path (not aggregates) ... */
    size_t n_per_path;
    size_t *follows;      /* [n_metrics] during a run: the earlier metric whose values a
                             metric has had in every future so far (its accumulator then
                             waits, and copies that one's), or SIZE_MAX (runner.c) */
    size_t *ratios;       /* ... and the ratio metrics, among all n_metrics */
    size_t n_ratios;
    metric_index mi;
    fin_map *fmap;        /* [n_financing] */
    size_t n_units;       /* investor tranches over every structure */
    size_t *unit_metric;  /* [n_units] the unit's TR_IRR metric */
    double *unit_v;       /* [n_units] one period's discount factor at the tranche's rate */
    double *measure_discount; /* [o * n_cohorts + c] discount factor at measurement */
    uint64_t done;        /* paths committed */
    /* Aggregates, by batch b = path % ENGINE_BATCHES: */
    double *ratio_sums;   /* [metric i][b][2]: sums of num and den; only ratio metrics,
                             and only the engine's own: ratio_rows metrics long */
    size_t ratio_rows;    /* metrics ratio_sums has room for (engine_new's n_metrics; a
                             comparison adds metrics that keep theirs in the twin) */
    double *ratio_moments; /* [metric i][3]: sums over every path of num^2, num den and
                              den^2, for the delta method's variance (metrics.c); rows as
                              ratio_sums */
    double *flow_sums;    /* [unit][b][t]: sums of each unit's net flow */
    uint64_t batch_n[ENGINE_BATCHES]; /* paths in each batch */
    uint64_t *irr_status; /* [unit][6] paths by irr_status */
    /* Streaming paths (engine_observe_paths): */
    engine_paths_fn observe;
    void *observe_ud;
    /* Compare engines (engine_new_compare): the second scenario's engine,
     * and whether it draws its futures as this one does (it then settles
     * this one's: engine_scenarios_draw_alike). */
    engine *twin;
    int twin_shares;
    size_t n_own, n_diff;
    size_t *diff_own, *diff_twin; /* [n_diff] the metrics each difference subtracts */
    double *diff_moments; /* [d][4]: for a difference of ratios, sums over every path of
                             numA numB, numA denB, denA numB and denA denB (A this
                             engine's, B the twin's): the paired variance (metrics.c) */
};

/* Per-thread scratch: everything one path needs, allocated once. */
typedef struct worker {
    path_mode mode;
    const realised *rec; /* PATH_REALISED */
    gsl_rng *rng;     /* outcome sampling and the counterfactual's drift */
    gsl_rng *rin;     /* inputs, commissioning and failure: a fixed count per path */
    law_cache *laws;  /* tables of the groups' laws that are the same on every path */
    double *u_gate;   /* [s] this path's commissioning uniform for each stage */
    irr_solver *irr;
    double *x;        /* [n_inputs] this path's value of every input */
    double *z;        /* [n_corr] normal scores */
    cohort_obs *obs;  /* [row * n_cohorts + c] what was measured (scenario_obs_row) */
    double *pay;      /* [n_events] */
    double *event_payer; /* [n_events * n_payers] */
    double *payer;    /* [n_payers] */
    double *scratch;  /* contract_scratch_size */
    double *stage_w;  /* [s] pooled payments' weights by stage */
    ledger *L;        /* this path's cash flows */
    double value_pv;  /* PV of the value of true outcomes */
    double u_fail;    /* this path's uniform for the failure time */
    double stop;      /* when the programme stopped on an operational failure, or as
                         its record says (HUGE_VAL: it did not) */
    gsl_rng *rterm;   /* the termination's own stream (NULL: the contract has none) */
    double u_term[TERMINATION_MAX_DATES]; /* this path's uniform for each termination date */
    double term;      /* when the commissioner terminated (HUGE_VAL: it did not) */
    double *fixed;    /* [n_fixed] the fixed payments of suspensions ... */
    double *fixed_payer; /* [n_fixed * n_payers] ... and each payer's part */
    double participants;
    size_t reached;   /* stages that ran */
    double *true_units; /* [o] */
    double *cohort_true;  /* [o * n_cohorts + c] true outcomes of each cohort */
    double *cohort_value; /* [o * n_cohorts + c] their value, discounted */
    double *cohort_n;     /* [c] participants of each cohort (0: did not run) */
    double *paid_o;   /* [o] payments on each outcome's rules (metrics_of_path) */
    double *drift;    /* [o * n_cohorts + c] historical drift factor of each counterfactual */
    int *ran;         /* [s] the stage ran */
    int *cohort_drawn; /* [c] the cohort is realised on this path */
    double *irr_status; /* [n_units] this path's irr_status of each unit */
    /* What the delivery costs on the ledger were computed from (path_settle):
     * every stage's ran, overrun and end, then every cohort's people, then
     * when delivery ended; costs_valid once the ledger holds them. */
    double *costs_key, *costs_key_new;
    size_t costs_key_len;
    int costs_valid;
    double *draw_buf; /* [path_draw_doubles] path_take_draws' copy of a draw */
    /* Each of the ledger's kept financing results (ledger_finance): the
     * metrics of every structure worked out from them, [kept * n_fin_memo
     * ..], those of [fmap[0].common, fmap[last].end) then each unit's IRR
     * status, and the ledger's fin_id of the results they were worked out
     * from (0: none), fin_memo_id[kept] (metrics_of_path). */
    double *fin_memo;
    size_t n_fin_memo;
    uint64_t fin_memo_id[LEDGER_KEEP];
} worker;

/* path.c: simulate one future into w's ledger and facts: path_draw, then
 * path_settle. */
void path_simulate(const engine *e, worker *w);
void path_draw(const engine *e, worker *w);
void path_settle(const engine *e, worker *w);
/* What settling reads of a draw (path_draw): the inputs, the stages that
 * ran, when the programme stopped or was terminated, every cohort's people,
 * measurements and true outcomes -- path_draw_doubles(e) doubles, saved
 * from a worker and loaded into one of an engine of the same shape (the
 * same inputs, stages, cohorts and outcomes), which then settles it as its
 * own. path_take_draws gives w the future `from` drew (through w->draw_buf). */
size_t path_draw_doubles(const engine *e);
void path_save_draw(const engine *e, const worker *w, double *out);
void path_load_draw(const engine *e, worker *w, const double *in);
void path_take_draws(const engine *e, worker *w, const worker *from);
void path_draw_inputs(const engine *e, worker *w);
/* Whether the backtest w holds (path_simulate in PATH_REALISED mode, with
 * w->rec) read uncertain input i: the overrun of a stage that ran, or the
 * volume of a stage that ran with a cohort the record has no result for,
 * entering before the record's stop.
 * Every other input is read only to make measurements or true outcomes,
 * which a backtest takes from its record or leaves undefined. */
int path_realised_reads(const engine *e, const worker *w, size_t i);
void path_spread(const scenario *sc, size_t n, double *flows, double t0, double t1,
                 double amount);

/* metrics.c */
size_t metrics_capacity(const scenario *sc);
void metrics_define(engine *e);
void metrics_of_path(const engine *e, worker *w, double *v);
void metrics_add_flows(const engine *e, const worker *w, uint64_t path, double *sums);
void metrics_commit_ratios(engine *e, const double *rows, size_t width, uint64_t first,
                           uint32_t n);
void metrics_commit_ratio_pairs(engine *e, const double *rows, size_t width, uint32_t n);
void metrics_summary(const engine *e, size_t i, stats_summary *s);

/* engine.c */
worker *worker_new(const engine *e);
void worker_free(worker *w);

/* The value of prior p on this path: its draw, or its fixed default. */
static inline double value_of(const prior *p, const worker *w) {
    return p->slot == SIZE_MAX ? p->a : w->x[p->slot];
}

/* Seed w's two generators for block k of e's run: the outcome stream from
 * (seed, k), the inputs' stream from (seed ^ a constant, k) (sample.h's
 * sample_block_seed). Whatever replays a run's futures seeds through this. */
void engine_seed_worker(const engine *e, worker *w, uint64_t k);

#endif
