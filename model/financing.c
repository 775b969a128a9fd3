/* financing.c -- the cash flows of grants, fee-for-service, payment by
 * results and social impact bonds, line by line. The formulas are in
 * financing.h. */
#include "financing.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double max2(double a, double b) { return a > b ? a : b; }
static double min2(double a, double b) { return a < b ? a : b; }

int financing_is_bond(financing_type t) {
    return t == FIN_SIB || t == FIN_OUTCOMES_FUND || t == FIN_DIB;
}

size_t financing_parts(const scenario *sc, size_t f, size_t *parts) {
    const financing *fin = &sc->financing[f];
    size_t n = 0;
    if (fin->type != FIN_BY_STAGE) {
        parts[n++] = f;
        return n;
    }
    for (size_t s = 0; s < sc->n_stages; s++) {
        size_t p = fin->stage_part[s], seen = 0;
        for (size_t j = 0; j < n; j++) seen |= parts[j] == p;
        if (!seen && n < FINANCING_MAX_PARTS) parts[n++] = p;
    }
    return n;
}

/* ----------------------------------------------------------- the lines */

static void add_line(fin_result *r, const char *party, const char *key, const char *label,
                     int sign, int net, const double *flow) {
    if (r->n_lines >= r->max_lines) return;
    fin_line *l = &r->lines[r->n_lines++];
    snprintf(l->party, sizeof l->party, "%s", party);
    snprintf(l->key, sizeof l->key, "%s", key);
    snprintf(l->label, sizeof l->label, "%s", label);
    l->sign = sign;
    l->net = net;
    l->flow = flow;
}

/* The label of a tranche's redemption line: "redemption of T", and ", by
 * A, B" when a date's payer is not the commissioner (each payer once). */
static void payers_of(const tranche *t, char *label, size_t size) {
    size_t len = (size_t)snprintf(label, size, "redemption of %s", t->name);
    int others = 0;
    for (size_t i = 0; i < t->n_redemptions; i++)
        others |= strcmp(t->redemptions[i].paid_by, "commissioner") != 0;
    for (size_t i = 0; others && i < t->n_redemptions && len < size; i++) {
        size_t j = 0;
        while (j < i && strcmp(t->redemptions[j].paid_by, t->redemptions[i].paid_by) != 0) j++;
        if (j < i) continue; /* named already */
        len += (size_t)snprintf(label + len, size - len, "%s%s", i ? ", " : ", by ",
                                t->redemptions[i].paid_by);
    }
}

/* The lines of structure f, party by party: what an analyst lays beside a
 * spreadsheet model. Inputs (costs, payments) are named by pointer into r,
 * which fin_run sets; the line table stores the address of those pointers'
 * targets lazily, so lines that show inputs are added by fin_run itself. */
