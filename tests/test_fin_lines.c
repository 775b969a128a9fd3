/* test_fin_lines.c -- the financing structures' lines, by hand: every
 * party's lines add up to its net line, and every period the parties of a
 * bond net to minus the delivery costs, through surpluses, losses, unfunded
 * costs, recycling and guarantees (with the fees those lines hold); then
 * tranches paid alike get the IRR of their own flows, and a bond run again
 * leaves its workspace as a new one. The rest of the financing structures'
 * tests are in test_financing.c; the helpers the two share are in
 * financing_helpers.h. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/finance.h"
#include "../model/financing.h"
#include "financing_helpers.h"
#include "helpers.h"

static void quiet_gsl(void) { gsl_set_error_handler_off(); }

/* ------------------------------------------------- the lines reconcile */

/* For every party of r with a net line and lines that break it down: the
 * shown amounts of those lines add up to its net line's, period by period.
 * (A fee-for-service provider has only its net line, the margin.) */
static void assert_parties_reconcile(const fin_result *r, const char *what) {
    for (size_t i = 0; i < r->n_lines; i++) {
        const fin_line *net = &r->lines[i];
        if (!net->net) continue;
        int parts = 0;
        for (size_t j = 0; j < r->n_lines; j++)
            parts += !r->lines[j].net && strcmp(r->lines[j].party, net->party) == 0;
        if (parts == 0) continue;
        for (size_t t = 0; t < r->n; t++) {
            double sum = 0;
            for (size_t j = 0; j < r->n_lines; j++) {
                const fin_line *x = &r->lines[j];
                if (x->net || strcmp(x->party, net->party) != 0) continue;
                sum += x->sign * x->flow[t];
            }
            cr_assert_float_eq(
                sum, net->sign * net->flow[t], 1e-9,
                "%s: %s's lines add up to %.6g in period %zu, its net line says %.6g", what,
                net->party, sum, t, net->sign * net->flow[t]);
        }
    }
}

Test(structures, every_partys_lines_add_up_to_its_net_line) {
    /* A bond of two tranches with fees, a guarantee paid for by the
     * commissioner and a surplus shared with the provider; a grant, fee for
     * service and payment by results on the same flows. */
    tranche t[2] = {make("senior", 150, 1), make("junior", 100, 2)};
    t[0].has_coupon = true;
    t[0].coupon = 0.05;
    guarantee g = first_loss("fl", 30);
    g.fee = 0.1;
    g.fee_paid_by = FEE_PAID_BY_COMMISSIONER;
    g.tranche = 1;
    double costs[] = {100, 80, 0, 0}, pay[] = {0, 50, 0, 400};
    financing f = plain(FIN_SIB);
    f.tranches = t;
    f.n_tranches = 2;
    f.guarantees = &g;
    f.n_guarantees = 1;
    f.setup_fees = 10;
    f.fees_per_year = 4;
    f.provider_share = 0.25;
    fin_result *r = fin_ws_new(&f, 4, 1);
    fin_run(&f, costs, pay, 4, 3, r);
    assert_parties_reconcile(r, "sib");
    /* The guarantor's call names whom it pays (the tranche it covers), and
     * the tranche's receipt says what it is, as its metric does. */
    int named = 0;
    for (size_t i = 0; i < r->n_lines; i++) {
        if (strcmp(r->lines[i].key, "guarantor.fl.calls") == 0 && ++named)
            cr_assert_str_eq(r->lines[i].label, "paid to junior on its loss");
        if (strcmp(r->lines[i].key, "junior.guarantee") == 0 && ++named)
            cr_assert_str_eq(r->lines[i].label, "recovered from guarantees");
    }
    cr_assert_eq(named, 2, "the call and the receipt are there");
    fin_ws_free(r);
    /* The same bond recycling the payment of t = 1 into t = 2's costs. */
    double costs3[] = {100, 80, 60, 0};
    f.recycle = true;
    r = fin_ws_new(&f, 4, 1);
    fin_run(&f, costs3, pay, 4, 3, r);
    cr_assert_float_eq(r->reserve_out[2], 50, 1e-12, "the reserve funds period 2");
    assert_parties_reconcile(r, "recycling sib");
    /* The labels say what the amounts hold: delivery funded by the reserve
     * as well as by the investors (period 2's 60 is the reserve's 50 and
     * 10 drawn), and what leaves the reserve goes to delivery and, when
     * delivery ends, down the waterfall. */
    int labelled = 0;
    for (size_t i = 0; i < r->n_lines; i++) {
        if (strcmp(r->lines[i].key, "provider.funded") == 0 && ++labelled)
            cr_assert_str_eq(r->lines[i].label, "delivery funded by the reserve and investors");
        if (strcmp(r->lines[i].key, "reserve.out") == 0 && ++labelled)
            cr_assert_str_eq(r->lines[i].label,
                             "spent on delivery; the rest released when delivery ends");
    }
    cr_assert_eq(labelled, 2, "both lines are there");
    fin_ws_free(r);
    const financing_type types[3] = {FIN_GRANT, FIN_FEE_FOR_SERVICE, FIN_PBR};
    for (int k = 0; k < 3; k++) {
        financing p = plain(types[k]);
        p.margin = 0.1;
        p.fee_share = 0.3;
        p.cost_of_capital = 0.08;
        r = fin_ws_new(&p, 4, 1);
        fin_run(&p, costs, pay, 4, 3, r);
        assert_parties_reconcile(r, "plain structure");
        fin_ws_free(r);
    }
}
Test(structures, the_providers_lines_add_up_when_costs_exceed_the_commitments) {
    /* Costs 100 a year for three years, 150 committed: 150 is drawn and the
     * other 150 is unfunded, borne by the provider: its net flow is 0, -50,
     * -100 (-150 in all). Its lines must say so: it was funded 100, 50, 0
     * of the 100, 100, 100 it spent. */
    tranche t = make("investors", 150, 1);
    financing f = plain(FIN_SIB);
    f.tranches = &t;
    f.n_tranches = 1;
    double costs[] = {100, 100, 100}, pay[] = {0, 0, 0};
    fin_result *r = fin_ws_new(&f, 3, 1);
    fin_run(&f, costs, pay, 3, 2, r);
    cr_assert_float_eq(r->unfunded_total, 150, 1e-12);
    cr_assert_float_eq(r->provider[0], 0, 1e-12);
    cr_assert_float_eq(r->provider[1], -50, 1e-12);
    cr_assert_float_eq(r->provider[2], -100, 1e-12);
    assert_parties_reconcile(r, "unfunded");
    fin_ws_free(r);
}

