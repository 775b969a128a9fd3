/* ledger.h -- one future's cash flows, period by period, for every party.
 *
 * A simulated future (or a backtest, or a deterministic case) is settled
 * into a ledger: the delivery costs of each stage, the outcome payments of
 * each rule and each payer, and for each financing structure the lines of
 * financing.h -- the commissioner's outlay, the provider's flows, each
 * tranche's draws, principal repaid, return, guarantee receipts and fees,
 * each guarantor's fees and calls, fees, surplus shared or returned. Every
 * metric of a path is computed from its ledger, and `cashflows`,
 * `--paths-out` and `backtest` show the same ledger: one source of truth,
 * which an analyst can lay beside a spreadsheet and reconcile by hand.
 *
 * The grid has `periods` periods of 1/ppy years; period t covers
 * [t/ppy, (t+1)/ppy). Amounts are in the scenario's currency. Each line
 * holds amounts and the sign of its party's side: delivery costs and
 * outcome payments are paid (-1) by whoever pays them; a tranche's draws
 * are paid, its repayments received (+1); net lines are signed flows.
 *
 * Ownership: ledger_new() returns a ledger freed with ledger_free(); the
 * scenario must outlive it. A ledger is one thread's workspace.
 */
#ifndef SIB_LEDGER_H
#define SIB_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "financing.h"
#include "scenario.h"

/* One line of a ledger, for display and export: flow[t] is an amount the
 * party receives (sign +1) or pays (sign -1), or a party's net flow. */
typedef struct ledger_line {
    char group[SCENARIO_NAME_MAX];       /* "programme", "contract", or a structure's name */
    char party[2 * SCENARIO_NAME_MAX + 20];
    char key[2 * SCENARIO_NAME_MAX + 52];/* stable within the group: "cost.pilot",
                                            "Goldman Sachs.drawn"; a blend's part lines
                                            are prefixed "part: " */
    char label[2 * SCENARIO_NAME_MAX + 68];
    int sign;  /* shown value = sign x flow[t] */
    int net;   /* a party's net flow */
    const double *flow;
} ledger_line;

/* One financing structure's flows: the structure itself, or each part of a
 * blend run on the costs and payments of the stages it finances. */
typedef struct ledger_structure {
    size_t n_parts;
    size_t part[FINANCING_MAX_PARTS];          /* indices into scenario.financing */
    fin_result *run[FINANCING_MAX_PARTS];
    double *part_costs[FINANCING_MAX_PARTS];   /* [T] a blend part's costs ... */
    double *part_pay[FINANCING_MAX_PARTS];     /* [T] ... and payments (NULL: not a blend) */
    double *commissioner;                      /* [T] outlay over the parts (+ = paid) */
    /* Early termination (NULL when the contract has none): */
    double *term;                              /* [T] what the commissioner paid on it */
    double *term_pay[FINANCING_MAX_PARTS];     /* [T] a part's payments with it added */
} ledger_structure;

typedef struct ledger {
    const scenario *sc;
    size_t periods;
    int ppy;
    double *lines;        /* the block the next seven lines live in (ledger_clear) */
    size_t lines_len;
    double *stage_cost;   /* [s * T + t] delivery cost of stage s */
    double *cost;         /* [T] delivery cost, every stage */
    double *rule_pay;     /* [r * T + t] outcome payments of rule r */
    double *payer_pay;    /* [p * T + t] ... paid by payer p */
    double *pay;          /* [T] outcome payments, every rule */
    double *stage_pay;    /* [s * T + t] payments attributed to the stage whose cohorts
                             earned them (pooled ones pro rata to people); for blends */
    size_t settle;        /* period of the final settlement (guarantees are called then) */
    ledger_structure *fin;/* [n_financing] */
    /* Contract terms (contract.h); unused when the contract has none: */
    double *fixed_pay;    /* [T] fixed payments of suspensions, also in pay and payer_pay;
                             NULL when the contract has no fixed window */
    size_t term_period;   /* the period the commissioner terminated in; SIZE_MAX: it did
                             not (ledger_clear) */
    double term_at;       /* years: the date it terminated at; HUGE_VAL: it did not */
    size_t term_stage;    /* the last stage that ran then: a blend's part financing it is
                             owed a termination sum */
    /* The financing's results kept for inputs that come again (ledger_finance);
     * fin points at the current one's structures. */
    struct ledger_kept *kept; /* [LEDGER_KEEP] */
    size_t n_kept;            /* sets of results made so far */
    size_t keep;              /* how many to keep, at most LEDGER_KEEP; 0: none (ledger_keep) */
    size_t kept_at;           /* the set fin points at */
    uint64_t fin_id;          /* which results fin holds (0: none yet): new whenever
                                 ledger_finance runs the structures, the set's own when it
                                 takes a kept set again */
    uint64_t clock;           /* counts ledger_finance's calls: when each set was last used */
    uint64_t hits;            /* calls that took a kept set */
} ledger;