static void define_lines(const financing *f, fin_result *r) {
    const size_t n = r->n;
    char key[SCENARIO_NAME_MAX + 48], label[2 * SCENARIO_NAME_MAX + 40];
    r->n_lines = 0;
    switch (f->type) {
    case FIN_GRANT:
    case FIN_BY_STAGE:
        add_line(r, "commissioner", "commissioner.costs", "delivery costs paid", -1, 0,
                 r->commissioner);
        add_line(r, "commissioner", "commissioner.net", "commissioner, net", -1, 1,
                 r->commissioner);
        return;
    case FIN_FEE_FOR_SERVICE:
        add_line(r, "commissioner", "commissioner.costs", "delivery costs paid", -1, 0, NULL);
        add_line(r, "commissioner", "commissioner.margin", "provider's margin paid", -1, 0,
                 r->margin);
        add_line(r, "commissioner", "commissioner.net", "commissioner, net", -1, 1,
                 r->commissioner);
        add_line(r, "provider", "provider.net", "provider: margin", 1, 1, r->provider);
        return;
    case FIN_PBR:
        add_line(r, "commissioner", "commissioner.fee", "fee share of costs paid", -1, 0,
                 r->margin);
        add_line(r, "commissioner", "commissioner.payments", "outcome payments", -1, 0, NULL);
        add_line(r, "commissioner", "commissioner.net", "commissioner, net", -1, 1,
                 r->commissioner);
        add_line(r, "provider", "provider.fee", "fee share received", 1, 0, r->margin);
        add_line(r, "provider", "provider.payments", "outcome payments received", 1, 0, NULL);
        add_line(r, "provider", "provider.costs", "delivery costs", -1, 0, NULL);
        add_line(r, "provider", "provider.net", "provider, net", 1, 1, r->provider);
        return;
    case FIN_SIB:
    case FIN_OUTCOMES_FUND:
    case FIN_DIB: break;
    }
    add_line(r, "commissioner", "commissioner.payments", "outcome payments", -1, 0, NULL);
    add_line(r, "commissioner", "commissioner.returned", "surplus returned", 1, 0, r->returned);
    add_line(r, "commissioner", "commissioner.guarantee_fees", "guarantee fees paid", -1, 0,
             r->comm_fee);
    /* Fixed coupons and redemptions: the payer's outlay, tranche by tranche. */
    for (size_t k = 0; k < f->n_tranches; k++) {
        const tranche *t = &f->tranches[k];
        if (t->has_fixed_coupon) {
            snprintf(key, sizeof key, "commissioner.fixed_coupon.%s", t->name);
            if (strcmp(t->fixed.paid_by, "commissioner") == 0)
                snprintf(label, sizeof label, "fixed coupon to %s", t->name);
            else
                snprintf(label, sizeof label, "fixed coupon to %s, by %s", t->name,
                         t->fixed.paid_by);
            add_line(r, "commissioner", key, label, -1, 0, r->coupon + k * n);
        }
        if (t->n_redemptions > 0) {
            snprintf(key, sizeof key, "commissioner.redemption.%s", t->name);
            payers_of(t, label, sizeof label);
            add_line(r, "commissioner", key, label, -1, 0, r->redeem + k * n);
        }
    }
    add_line(r, "commissioner", "commissioner.net", "commissioner, net", -1, 1, r->commissioner);
    /* With recycling, delivery is funded from the reserve of outcome
     * payments first, then by the investors' capital. */
    add_line(r, "provider", "provider.funded",
             f->recycle ? "delivery funded by the reserve and investors"
                        : "delivery funded by investors",
             1, 0, r->funded);
    add_line(r, "provider", "provider.costs", "delivery costs", -1, 0, NULL);
    add_line(r, "provider", "provider.surplus", "surplus shared", 1, 0, r->to_provider);
    add_line(r, "provider", "provider.net", "provider, net", 1, 1, r->provider);
    add_line(r, "intermediary", "fees", "set-up and yearly fees", 1, 0, r->fees);
    if (f->recycle) {
        /* What leaves the reserve is spent on delivery while it lasts, and
         * the rest goes down the waterfall when delivery ends (fin_run):
         * the line says both, as its amount holds both. */
        add_line(r, "reserve", "reserve.in", "commissioner's payments held", 1, 0,
                 r->reserve_in);
        add_line(r, "reserve", "reserve.out",
                 "spent on delivery; the rest released when delivery ends", -1, 0,
                 r->reserve_out);
    }
    for (size_t k = 0; k < f->n_tranches; k++) {
        const char *t = f->tranches[k].name;
        /* An equity tranche's return is its residual, unless a rule pays
         * interest (booked as return). */
        const char *what =
            r->equity[k] && !r->any_interest ? "residual return" : "interest and return";
#define TRANCHE_LINE(item, text, sign, net, arr)                                  \
    do {                                                                          \
        snprintf(key, sizeof key, "%s.%s", t, item);                              \
        snprintf(label, sizeof label, "%s", text);                                \
        add_line(r, t, key, label, sign, net, arr);                               \
    } while (0)
        TRANCHE_LINE("drawn", "capital drawn", -1, 0, r->draw + k * n);
        TRANCHE_LINE("principal", "principal repaid", 1, 0, r->principal + k * n);
        TRANCHE_LINE("return", what, 1, 0, r->ret + k * n);
        if (f->tranches[k].has_fixed_coupon)
            TRANCHE_LINE("fixed_coupon", "fixed coupon received", 1, 0, r->coupon + k * n);
        if (f->tranches[k].n_redemptions > 0)
            TRANCHE_LINE("redemption", "redemption received", 1, 0, r->redeem + k * n);
        TRANCHE_LINE("guarantee", "recovered from guarantees", 1, 0, r->guar + k * n);
        TRANCHE_LINE("guarantee_fees", "guarantee fees paid", -1, 0, r->gfee + k * n);
        snprintf(key, sizeof key, "%s.net", t);
        snprintf(label, sizeof label, "%s, net", t);
        add_line(r, t, key, label, 1, 1, r->investor + k * n);
#undef TRANCHE_LINE
    }
    for (size_t g = 0; g < f->n_guarantees; g++) {
        const char *name = f->guarantees[g].name;
        char party[SCENARIO_NAME_MAX + 16];
        snprintf(party, sizeof party, "guarantor %s", name);
        snprintf(key, sizeof key, "guarantor.%s.fees", name);
        add_line(r, party, key, "guarantee fees received", 1, 0, r->gfee_in + g * n);
        snprintf(key, sizeof key, "guarantor.%s.calls", name);
        /* Who is paid: the guarantee covers one tranche's loss. */
        snprintf(label, sizeof label, "paid to %s on its loss",
                 f->tranches[f->guarantees[g].tranche].name);
        add_line(r, party, key, label, -1, 0, r->gcall + g * n);
    }
}

/* ------------------------------------------------------------ workspace */

/* Which of run_sib_terms' terms structure f uses, with contract c (or
 * NULL): sets has_terms, by_rule and n_rules. */
static void find_terms(const financing *f, const contract *c, fin_result *r) {
    int tied = 0, interest = 0, other = 0;
    size_t nr = c ? c->n_rules : 0;
    for (size_t k = 0; k < f->n_tranches; k++) {
        const tranche *t = &f->tranches[k];
        tied |= t->n_repaid_from > 0;
        other |= t->has_fixed_coupon || t->n_redemptions > 0;
        for (size_t i = 0; i < t->n_repaid_from; i++)
            if (t->repaid_from[i] >= nr) nr = t->repaid_from[i] + 1;
    }
    for (size_t j = 0; c && j < c->n_rules; j++) interest |= c->rules[j].return_as_interest;
    const int bond = financing_is_bond(f->type);
    r->n_rules = nr;
    r->any_interest = bond && interest;
    r->by_rule = bond && (tied || interest);
    r->has_terms = bond && (r->by_rule || other);
}

/* The invariants of the terms: eligibility and interest by rule, the fixed
 * coupons' periods and rates, the redemption dates and their hurdles. */
static void set_terms(const financing *f, const contract *c, fin_result *r) {
    const size_t n = r->n, nr = r->n_rules, R = TRANCHE_MAX_REDEMPTIONS;
    const int ppy = r->ppy;
    for (size_t j = 0; c && j < c->n_rules && j < nr; j++)
        r->interest[j] = c->rules[j].return_as_interest;
    for (size_t k = 0; k < f->n_tranches; k++) {
        const tranche *t = &f->tranches[k];
        for (size_t j = 0; j < nr; j++) r->elig[k * nr + j] = t->n_repaid_from == 0;
        for (size_t i = 0; i < t->n_repaid_from; i++) r->elig[k * nr + t->repaid_from[i]] = 1;
        if (t->has_fixed_coupon) {
            /* until, on the grid: coupons for periods 0 .. u-1, paid in 1 .. u. */
            double u = floor(t->fixed.until * ppy + 1e-9);
            r->accrue_from[k] = u >= (double)n ? n : (size_t)u;
            r->coupon_end[k] = u >= (double)n ? (n ? n - 1 : 0) : (size_t)u;
            r->coupon_p[k] = t->fixed.rate / ppy;
        }
        for (size_t i = 0; i < t->n_redemptions; i++) {
            const redemption *x = &t->redemptions[i];
            double p = floor(x->at * ppy + 1e-9) + (x->after ? 1 : 0);
            r->red_first[k * R + i] = p >= (double)n ? n : (size_t)p;
            r->red_after[k * R + i] = x->after;
            r->red_g[k * R + i] = x->has_irr_below ? pow(1.0 + x->irr_below, 1.0 / ppy) : 0;
        }
    }
}

