/* scenario.h -- what a scenario *is*: plain C structs compiled from JSON.
 *
 * A scenario describes one outcome-based financing deal: a programme run in
 * ordered stages that enrol cohorts, the outcomes it aims to change (with an
 * uncertain true effect and an evaluation design that *measures* it), the
 * contract that turns measured outcomes into payments, and the financing
 * structures that front the money. docs/scenario-format.md is the reference
 * for every field, its unit, default and valid range.
 *
 * These are transparent value structs: after scenario_load_*() succeeds they
 * hold no cJSON, no pointers into the source text, and every cross reference
 * (a payment rule's outcome, ...) is already resolved to an index. The engine
 * reads them and never writes them. Units: money in the scenario's currency,
 * time in years from the programme's start, rates as fractions (0.05 = 5%).
 *
 * Ownership: scenario_load_*() returns a scenario the caller frees with
 * scenario_free(); every array inside is owned by the scenario.
 */
#ifndef SIB_SCENARIO_H
#define SIB_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define SCENARIO_FORMAT_VERSION 1
#define SCENARIO_NAME_MAX 80

/* ---------------------------------------------------------------- priors */

/* A distribution for an uncertain input, drawn once per simulated future.
 * Parameters by kind (a, b, c):
 *   FIXED       a = value
 *   NORMAL      a = mean, b = standard deviation
 *   UNIFORM     a = min,  b = max
 *   BETA        a = alpha, b = beta; the draw is mapped from [0, 1] to [c, d]
 *   LOGNORMAL   a = mu, b = sigma of the underlying normal
 *   TRIANGULAR  a = min, b = mode, c = max
 * Every kind may be truncated to [lo, hi] (draws outside are clamped, so the
 * bounds carry the tail mass; see docs/model.md). */
typedef enum {
    PRIOR_FIXED,
    PRIOR_NORMAL,
    PRIOR_UNIFORM,
    PRIOR_BETA,
    PRIOR_LOGNORMAL,
    PRIOR_TRIANGULAR
} prior_kind;

typedef struct prior {
    prior_kind kind;
    double a, b, c, d;
    double lo, hi; /* clamp bounds; -HUGE_VAL / +HUGE_VAL when absent */
} prior;

/* The mean of a prior before clamping (exact for every kind). */
double prior_mean(const prior *p);

/* ------------------------------------------------------------ programme */

typedef struct cohort {
    char name[SCENARIO_NAME_MAX];
    double size;      /* participants referred (treated group), > 0 */
    double entry;     /* years from programme start when enrolment opens */
    double enrolment; /* years over which the cohort enrols (0 = all at entry) */
} cohort;

typedef struct stage {
    char name[SCENARIO_NAME_MAX];
    double start;           /* years from programme start */
    double duration;        /* years; fixed costs run over [start, start+duration) */
    double setup_cost;      /* paid in the period the stage starts */
    double fixed_per_year;  /* spread evenly over the stage's periods */
    double per_participant; /* spread evenly over each cohort's enrolment */
    cohort *cohorts;
    size_t n_cohorts;
} stage;

/* --------------------------------------------------------------- outcomes */

typedef enum {
    OUTCOME_RATE, /* binary: the share of people with the event (binomial) */
    OUTCOME_COUNT /* events per person (Poisson), e.g. reconviction events */
} outcome_kind;

typedef enum {
    DIRECTION_LOWER_IS_BETTER, /* e.g. reconvictions: success is a fall */
    DIRECTION_HIGHER_IS_BETTER /* e.g. enrolment: success is a rise */
} outcome_direction;

typedef enum {
    EFFECT_RELATIVE, /* effect = improvement as a share of the counterfactual mean */
    EFFECT_ABSOLUTE  /* effect = improvement in the outcome's own units per person */
} effect_scale;

typedef enum {
    EVAL_RCT,    /* randomised comparison group: unbiased, sampling noise only */
    EVAL_MATCHED /* matched comparison group (e.g. propensity scores): may be biased */
} eval_design;

typedef struct evaluation {
    eval_design design;
    double comparison_size;  /* people in the comparison group per cohort, or 0 ... */
    double comparison_ratio; /* ... comparison people per treated person (one is set) */
    double bias;             /* relative bias of the comparison group's mean:
                                comparison mean = baseline * (1 + bias) */
} evaluation;

typedef struct outcome {
    char name[SCENARIO_NAME_MAX];
    outcome_kind kind;
    outcome_direction direction;
    double baseline;        /* counterfactual mean: share (RATE) or events/person (COUNT) */
    effect_scale scale;     /* how the effect (true and measured) is expressed */
    prior effect;           /* the programme's true effect, drawn once per path */
    evaluation eval;
    double observation_lag; /* years from the end of a cohort's enrolment until its
                               outcome is measured (follow-up window + data lag) */
} outcome;

