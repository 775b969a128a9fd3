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

#include <math.h>
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
    size_t slot;   /* index of this input in scenario.inputs */
} prior;

/* Every uncertain input of a scenario, in the order the loader met them,
 * with the JSON Pointer of its field. The engine draws all of them once per
 * path (correlated ones through a Gaussian copula); sensitivity analyses
 * address them by pointer. */
typedef struct input {
    char pointer[256];
    prior *p; /* points into the scenario's own structs */
} input;

/* A correlation between two inputs (indices into scenario.inputs), the
 * correlation of their normal scores in the Gaussian copula. */
typedef struct correlation {
    size_t a, b;
    double rho;
} correlation;

/* The mean of a prior before clamping (exact for every kind). */
double prior_mean(const prior *p);

/* ------------------------------------------------------------ programme */

typedef struct cohort {
    char name[SCENARIO_NAME_MAX];
    double size;      /* participants referred (treated group), > 0 */
    double entry;     /* years from programme start when enrolment opens */
    double enrolment; /* years over which the cohort enrols (0 = all at entry) */
} cohort;

/* A gate: the stage starts only if the measured effect on an outcome, pooled
 * over an earlier stage's cohorts, reaches a threshold, and/or the outcome
 * payments for those cohorts made by the stage's start reach an amount --
 * and then only with the probability that the commissioner commissions it. */
typedef struct gate {
    bool present;
    size_t stage;        /* index of the earlier stage whose results are used */
    size_t outcome;      /* index into scenario.outcomes; SIZE_MAX = no effect rule */
    double min_effect;   /* measured effect (outcome's scale) needed */
    bool has_min_paid;
    double min_paid;     /* outcome payments for the gating stage's cohorts, made by
                            this stage's start, needed (e.g. z% of their maximum) */
    double probability;  /* chance of commissioning once the rule holds */
} gate;

typedef struct stage {
    char name[SCENARIO_NAME_MAX];
    double start;           /* years from programme start */
    double duration;        /* years; fixed costs run over [start, start+duration) */
    double setup_cost;      /* paid in the period the stage starts */
    double fixed_per_year;  /* spread evenly over the stage's periods */
    double per_participant; /* per participant enrolled, spread over each enrolment */
    prior overrun;          /* multiplier on all of the stage's costs (default 1) */
    prior volume;           /* actual / planned participants (default 1) */
    prior engagement;       /* share of participants who engage (default 1) */
    prior effect_multiplier;/* stage's true effect = programme effect x this (default 1) */
    double failure_hazard;  /* operational failure: events per year while the stage runs */
    gate gate;
    cohort *cohorts;
    size_t n_cohorts;
    struct evaluation *evals; /* [n_outcomes] the stage's own evaluation of an outcome where
                               eval_given[o]; NULL when the stage has none */
    unsigned char *eval_given;
} stage;

/* --------------------------------------------------------------- outcomes */

typedef enum {
    OUTCOME_RATE,      /* binary: the share of people with the event (binomial) */
    OUTCOME_COUNT,     /* events per person (Poisson), e.g. reconviction events */
    OUTCOME_CONTINUOUS /* a score per person, normal with a given sd (e.g. a test) */
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
    EVAL_RCT,        /* randomised comparison group: unbiased, sampling noise only */
    EVAL_MATCHED,    /* matched comparison group (e.g. propensity scores): may be biased */
    EVAL_HISTORICAL, /* against a fixed historical baseline while the true one drifts */
    EVAL_VALIDATED,  /* validated counts, no counterfactual: achieved outcomes are paid */
    EVAL_DID,        /* difference in differences: the treated group before and after,
                        against a comparison group before and after */
    EVAL_BLEND       /* a weighted sum of the estimates of several designs (blend[]) */
} eval_design;

#define EVAL_BLEND_MAX 8 /* designs in one blend */