fin_result *fin_ws_new(const financing *f, size_t n, int periods_per_year) {
    return fin_ws_new_for(f, NULL, n, periods_per_year);
}

fin_result *fin_ws_new_for(const financing *f, const contract *c, size_t n, int periods_per_year) {
    fin_result *r = calloc(1, sizeof *r);
    if (r == NULL) return NULL;
    size_t nk = f->n_tranches, ng = f->n_guarantees;
    r->n = n;
    r->ppy = periods_per_year;
    find_terms(f, c, r);
    /* commissioner, provider, margin, fees, unfunded, funded, to_provider,
     * returned, reserve_in, reserve_out, comm_fee: 11 per-period arrays; 6 per
     * tranche (investor, draw, principal, ret, guar, gfee), 2 per guarantee;
     * with terms, 2 more per tranche (coupon, redeem). */
    r->block_len = n * (11 + (r->has_terms ? 8 : 6) * nk + 2 * ng);
    r->block = calloc(r->block_len + 1, sizeof *r->block);
    r->tranche = calloc(nk + 1, sizeof *r->tranche);
    r->guarantor = calloc(ng + 1, sizeof *r->guarantor);
    r->guarantor_fees = calloc(ng + 1, sizeof *r->guarantor_fees);
    r->growth = calloc(nk * (n + 1) + 1, sizeof *r->growth);
    r->equity = calloc(nk + 1, sizeof *r->equity);
    r->prios = calloc(nk + 1, sizeof *r->prios);
    r->maturity = calloc(nk + 1, sizeof *r->maturity);
    r->cover = calloc(ng + 1, sizeof *r->cover);
    r->share = calloc(nk + 1, sizeof *r->share);
    r->max_lines = FIN_MAX_LINES(nk, ng);
    r->lines = calloc(r->max_lines, sizeof *r->lines);
    r->redeemed_at = calloc(nk + 1, sizeof *r->redeemed_at);
    if (!r->block || !r->tranche || !r->guarantor || !r->guarantor_fees || !r->growth ||
        !r->equity || !r->prios || !r->maturity || !r->cover || !r->share || !r->lines ||
        !r->redeemed_at) {
        fin_ws_free(r);
        return NULL;
    }
    for (size_t k = 0; k < nk; k++) r->redeemed_at[k] = SIZE_MAX;
    if (r->has_terms) {
        const size_t R = TRANCHE_MAX_REDEMPTIONS;
        r->elig = calloc(nk * r->n_rules + 1, 1);
        r->interest = calloc(r->n_rules + 1, 1);
        r->accrue_from = calloc(nk + 1, sizeof *r->accrue_from);
        r->coupon_end = calloc(nk + 1, sizeof *r->coupon_end);
        r->coupon_p = calloc(nk + 1, sizeof *r->coupon_p);
        r->red_first = calloc(nk * R + 1, sizeof *r->red_first);
        r->red_after = calloc(nk * R + 1, sizeof *r->red_after);
        r->red_g = calloc(nk * R + 1, sizeof *r->red_g);
        if (!r->elig || !r->interest || !r->accrue_from || !r->coupon_end || !r->coupon_p ||
            !r->red_first || !r->red_after || !r->red_g) {
            fin_ws_free(r);
            return NULL;
        }
    }
    /* The arrays in the order a bond's waterfall may write them, so that
     * what a future must clear first is one prefix of the block (dirty_len,
     * fin_run_rules): those of every period it visits; the reserve's, when
     * it recycles; the guarantees', when it has some. The commissioner's
     * line is copied whole from the payments, and the margin is a fee
     * structure's alone: a bond without terms never leaves them dirty. The
     * terms' arrays come last, so that a workspace without them is the
     * first part of one with them, array for array (the tests compare the
     * two waterfalls so); with terms the whole block is cleared. */
    double *b = r->block;
    r->provider = b, b += n;
    r->fees = b, b += n;
    r->unfunded = b, b += n;
    r->funded = b, b += n;
    r->to_provider = b, b += n;
    r->returned = b, b += n;
    r->investor = b, b += nk * n;
    r->draw = b, b += nk * n;
    r->principal = b, b += nk * n;
    r->ret = b, b += nk * n;
    size_t dirty = (size_t)(b - r->block);
    r->reserve_in = b, b += n;
    r->reserve_out = b, b += n;
    if (f->recycle || ng > 0) dirty = (size_t)(b - r->block);
    r->comm_fee = b, b += n;
    r->guar = b, b += nk * n;
    r->gfee = b, b += nk * n;
    r->gcall = b, b += ng * n;
    r->gfee_in = b, b += ng * n;
    if (ng > 0) dirty = (size_t)(b - r->block);
    r->commissioner = b, b += n;
    r->margin = b, b += n;
    if (r->has_terms) {
        r->coupon = b, b += nk * n;
        r->redeem = b;
    }
    r->dirty_len = r->has_terms ? r->block_len : dirty;
    if (r->has_terms) set_terms(f, c, r);
    for (size_t k = 0; k < nk; k++) {
        const tranche *t = &f->tranches[k];
        double rate = t->has_coupon ? t->coupon : t->has_return_cap ? t->return_cap : 0;
        for (size_t d = 0; d <= n; d++)
            r->growth[k * (n + 1) + d] = pow(1.0 + rate, (double)d / periods_per_year);
        r->equity[k] = !t->has_coupon && !t->has_return_cap;
        r->maturity[k] = SIZE_MAX;
        if (t->has_maturity && n > 0) {
            double p = floor(t->maturity * periods_per_year + 1e-9);
            r->maturity[k] = p >= (double)n ? n - 1 : (size_t)p;
        }
        int seen = 0;
        for (size_t j = 0; j < r->n_prios; j++) seen |= r->prios[j] == t->priority;
        if (!seen) r->prios[r->n_prios++] = t->priority;
    }
    for (size_t i = 1; i < r->n_prios; i++) /* insertion sort: a handful of priorities */
        for (size_t j = i; j > 0 && r->prios[j] < r->prios[j - 1]; j--) {
            int tmp = r->prios[j];
            r->prios[j] = r->prios[j - 1];
            r->prios[j - 1] = tmp;
        }
    r->committed = 0;
    for (size_t k = 0; k < nk; k++) r->committed += f->tranches[k].commitment;
    for (size_t k = 0; k < nk; k++)
        r->share[k] = r->committed > 0 ? f->tranches[k].commitment / r->committed : 0;
    for (size_t g = 0; g < ng; g++) {
        const guarantee *gu = &f->guarantees[g];
        double commit = f->tranches[gu->tranche].commitment;
        r->cover[g] = gu->kind == GUARANTEE_FIRST_LOSS ? gu->amount
                                                       : min2(gu->max, gu->share * commit);
    }
    define_lines(f, r);
    /* Lines that show the inputs are pointed at them by each fin_run. */
    r->n_input_lines = 0;
    for (size_t i = 0; i < r->n_lines; i++) {
        const char *k = r->lines[i].key;
        int src = (strcmp(k, "commissioner.costs") == 0 || strcmp(k, "provider.costs") == 0) ? 1
                  : (strcmp(k, "commissioner.payments") == 0 ||
                     strcmp(k, "provider.payments") == 0) ? 2
                                                          : 0;
        if (src && r->n_input_lines < 4) {
            r->input_line[r->n_input_lines] = i;
            r->input_src[r->n_input_lines++] = src;
        }
    }
    return r;
}

