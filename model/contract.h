/* contract.h -- from measured outcomes to outcome payments.
 *
 * A contract_plan is compiled once per scenario: the list of *assessments*
 * (a payment rule applied to one cohort, to one stage's cohorts pooled, or to
 * all cohorts pooled; one per installment), each with the date it is paid,
 * in the order they fall due. contract_settle() then turns one simulated
 * future's measurements into the amount of each assessment, applying
 * triggers, caps and true-ups in date order, exactly as the contract would be
 * administered.
 *
 * Measured effect, for treated mean y_t and comparison mean y_c (per person):
 *
 *     lower is better:   relative (y_c - y_t) / y_c      absolute  y_c - y_t
 *     higher is better:  relative (y_t - y_c) / y_c      absolute  y_t - y_c
 *
 * (0 when y_c = 0 on the relative scale: nothing to measure against). With
 * validated counts there is no comparison group: the "effect" a trigger sees
 * is then the share of the treated group achieving the outcome.
 *
 * Units (what a price multiplies):
 *     improvement  n_t (y_c - y_t)  or  n_t (y_t - y_c)      (over the counterfactual)
 *     achieved     n_t y_t (rate or count, higher is better)  or  n_t (1 - y_t)
 *                  (rate, lower is better: the people without the event)
 *
 * Amount of one assessment, when its trigger is met (effect >= trigger):
 *     per_unit, per_outcome   price * max(units, 0)
 *     fixed                   amount
 *     linear                  amount * clamp((effect - floor) / (ceiling - floor), 0, 1)
 *     tiered                  the highest band with from <= effect: its amount, or
 *                             its price * max(units, 0), or for a band with a return
 *                             ret, principal * (1 + ret)^max(t - principal_from, 0),
 *                             or, when the rule pays its return as interest,
 *                             principal * ret * (t - since) (contract_band_return);
 *                             nothing below the first band
 *     savings_share           savings S = value * max(units, 0); while the owed balance
 *                             B (accruing at its rate) is positive the share s is paid,
 *                             then s' (share_after):  paid = min(s S, B) +
 *                             s' * max(S - B / s, 0)
 * Then, in this order: the per-cohort cap; the true-up (a pooled rule with
 * true_up pays min(amount, its cap) less what narrower rules -- cohort, then
 * stage -- already paid on the same outcome for the same cohorts, or nothing
 * when that is negative); the rule's cap on its running total; the outcome's
 * cap; the contract's cap; and finally each payer's share, within the payer's
 * own cap. A payer's share is the rule's own (its "payers") or else the
 * contract's:  part_p = max(min(share_p,rule x amount, cap_p - paid_p), 0).
 * Nothing is paid for a cohort that did not run, nor after the programme
 * stopped on an operational failure (nothing falls due after it is paid).
 *
 * Suspensions (scenario.h) act on the plan, the same in every future. An
 * assessment due at d (measurement + lag + installment x interval) and
 * measured at m is
 *     cancelled  if a fixed window holds d (or m, when it replaces the
 *                measurements), or a cancelling holiday holds d;
 *     paid at to if a deferring holiday [from, to) holds d: the amount it
 *                comes to at d (a band's return and a balance's interest run
 *                to d, not to the later date), settled in date order at `to`
 *                before the assessments first due then; a window starting
 *                at `to` then acts on it as on a payment due at `to`;
 *     paid at d  otherwise.
 * A window is [from, to). The assessment itself -- its trigger, its amount,
 * a true-up's netting of what was paid before it -- is made as usual; a
 * true-up nets off only what was paid, so not a cancelled payment. A fixed
 * window pays, for each period p of the grid it covers, with [a, b) the
 * part of the window in p and S the programme's stop (failure or
 * termination):
 *     fixed_p = per_year x max(min(b, S) - a, 0)
 * split by the window's payer shares, within the contract's cap and the
 * payers' caps (not a rule's or an outcome's: it pays for none). On one
 * date, assessments are settled before fixed payments.
 *
 * Termination at T (sim/path.c decides whether and when): an assessment
 * measured after T pays nothing; one measured by T is paid at its date,
 * even after T. What is owed on termination is paid outside the contract's
 * settlement, through each financing structure (ledger.h).
 */
#ifndef SIB_CONTRACT_H
#define SIB_CONTRACT_H

#include <stddef.h>

#include "scenario.h"

#define CONTRACT_POOLED ((size_t)-1)

