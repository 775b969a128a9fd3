/* financing.h -- who fronts the money: the cash flows of a financing structure.
 *
 * Given one simulated future's delivery costs and outcome payments on the
 * period grid (p periods a year), a structure produces every party's cash
 * flows, line by line: the commissioner's, the provider's, each investor
 * tranche's draws, repayments, returns and guarantee receipts, each
 * guarantor's fees and calls. These lines are part of the future's ledger
 * (ledger.h); every metric of a structure is computed from them. All
 * structures of a scenario are fed the same futures, so their differences
 * are not Monte Carlo noise.
 *
 *   grant            commissioner_t = cost_t                       provider: 0
 *   fee_for_service  commissioner_t = cost_t (1 + margin)          provider: margin x cost_t
 *   pbr              commissioner_t = f cost_t + payment_t         (f = fee share, a hybrid)
 *                    provider_t     = -cost_t + f cost_t + payment_t, financed at its
 *                    cost of capital k: working capital W_t = W_{t-1} (1 + k)^(1/p)
 *                    + provider_t; surplus = W_T (1 + k)^(-T/p) (its NPV at k);
 *                    peak working capital = max_t (-W_t).
 *   sib, outcomes_fund, dib (investors front the money):
 *     need_t   = cost_t + fees_t  (set-up fees in the period of the first cost, yearly
 *                fees from the first cost to the last: a blend's part starts with
 *                its stage; no cost at all, no fee)
 *                less what a recycling reserve holds;
 *     draws    pro rata to each tranche's undrawn commitment; what no commitment
 *              covers is "unfunded" and falls on the provider;
 *     owed_k   accrues at the tranche's coupon (or return cap):
 *              B_k,t = B_k,t-1 (1 + r_k)^(1/p) + draw_k,t ; a tranche with neither
 *              is owed its principal and shares what is left over (equity);
 *     payments (after the reserve, when recycling) go down the waterfall: tranches
 *              in order of priority, pro rata within a priority, each up to what
 *              it is owed; then the equity tranches, pro rata to what they drew;
 *              anything left is surplus: provider_share to the provider, the rest
 *              returned to the commissioner (commissioner_t = payment_t - returned_t);
 *     receipts repay principal first (principal outstanding = drawn - repaid),
 *              the rest is the tranche's return (interest, or residual for equity);
 *     guarantees are called when the loss is known -- at the tranche's maturity,
 *              else at the future's final settlement (period `settle`) -- on the
 *              principal lost L = drawn - repaid - earlier calls:
 *                first_loss  min(L, amount)         pro_rata  min(share L, max);
 *              a guarantee fee of rate/p x cover is paid in every period while
 *              capital is at risk (principal outstanding, or drawn in the period),
 *              from the tranche's first draw until the call, by the tranche or by
 *              the commissioner.
 *   The terms of docs/model.md's "Tranches tied to payments, fixed coupons and
 *   redemptions" (run only by structures that use them; run_sib_terms):
 *     repaid_from  each rule's payment of the period, rules in contract order,
 *              goes down the waterfall of the tranches eligible for it (those
 *              that list it, and those without repaid_from): priorities in
 *              order, pro rata to what is owed within one, then the eligible
 *              equity tranches pro rata to what they drew; what is left of
 *              every rule is the period's surplus, shared as above. A payment
 *              of a rule that pays its return as interest (contract.h) is
 *              booked as the tranche's return, not its principal;
 *     fixed coupon (rate c, until u periods) paid by its payer, in arrears:
 *              coupon_k,t = c / p x P_k,t-1   for 1 <= t <= u   (P: principal
 *              outstanding at the end of the period), and what is owed from
 *              outcomes accrues only from period u: B_k,t = B_k,t-1 x
 *              (1 + r_k)^(1/p) for t > u;
 *     redemption  at the end of an exercise period t (at: period(at); after:
 *              every period after period(after); never after the tranche's
 *              maturity or the final settlement), the first listed date
 *              that applies and whose test holds -- the hurdle value at h =
 *              if_irr_below, V_t = sum_{s <= t} investor_k,s (1 + h)^((t-s)/p)
 *              + P_k,t, is below 0 (the IRR to date, principal counted at par,
 *              is below h), or always without if_irr_below -- redeems the
 *              tranche: its payer pays share_returned x P_k,t, the rest of the
 *              principal is written off, and the tranche draws, is owed and
 *              receives nothing more (its undrawn commitment is cancelled).
 *
 * Signs: every array holds amounts (>= 0 but for net flows); a line says
 * whether its party receives or pays them (the commissioner's net line is
 * its outlay, paid). A structure keeps no state
 * between calls: fin_run() is pure given its inputs.
 */