/* How an outcome is measured: one design, a blend of designs, and either
 * of them switching to another at a date. docs/model.md gives the draws:
 *   RCT, MATCHED  a comparison group of its own size, around the true
 *                 counterfactual (MATCHED: times 1 + bias);
 *   HISTORICAL    the fixed baseline;
 *   VALIDATED     no comparison (outcomes achieved);
 *   DID           counterfactual = treated before + (comparison after -
 *                 comparison before), the comparison after around the
 *                 true counterfactual times 1 + deviation;
 *   BLEND         the effect is sum_j weight_j effect_j, each member
 *                 estimating on its own comparison group, the treated
 *                 group shared.
 * A switch measures with switch_to whatever is measured at or after
 * switch_at. */
typedef struct evaluation {
    eval_design design;
    double comparison_size;  /* RCT/MATCHED/DID: people per cohort in the comparison group, or */
    double comparison_ratio; /* ... comparison people per treated person (one is set) */
    double cluster_size;     /* people per cluster (0 = individually randomised) */
    double icc;              /* intra-cluster correlation */
    prior bias;              /* MATCHED: relative bias of the comparison group's mean:
                                comparison mean = counterfactual * (1 + bias) */
    prior trend;             /* HISTORICAL: relative drift of the true counterfactual a year */
    double volatility;       /* HISTORICAL: sd of its random walk, relative, per sqrt(year) */
    prior deviation;         /* DID: departure from parallel trends, relative: the comparison
                                group's mean after = counterfactual * (1 + deviation) */
    double weight;           /* as a member of a blend: its weight (members sum to 1) */
    struct evaluation *blend; /* BLEND: [n_blend] plain designs (not blends, no switch) */
    size_t n_blend;
    bool has_switch;
    double switch_at;             /* years from the programme's start */
    struct evaluation *switch_to; /* a plain design or a blend, without a switch of its own */
} evaluation;

typedef struct outcome {
    char name[SCENARIO_NAME_MAX];
    outcome_kind kind;
    outcome_direction direction;
    double baseline;        /* counterfactual mean: share (RATE), events/person (COUNT)
                               or mean score (CONTINUOUS) */
    double sd;              /* CONTINUOUS: sd of the score between people */
    effect_scale scale;     /* how the effect (true and measured) is expressed */
    prior effect;           /* the programme's true effect, drawn once per path */
    evaluation eval;
    double observation_lag; /* years from the end of a cohort's enrolment until its
                               outcome is (first) measured (follow-up window + data lag) */
    double value;           /* public value of one unit of improvement (money), for
                               the net value of a programme; 0 = not valued */
    prior population;       /* share of each cohort's participants the outcome is measured
                               on (its eligible group), default 1 */
    double dispersion;      /* COUNT: negative binomial shape k per person, variance
                               mu + mu^2 / k; 0 = Poisson */
    int times;              /* measurements of each cohort (1 = once) ... */
    double every;           /* ... this many years apart ... */
    double correlation;     /* ... a person's result correlated at this lag-1 correlation */
    size_t obs_row;         /* times > 1: the first of its rows of measurements in the
                               measurement table (scenario_obs_row); else its own index */
    bool composite;         /* measured by more than one design, a blend or a DiD: its
                               comparison is carried as a mean over the treated size */
} outcome;

/* --------------------------------------------------------------- contract */

typedef enum {
    PAY_PER_UNIT,    /* price x units of improvement over the counterfactual */
    PAY_PER_OUTCOME, /* price x outcomes achieved (a rate card; no counterfactual) */
    PAY_FIXED,       /* a fixed amount when the trigger is met (all or nothing) */
    PAY_LINEAR,      /* amount x (effect - floor) / (ceiling - floor), within [0, 1] */
    PAY_TIERED,      /* the band the measured effect reaches sets the amount or price */
    PAY_SAVINGS      /* a share of the savings (value x units), a higher share until
                        an owed balance is repaid (the Utah shape) */
} payment_type;

typedef enum {
    SCOPE_COHORT,   /* assessed for each cohort separately */
    SCOPE_STAGE,    /* assessed once per stage, pooled over its cohorts */
    SCOPE_PROGRAMME /* assessed once, pooled over all cohorts, at the programme's end */
} payment_scope;

typedef enum {
    BASIS_IMPROVEMENT, /* units of improvement over the counterfactual */
    BASIS_ACHIEVED     /* outcomes achieved by the treated group */
} payment_basis;