Test(structures, yearly_fees_run_to_the_last_delivery_cost_and_not_at_all_without_one) {
    /* Yearly fees of 4 "each period from t = 0 to the last period with a
     * delivery cost": with costs in periods 0 and 1 of 3, 4 + 4 = 8 drawn
     * on top of the 200. A part of a blend whose stage never ran has no
     * delivery cost at all: no period has a fee, nothing is drawn, and its
     * investors are neither drawn nor at a loss in that future. */
    financing f = plain(FIN_SIB);
    tranche t = make("investors", 1000, 1);
    f.tranches = &t;
    f.n_tranches = 1;
    f.fees_per_year = 4;
    double costs[] = {100, 100, 0}, none[] = {0, 0, 0}, pay[] = {0, 0, 0};
    fin_result *r = fin_ws_new(&f, 3, 1);
    fin_run(&f, costs, pay, 3, 2, r);
    cr_assert_float_eq(r->fees[0] + r->fees[1] + r->fees[2], 8, 1e-12);
    cr_assert_float_eq(r->fees[2], 0, 0);
    cr_assert_float_eq(r->tranche[0].drawn, 208, 1e-12);
    fin_run(&f, none, pay, 3, 2, r);
    cr_assert_float_eq(r->fees[0], 0, 0, "a fee of %g with no delivery at all", r->fees[0]);
    cr_assert_float_eq(r->tranche[0].drawn, 0, 0);
    fin_ws_free(r);
}

Test(guarantees, without_the_guarantee_the_same_future_is_a_total_loss_at_minus_100_percent,
     .init = quiet_gsl) {
    /* -100 at t = 0 and nothing back: IRR -100%, counted as a total loss
     * (kept in the IRR's distribution), multiple 0. */
    scenario *sc = no_payment_scenario("");
    sc->financing[0].n_guarantees = 0;
    engine *e = must_engine(sc);
    must_run_on(e, 1024, 1);
    stats_summary s = summary_of(e, "S", "inv.irr");
    cr_assert_eq(s.n, 1024);
    cr_assert_float_eq(s.min, -1, 0);
    cr_assert_float_eq(s.max, -1, 0);
    irr_counts c;
    cr_assert_eq(engine_irr_counts(e, engine_find_metric(e, "S", "inv.irr"), &c), SIB_OK);
    cr_assert_eq(c.total_loss, 1024);
    cr_assert_eq(c.defined, 0);
    cr_assert_float_eq(summary_of(e, "S", "inv.moic").max, 0, 0);
    cr_assert_float_eq(summary_of(e, "S", "inv.pooled_irr").mean, -1, 0);
    cr_assert_float_eq(summary_of(e, "S", "inv.loss").mean, 100, 1e-12);
    engine_free(e);
    scenario_free(sc);
}