#ifndef SIB_FINANCING_H
#define SIB_FINANCING_H

#include <stddef.h>

#include "scenario.h"

/* Totals of one tranche over one future. */
typedef struct tranche_result {
    double drawn;      /* capital paid in */
    double received;   /* from outcome payments (principal + return); excludes guarantees */
    double repaid;     /* of which principal: min(received, drawn) over time */
    double guaranteed; /* from guarantees */
    double fees;       /* guarantee fees the tranche paid */
    double coupon;     /* fixed coupons received (paid by their payer, not from outcomes) */
    double redeemed;   /* its redemption (paid by its payer), 0 when not redeemed */
} tranche_result;

/* One line of a structure's cash flows: flow[t] is an amount the party
 * receives (sign +1) or pays (sign -1) in period t, or, for a net line, the
 * party's net flow (+ = received). */
typedef struct fin_line {
    char party[SCENARIO_NAME_MAX + 16]; /* "commissioner", "provider", a tranche's name, ... */
    char key[SCENARIO_NAME_MAX + 48];   /* stable within the structure: "<tranche>.drawn" */
    char label[2 * SCENARIO_NAME_MAX + 40]; /* for people */
    int sign;
    int net;
    const double *flow;
} fin_line;

/* Lines of a structure with k tranches and g guarantees: at most 16 of its
 * own (commissioner, provider, fees, reserve), 10 a tranche (6, and a fixed
 * coupon and a redemption on each side), 2 a guarantee. */
#define FIN_MAX_LINES(k, g) (16 + 10 * (k) + 2 * (g))

/* The cash flows of one structure over one future. Arrays are owned by the
 * workspace (fin_ws_new) and overwritten by each fin_run; every per-period
 * array has n entries (n * K for per-tranche arrays: [k * n + t]). */
typedef struct fin_result {
    const double *costs;    /* the inputs of the last fin_run (the caller's arrays) */
    const double *payments;
    double *commissioner;   /* commissioner's outlay per period (+ = paid) */
    double *provider;       /* provider's net flow per period */
    double *investor;       /* each tranche's net flow */
    /* The breakdown behind the net flows: */
    double *margin;         /* FEE_FOR_SERVICE: margin x cost; PBR: the fee share paid */
    double *draw, *principal, *ret, *guar, *gfee; /* [K * n] per tranche */
    double *gcall, *gfee_in;                      /* [G * n] per guarantee */
    double *fees;           /* set-up and yearly fees, funded by the investors */
    double *unfunded;       /* costs no commitment covered (borne by the provider) */
    double *funded;         /* delivery costs the bond funded: costs less unfunded */
    double *to_provider;    /* surplus shared with the provider */
    double *returned;       /* surplus returned to the commissioner */
    double *reserve_in, *reserve_out; /* recycling: payments held, reserve spent */
    double *comm_fee;       /* guarantee fees the commissioner pays */
    double *coupon, *redeem;/* [K * n] fixed coupons and redemptions paid to each tranche
                               (by their payers); NULL when the structure has no terms */
    size_t *redeemed_at;    /* [K] the period of the tranche's redemption, or SIZE_MAX */
    tranche_result *tranche;/* [K] */
    double *guarantor;      /* [G] paid by each guarantor (its calls) */
    double *guarantor_fees; /* [G] fees each guarantor received */
    double unfunded_total, returned_total, to_provider_total;
    double provider_surplus;/* PBR: NPV at the cost of capital; others: nominal total */
    double peak_capital;    /* PBR: largest working capital; SIB: largest capital outstanding */
    size_t settle;          /* the period of the final settlement of the last run */
    /* The lines, fixed by fin_ws_new (their flows point into the arrays). */
    fin_line *lines;
    size_t n_lines, max_lines;
    /* Invariants of the structure, computed once by fin_ws_new: */
    size_t n;
    int ppy;
    double *growth;         /* [K * (n + 1)] what is owed grows by growth[k (n+1) + d] over d
                               periods: (1 + rate)^(d / p) */
    int *equity;            /* [K] 1: no coupon nor cap, shares the residual */
    int *prios;             /* distinct priorities, increasing */
    size_t n_prios;
    size_t *maturity;       /* [K] the period of the tranche's maturity, or SIZE_MAX */
    double *cover;          /* [G] what each guarantee covers (its fee's base) */
    double committed;       /* every tranche's commitment */
    double *share;          /* [K] each tranche's share of the commitments: of every draw */
    /* The terms of run_sib_terms (all 0 or NULL without them): */
    int has_terms;          /* a tranche is tied to rules, has a fixed coupon or a redemption,
                               or a rule pays interest: the structure runs run_sib_terms */
    int by_rule;            /* the waterfall takes each rule's payments in turn */
    int any_interest;       /* a rule of the contract pays interest */
    size_t n_rules;         /* rules of the contract (the rows of fin_run_rules' rule_pay) */
    unsigned char *elig;    /* [K * n_rules] tranche k may be repaid from rule j */
    unsigned char *interest;/* [n_rules] rule j's payments are interest (booked as return) */
    size_t *accrue_from;    /* [K] what is owed accrues over periods t > this (fixed coupon) */
    size_t *coupon_end;     /* [K] fixed coupons are paid in periods 1 .. this (0: none) */
    double *coupon_p;       /* [K] the fixed coupon's rate / p */
    size_t *red_first;      /* [K * R] a redemption date's first period (R = the maximum) */
    int *red_after;         /* [K * R] 1: every period from red_first; 0: red_first only */
    double *red_g;          /* [K * R] its hurdle's growth a period, (1 + h)^(1/p); 0: none */
    size_t input_line[4], n_input_lines; /* lines showing the inputs ... */
    int input_src[4];                    /* ... 1: costs, 2: payments */
    double *block;                       /* every per-period array, one allocation */
    size_t block_len;
    size_t dirty_len; /* the block's prefix a bond's run may write, cleared each run */
} fin_result;