/* One band of a tiered rule: from this measured effect up, pay `amount`,
 * or `price` per unit, or -- the Newpin shape -- what returns the rule's
 * principal at `ret` a year: principal x (1 + ret)^(t - principal_from);
 * or, when the rule pays its return as interest (payment_rule.
 * return_as_interest), the interest on the principal at `ret` a year since
 * the rule's previous assessment: principal x ret x (t - since). */
typedef struct band {
    double from;
    double amount;
    double price;
    bool per_unit;
    bool has_return;
    double ret;
} band;

typedef struct payment_rule {
    char name[SCENARIO_NAME_MAX];
    size_t outcome;        /* index into scenario.outcomes */
    payment_type type;
    payment_scope scope;
    size_t stage;          /* SCOPE_STAGE: that stage; other scopes: a stage filter, or
                              SIZE_MAX for all stages */
    payment_basis basis;   /* which units a per-unit price or savings apply to */
    double price;          /* PER_UNIT, PER_OUTCOME: money per unit */
    double amount;         /* FIXED, LINEAR: money paid when triggered / at the ceiling */
    double floor, ceiling; /* LINEAR: effect at which payment starts and is full */
    band *bands;           /* TIERED: in increasing order of `from` */
    size_t n_bands;
    double principal;      /* TIERED with return bands: the capital they return ... */
    double principal_from; /* ... and the time (years) from which it earns */
    bool return_as_interest; /* TIERED: return bands pay interest on the principal for the
                                time since the rule's previous assessment, not the
                                principal grown to date ("return_paid": "as_interest") */
    double value;          /* SAVINGS: money saved per unit */
    double share, share_after; /* SAVINGS: share paid until repaid, and after */
    double owed;           /* SAVINGS: balance to repay at the higher share ... */
    double owed_rate;      /* ... accruing at this annual rate ... */
    double owed_from;      /* ... from this time (years) */
    bool has_trigger;
    double trigger;        /* minimum measured effect (outcome's scale) to pay anything */
    bool true_up;          /* pooled scopes: pay only what exceeds this outcome's payments
                              by narrower-scope rules already made */
    double cap_per_cohort; /* SCOPE_COHORT: cap on one cohort's payment; HUGE_VAL = none */
    double cap;            /* cap on the rule's total payments; HUGE_VAL = none */
    double lag;            /* years from measurement to (first) payment */
    int installments;      /* the amount is paid this many times ... */
    double interval;       /* ... this many years apart */
    double *payer_share;   /* [n_payers] this rule's own split among the contract's
                              payers (sums to 1), or NULL: the contract's shares */
} payment_rule;

typedef struct payer {
    char name[SCENARIO_NAME_MAX];
    double share; /* of every outcome payment of a rule without payers of its own;
                     shares sum to 1 (0 when the contract gives none) */
    double cap;   /* on this payer's total; HUGE_VAL = none */
} payer;

/* A window [from, to) in which the contract's outcome payments are
 * suspended (the COVID renegotiations of many deals):
 *   HOLIDAY  the assessments that fall due in the window are paid at `to`
 *            instead, the amount they came to at their own date (deferred),
 *            or not at all (cancel);
 *   FIXED    the assessments that fall due in the window (or, with
 *            on_measurements, those measured in it) pay nothing; instead
 *            `per_year` a year is paid, pro rata to the time of the window
 *            before the programme stops, split by payer_share.
 * Windows are in order and do not overlap. See contract.h. */
typedef enum { SUSPEND_HOLIDAY, SUSPEND_FIXED } suspension_kind;

typedef struct suspension {
    suspension_kind kind;
    double from, to;       /* years: the window [from, to) */
    bool cancel;           /* HOLIDAY: cancelled rather than deferred to `to` */
    bool on_measurements;  /* FIXED: replaces the assessments measured in the window */
    double per_year;       /* FIXED: money a year */
    double *payer_share;   /* FIXED: [n_payers] the split (the named payer 1), or
                              NULL: the contract's shares */
} suspension;