/* One assessment of one rule. */
typedef struct pay_event {
    size_t rule;       /* index into scenario.contract.rules */
    size_t cohort;     /* flat cohort index (stages in order, then cohorts), or
                          CONTRACT_POOLED */
    size_t pool_stage; /* pooled: the stage whose cohorts are pooled, or SIZE_MAX for all */
    int installment;   /* 0, 1, ... < rule.installments */
    int measurement;   /* a cohort's measurement m (0, 1, ...) of an outcome measured several
                          times; -1: the outcome's own row (every measurement pooled) */
    double time;       /* years: when it is paid: its due date, or the end of the
                          holiday that defers it */
    size_t period;     /* period on the cash-flow grid when it is paid */
    double due;        /* years: measurement + lag + installment * interval */
    double measured;   /* years: its measurement (a pool's: the last cohort's, by plan) */
    int cancelled;     /* a suspension cancels or replaces it: it never pays */
    double since;      /* years: the due date of the rule's previous assessment in
                          the plan, or principal_from if later (for the first one:
                          principal_from); the start of the interest it pays when the
                          rule pays its return as interest */
    double owed_since; /* years: a savings rule's owed balance accrues from here to due
                          when every earlier event of the rule was assessed: the due
                          date of the rule's previous event, or owed_from if later */
    double owed_growth; /* (1 + owed_rate)^(due - owed_since), the balance's growth then
                           (computed once: the settlement reuses it when its balance
                           is as of owed_since) */
} pay_event;

/* The part [from, to) of a fixed suspension window in one period. */
typedef struct fixed_item {
    size_t suspension; /* index into scenario.contract.suspensions */
    double from, to;   /* years */
    size_t period;
} fixed_item;

typedef struct contract_plan {
    pay_event *events; /* in the order they are settled (time, due, rule, cohort) */
    size_t n_events;
    fixed_item *fixed; /* fixed payments of suspensions, in order of time */
    size_t n_fixed;
    const double **rule_share; /* [n_rules] each rule's payer shares [n_payers]: its own
                                  (scenario.h), or contract_share */
    double *contract_share;    /* [n_payers] the contract's shares, or NULL when unused */
    size_t n_cohorts;     /* flat cohorts over all stages */
    size_t *cohort_stage; /* [n_cohorts] the stage of each flat cohort */
} contract_plan;

/* When a future stops paying: on an operational failure nothing that falls
 * due after paid_by is paid (nor any fixed payment for time after it); on a
 * termination no assessment measured after measured_by (by more than 1e-9
 * years, the grid's tolerance) is paid, nor any fixed payment for time after
 * it. HUGE_VAL: no stop. */
typedef struct contract_stops {
    double paid_by;
    double measured_by;
} contract_stops;

/* What the evaluation measured for one cohort on one outcome: the treated
 * group's size and total (events for COUNT, people with the event for RATE,
 * the sum of scores for CONTINUOUS) and the same for the comparison group.
 * n_t = 0: the cohort did not run. n_c = 0: no comparison (validated counts). */
typedef struct cohort_obs {
    double n_t, sum_t;
    double n_c, sum_c;
} cohort_obs;

/* Pool x into *into: groups measured apart (cohorts, or one cohort's
 * measurements) counted as one, sizes and totals added. */
static inline void cohort_obs_pool(cohort_obs *into, const cohort_obs *x) {
    into->n_t += x->n_t;
    into->sum_t += x->sum_t;
    into->n_c += x->n_c;
    into->sum_c += x->sum_c;
}

/* Compile the plan of sc. Returns NULL only when out of memory. Free with
 * contract_plan_free. */
contract_plan *contract_plan_new(const scenario *sc);

/* Free a plan. NULL is a no-op. */
void contract_plan_free(contract_plan *plan);

/* Measured effect of outcome o for treated mean y_t and comparison mean y_c,
 * on the outcome's own scale (see the file comment). */
double contract_effect(const outcome *o, double y_t, double y_c);

/* Whether a measured effect reaches a threshold (a trigger, a band's
 * `from`, a gate's min_effect; a termination's measured_below is "not
 * reached"): effect >= threshold, to within 1e-12 of the threshold's
 * magnitude (at least 1e-12). A threshold is written in decimal and an
 * effect computed in binary from group means: 1 - 1.14 / 1.5, the fall
 * from 1.5 to 1.5 x 0.76, is 0.23999999999999996, one rounding step below
 * a band written 0.24. A NaN effect reaches nothing. */