/* A workspace for structure f of a scenario whose contract is c, on grids
 * of n periods, p a year. c gives the number of payment rules and which of
 * them pay interest (contract.h); NULL means none pays interest and the
 * rules are those the tranches' repaid_from name. NULL when out of memory.
 * Free with fin_ws_free. */
fin_result *fin_ws_new_for(const financing *f, const contract *c, size_t n,
                           int periods_per_year);
/* As fin_ws_new_for(f, NULL, n, periods_per_year). */
fin_result *fin_ws_new(const financing *f, size_t n, int periods_per_year);
void fin_ws_free(fin_result *r);

/* Run structure f (not FIN_BY_STAGE: its parts are run one by one) on the
 * costs and payments of one future (n periods) into r, a workspace made by
 * fin_ws_new_for for f, n and the same periods a year. payments[t] is
 * every rule's payment of period t; rule_pay[j * n + t] is rule j's alone
 * (r->n_rules rows, one for every rule, summing to payments: a workspace
 * made without the contract knows only the rules the tranches name, so a
 * caller with other rules must pass the contract), read only when r->by_rule: a
 * structure whose tranches are tied to rules, or whose contract has a rule
 * that pays interest, needs it (without it, NULL, every tranche is repaid
 * from the total and every receipt is booked principal first). `settle` is
 * the period of the future's final settlement (< n), when guarantees
 * without a maturity are called. A tranche with a redemption has no
 * guarantee (the loader refuses both). costs and payments must outlive the
 * reading of r's lines. */
void fin_run_rules(const financing *f, const double *costs, const double *payments,
                   const double *rule_pay, size_t n, size_t settle, fin_result *r);
/* As fin_run_rules without rule_pay: for structures that do not need it. */
void fin_run(const financing *f, const double *costs, const double *payments, size_t n,
             size_t settle, fin_result *r);

/* Single-tranche convenience kept for tests and simple callers: runs a SIB
 * with just tranche tr and writes the investor's net flows. */
typedef struct sib_totals {
    double drawn, received, unfunded, surplus;
} sib_totals;
sib_totals financing_sib_flows(const tranche *tr, int periods_per_year, const double *costs,
                               const double *payments, size_t n, double *investor);

/* The plain structures a structure runs: itself, or for a blend by stage
 * its distinct parts in order of the stages they finance. Writes up to
 * FINANCING_MAX_PARTS indices into scenario.financing and returns how many. */
size_t financing_parts(const scenario *sc, size_t f, size_t *parts);

/* Whether investors front the money (sib, outcomes fund, dib). */
int financing_is_bond(financing_type t);

#endif