/* Early termination by the commissioner: at each date of `at` in turn,
 * while the programme has not stopped, if the rule holds (the measured
 * effect on `outcome` pooled over the cohorts measured by then -- of one
 * stage, or of every stage -- is below `below`; no rule: at will), the
 * commissioner terminates with probability `probability`. The programme
 * then stops: no later stage, cohort or cost, no assessment measured after
 * the date, and the termination payment is owed. See contract.h. */
typedef enum {
    TERM_PAYS_NOTHING,
    TERM_PAYS_AMOUNT,   /* a fixed sum */
    TERM_PAYS_PRINCIPAL /* a share of the financing's principal outstanding */
} term_pays;

#define TERMINATION_MAX_DATES 64

typedef struct termination {
    bool present;
    double at[TERMINATION_MAX_DATES]; /* years, increasing */
    size_t n_at;
    bool has_rule;
    size_t outcome;     /* the rule's outcome (index into scenario.outcomes) */
    double below;       /* terminate when the measured effect is below this */
    size_t over_stage;  /* the stage whose cohorts are pooled, or SIZE_MAX: every stage */
    double probability; /* chance the commissioner terminates when the rule holds */
    term_pays pays;
    double amount;      /* AMOUNT: the sum; PRINCIPAL: the share of the principal */
} termination;

typedef struct contract {
    payment_rule *rules;
    size_t n_rules;
    double cap;           /* cap on all outcome payments together; HUGE_VAL = none */
    double *outcome_cap;  /* [n_outcomes] cap on each outcome's payments; HUGE_VAL = none */
    payer *payers;        /* at least one ("commissioner" when none is given) */
    size_t n_payers;
    bool has_shares;      /* the payers give shares (else every rule names its payers) */
    suspension *suspensions; /* in order of `from`, not overlapping */
    size_t n_suspensions;
    termination termination; /* .present = false: none */
} contract;

/* -------------------------------------------------------------- financing */

typedef enum {
    FIN_GRANT,           /* the commissioner pays delivery costs as they fall due */
    FIN_FEE_FOR_SERVICE, /* ... plus a margin to the provider */
    FIN_PBR,             /* the provider fronts costs and is paid by results (and a fee share) */
    FIN_SIB,             /* investors front costs and are repaid from outcome payments */
    FIN_OUTCOMES_FUND,   /* a SIB whose outcomes a fund pays (partly): see contract payers */
    FIN_DIB,             /* a development impact bond: a SIB with a donor as outcome payer */
    FIN_BY_STAGE         /* a different structure for each stage */
} financing_type;

/* The financing types as the format spells them ("grant", "fee_for_service",
 * "pbr", "sib", "outcomes_fund", "dib", "by_stage"), indexed by
 * financing_type and ended by NULL: what the loader reads and what a
 * listing of scenarios prints. */
extern const char *const financing_type_keys[];

typedef enum {
    TRANCHE_SENIOR,
    TRANCHE_SUBORDINATED,
    TRANCHE_DEFERRED_FEE,
    TRANCHE_RECOVERABLE_GRANT
} tranche_kind;

/* A fixed coupon, paid by a payer whatever the outcomes: rate / p x the
 * principal outstanding at the end of each period before `until`, paid at
 * the start of the next (in arrears). While it runs, what the tranche is
 * owed from outcomes does not accrue: its coupon or return cap accrues from
 * `until` on. See docs/model.md (fixed coupons). */
typedef struct fixed_coupon {
    double rate;                     /* nominal annual rate, paid p times a year */
    double until;                    /* years: interest runs over [0, until) */
    char paid_by[SCENARIO_NAME_MAX]; /* "commissioner" or a payer of the contract */
} fixed_coupon;

/* One date of an investor's redemption option (a put): at `at` (or, with
 * `after`, in every period after the one holding `at`), when the tranche's
 * IRR to date -- its flows so far, with its principal outstanding counted
 * as repaid at par -- is below `irr_below` (always, without it), the
 * investors redeem: the payer pays share_returned x the principal
 * outstanding, and the tranche gives up the rest and every later claim. */
typedef struct redemption {
    bool after;                      /* false: at `at` only; true: any period after it */
    double at;                       /* years */
    double share_returned;           /* of the principal outstanding */
    bool has_irr_below;
    double irr_below;                /* annual rate: exercised when the IRR to date is below */
    char paid_by[SCENARIO_NAME_MAX]; /* "commissioner" or a payer of the contract */
} redemption;