Test(structures, every_guarantee_of_a_large_structure_has_its_lines) {
    /* 16 tranches (the most a structure may have), each with a first-loss
     * and a pro-rata guarantee: 9 lines for the commissioner, the provider
     * and the fees, 6 for each tranche and 2 for each guarantee:
     * 9 + 96 + 64 = 169 lines, none left out. Each tranche draws 10 of the
     * 160 and gets nothing back: each first loss of 4 pays 4, then each
     * pro rata of 50% pays half of the 6 left, 3. */
    enum { K = FINANCING_MAX_TRANCHES, G = 2 * FINANCING_MAX_TRANCHES };
    tranche t[K];
    guarantee g[G];
    for (size_t k = 0; k < K; k++) {
        char name[16];
        snprintf(name, sizeof name, "t%zu", k);
        t[k] = make(name, 100, 1);
        snprintf(name, sizeof name, "fl%zu", k);
        g[2 * k] = first_loss(name, 4);
        g[2 * k].tranche = k;
        snprintf(name, sizeof name, "pr%zu", k);
        g[2 * k + 1] = pro_rata(name, 0.5, HUGE_VAL);
        g[2 * k + 1].tranche = k;
    }
    financing f = plain(FIN_SIB);
    f.tranches = t;
    f.n_tranches = K;
    f.guarantees = g;
    f.n_guarantees = G;
    double costs[] = {160, 0}, pay[] = {0, 0};
    fin_result *r = fin_ws_new(&f, 2, 1);
    cr_assert_not_null(r);
    fin_run(&f, costs, pay, 2, 1, r);
    cr_assert_eq(r->n_lines, 9 + 6 * K + 2 * G);
    for (size_t k = 0; k < G; k++) {
        char key[SCENARIO_NAME_MAX + 48];
        snprintf(key, sizeof key, "guarantor.%.79s.calls", g[k].name);
        const fin_line *found = NULL;
        for (size_t i = 0; i < r->n_lines; i++)
            if (strcmp(r->lines[i].key, key) == 0) found = &r->lines[i];
        cr_assert_not_null(found, "no line %s", key);
        cr_assert_float_eq(found->flow[1], k % 2 ? 3 : 4, 1e-12, "%s", key);
    }
    fin_ws_free(r);
}

/* Money is conserved: in every period, what every party of a bond receives
 * net (its net line, or the sum of its lines for the intermediary, the
 * guarantors and the reserve) adds up to minus the delivery costs, the
 * only money that leaves the deal. */
static void assert_money_is_conserved(const fin_result *r, const double *costs, const char *what) {
    for (size_t t = 0; t < r->n; t++) {
        double sum = 0;
        for (size_t i = 0; i < r->n_lines; i++) {
            const fin_line *x = &r->lines[i];
            int has_net = 0;
            for (size_t j = 0; j < r->n_lines; j++)
                has_net |= r->lines[j].net && strcmp(r->lines[j].party, x->party) == 0;
            if (has_net ? x->net : 1) sum += x->sign * x->flow[t];
        }
        cr_assert_float_eq(sum, -costs[t], 1e-9,
                           "%s: the parties net %.6g in period %zu, costs %.6g", what, sum, t,
                           costs[t]);
    }
}

Test(structures, every_period_the_parties_of_a_bond_net_to_minus_the_delivery_costs) {
    tranche t[2] = {make("senior", 150, 1), make("junior", 100, 2)};
    t[0].has_coupon = true;
    t[0].coupon = 0.05;
    t[1].has_return_cap = true; /* no equity: a surplus is left over */
    t[1].return_cap = 0.10;
    guarantee g[2] = {first_loss("fl", 30), pro_rata("pr", 0.5, 20)};
    g[0].fee = 0.1;
    g[0].fee_paid_by = FEE_PAID_BY_COMMISSIONER;
    g[0].tranche = 1;
    g[1].fee = 0.05;
    financing f = plain(FIN_SIB);
    f.tranches = t;
    f.n_tranches = 2;
    f.guarantees = g;
    f.n_guarantees = 2;
    f.setup_fees = 10;
    f.fees_per_year = 4;
    f.provider_share = 0.25;
    /* A surplus; a loss; costs beyond the commitments; and recycling. */
    double costs[] = {100, 80, 60, 0, 0}, rich[] = {0, 50, 0, 0, 400}, poor[] = {0, 50, 0, 0, 90};
    double dear[] = {150, 150, 60, 0, 0};
    fin_result *r = fin_ws_new(&f, 5, 1);
    fin_run(&f, costs, rich, 5, 4, r);
    cr_assert(r->returned_total > 0);
    assert_money_is_conserved(r, costs, "surplus");
    fin_run(&f, costs, poor, 5, 4, r);
    cr_assert(r->guarantor[0] > 0);
    assert_money_is_conserved(r, costs, "loss");
    fin_run(&f, dear, poor, 5, 4, r);
    cr_assert(r->unfunded_total > 0);
    assert_money_is_conserved(r, dear, "unfunded");
    fin_ws_free(r);
    f.recycle = true;
    r = fin_ws_new(&f, 5, 1);
    fin_run(&f, costs, rich, 5, 4, r);
    cr_assert(r->reserve_out[2] > 0);
    assert_money_is_conserved(r, costs, "recycling");
    fin_run(&f, dear, poor, 5, 4, r);
    assert_money_is_conserved(r, dear, "recycling, unfunded");
    fin_ws_free(r);
}