void fin_ws_free(fin_result *r) {
    if (r == NULL) return;
    free(r->block);
    free(r->tranche);
    free(r->guarantor);
    free(r->guarantor_fees);
    free(r->growth);
    free(r->equity);
    free(r->prios);
    free(r->maturity);
    free(r->cover);
    free(r->share);
    free(r->lines);
    free(r->redeemed_at);
    free(r->elig);
    free(r->interest);
    free(r->accrue_from);
    free(r->coupon_end);
    free(r->coupon_p);
    free(r->red_first);
    free(r->red_after);
    free(r->red_g);
    free(r);
}

/* ------------------------------------------------------------ the bond */

/* GCC and Clang: inline even a large body, so that each call site gets its
 * own copy (see run_sib). */
#if defined(__GNUC__)
#define FIN_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define FIN_ALWAYS_INLINE inline
#endif

/* Pay up to `amount` to the tranches with priority `prio` (among the first
 * K) that are still owed something, pro rata to what each is owed. Returns
 * what was paid. */
static FIN_ALWAYS_INLINE double pay_priority(const financing *f, size_t K, int prio, double amount,
                                             double *owed, double *receipt) {
    double total = 0;
    for (size_t k = 0; k < K; k++)
        if (f->tranches[k].priority == prio && owed[k] > 0) total += owed[k];
    if (total <= 0 || amount <= 0) return 0;
    double pay = min2(amount, total);
    for (size_t k = 0; k < K; k++)
        if (f->tranches[k].priority == prio && owed[k] > 0) {
            double part = pay * owed[k] / total;
            receipt[k] += part;
            owed[k] -= part;
        }
    return pay;
}

/* Guarantees and their fees, once the waterfall has run: each is called at
 * its tranche's maturity or at the settlement period, on the principal lost
 * by then (drawn less repaid, less what earlier guarantees of the tranche
 * paid); its fee runs from the tranche's first draw until the call. */
static void settle_guarantees(const financing *f, size_t n, size_t settle,
                              const size_t *first_draw, fin_result *r) {
    for (size_t g = 0; g < f->n_guarantees; g++) {
        const guarantee *gu = &f->guarantees[g];
        size_t k = gu->tranche;
        tranche_result *tr = &r->tranche[k];
        size_t at = r->maturity[k] != SIZE_MAX ? r->maturity[k] : settle;
        /* Principal lost at the call: drawn by then less repaid by then. */
        double drawn = 0, repaid = 0;
        for (size_t t = 0; t <= at && t < n; t++) {
            drawn += r->draw[k * n + t];
            repaid += r->principal[k * n + t];
        }
        double lost = max2(drawn - repaid - tr->guaranteed, 0.0);
        double pay = gu->kind == GUARANTEE_FIRST_LOSS ? min2(lost, gu->amount)
                                                      : min2(gu->share * lost, gu->max);
        tr->guaranteed += pay;
        r->guar[k * n + at] += pay;
        r->investor[k * n + at] += pay;
        r->gcall[g * n + at] += pay;
        r->guarantor[g] = pay;
        r->guarantor_fees[g] = 0;
        if (gu->fee <= 0 || first_draw[k] == SIZE_MAX) continue;
        /* The fee is paid while capital is at risk: from the first draw,
         * in every period that starts with principal outstanding or draws
         * some, until the call. */
        double each = gu->fee / r->ppy * r->cover[g], out = 0;
        for (size_t t = first_draw[k]; t < at; t++) {
            int at_risk = out > 1e-9 * tr->drawn || r->draw[k * n + t] > 0;
            out += r->draw[k * n + t] - r->principal[k * n + t];
            if (!at_risk) continue;
            r->gfee_in[g * n + t] += each;
            r->guarantor_fees[g] += each;
            if (gu->fee_paid_by == FEE_PAID_BY_TRANCHE) {
                r->gfee[k * n + t] += each;
                r->investor[k * n + t] -= each;
                tr->fees += each;
            } else {
                r->comm_fee[t] += each;
                r->commissioner[t] += each;
            }
        }
    }
}

/* The social impact bond and its variants (outcomes fund, DIB), for K =
 * f->n_tranches tranches. Runs once a future for every bond structure: the
 * totals live in locals (the compiler must otherwise assume that every
 * store to a flow array changes them) and periods without money moving are
 * skipped. */