#define TRANCHE_MAX_REDEMPTIONS 8

typedef struct tranche {
    char name[SCENARIO_NAME_MAX];
    tranche_kind kind;
    double commitment;    /* capital committed; drawn pro rata as costs fall due */
    int priority;         /* repaid in increasing order (default: by kind) */
    bool has_coupon;
    double coupon;        /* annual rate owed on what is outstanding */
    bool has_return_cap;
    double return_cap;    /* annual IRR above which payments are not passed on */
    double discount_rate; /* the investor's own rate for NPV (annual) */
    bool has_maturity;
    double maturity;      /* years: when the tranche's loss is settled and its guarantees
                             are called; without it, the final settlement of the future
                             (the last contract event that can still pay, see ledger.h) */
    size_t *repaid_from;  /* indices into contract.rules of the payments that repay it, in
                             contract order; NULL (n_repaid_from 0): every payment */
    size_t n_repaid_from;
    bool has_fixed_coupon;
    fixed_coupon fixed;
    redemption redemptions[TRANCHE_MAX_REDEMPTIONS]; /* in the order written */
    size_t n_redemptions;
} tranche;

/* A guarantee covers a tranche's loss of principal L (drawn less repaid
 * from outcomes), called when the loss is known: at the tranche's maturity,
 * or the future's final settlement.
 *   first_loss  the guarantor pays the first `amount` of the loss: min(L, amount)
 *   pro_rata    the guarantor pays a share of each loss, up to max: min(share L, max)
 * (Bloomberg behind Goldman Sachs at Rikers Island is pro rata: 5/6 of the
 * loss up to $7.2m reproduces what happened; see the scenario.) An optional
 * fee, `fee` a year on the cover (first_loss: amount; pro_rata: max, or
 * share x commitment when that is less), is paid to the guarantor while
 * capital is at risk, by the tranche or by the commissioner. */
typedef enum { GUARANTEE_FIRST_LOSS, GUARANTEE_PRO_RATA } guarantee_kind;
typedef enum { FEE_PAID_BY_TRANCHE, FEE_PAID_BY_COMMISSIONER } fee_payer;

typedef struct guarantee {
    char name[SCENARIO_NAME_MAX];
    size_t tranche;      /* index into the structure's tranches */
    guarantee_kind kind;
    double amount;       /* FIRST_LOSS: the cover */
    double share;        /* PRO_RATA: the share of each loss ... */
    double max;          /* ... up to this; HUGE_VAL = no maximum */
    double fee;          /* annual rate on the cover; 0 = no fee */
    fee_payer fee_paid_by;
} guarantee;

#define FINANCING_MAX_PARTS 8
#define FINANCING_MAX_TRANCHES 16 /* per structure */

typedef struct financing {
    char name[SCENARIO_NAME_MAX];
    financing_type type;
    double margin;          /* FEE_FOR_SERVICE: on top of costs */
    double fee_share;       /* PBR: share of costs paid as they fall due (hybrid) */
    double cost_of_capital; /* PBR: the provider's annual rate on working capital */
    /* SIB-like: */
    tranche *tranches;
    size_t n_tranches;
    guarantee *guarantees;
    size_t n_guarantees;
    double setup_fees;      /* intermediary and legal, at the start, funded by investors */
    double fees_per_year;   /* intermediary and evaluation, over delivery */
    double provider_share;  /* of the surplus above what investors are owed; the
                               rest is returned to the outcome payers */
    bool recycle;           /* outcome payments received during delivery fund costs */
    /* BY_STAGE: the structure (index into scenario.financing) for each stage. */
    size_t *stage_part;     /* [n_stages] */
} financing;

/* ------------------------------------------------------------- simulation */

typedef struct sim_settings {
    uint64_t paths;       /* simulated futures */
    uint64_t seed;        /* master seed; block k's generator is seeded from (seed, k) */
    char rng[32];         /* GSL generator name, e.g. "mt19937", "taus2" */
    int periods_per_year; /* cash-flow grid: 1, 2, 4, 12, ... */
    double discount_rate; /* public (commissioner) discount rate, annual */
} sim_settings;