/* Regression: a guarantee fee was charged in every period until the call,
 * even after the tranche's principal had been repaid in full. It is paid
 * while capital is at risk. 100 drawn at t = 0 and repaid (100 paid) at
 * t = 1; a pro-rata guarantee of the whole loss (cover 100) called at the
 * settlement, t = 3; a fee of 10% a year on a yearly grid: 10 at t = 0 (the
 * draw), 10 at t = 1 (100 outstanding at its start), nothing at t = 2
 * (nothing outstanding): 20, not 30. */
Test(guarantees, a_fee_stops_once_the_principal_is_repaid) {
    financing f = plain(FIN_SIB);
    tranche t = make("investors", 1000, 1);
    guarantee g = {.name = "g",
                   .tranche = 0,
                   .kind = GUARANTEE_PRO_RATA,
                   .share = 1,
                   .max = 100,
                   .fee = 0.10,
                   .fee_paid_by = FEE_PAID_BY_TRANCHE};
    f.tranches = &t;
    f.n_tranches = 1;
    f.guarantees = &g;
    f.n_guarantees = 1;
    double costs[] = {100, 0, 0, 0}, pay[] = {0, 100, 0, 0};
    fin_result *r = fin_ws_new(&f, 4, 1);
    fin_run(&f, costs, pay, 4, 3, r);
    cr_assert_float_eq(r->gfee[0], 10, 1e-12);
    cr_assert_float_eq(r->gfee[1], 10, 1e-12);
    cr_assert_float_eq(r->gfee[2], 0, 0);
    cr_assert_float_eq(r->guarantor_fees[0], 20, 1e-12);
    cr_assert_float_eq(r->guarantor[0], 0, 0, "nothing lost, nothing called");
    fin_ws_free(r);
}

/* Regression: set-up fees were charged at t = 0 and yearly fees from t = 0,
 * whatever the structure's delivery; a blend's SIB part for a later stage
 * drew them years before its stage. They run from the first delivery cost:
 * costs only at t = 2 give set-up 5 + yearly 4 = 9 at t = 2, so 109 drawn
 * at t = 2 and nothing before. */
Test(sib, fees_start_with_the_first_delivery_cost) {
    financing f = plain(FIN_SIB);
    tranche t = make("investors", 1000, 1);
    f.tranches = &t;
    f.n_tranches = 1;
    f.setup_fees = 5;
    f.fees_per_year = 4;
    double costs[] = {0, 0, 100, 0}, pay[] = {0, 0, 0, 0};
    fin_result *r = fin_ws_new(&f, 4, 1);
    fin_run(&f, costs, pay, 4, 3, r);
    cr_assert_float_eq(r->draw[0] + r->draw[1], 0, 0);
    cr_assert_float_eq(r->fees[2], 9, 1e-12);
    cr_assert_float_eq(r->draw[2], 109, 1e-12);
    cr_assert_float_eq(r->tranche[0].drawn, 109, 1e-12);
    fin_ws_free(r);
}

/* ------------------------------------------------ tranches paid alike */