static FIN_ALWAYS_INLINE void sib_waterfall(const financing *f, const size_t K,
                                            const double *restrict costs,
                                            const double *restrict payments, size_t n,
                                            size_t settle, fin_result *r) {
    const int ppy = r->ppy;
    double *restrict draw = r->draw, *restrict prin = r->principal, *restrict ret = r->ret;
    double *restrict investor = r->investor, *restrict comm = r->commissioner;
    /* The loader allows at most FINANCING_MAX_TRANCHES tranches. */
    double owed[FINANCING_MAX_TRANCHES], receipt[FINANCING_MAX_TRANCHES];
    double principal[FINANCING_MAX_TRANCHES]; /* principal outstanding */
    double drawn[FINANCING_MAX_TRANCHES], received[FINANCING_MAX_TRANCHES],
        repaid[FINANCING_MAX_TRANCHES];
    size_t first_draw[FINANCING_MAX_TRANCHES];
    int any_equity = 0;
    for (size_t k = 0; k < K; k++) {
        any_equity |= r->equity[k];
        owed[k] = principal[k] = drawn[k] = received[k] = repaid[k] = 0;
        first_draw[k] = SIZE_MAX;
    }
    /* Fees run over the structure's delivery, from its first cost to its
     * last: a blend's part starts when its stage does, and a part whose
     * stage did not run (no delivery cost at all) charges no fee. */
    size_t first_cost = SIZE_MAX, last_cost = 0;
    for (size_t t = 0; t < n; t++)
        if (costs[t] > 0) {
            if (first_cost == SIZE_MAX) first_cost = t;
            last_cost = t;
        }
    const int any_cost = first_cost != SIZE_MAX;
    const double fee_period = f->fees_per_year / ppy; /* once: a division is slow */
    double reserve = 0, outstanding = 0, undrawn = r->committed, peak = 0;
    double unfunded_total = 0, to_provider_total = 0, returned_total = 0;
    memcpy(comm, payments, n * sizeof *comm);
    size_t owed_at = 0; /* what is owed is as of the start of this period */
    for (size_t t = 0; t < n; t++) {
        /* Most periods move no money at all: nothing to draw, pay or fund. */
        if (costs[t] == 0 && payments[t] == 0 && t > last_cost && reserve == 0) continue;
        /* What is owed accrues over the periods since it last changed. */
        if (t > owed_at) {
            for (size_t k = 0; k < K; k++) owed[k] *= r->growth[k * (n + 1) + (t - owed_at)];
            owed_at = t;
        }
        /* Costs and fees, funded from the reserve first, then drawn. */
        double fee = !any_cost || t < first_cost || t > last_cost
                         ? 0
                         : (t == first_cost ? f->setup_fees : 0) + fee_period;
        r->fees[t] = fee;
        double need = costs[t] + fee;
        if (f->recycle) {
            double use = min2(reserve, need);
            reserve -= use;
            need -= use;
            r->reserve_out[t] = use;
        }
        /* Draws pro rata to what each tranche has not drawn yet. Every
         * tranche draws the same fraction of what it has left, so those
         * shares never change: they are the commitments' shares, and the
         * draw needs no division per period. */
        double drawn_now = 0;
        if (undrawn > 0 && need > 0) {
            double take = min2(need, undrawn);
            undrawn -= take;
            for (size_t k = 0; k < K; k++) {
                double d = K == 1 ? take : take * r->share[k];
                if (d <= 0) continue;
                drawn[k] += d;
                owed[k] += d;
                principal[k] += d;
                draw[k * n + t] = d;
                investor[k * n + t] = 0 - d; /* less any receipt below */
                if (first_draw[k] == SIZE_MAX) first_draw[k] = t;
                drawn_now += d;
            }
        }
        double short_fall = max2(need - drawn_now, 0.0);
        r->unfunded[t] = short_fall;
        unfunded_total += short_fall;
        /* What the provider was given for delivery: the costs less what it
         * bore itself (fees are paid first from what was drawn). */
        r->funded[t] = costs[t] - short_fall;
        r->provider[t] = 0 - short_fall; /* plus any surplus shared below */

        /* Outcome payments: into the reserve while delivery goes on (when
         * recycling), then down the waterfall. */
        double dist = payments[t];
        if (f->recycle) {
            if (t < last_cost) {
                reserve += dist;
                r->reserve_in[t] = dist;
                dist = 0;
            } else {
                dist += reserve;
                r->reserve_out[t] += reserve;
                reserve = 0;
            }
        }
        if (!(dist > 0)) { /* nothing received: capital out only */
            outstanding += drawn_now - 0;
            peak = max2(peak, outstanding);
            continue;
        }
        for (size_t k = 0; k < K; k++) receipt[k] = 0;
        for (size_t i = 0; i < r->n_prios && dist > 0; i++)
            dist -= pay_priority(f, K, r->prios[i], dist, owed, receipt);
        if (dist > 0 && any_equity) {
            double base = 0;
            for (size_t k = 0; k < K; k++)
                if (r->equity[k]) base += drawn[k];
            if (base > 0) {
                for (size_t k = 0; k < K; k++)
                    if (r->equity[k]) receipt[k] += dist * drawn[k] / base;
                dist = 0;
            }
        }
        if (dist > 0) { /* surplus */
            double to_provider = f->provider_share * dist;
            r->to_provider[t] = to_provider;
            to_provider_total += to_provider;
            r->returned[t] = dist - to_provider;
            returned_total += dist - to_provider;
            comm[t] -= dist - to_provider;
            r->provider[t] = to_provider - short_fall;
        }
        double received_now = 0;
        for (size_t k = 0; k < K; k++) {
            /* Principal first, then the return. */
            double x = receipt[k], p = min2(x, principal[k]);
            principal[k] -= p;
            prin[k * n + t] = p;
            ret[k * n + t] = x - p;
            received[k] += x;
            repaid[k] += p;
            investor[k * n + t] = x - draw[k * n + t];
            received_now += x;
        }
        outstanding += drawn_now - received_now;
        peak = max2(peak, outstanding);
    }
    for (size_t k = 0; k < K; k++)
        r->tranche[k] = (tranche_result){drawn[k], received[k], repaid[k], 0, 0, 0, 0};
    r->unfunded_total = unfunded_total;
    r->to_provider_total = to_provider_total;
    r->returned_total = returned_total;
    r->peak_capital = peak;
    settle_guarantees(f, n, settle, first_draw, r);
    r->provider_surplus = r->to_provider_total - r->unfunded_total;
}