/* --------------------------------------------------------------- contract */

typedef enum {
    PAY_PER_UNIT, /* price x units of improvement over the comparison group */
    PAY_FIXED     /* a fixed amount when the trigger is met */
} payment_type;

typedef enum {
    SCOPE_COHORT,   /* assessed for each cohort separately */
    SCOPE_PROGRAMME /* assessed once, pooled over all cohorts, at the programme's end */
} payment_scope;

typedef struct payment_rule {
    char name[SCENARIO_NAME_MAX];
    size_t outcome;        /* index into scenario.outcomes */
    payment_type type;
    payment_scope scope;
    double price;          /* PAY_PER_UNIT: money per unit of improvement */
    double amount;         /* PAY_FIXED: money paid when triggered */
    bool has_trigger;
    double trigger;        /* minimum measured effect (outcome's scale) to pay anything */
    bool true_up;          /* SCOPE_PROGRAMME: pay only what this outcome's cohort
                              payments have not already paid (Peterborough) */
    double cap_per_cohort; /* SCOPE_COHORT: cap on one cohort's payment; HUGE_VAL = none */
    double cap;            /* cap on the rule's total payments; HUGE_VAL = none */
    double lag;            /* years from measurement to payment */
} payment_rule;

typedef struct contract {
    payment_rule *rules;
    size_t n_rules;
    double cap; /* cap on all outcome payments together; HUGE_VAL = none */
} contract;

/* -------------------------------------------------------------- financing */

typedef enum {
    FIN_SIB /* investors front delivery costs and are repaid from outcome payments */
} financing_type;

typedef struct tranche {
    char name[SCENARIO_NAME_MAX];
    double commitment;    /* capital committed; drawn as delivery costs fall due */
    bool has_return_cap;
    double return_cap;    /* annual IRR above which outcome payments are not passed on */
    double discount_rate; /* the investor's own rate for NPV (annual) */
} tranche;

typedef struct financing {
    char name[SCENARIO_NAME_MAX];
    financing_type type;
    tranche *tranches;
    size_t n_tranches;
} financing;

/* ------------------------------------------------------------- simulation */

typedef struct sim_settings {
    uint64_t paths;       /* simulated futures */
    uint64_t seed;        /* master seed; block k's generator is seeded from (seed, k) */
    char rng[32];         /* GSL generator name, e.g. "mt19937", "taus2" */
    int periods_per_year; /* cash-flow grid: 1, 2, 4, 12, ... */
    double discount_rate; /* public (commissioner) discount rate, annual */
} sim_settings;

/* ---------------------------------------------------------------- scenario */

typedef struct scenario {
    char *name;
    char *description;
    char currency[8];
    sim_settings sim;
    stage *stages;
    size_t n_stages;
    outcome *outcomes;
    size_t n_outcomes;
    contract contract;
    financing *financing;
    size_t n_financing;
} scenario;

/* Load and validate a scenario from a JSON file. On success returns a new
 * scenario (free with scenario_free). On failure returns NULL and fills err:
 * SIB_EIO (unreadable), SIB_ESYNTAX (line and column set) or SIB_EINVAL (JSON
 * Pointer of the offending field set). err->file is set to path. */
scenario *scenario_load_file(const char *path, sib_error *err);

/* As scenario_load_file, from a NUL-terminated string; name is used as the
 * file name in errors (e.g. "<built-in>"). */
scenario *scenario_load_string(const char *text, const char *name, sib_error *err);

/* Free a scenario and everything it owns. NULL is a no-op. */
void scenario_free(scenario *sc);

/* The time (years) at which cohort c of stage s is measured on outcome o:
 * the end of its enrolment plus the outcome's observation lag. */
double scenario_measure_time(const scenario *sc, size_t s, size_t c, size_t o);

/* The last time (years) at which any cash moves: stage ends, and every
 * payment date (measurement + lag). The period grid covers [0, horizon]. */
double scenario_horizon(const scenario *sc);

/* Number of periods on the cash-flow grid: floor(horizon * ppy) + 1. */
size_t scenario_periods(const scenario *sc);

/* The period index for time t (years): floor(t * ppy + 1e-9), clamped to
 * [0, n_periods-1]. The small epsilon makes 0.25 * 4 land on period 1. */
size_t scenario_period_of(const scenario *sc, double t);

/* Total participants over all stages and cohorts. */
double scenario_participants(const scenario *sc);

#endif
