/* financing.c -- the cash flows of grants, fee-for-service, payment by
 * results and social impact bonds. The formulas are in financing.h. */
#include "financing.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double max2(double a, double b) { return a > b ? a : b; }
static double min2(double a, double b) { return a < b ? a : b; }

fin_result *fin_ws_new(const financing *f, size_t n, int periods_per_year) {
    fin_result *r = calloc(1, sizeof *r);
    if (r == NULL) return NULL;
    size_t nk = f->n_tranches, ng = f->n_guarantees;
    r->ppy = periods_per_year;
    r->commissioner = calloc(n + 1, sizeof *r->commissioner);
    r->provider = calloc(n + 1, sizeof *r->provider);
    r->investor = calloc(nk * n + 1, sizeof *r->investor);
    r->tranche = calloc(nk + 1, sizeof *r->tranche);
    r->guarantor = calloc(ng + 1, sizeof *r->guarantor);
    r->growth = calloc(nk + 1, sizeof *r->growth);
    r->equity = calloc(nk + 1, sizeof *r->equity);
    r->prios = calloc(nk + 1, sizeof *r->prios);
    if (!r->commissioner || !r->provider || !r->investor || !r->tranche || !r->guarantor ||
        !r->growth || !r->equity || !r->prios) {
        fin_ws_free(r);
        return NULL;
    }
    for (size_t k = 0; k < nk; k++) {
        const tranche *t = &f->tranches[k];
        double rate = t->has_coupon ? t->coupon : t->has_return_cap ? t->return_cap : 0;
        r->growth[k] = pow(1.0 + rate, 1.0 / periods_per_year);
        r->equity[k] = !t->has_coupon && !t->has_return_cap;
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
    return r;
}

void fin_ws_free(fin_result *r) {
    if (r == NULL) return;
    free(r->commissioner);
    free(r->provider);
    free(r->investor);
    free(r->tranche);
    free(r->guarantor);
    free(r->growth);
    free(r->equity);
    free(r->prios);
    free(r);
}

/* Pay up to `amount` to the tranches with priority `prio` that are still
 * owed something, pro rata to what each is owed. Returns what was paid. */
static double pay_priority(const financing *f, int prio, double amount, double *owed,
                           double *receipt) {
    double total = 0;
    for (size_t k = 0; k < f->n_tranches; k++)
        if (f->tranches[k].priority == prio && owed[k] > 0) total += owed[k];
    if (total <= 0 || amount <= 0) return 0;
    double pay = min2(amount, total);
    for (size_t k = 0; k < f->n_tranches; k++)
        if (f->tranches[k].priority == prio && owed[k] > 0) {
            double part = pay * owed[k] / total;
            receipt[k] += part;
            owed[k] -= part;
        }
    return pay;
}

/* The social impact bond and its variants (outcomes fund, DIB). */
static void run_sib(const financing *f, const double *costs, const double *payments, size_t n,
                    fin_result *r) {
    const size_t K = f->n_tranches;
    const int ppy = r->ppy;
    /* The loader allows at most FINANCING_MAX_TRANCHES tranches. */
    double owed[FINANCING_MAX_TRANCHES], receipt[FINANCING_MAX_TRANCHES];
    int any_equity = 0;
    for (size_t k = 0; k < K; k++) {
        any_equity |= r->equity[k];
        owed[k] = 0;
        r->tranche[k] = (tranche_result){0, 0, 0};
    }
    size_t last_cost = 0;
    for (size_t t = 0; t < n; t++)
        if (costs[t] > 0) last_cost = t;
    size_t end = last_cost;
    for (size_t t = 0; t < n; t++)
        if (payments[t] > 0) end = t > end ? t : end;
    double reserve = 0, outstanding = 0;
    r->unfunded = r->returned = r->to_provider = r->peak_capital = 0;
    for (size_t t = 0; t < n; t++) {
        r->commissioner[t] = payments[t];
        r->provider[t] = 0;
        for (size_t k = 0; k < K; k++) {
            owed[k] *= r->growth[k];
            receipt[k] = 0;
            r->investor[k * n + t] = 0;
        }
        /* Most periods move no money at all: nothing to draw, pay or fund. */
        if (costs[t] == 0 && payments[t] == 0 && t > last_cost && reserve == 0) continue;
        /* Costs and fees, funded from the reserve first, then drawn. */
        double fee = (t == 0 ? f->setup_fees : 0) +
                     (t <= last_cost ? f->fees_per_year / ppy : 0);
        double need = costs[t] + fee;
        if (f->recycle) {
            double use = min2(reserve, need);
            reserve -= use;
            need -= use;
        }
        double undrawn = 0;
        for (size_t k = 0; k < K; k++) undrawn += f->tranches[k].commitment - r->tranche[k].drawn;
        double drawn_now = 0;
        if (undrawn > 0 && need > 0) {
            double frac = min2(need / undrawn, 1.0);
            for (size_t k = 0; k < K; k++) {
                double d = frac * (f->tranches[k].commitment - r->tranche[k].drawn);
                r->tranche[k].drawn += d;
                owed[k] += d;
                r->investor[k * n + t] -= d;
                drawn_now += d;
            }
        }
        double short_fall = max2(need - drawn_now, 0.0);
        r->unfunded += short_fall;
        r->provider[t] -= short_fall;

        /* Outcome payments: into the reserve while delivery goes on (when
         * recycling), then down the waterfall. */
        double dist = payments[t];
        if (f->recycle) {
            if (t < last_cost) {
                reserve += dist;
                dist = 0;
            } else {
                dist += reserve;
                reserve = 0;
            }
        }
        for (size_t i = 0; i < r->n_prios && dist > 0; i++)
            dist -= pay_priority(f, r->prios[i], dist, owed, receipt);
        if (dist > 0 && any_equity) {
            double base = 0;
            for (size_t k = 0; k < K; k++)
                if (r->equity[k]) base += r->tranche[k].drawn;
            if (base > 0) {
                for (size_t k = 0; k < K; k++)
                    if (r->equity[k]) receipt[k] += dist * r->tranche[k].drawn / base;
                dist = 0;
            }
        }
        if (dist > 0) { /* surplus */
            double to_provider = f->provider_share * dist;
            r->to_provider += to_provider;
            r->provider[t] += to_provider;
            r->returned += dist - to_provider;
            r->commissioner[t] -= dist - to_provider;
        }
        double received_now = 0;
        for (size_t k = 0; k < K; k++) {
            r->tranche[k].received += receipt[k];
            r->investor[k * n + t] += receipt[k];
            received_now += receipt[k];
        }
        outstanding += drawn_now - received_now;
        r->peak_capital = max2(r->peak_capital, outstanding);
    }
    /* Guarantees, at the end of the programme's cash flows. */
    for (size_t g = 0; g < f->n_guarantees; g++) {
        const guarantee *gu = &f->guarantees[g];
        tranche_result *tr = &r->tranche[gu->tranche];
        double lost = fmax(tr->drawn - tr->received - tr->guaranteed, 0.0);
        double pay = fmin(gu->share * lost, gu->max);
        tr->guaranteed += pay;
        r->investor[gu->tranche * n + end] += pay;
        r->guarantor[g] = pay;
    }
    r->provider_surplus = r->to_provider - r->unfunded;
}

void fin_run(const financing *f, const double *costs, const double *payments, size_t n,
             fin_result *r) {
    const int ppy = r->ppy;
    r->unfunded = r->returned = r->to_provider = r->provider_surplus = r->peak_capital = 0;
    switch (f->type) {
    case FIN_GRANT:
    case FIN_FEE_FOR_SERVICE:
    case FIN_BY_STAGE: { /* BY_STAGE is run part by part by the caller */
        double m = f->type == FIN_FEE_FOR_SERVICE ? f->margin : 0;
        for (size_t t = 0; t < n; t++) {
            r->commissioner[t] = costs[t] * (1 + m);
            r->provider[t] = costs[t] * m;
            r->provider_surplus += costs[t] * m;
        }
        break;
    }
    case FIN_PBR: {
        /* The provider's working capital accrues at its cost of capital k. */
        double g = pow(1.0 + f->cost_of_capital, 1.0 / ppy), w = 0;
        for (size_t t = 0; t < n; t++) {
            double fee = f->fee_share * costs[t];
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
    case FIN_DIB: run_sib(f, costs, payments, n, r); break;
    }
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
    fin_run(&f, costs, payments, n, r);
    memcpy(investor, r->investor, n * sizeof *investor);
    tot.drawn = r->tranche[0].drawn;
    tot.received = r->tranche[0].received;
    tot.unfunded = r->unfunded;
    tot.surplus = r->returned + r->to_provider;
    fin_ws_free(r);
    return tot;
}