/* The bond of sib_waterfall. Most bonds have one or two tranches: those
 * get their own copies of the waterfall, where K is the constant 1 or 2, so
 * that the compiler keeps what each tranche is owed, has drawn and has
 * outstanding in registers instead of reloading them period after period
 * (the default scenario about 6% faster, utah-preschool's two tranches 3%).
 * The same operations in the same order: the flows are those of the
 * general copy, to the bit. */
static void run_sib(const financing *f, const double *restrict costs,
                    const double *restrict payments, size_t n, size_t settle, fin_result *r) {
    if (f->n_tranches == 1)
        sib_waterfall(f, 1, costs, payments, n, settle, r);
    else if (f->n_tranches == 2)
        sib_waterfall(f, 2, costs, payments, n, settle, r);
    else
        sib_waterfall(f, f->n_tranches, costs, payments, n, settle, r);
}

/* ------------------------------------------------------ the bond's terms */

/* As pay_priority, among the tranches with ok[k]. */
static double pay_priority_ok(const financing *f, int prio, double amount, double *owed,
                              double *receipt, const unsigned char *ok) {
    double total = 0;
    for (size_t k = 0; k < f->n_tranches; k++)
        if (ok[k] && f->tranches[k].priority == prio && owed[k] > 0) total += owed[k];
    if (total <= 0 || amount <= 0) return 0;
    double pay = min2(amount, total);
    for (size_t k = 0; k < f->n_tranches; k++)
        if (ok[k] && f->tranches[k].priority == prio && owed[k] > 0) {
            double part = pay * owed[k] / total;
            receipt[k] += part;
            owed[k] -= part;
        }
    return pay;
}

/* The waterfall of `dist` among the tranches with ok[k]: priorities in
 * order, each up to what it is owed, pro rata within a priority; then the
 * equity tranches among them, pro rata to what each drew. Returns what is
 * left: the surplus. */
static double waterfall_ok(const financing *f, const fin_result *r, double dist, double *owed,
                           const double *drawn, double *receipt, const unsigned char *ok) {
    for (size_t i = 0; i < r->n_prios && dist > 0; i++)
        dist -= pay_priority_ok(f, r->prios[i], dist, owed, receipt, ok);
    if (!(dist > 0)) return dist;
    double base = 0;
    for (size_t k = 0; k < f->n_tranches; k++)
        if (ok[k] && r->equity[k]) base += drawn[k];
    if (base > 0) {
        for (size_t k = 0; k < f->n_tranches; k++)
            if (ok[k] && r->equity[k]) receipt[k] += dist * drawn[k] / base;
        dist = 0;
    }
    return dist;
}

/* The bond with the terms of financing.h's second half: tranches repaid
 * from given rules, rules that pay interest, fixed coupons and
 * redemptions. It is run_sib, period by period in the same order and with
 * the same arithmetic (a structure without these terms gives the same
 * flows through either, bit for bit: tests/test_fin_terms.c), plus:
 *   - before the period's draws, the fixed coupons for the period before
 *     (on the principal outstanding at its end);
 *   - what is owed accrues only after a fixed coupon's last period;
 *   - by rule: each rule's payment, in contract order, down the waterfall
 *     of the tranches eligible for it; an interest rule's receipts booked
 *     as return;
 *   - at the end of the period, each redemption date that applies is tested
 *     on the hurdle value V = (the tranche's flows to date compounded at
 *     the date's rate h) + (its principal outstanding); the flows part is
 *     kept as H_t = H_{t-1} (1 + h)^(1/p) + investor_t, brought up to date
 *     (one product a period) only in the periods it is needed; the first
 *     date that holds redeems the tranche.
 * Like run_sib it skips the periods where nothing can happen: no money
 * moves, delivery is over, no coupon is due and no redemption date can
 * apply. */