static inline int contract_reaches(double effect, double threshold) {
    double tol = 1e-12 * (threshold > 1 || threshold < -1 ? (threshold < 0 ? -threshold : threshold) : 1);
    return effect >= threshold - tol;
}

/* Units of improvement of n_t treated people over the comparison mean. */
double contract_units(const outcome *o, double y_t, double y_c, double n_t);

/* Outcomes achieved by n_t treated people with mean y_t (see the file comment). */
double contract_achieved(const outcome *o, double y_t, double n_t);

/* What a return band ret of tiered rule `rule` pays at an assessment paid at
 * t (years) whose interest runs from `since` (pay_event.since):
 *     with the principal:  principal * (1 + ret)^max(t - principal_from, 0)
 *     as interest:         principal * ret * max(t - since, 0)
 * (rule->return_as_interest), i.e. simple interest at ret a year on the
 * principal for the time since the rule's previous assessment. */
double contract_band_return(const payment_rule *rule, double ret, double t, double since);

/* Doubles of scratch contract_settle needs for sc. */
size_t contract_scratch_size(const scenario *sc);

/* Settle one future. obs holds scenario_obs_rows(sc) * n_cohorts
 * measurements (obs[scenario_obs_row(sc, o, m) * n_cohorts + c]: row o for
 * an outcome measured once, or every measurement pooled); events after
 * stop_time (years) pay nothing.
 * pay receives the amount of each event of the plan (n_events values),
 * payer_paid the total of each payer (n_payers values), and event_payer,
 * unless NULL, each payer's part of each event (event_payer[e * n_payers +
 * p]). scratch holds contract_scratch_size(sc) doubles. Pure: the same
 * inputs give the same payments. The same as contract_settle_terms with
 * stops {stop_time, HUGE_VAL} and no fixed payments asked for. */
void contract_settle(const scenario *sc, const contract_plan *plan, const cohort_obs *obs,
                     double stop_time, double *pay, double *payer_paid, double *event_payer,
                     double *scratch);

/* As contract_settle, with the stops of a failure and of a termination,
 * and the fixed payments of suspensions: fixed receives the amount paid for
 * each item of plan->fixed (n_fixed values) and fixed_payer each payer's part
 * (fixed_payer[i * n_payers + p]); either may be NULL (the fixed payments
 * still count against the caps). */
void contract_settle_terms(const scenario *sc, const contract_plan *plan, const cohort_obs *obs,
                           contract_stops stops, double *pay, double *payer_paid,
                           double *event_payer, double *fixed, double *fixed_payer,
                           double *scratch);

/* The assessments of plan (indices into plan->events, in the plan's order)
 * that measurement m (from 0) of flat cohort c on outcome o enters: each
 * installment of a cohort rule on o assessing that measurement (for an
 * outcome measured once, its one), and each installment of a pooled rule on
 * o (stage, programme) whose pool holds c, which assesses every measurement
 * of its cohorts pooled. Those a suspension cancels or replaces are in,
 * with `cancelled` set (they pay nothing, whatever was measured;
 * contract_cancelled_by says which suspension): a result is accounted for
 * in every assessment it enters. Writes at most max indices into idx and
 * returns how many there are (more than max when idx is too short). Each
 * one's date is its `time` (due, or deferred; a cancelled one's, its due
 * date), never before its `measured` (the lag and the interval are >= 0; a
 * pool's at its last cohort's measurement by plan). */
size_t contract_assessments_of(const scenario *sc, const contract_plan *plan, size_t c, size_t o,
                               int m, size_t *idx, size_t max);

/* The date an assessment due at `due` and measured at `measured` is paid
 * under the contract's suspensions: `due`, the end of the holiday that
 * defers it, or HUGE_VAL when a suspension cancels or replaces it. */
double contract_paid_date(const contract *k, double due, double measured);

/* The suspension (an index into k->suspensions) that cancels or replaces an
 * assessment due at `due` and measured at `measured` -- the one for which
 * contract_paid_date gives HUGE_VAL: a cancelling holiday or a fixed window
 * holding `due`, or a fixed window replacing the measurements made in it
 * holding `measured`, the first in the windows' order -- or SIZE_MAX when
 * none does. */
size_t contract_cancelled_by(const contract *k, double due, double measured);

#endif
