/* contract.h -- from measured outcomes to outcome payments.
 *
 * A contract_plan is compiled once per scenario: the list of *assessments*
 * (a payment rule applied to one cohort, or to all cohorts pooled), each with
 * the date it is paid, in the order they fall due. contract_settle() then
 * turns one simulated future's measurements into the amount of each
 * assessment, applying triggers, caps and true-ups in date order, exactly as
 * the contract would be administered.
 *
 * Measured effect, for treated mean y_t and comparison mean y_c (per person):
 *
 *     lower is better:   relative (y_c - y_t) / y_c      absolute  y_c - y_t
 *     higher is better:  relative (y_t - y_c) / y_c      absolute  y_t - y_c
 *
 * (0 when y_c = 0 on the relative scale: nothing to measure against).
 * Units of improvement (outcomes achieved over the counterfactual):
 *
 *     units = n_t * (y_c - y_t)   or   n_t * (y_t - y_c)
 *
 * A PAY_PER_UNIT rule pays price * max(units, 0) when the trigger is met; a
 * PAY_FIXED rule pays its amount. "Met" means measured effect >= trigger.
 * Then, in this order: the per-cohort cap; the true-up (a programme-scope
 * rule with true_up pays min(pooled amount, its cap) less the payments
 * already made on the same outcome by cohort-scope rules, or nothing when
 * that is negative); the rule's own cap on its running total; the
 * contract's cap on the running total of all payments.
 */
#ifndef SIB_CONTRACT_H
#define SIB_CONTRACT_H

#include <stddef.h>

#include "scenario.h"

#define CONTRACT_POOLED ((size_t)-1)

/* One assessment of one rule. */
typedef struct pay_event {
    size_t rule;   /* index into scenario.contract.rules */
    size_t cohort; /* flat cohort index (stages in order, then cohorts), or CONTRACT_POOLED */
    double time;   /* years: measurement + the rule's lag */
    size_t period; /* period on the cash-flow grid when it is paid */
} pay_event;

typedef struct contract_plan {
    pay_event *events; /* in the order they fall due (time, then rule, then cohort) */
    size_t n_events;
    size_t n_cohorts;  /* flat cohorts over all stages */
} contract_plan;

/* What the evaluation measured for one cohort on one outcome: the treated
 * group's size and total (events for COUNT, people with the event for RATE)
 * and the same for the comparison group. */
typedef struct cohort_obs {
    double n_t, sum_t;
    double n_c, sum_c;
} cohort_obs;

/* Compile the plan of sc. Returns NULL only when out of memory. Free with
 * contract_plan_free. */
contract_plan *contract_plan_new(const scenario *sc);

/* Free a plan. NULL is a no-op. */
void contract_plan_free(contract_plan *plan);

/* Measured effect of outcome o for treated mean y_t and comparison mean y_c,
 * on the outcome's own scale (see the file comment). */
double contract_effect(const outcome *o, double y_t, double y_c);

/* Units of improvement of n_t treated people over the comparison mean. */
double contract_units(const outcome *o, double y_t, double y_c, double n_t);

/* Settle one future: obs is an array of n_outcomes * n_cohorts measurements
 * (obs[o * n_cohorts + c]); pay receives the amount of each event of the
 * plan (n_events values). scratch must hold n_rules + n_outcomes doubles.
 * Pure: the same inputs give the same payments. */
void contract_settle(const scenario *sc, const contract_plan *plan, const cohort_obs *obs,
                     double *pay, double *scratch);

#endif