/* ------------------------------------------------------------ named cases */

/* A named case: a set of JSON-Pointer overrides of the scenario (a base,
 * downside or upside case, "as realised"...), applied as scenario_override
 * before the scenario is compiled. The loader checks that every case
 * compiles. */
typedef struct case_set {
    char pointer[256];
    double value;
} case_set;

typedef struct scenario_case {
    char name[SCENARIO_NAME_MAX];
    char *description;  /* "" when absent */
    case_set *set;
    size_t n_set;
} scenario_case;

/* --------------------------------------------------------- realised record */

/* What the evaluation really measured for one cohort on one outcome, in the
 * units of the contract's settlement (contract.h's cohort_obs): the treated
 * group's size and total (events for a count, people with the event for a
 * rate, the sum of scores for a continuous outcome), and the comparison's;
 * n_c = 0 when the design has none (validated counts). */
typedef struct realised_result {
    size_t cohort;      /* flat cohort index: stages in order, then their cohorts */
    size_t outcome;     /* index into scenario.outcomes */
    int measurement;    /* which measurement of the cohort (0 = the first) */
    double n_t, sum_t;
    double n_c, sum_c;
} realised_result;

/* A figure the record reports, to set beside the model's: a metric of the
 * backtest (GROUP/KEY as in `run --format csv`), or with `by` the total of a
 * ledger line (GROUP/KEY as in `cashflows --format csv`) up to that date. */
typedef struct realised_figure {
    char what[256];     /* for people: "investor IRR"; cut to 255 bytes */
    char name[256];     /* GROUP/KEY of the metric or ledger line */
    bool is_flow;       /* a ledger line ("flow"), not a metric ("metric") */
    bool has_by;
    double by;          /* years: the line's total up to and including this date */
    double value;       /* the reported value ... */
    double lo, hi;      /* ... and the range that counts as reproducing it */
    char source[256];
} realised_figure;

/* A deal's realised record: which stages ran, when the programme stopped,
 * what was measured, and what the record reports. `sibsim backtest` settles
 * the contract on it. */
typedef struct realised {
    bool present;
    char *description;   /* "" when absent */
    char **sources;      /* [n_sources] */
    size_t n_sources;
    bool *stage_ran;     /* [n_stages] */
    double stopped;      /* years: the programme stopped then; HUGE_VAL = ran to its end */
    realised_result *results;
    size_t n_results;
    realised_figure *reported;
    size_t n_reported;
} realised;

/* ------------------------------------------------- sources and assumptions */

/* Where a scenario's facts come from: a publication or a page, with its
 * address when it has one ("sources" in the file). Every string is owned
 * by the scenario. */
typedef struct scenario_source {
    char *title; /* non-empty, at most 200 characters, unique among sources */
    char *url;   /* "" when absent; else http:// or https://, at most 500 characters */
    char *note;  /* "" when absent; at most 2000 characters */
} scenario_source;

/* How a field's value is justified, as docs/deals.md grades facts. */
typedef enum {
    ASSUMPTION_ASSUMED,   /* a term the scenario had to choose: not in the sources */
    ASSUMPTION_SOURCED,   /* the value is in the cited source (one is required) */
    ASSUMPTION_INFERRED,  /* arithmetic or reasoning from sourced figures */
    ASSUMPTION_UNVERIFIED /* widely repeated, not found in a primary source */
} assumption_status;

/* The kind of a JSON value an assumption points at. */
typedef enum {
    VALUE_NUMBER,
    VALUE_STRING,
    VALUE_BOOL,
    VALUE_NULL,
    VALUE_LIST,
    VALUE_OBJECT
} value_kind;

/* One item of a list, or one member of an object, that an assumption
 * points at: what a reader needs to put the value in words (the committee
 * paper's "What each figure rests on") without reading JSON. */
typedef struct scenario_value_member {
    char *key; /* an object's member name; NULL for a list's item */
    value_kind kind;
    double number; /* VALUE_NUMBER; VALUE_BOOL: 1 or 0 */
    char *text;    /* VALUE_STRING: the string; a list or an object: its
                      "name" member when it has one; else NULL */
    size_t size;   /* VALUE_LIST, VALUE_OBJECT: how many items or members */
} scenario_value_member;