static void run_sib_terms(const financing *f, const double *restrict costs,
                          const double *restrict payments, const double *restrict rule_pay,
                          size_t n, size_t settle, fin_result *r) {
    enum { R = TRANCHE_MAX_REDEMPTIONS };
    const size_t K = f->n_tranches, nr = r->n_rules;
    const int ppy = r->ppy, by_rule = r->by_rule && rule_pay != NULL;
    double *restrict draw = r->draw, *restrict prin = r->principal, *restrict ret = r->ret;
    double *restrict investor = r->investor, *restrict comm = r->commissioner;
    double *restrict coupon = r->coupon;
    double owed[FINANCING_MAX_TRANCHES], receipt[FINANCING_MAX_TRANCHES];
    double interest[FINANCING_MAX_TRANCHES];  /* receipts from interest rules: return */
    double principal[FINANCING_MAX_TRANCHES]; /* principal outstanding */
    double drawn[FINANCING_MAX_TRANCHES], received[FINANCING_MAX_TRANCHES],
        repaid[FINANCING_MAX_TRANCHES], coupons[FINANCING_MAX_TRANCHES],
        redeemed[FINANCING_MAX_TRANCHES], share[FINANCING_MAX_TRANCHES];
    double hurdle[FINANCING_MAX_TRANCHES * R]; /* each date's H: V without the principal */
    unsigned char live[FINANCING_MAX_TRANCHES], ok[FINANCING_MAX_TRANCHES];
    size_t first_draw[FINANCING_MAX_TRANCHES], last_test[FINANCING_MAX_TRANCHES];
    size_t hurdle_to[FINANCING_MAX_TRANCHES]; /* H holds the flows of periods < this */
    /* The periods that coupons and redemption dates can touch. */
    size_t coupon_last = 0, test_first = SIZE_MAX, test_last = 0;
    for (size_t k = 0; k < K; k++) {
        const tranche *t = &f->tranches[k];
        owed[k] = principal[k] = drawn[k] = received[k] = repaid[k] = 0;
        coupons[k] = redeemed[k] = 0;
        share[k] = r->share[k];
        live[k] = 1;
        first_draw[k] = SIZE_MAX;
        r->redeemed_at[k] = SIZE_MAX;
        hurdle_to[k] = 0;
        if (r->coupon_end[k] > coupon_last) coupon_last = r->coupon_end[k];
        /* Redemption dates are tested up to the maturity, or the settlement. */
        last_test[k] =
            r->maturity[k] != SIZE_MAX && r->maturity[k] < settle ? r->maturity[k] : settle;
        for (size_t i = 0; i < t->n_redemptions; i++) {
            hurdle[k * R + i] = 0;
            size_t lo = r->red_first[k * R + i], hi = r->red_after[k * R + i] ? last_test[k] : lo;
            if (hi > last_test[k]) hi = last_test[k];
            if (lo > hi) continue;
            if (lo < test_first) test_first = lo;
            if (hi > test_last) test_last = hi;
        }
    }
    size_t first_cost = SIZE_MAX, last_cost = 0;
    for (size_t t = 0; t < n; t++)
        if (costs[t] > 0) {
            if (first_cost == SIZE_MAX) first_cost = t;
            last_cost = t;
        }
    const int any_cost = first_cost != SIZE_MAX;
    const double fee_period = f->fees_per_year / ppy;
    double reserve = 0, outstanding = 0, undrawn = r->committed, peak = 0;
    double unfunded_total = 0, to_provider_total = 0, returned_total = 0;
    memcpy(comm, payments, n * sizeof *comm);
    size_t owed_at = 0;
    for (size_t t = 0; t < n; t++) {
        const int active = !(costs[t] == 0 && payments[t] == 0 && t > last_cost && reserve == 0);
        const int coupon_due = t >= 1 && t <= coupon_last;
        const int test_due = t >= test_first && t <= test_last;
        if (!active && !coupon_due && !test_due) continue;
        double back_now = 0, drawn_now = 0; /* paid out and in, this period */
        /* Fixed coupons for the period before, on its closing principal. */
        for (size_t k = 0; coupon_due && k < K; k++) {
            if (t > r->coupon_end[k] || !(principal[k] > 0)) continue;
            double c = r->coupon_p[k] * principal[k];
            coupon[k * n + t] = c;
            coupons[k] += c;
            comm[t] += c;
            back_now += c;
        }
        int paid = 0; /* any receipt to book */
        if (active) {
            if (t > owed_at) {
                for (size_t k = 0; k < K; k++) {
                    /* Accrued over the periods since, after any fixed coupon's. */
                    size_t from = owed_at > r->accrue_from[k] ? owed_at : r->accrue_from[k];
                    if (t > from) owed[k] *= r->growth[k * (n + 1) + (t - from)];
                }
                owed_at = t;
            }
            double fee = !any_cost || t < first_cost || t > last_cost
                             ? 0
                             : (t == first_cost ? f->setup_fees : 0) + fee_period;
            r->fees[t] = fee;
            double need = costs[t] + fee;
            if (f->recycle) {
                double use = min2(reserve, need);
                reserve -= use;
                need -= use;
                r->reserve_out[t] = use;
            }
            if (undrawn > 0 && need > 0) {
                double take = min2(need, undrawn);
                undrawn -= take;
                for (size_t k = 0; k < K; k++) {
                    double d = K == 1 ? take : take * share[k];
                    if (d <= 0) continue;
                    drawn[k] += d;
                    owed[k] += d;
                    principal[k] += d;
                    draw[k * n + t] = d;
                    if (first_draw[k] == SIZE_MAX) first_draw[k] = t;
                    drawn_now += d;
                }
            }
            double short_fall = max2(need - drawn_now, 0.0);
            r->unfunded[t] = short_fall;
            unfunded_total += short_fall;
            r->funded[t] = costs[t] - short_fall;
            r->provider[t] = 0 - short_fall;

            double dist = payments[t];
            if (f->recycle) {
                if (t < last_cost) {
                    reserve += dist;
                    r->reserve_in[t] = dist;
                    dist = 0;
                } else {
                    dist += reserve;
                    r->reserve_out[t] += reserve;
                    reserve = 0;
                }
            }
            if (dist > 0) {
                paid = 1;
                for (size_t k = 0; k < K; k++) receipt[k] = interest[k] = 0;
                double surplus = 0;
                if (by_rule) {
                    /* Rule by rule, in contract order, each down its own
                     * waterfall; then what no rule paid (a suspension's
                     * fixed payments, a termination payment) down the
                     * whole waterfall, as an untied payment would go. */
                    double ruled = 0;
                    for (size_t j = 0; j < nr; j++) {
                        double x = rule_pay[j * n + t];
                        if (!(x > 0)) continue;
                        ruled += x;
                        for (size_t k = 0; k < K; k++) ok[k] = live[k] && r->elig[k * nr + j];
                        surplus += waterfall_ok(f, r, x, owed, drawn,
                                                r->interest[j] ? interest : receipt, ok);
                    }
                    double rest = dist - ruled;
                    if (rest > 1e-9 * dist) {
                        for (size_t k = 0; k < K; k++) ok[k] = live[k];
                        surplus += waterfall_ok(f, r, rest, owed, drawn, receipt, ok);
                    }
                } else {
                    for (size_t k = 0; k < K; k++) ok[k] = live[k];
                    surplus = waterfall_ok(f, r, dist, owed, drawn, receipt, ok);
                }
                if (surplus > 0) {
                    double to_provider = f->provider_share * surplus;
                    r->to_provider[t] = to_provider;
                    to_provider_total += to_provider;
                    r->returned[t] = surplus - to_provider;
                    returned_total += surplus - to_provider;
                    comm[t] -= surplus - to_provider;
                    r->provider[t] = to_provider - short_fall;
                }
            }
        }
        if (paid) { /* receipts: principal first, but interest as return */
            for (size_t k = 0; k < K; k++) {
                double x = receipt[k], y = interest[k], p = min2(x, principal[k]);
                principal[k] -= p;
                prin[k * n + t] = p;
                ret[k * n + t] = x - p + y;
                received[k] += x + y;
                repaid[k] += p;
                investor[k * n + t] = (x + y + coupon[k * n + t]) - draw[k * n + t];
                back_now += x + y;
            }
        } else if (drawn_now > 0 || back_now > 0) {
            for (size_t k = 0; k < K; k++)
                investor[k * n + t] = coupon[k * n + t] - draw[k * n + t];
        }
        /* Redemptions, at the end of the period: each date's H brought up to
         * this period (the skipped ones moved no money: one product each),
         * then this period's flow; the first date that holds redeems. */
        for (size_t k = 0; k < K; k++) {
            const tranche *tr = &f->tranches[k];
            if (tr->n_redemptions == 0 || !live[k]) continue;
            int exercise = 0;
            size_t hit = 0;
            for (size_t i = 0; i < tr->n_redemptions; i++) {
                double g = r->red_g[k * R + i], *h = &hurdle[k * R + i];
                if (g > 0) {
                    for (size_t q = hurdle_to[k]; q < t; q++) *h *= g;
                    *h = *h * g + investor[k * n + t];
                }
                size_t first = r->red_first[k * R + i];
                int applies = r->red_after[k * R + i] ? t >= first : t == first;
                if (exercise || !applies || t > last_test[k] || !(principal[k] > 1e-9 * drawn[k]))
                    continue;
                /* V < 0: the IRR to date, principal at par, is below h. */
                if (g > 0 && !(*h + principal[k] < -1e-9 * drawn[k])) continue;
                exercise = 1;
                hit = i;
            }
            hurdle_to[k] = t + 1;
            if (!exercise) continue;
            double amount = tr->redemptions[hit].share_returned * principal[k];
            r->redeem[k * n + t] = amount;
            investor[k * n + t] += amount;
            comm[t] += amount;
            redeemed[k] += amount;
            back_now += amount;
            r->redeemed_at[k] = t;
            /* It gives up the rest of its principal and every later claim,
             * and its undrawn commitment: the others draw what is left. */
            principal[k] = owed[k] = 0;
            live[k] = 0;
            double left = 0, live_commit = 0;
            for (size_t j = 0; j < K; j++)
                if (live[j]) {
                    left += f->tranches[j].commitment - drawn[j];
                    live_commit += f->tranches[j].commitment;
                }
            undrawn = max2(left, 0.0);
            for (size_t j = 0; j < K; j++)
                share[j] = live[j] && live_commit > 0 ? f->tranches[j].commitment / live_commit : 0;
        }
        outstanding += drawn_now - back_now;
        peak = max2(peak, outstanding);
    }
    for (size_t k = 0; k < K; k++)
        r->tranche[k] =
            (tranche_result){drawn[k], received[k], repaid[k], 0, 0, coupons[k], redeemed[k]};
    r->unfunded_total = unfunded_total;
    r->to_provider_total = to_provider_total;
    r->returned_total = returned_total;
    r->peak_capital = peak;
    settle_guarantees(f, n, settle, first_draw, r);
    r->provider_surplus = r->to_provider_total - r->unfunded_total;
}