/* The financing's results a ledger keeps, each with the inputs they came
 * from (ledger_finance). */
#define LEDGER_KEEP 16

/* A ledger for scenario sc on a grid of `periods` periods; NULL when out of
 * memory. */
ledger *ledger_new(const scenario *sc, size_t periods);
void ledger_free(ledger *l);

/* Zero the programme and contract lines (costs and payments), ready for a
 * new future. */
void ledger_clear(ledger *l);

/* As ledger_clear, but for the delivery costs (stage_cost and cost), kept
 * as they are: for a future whose costs are those of the last one. */
void ledger_clear_payments(ledger *l);

/* Run every financing structure on the ledger's costs and payments (and
 * each rule's payments, rule_pay, which a structure with tranches tied to
 * rules or a contract with a rule paying interest reads: financing.h), with
 * final settlement in period `settle`. Call after the costs, payments and
 * stage attributions are in.
 *
 * When the commissioner terminated (term_period), a structure paid by
 * results (pbr, sib, outcomes fund, dib) is also owed the termination
 * payment of scenario.h's termination, paid by the commissioner in that
 * period with its outcome payments and so down the same waterfall:
 *     nothing              0
 *     amount               the sum (a blend: to the part financing term_stage)
 *     principal_outstanding  share x the principal outstanding at the end of
 *                          the period: a bond's sum over tranches of drawn -
 *                          repaid to date; a pbr's costs not yet recovered,
 *                          max(-(sum to date of fee + payments - costs), 0)
 * A grant or fee for service owes nothing: its commissioner paid the costs as
 * they fell due. The structure is run once more with the payment added.
 *
 * The results are a function of the ledger's lines (costs, payments, each
 * rule's, payer's and stage's payments), `settle` and the termination
 * (term_period, term_stage) alone, and futures often repeat them: the
 * contract paid nothing, or every cap bound (four futures in five of the
 * default scenario). So the ledger keeps the results of the last
 * LEDGER_KEEP distinct inputs, each set of structures apart, and a call
 * whose inputs are, bit for bit, those of a kept set points fin at it
 * instead of running the structures again: returns 1 then, 0 when it ran
 * them. Either way fin holds, array for array, what running them gives.
 * l->kept_at names the set fin points at; l->fin_id names its results, so
 * that what a caller worked out from them can be kept beside them and
 * known for theirs (two calls give the same fin_id only when the second
 * took the results the first left). */
int ledger_finance(ledger *l, size_t settle);

/* How many sets of results ledger_finance keeps (n is cut to LEDGER_KEEP):
 * LEDGER_KEEP by default, and 0 after 512 calls when fewer than one call
 * in 16 took a kept set. With 0, every call runs the structures (the
 * tests' reference); with fewer than the sets already made, those are
 * still looked through, and new results go into the one used longest ago. */
void ledger_keep(ledger *l, size_t n);

/* Every line of the ledger in order (programme, contract, then each
 * structure, party by party) into out (up to max); returns how many there
 * are, which may exceed max. out may be NULL when max is 0: a count, to
 * size the array for a second call. */
size_t ledger_lines(const ledger *l, ledger_line *out, size_t max);

/* The shown total of a line over periods [0, upto] (upto >= periods: all):
 * sign x the sum of its flow, from the party's side. */
double ledger_line_total(const ledger *l, const ledger_line *line, size_t upto);

/* The amount a line records over periods [0, upto], before the sign of the
 * party's side: what was paid, drawn, received (a net line: its net). */
double ledger_line_amount(const ledger *l, const ledger_line *line, size_t upto);

#endif