/* The members of a value the loader keeps (the rest are counted). */
#define SCENARIO_VALUE_MEMBERS 32

/* What justifies one field's value ("assumptions" in the file): a note
 * attached to the field by its JSON Pointer, which the loader checked
 * exists in the file, with its status and the sources it cites. */
typedef struct scenario_assumption {
    char *pointer;            /* RFC 6901, as written: "/contract/payments/0/price" */
    char *note;               /* non-empty, at most 2000 characters */
    assumption_status status; /* ASSUMPTION_ASSUMED when the file gives none */
    size_t *sources;          /* [n_sources] indices into scenario.sources */
    size_t n_sources;
    char *value; /* the field's value as loaded, in compact JSON cut to 160
                    bytes with "...": 0.13, or {"dist":"normal",...} */
    /* The same value, whole and structured: its kind, and for a list or an
     * object its first SCENARIO_VALUE_MEMBERS items or members (n_members)
     * of size in all, each with its own kind and, for a number, a string or
     * a named thing, its value or name. */
    value_kind kind;
    char *string; /* VALUE_STRING: the string itself, unquoted; else NULL */
    scenario_value_member *members;
    size_t n_members, size;
} scenario_assumption;

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
    input *inputs;          /* every uncertain input, with its pointer */
    size_t n_inputs;
    correlation *correlations;
    size_t n_correlations;
    scenario_case *cases;
    size_t n_cases;
    realised realised;      /* .present = false when the scenario has no record */
    size_t n_obs_rows;      /* rows of the measurement table: one per outcome, plus one per
                               measurement of each outcome measured more than once */
    scenario_source *sources;
    size_t n_sources;
    scenario_assumption *assumptions; /* in file order */
    size_t n_assumptions;
} scenario;

/* Load and validate a scenario from a JSON file. On success returns a new
 * scenario (free with scenario_free). On failure returns NULL and fills err:
 * SIB_EIO (unreadable), SIB_ESYNTAX (line and column set) or SIB_EINVAL (JSON
 * Pointer of the offending field set). err->file is set to path. */
scenario *scenario_load_file(const char *path, sib_error *err);

/* As scenario_load_file, from a NUL-terminated string; name is used as the
 * file name in errors (e.g. "<built-in>"). */
scenario *scenario_load_string(const char *text, const char *name, sib_error *err);

/* A change to a scenario's JSON before it is compiled: the value at JSON
 * Pointer `pointer` (RFC 6901, e.g. "/contract/payments/0/price") becomes
 * the number `value`. A prior's distribution object may be replaced so (the
 * input becomes fixed); a missing last member of an existing object is
 * added. Sweeps, tornados and solvers address terms this way. */
typedef struct scenario_override {
    const char *pointer;
    double value;
} scenario_override;

/* As scenario_load_string, after applying n_ov overrides in order. A bad
 * pointer is SIB_EINVAL with err->pointer set; the changed scenario is then
 * validated like any other (a value out of range is refused), except that
 * with overrides its cases are not compiled again: they hold on the text
 * as written (scenario_load_string), and one may not apply on top of an
 * override or of another case (one sets /x/prior, another /x/prior/mean). */
scenario *scenario_load_string_with(const char *text, const char *name,
                                    const scenario_override *ov, size_t n_ov, sib_error *err);

/* The number at `pointer` in the JSON text: SIB_OK and *out, or an error
 * (no such field, not a number). */
int scenario_number_at(const char *text, const char *pointer, double *out, sib_error *err);

/* Replace sc's realised record with the one in the JSON file at path (the
 * object that a scenario's "realised" section holds, at the file's top
 * level), resolved against sc's stages, cohorts and outcomes. SIB_OK, or an
 * error as scenario_load_file gives (pointers relative to the file's root);
 * sc's record is unchanged on error. */
int scenario_load_realised_file(scenario *sc, const char *path, sib_error *err);

/* The index of the case named `name`, or SIZE_MAX. */
size_t scenario_find_case(const scenario *sc, const char *name);

/* Free a scenario and everything it owns. NULL is a no-op. */
void scenario_free(scenario *sc);