void fin_run(const financing *f, const double *costs, const double *payments, size_t n,
             size_t settle, fin_result *r) {
    fin_run_rules(f, costs, payments, NULL, n, settle, r);
}

void fin_run_rules(const financing *f, const double *costs, const double *payments,
                   const double *rule_pay, size_t n, size_t settle, fin_result *r) {
    const int ppy = r->ppy;
    /* A bond writes its arrays period by period, skipping quiet periods:
     * start from zero. The other structures write every period. */
    if (financing_is_bond(f->type)) memset(r->block, 0, r->dirty_len * sizeof *r->block);
    r->costs = costs;
    r->payments = payments;
    r->settle = settle < n ? settle : (n ? n - 1 : 0);
    r->unfunded_total = r->returned_total = r->to_provider_total = 0;
    r->provider_surplus = r->peak_capital = 0;
    switch (f->type) {
    case FIN_GRANT:
    case FIN_FEE_FOR_SERVICE:
    case FIN_BY_STAGE: { /* BY_STAGE is run part by part by the caller */
        double m = f->type == FIN_FEE_FOR_SERVICE ? f->margin : 0;
        for (size_t t = 0; t < n; t++) {
            r->margin[t] = costs[t] * m;
            r->commissioner[t] = costs[t] + r->margin[t];
            r->provider[t] = r->margin[t];
            r->provider_surplus += r->margin[t];
        }
        break;
    }
    case FIN_PBR: {
        /* The provider's working capital accrues at its cost of capital k. */
        double g = pow(1.0 + f->cost_of_capital, 1.0 / ppy), w = 0;
        for (size_t t = 0; t < n; t++) {
            double fee = f->fee_share * costs[t];
            r->margin[t] = fee;
            r->commissioner[t] = fee + payments[t];
            r->provider[t] = fee + payments[t] - costs[t];
            w = w * g + r->provider[t];
            r->peak_capital = max2(r->peak_capital, -w);
        }
        r->provider_surplus = n ? w * pow(1.0 + f->cost_of_capital, -(double)(n - 1) / ppy) : 0;
        break;
    }
    case FIN_SIB:
    case FIN_OUTCOMES_FUND:
    case FIN_DIB:
        if (r->has_terms)
            run_sib_terms(f, costs, payments, rule_pay, n, r->settle, r);
        else
            run_sib(f, costs, payments, n, r->settle, r);
        break;
    }
    /* Lines that show the inputs point at them. */
    for (size_t i = 0; i < r->n_input_lines; i++)
        r->lines[r->input_line[i]].flow = r->input_src[i] == 1 ? costs : payments;
}

sib_totals financing_sib_flows(const tranche *tr, int periods_per_year, const double *costs,
                               const double *payments, size_t n, double *investor) {
    tranche t = *tr;
    financing f;
    memset(&f, 0, sizeof f);
    f.type = FIN_SIB;
    f.tranches = &t;
    f.n_tranches = 1;
    sib_totals tot = {0, 0, 0, 0};
    fin_result *r = fin_ws_new(&f, n, periods_per_year);
    if (r == NULL) return tot;
    fin_run(&f, costs, payments, n, n ? n - 1 : 0, r);
    memcpy(investor, r->investor, n * sizeof *investor);
    tot.drawn = r->tranche[0].drawn;
    tot.received = r->tranche[0].received;
    tot.unfunded = r->unfunded_total;
    tot.surplus = r->returned_total + r->to_provider_total;
    fin_ws_free(r);
    return tot;
}