Test(tranches, tranches_paid_alike_have_the_irr_their_own_flows_give, .init = quiet_gsl) {
    /* Massachusetts: Kresge and Living Cities (the same priority and
     * coupon), and LJAF, New Profit and Boston Foundation (the same terms,
     * commitments 3.7m, 2m and 0.3m) receive flows that are each other's
     * scaled, so the engine reuses an IRR instead of solving again. Future
     * by future, the IRR it reports for each must be the one its own flows
     * give, solved here from the ledger. */
    scenario *sc = must_load_repo_file("scenarios/massachusetts-juvenile-justice.json");
    engine *e = must_engine(sc);
    ledger *l = engine_ledger_new(e);
    size_t nm = engine_metric_count(e);
    double *v = calloc(nm, sizeof *v);
    const char *names[] = {"Kresge", "Living Cities", "LJAF", "New Profit", "Boston Foundation"};
    const size_t tranche_of[] = {1, 2, 4, 5, 6};
    int solved = 0;
    for (uint64_t p = 0; p < 200; p++) {
        sib_error err;
        cr_assert_eq(engine_path_ledger(e, p, l, v, NULL, &err), SIB_OK, "%s", err.message);
        const fin_result *r = l->fin[0].run[0];
        for (size_t i = 0; i < 5; i++) {
            char key[80];
            snprintf(key, sizeof key, "%s.irr", names[i]);
            size_t m = engine_find_metric(e, "Roca PFS capital", key);
            cr_assert_neq(m, SIZE_MAX, "%s", key);
            double want;
            irr_status st = finance_irr(r->investor + tranche_of[i] * r->n, r->n, 4, &want);
            if (st != IRR_OK && st != IRR_TOTAL_LOSS) {
                cr_assert(isnan(v[m]), "path %llu %s: %g, its flows have no IRR (%d)",
                          (unsigned long long)p, names[i], v[m], (int)st);
                continue;
            }
            cr_assert_float_eq(v[m], want, 1e-12 * (1 + fabs(want)), "path %llu %s: %.17g vs %.17g",
                               (unsigned long long)p, names[i], v[m], want);
            solved++;
        }
    }
    cr_assert_gt(solved, 500);
    free(v);
    ledger_free(l);
    engine_free(e);
    scenario_free(sc);
}

/* A bond clears only the part of its workspace a run can write (dirty_len,
 * in fin_run_rules): after a future that moves money in every period, a
 * future that moves it in two must leave every per-period array as a new
 * workspace would, for a bond with and without recycling and guarantees
 * (each of which writes arrays of its own). */
static void assert_rerun_is_fresh(const financing *f, const char *what) {
    double costs_a[] = {100, 80, 60, 40, 20, 10}, pay_a[] = {30, 50, 70, 90, 400, 20};
    double costs_b[] = {90, 0, 0, 0, 0, 0}, pay_b[] = {0, 0, 0, 0, 0, 60};
    fin_result *used = fin_ws_new(f, 6, 1), *fresh = fin_ws_new(f, 6, 1);
    cr_assert(used != NULL && fresh != NULL);
    fin_run(f, costs_a, pay_a, 6, 5, used);
    fin_run(f, costs_b, pay_b, 6, 5, used);
    fin_run(f, costs_b, pay_b, 6, 5, fresh);
    cr_assert_eq(used->block_len, fresh->block_len);
    for (size_t i = 0; i < used->block_len; i++)
        cr_assert(memcmp(&used->block[i], &fresh->block[i], sizeof(double)) == 0,
                  "%s: the block's value %zu is %.17g after another future, %.17g fresh", what, i,
                  used->block[i], fresh->block[i]);
    cr_assert_float_eq(used->tranche[0].received, fresh->tranche[0].received, 0);
    fin_ws_free(used);
    fin_ws_free(fresh);
}

Test(structures, a_bond_run_again_leaves_its_arrays_as_a_new_workspace_would) {
    tranche t[2] = {make("senior", 150, 1), make("junior", 100, 2)};
    t[0].has_coupon = true;
    t[0].coupon = 0.05;
    t[1].has_return_cap = true;
    t[1].return_cap = 0.10;
    financing f = plain(FIN_SIB);
    f.tranches = t;
    f.n_tranches = 1;
    f.setup_fees = 10;
    f.fees_per_year = 4;
    f.provider_share = 0.25;
    assert_rerun_is_fresh(&f, "one tranche");
    f.n_tranches = 2;
    assert_rerun_is_fresh(&f, "two tranches");
    f.recycle = true;
    assert_rerun_is_fresh(&f, "recycling");
    guarantee g[2] = {first_loss("fl", 30), pro_rata("pr", 0.5, 20)};
    g[0].fee = 0.1;
    g[0].fee_paid_by = FEE_PAID_BY_COMMISSIONER;
    g[0].tranche = 1;
    g[1].fee = 0.05;
    f.guarantees = g;
    f.n_guarantees = 2;
    assert_rerun_is_fresh(&f, "recycling and guarantees");
    f.recycle = false;
    assert_rerun_is_fresh(&f, "guarantees");
}