/* The time (years) at which cohort c of stage s is measured on outcome o:
 * the end of its enrolment plus the outcome's observation lag, plus
 * (times - 1) x every for an outcome measured several times: the date of
 * its last measurement, when it is measured in full. */
double scenario_measure_time(const scenario *sc, size_t s, size_t c, size_t o);

/* The date (years) of measurement m (0 = the first) of cohort c of stage s
 * on outcome o: end of enrolment + observation lag + m x every. */
double scenario_measurement_time(const scenario *sc, size_t s, size_t c, size_t o, int m);

/* The row of the measurement table (n_obs_rows rows of n_cohorts cells)
 * that holds outcome o's measurement m; m < 0 (or an outcome measured
 * once): the outcome's own row o, which holds every measurement pooled
 * (person-years). Rows 0 .. n_outcomes - 1 are the outcomes' own rows, so
 * a scenario measured once has exactly one row per outcome. */
static inline size_t scenario_obs_row(const scenario *sc, size_t o, int m) {
    const outcome *oc = &sc->outcomes[o];
    return (m < 0 || oc->times <= 1) ? o : oc->obs_row + (size_t)m;
}

/* Rows of the measurement table: n_obs_rows, at least one per outcome. */
static inline size_t scenario_obs_rows(const scenario *sc) {
    return sc->n_obs_rows > sc->n_outcomes ? sc->n_obs_rows : sc->n_outcomes;
}

/* The evaluation measuring stage s's cohorts on outcome o: the stage's own
 * when it gives one, else the outcome's. */
const evaluation *scenario_evaluation(const scenario *sc, size_t s, size_t o);

/* The design of ev in force for a measurement at time t (years): its
 * switch's when t >= switch_at, else ev itself. */
static inline const evaluation *evaluation_at(const evaluation *ev, double t) {
    return (ev->has_switch && t >= ev->switch_at - 1e-9) ? ev->switch_to : ev;
}

/* Free what an evaluation owns (its blend and its switch's design), not ev
 * itself. NULL is a no-op. */
void evaluation_clear(evaluation *ev);

/* The last time (years) at which any cash moves: stage ends, every
 * payment date (measurement + lag + installments), the end of every
 * suspension window and the last termination date. The period grid covers
 * [0, horizon]. */
double scenario_horizon(const scenario *sc);

/* Number of periods on the cash-flow grid: floor(horizon * ppy) + 1. */
size_t scenario_periods(const scenario *sc);

/* The period index for time t (years): floor(t * ppy + 1e-9), clamped to
 * [0, n_periods-1]. The small epsilon makes 0.25 * 4 land on period 1. */
size_t scenario_period_of(const scenario *sc, double t);

/* As scenario_period_of on a grid of n periods (n = scenario_periods(sc)),
 * without recomputing n: for code that runs in every path. */
static inline size_t scenario_period_in(const scenario *sc, size_t n, double t) {
    /* Inline: the engine asks it for every cost and payment of every future. */
    double k = floor(t * sc->sim.periods_per_year + 1e-9);
    if (k < 0) return 0;
    if (k >= (double)n) return n - 1;
    return (size_t)k;
}

/* Total participants planned over all stages and cohorts. */
double scenario_participants(const scenario *sc);

/* Index of the input whose pointer is `pointer`, or SIZE_MAX. */
size_t scenario_find_input(const scenario *sc, const char *pointer);

/* The assumptions attached to the field at `pointer`, the JSON Pointer as
 * the file's "assumptions" write it (RFC 6901 spells each field one way:
 * "/financing/0/tranches/0/return_cap"), in file order. Writes up to max
 * indices into sc->assumptions to idx (which may be NULL when max is 0)
 * and returns how many there are, which may exceed max. A field without
 * any gives 0; a field inside an annotated one is not counted (an
 * assumption on "/outcomes/0/effect/prior" is not one on its "mean"). */
size_t scenario_assumptions_at(const scenario *sc, const char *pointer, size_t *idx, size_t max);

/* "assumed", "sourced", "inferred" or "unverified": the status as the file
 * writes it. */
const char *assumption_status_name(assumption_status status);

#endif
