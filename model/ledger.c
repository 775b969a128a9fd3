/* ledger.c -- one future's cash flows for every party. See ledger.h. */
#include "ledger.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------- kept results
 *
 * The financing's results are worked out from the ledger's lines, the
 * settlement period and the termination alone (ledger_finance). A
 * future's inputs often repeat an earlier one's -- the contract paid
 * nothing, or every cap bound -- and running the structures is two thirds
 * of what settling a future costs in the default scenario: so a ledger keeps
 * the results of the last LEDGER_KEEP distinct inputs, each set of
 * structures with the inputs it was run on, and points fin at a set whose
 * inputs are the call's. Each set owns its structures' workspaces and
 * arrays, so a set taken again is, array for array, what running on the
 * same inputs gives. */
typedef struct ledger_kept {
    ledger_structure *fin; /* [n_financing] */
    double *lines;         /* [lines_len] the lines it was run on */
    size_t settle, term_period, term_stage;
    uint64_t hash; /* inputs_hash of those inputs */
    uint64_t id;   /* the clock when it was run: the fin_id of its results */
    uint64_t used; /* the clock when last taken or run; 0: never run */
} ledger_kept;

/* Free one set of structures (NULL: nothing). */
static void structures_free(const scenario *sc, ledger_structure *fin) {
    if (fin == NULL) return;
    for (size_t f = 0; f < sc->n_financing; f++) {
        ledger_structure *ls = &fin[f];
        for (size_t j = 0; j < FINANCING_MAX_PARTS; j++) {
            fin_ws_free(ls->run[j]);
            free(ls->part_costs[j]);
            free(ls->part_pay[j]);
            free(ls->term_pay[j]);
        }
        free(ls->commissioner);
        free(ls->term);
    }
    free(fin);
}

/* A set of workspaces for every financing structure of sc on T periods of
 * 1/ppy years; NULL when out of memory. */
static ledger_structure *structures_new(const scenario *sc, size_t T, int ppy) {
    const int term = sc->contract.termination.present;
    ledger_structure *fin = calloc(sc->n_financing + 1, sizeof *fin);
    if (fin == NULL) return NULL;
    for (size_t f = 0; f < sc->n_financing; f++) {
        ledger_structure *ls = &fin[f];
        const int blend = sc->financing[f].type == FIN_BY_STAGE;
        ls->n_parts = financing_parts(sc, f, ls->part);
        ls->commissioner = calloc(T + 1, sizeof *ls->commissioner);
        if (!ls->commissioner) goto fail;
        if (term && (ls->term = calloc(T + 1, sizeof *ls->term)) == NULL) goto fail;
        for (size_t j = 0; j < ls->n_parts; j++) {
            /* The contract says which rules pay interest (financing.h). */
            ls->run[j] = fin_ws_new_for(&sc->financing[ls->part[j]], &sc->contract, T, ppy);
            if (ls->run[j] == NULL) goto fail;
            if (term && (ls->term_pay[j] = calloc(T + 1, sizeof *ls->term_pay[j])) == NULL)
                goto fail;
            if (!blend) continue;
            ls->part_costs[j] = calloc(T + 1, sizeof *ls->part_costs[j]);
            ls->part_pay[j] = calloc(T + 1, sizeof *ls->part_pay[j]);
            if (!ls->part_costs[j] || !ls->part_pay[j]) goto fail;
        }
    }
    return fin;
fail:
    structures_free(sc, fin);
    return NULL;
}

/* Make kept set k of l: its structures and room for its inputs. 0, or -1
 * when out of memory (the set is then left unmade). */
static int kept_make(ledger *l, ledger_kept *k) {
    k->fin = structures_new(l->sc, l->periods, l->ppy);
    k->lines = malloc((l->lines_len + 1) * sizeof *k->lines);
    if (k->fin == NULL || k->lines == NULL) {
        structures_free(l->sc, k->fin);
        free(k->lines);
        k->fin = NULL;
        k->lines = NULL;
        return -1;
    }
    k->used = 0;
    return 0;
}

ledger *ledger_new(const scenario *sc, size_t periods) {
    ledger *l = calloc(1, sizeof *l);
    if (l == NULL) return NULL;
    const size_t T = periods, ns = sc->n_stages, nr = sc->contract.n_rules;
    const size_t np = sc->contract.n_payers;
    l->sc = sc;
    l->periods = T;
    l->ppy = sc->sim.periods_per_year;
    int fixed = 0;
    for (size_t k = 0; k < sc->contract.n_suspensions; k++)
        fixed |= sc->contract.suspensions[k].kind == SUSPEND_FIXED;
    /* The lines ledger_clear clears every future, in one block so that one
     * memset clears them: stage_cost, cost, rule_pay, payer_pay, pay,
     * stage_pay and fixed_pay, in that order. */
    l->lines_len = (2 * ns + nr + np + 2 + (fixed ? 1 : 0)) * T;
    l->lines = calloc(l->lines_len + 1, sizeof *l->lines);
    l->kept = calloc(LEDGER_KEEP, sizeof *l->kept);
    l->term_period = SIZE_MAX;
    l->term_at = HUGE_VAL;
    if (!l->lines || !l->kept || kept_make(l, &l->kept[0]) != 0) {
        ledger_free(l);
        return NULL;
    }
    l->n_kept = 1;
    l->keep = LEDGER_KEEP;
    l->fin = l->kept[0].fin;
    l->stage_cost = l->lines;
    l->cost = l->stage_cost + ns * T;
    l->rule_pay = l->cost + T;
    l->payer_pay = l->rule_pay + nr * T;
    l->pay = l->payer_pay + np * T;
    l->stage_pay = l->pay + T;
    l->fixed_pay = fixed ? l->stage_pay + ns * T : NULL;
    return l;
}

void ledger_free(ledger *l) {
    if (l == NULL) return;
    for (size_t k = 0; l->kept && k < l->n_kept; k++) {
        structures_free(l->sc, l->kept[k].fin);
        free(l->kept[k].lines);
    }
    free(l->kept);
    free(l->lines);
    free(l);
}

void ledger_keep(ledger *l, size_t n) { l->keep = n > LEDGER_KEEP ? LEDGER_KEEP : n; }

void ledger_clear(ledger *l) {
    memset(l->lines, 0, l->lines_len * sizeof *l->lines);
    l->term_period = SIZE_MAX;
    l->term_at = HUGE_VAL;
}

void ledger_clear_payments(ledger *l) {
    const size_t costs = (size_t)(l->rule_pay - l->lines); /* stage_cost and cost come first */
    memset(l->rule_pay, 0, (l->lines_len - costs) * sizeof *l->lines);
    l->term_period = SIZE_MAX;
    l->term_at = HUGE_VAL;
}

/* What structure fin's part (scenario.financing[part_index], already run
 * into r on costs and pays) is owed on termination; see ledger.h. */
static double termination_owed(const ledger *l, const financing *fin, size_t part_index,
                               const financing *part, const fin_result *r, const double *costs,
                               const double *pays) {
    const termination *tm = &l->sc->contract.termination;
    const size_t p = l->term_period, n = l->periods;
    if (tm->pays == TERM_PAYS_NOTHING || part->type == FIN_GRANT ||
        part->type == FIN_FEE_FOR_SERVICE)
        return 0;
    if (tm->pays == TERM_PAYS_AMOUNT) { /* a blend: the part financing the last stage */
        size_t s = l->term_stage == SIZE_MAX ? 0 : l->term_stage;
        return fin->type != FIN_BY_STAGE || fin->stage_part[s] == part_index ? tm->amount : 0;
    }
    double out = 0;
    if (part->type == FIN_PBR) {
        for (size_t t = 0; t <= p && t < n; t++) out -= r->margin[t] + pays[t] - costs[t];
    } else {
        for (size_t k = 0; k < part->n_tranches; k++)
            for (size_t t = 0; t <= p && t < n; t++)
                out += r->draw[k * n + t] - r->principal[k * n + t];
    }
    return tm->amount * (out > 0 ? out : 0);
}

/* After KEEP_TRIAL calls a ledger keeps no set unless at least one call
 * in KEEP_WORTH took a kept set: a repeat saves the run of every structure
 * and its IRRs (thousands of instructions), a look through the sets costs a
 * hash and a comparison or two, and each run a copy of the inputs (and, in
 * sim/metrics.c, of the structures' metrics); measured, keeping 16 sets in
 * a scenario whose futures never repeat (utah-preschool) was 4.7% slower.
 * Which sets are kept changes only what is run again, never a result. */
#define KEEP_TRIAL 512
#define KEEP_WORTH 16

/* A hash of what tells futures' inputs apart soonest: the payments, the
 * settlement and the termination's period. Four products summed, so that
 * the multiplications do not wait on each other; a collision costs only a
 * comparison of the whole inputs (same_inputs). */
static uint64_t inputs_hash(const ledger *l, size_t settle) {
    const uint64_t m = 0x100000001b3u; /* FNV-1a's prime */
    uint64_t h0 = settle, h1 = l->term_period, h2 = 0, h3 = 0, x[4];
    const size_t T = l->periods;
    size_t t = 0;
    for (; t + 4 <= T; t += 4) {
        memcpy(x, &l->pay[t], sizeof x);
        h0 = (h0 ^ x[0]) * m;
        h1 = (h1 ^ x[1]) * m;
        h2 = (h2 ^ x[2]) * m;
        h3 = (h3 ^ x[3]) * m;
    }
    for (; t < T; t++) {
        memcpy(x, &l->pay[t], sizeof x[0]);
        h0 = (h0 ^ x[0]) * m;
    }
    return (h0 ^ (h1 << 1)) + (h2 ^ (h3 >> 1)) * 0x9e3779b97f4a7c15u;
}

/* Whether kept set k was run on l's inputs, bit for bit. */
static int same_inputs(const ledger *l, const ledger_kept *k, size_t settle, uint64_t hash) {
    return k->used != 0 && k->hash == hash && k->settle == settle &&
           k->term_period == l->term_period &&
           (l->term_period == SIZE_MAX || k->term_stage == l->term_stage) &&
           memcmp(k->lines, l->lines, l->lines_len * sizeof *l->lines) == 0;
}

/* The set to run this call's inputs into: a new one while fewer than
 * l->keep are made (and memory allows), else the one used longest ago. */
static size_t kept_victim(ledger *l) {
    if (l->n_kept < l->keep && kept_make(l, &l->kept[l->n_kept]) == 0) return l->n_kept++;
    size_t at = 0;
    for (size_t k = 1; k < l->n_kept; k++)
        if (l->kept[k].used < l->kept[at].used) at = k;
    return at;
}

/* Run every structure on l's inputs into the set fin points at. */
static void run_structures(ledger *l, size_t settle) {
    const scenario *sc = l->sc;
    const size_t T = l->periods;
    for (size_t f = 0; f < sc->n_financing; f++) {
        ledger_structure *ls = &l->fin[f];
        const financing *fin = &sc->financing[f];
        memset(ls->commissioner, 0, T * sizeof *ls->commissioner);
        for (size_t j = 0; j < ls->n_parts; j++) {
            const financing *part = &sc->financing[ls->part[j]];
            const double *costs = l->cost, *pays = l->pay, *rules = l->rule_pay;
            if (fin->type == FIN_BY_STAGE) {
                /* A blend's part runs on the stages it finances. */
                double *pc = ls->part_costs[j], *pp = ls->part_pay[j];
                memset(pc, 0, T * sizeof *pc);
                memset(pp, 0, T * sizeof *pp);
                for (size_t s = 0; s < sc->n_stages; s++) {
                    if (fin->stage_part[s] != ls->part[j]) continue;
                    for (size_t t = 0; t < T; t++) {
                        pc[t] += l->stage_cost[s * T + t];
                        pp[t] += l->stage_pay[s * T + t];
                    }
                }
                costs = pc;
                pays = pp;
                /* No part has a tranche tied to rules, nor a rule paying
                 * interest (the loader refuses them): no rule's payments. */
                rules = NULL;
            }
            fin_result *r = ls->run[j];
            fin_run_rules(part, costs, pays, rules, T, settle, r);
            if (ls->term && j == 0) memset(ls->term, 0, T * sizeof *ls->term);
            if (ls->term && l->term_period != SIZE_MAX) {
                /* Owed on termination: paid with the period's outcome
                 * payments (no rule's: down the whole waterfall). */
                double owed = termination_owed(l, fin, ls->part[j], part, r, costs, pays);
                if (owed > 0) {
                    double *tp = ls->term_pay[j];
                    memcpy(tp, pays, T * sizeof *tp);
                    tp[l->term_period] += owed;
                    ls->term[l->term_period] += owed;
                    fin_run_rules(part, costs, tp, rules, T, settle, r);
                }
            }
            for (size_t t = 0; t < T; t++) ls->commissioner[t] += r->commissioner[t];
        }
    }
}

int ledger_finance(ledger *l, size_t settle) {
    l->settle = settle;
    /* Keeping sets costs a look through them, a copy of the inputs and the
     * sets' arrays out of cache at each run: when few futures repeat, keep
     * none. */
    if (++l->clock == KEEP_TRIAL && l->hits * KEEP_WORTH < KEEP_TRIAL) l->keep = 0;
    if (l->keep == 0) {
        l->kept[l->kept_at].used = 0; /* its inputs are no longer known */
        l->fin_id = l->clock;
        run_structures(l, settle);
        return 0;
    }
    const uint64_t hash = inputs_hash(l, settle);
    for (size_t k = 0; k < l->n_kept; k++)
        if (same_inputs(l, &l->kept[k], settle, hash)) {
            l->kept[k].used = l->clock;
            l->kept_at = k;
            l->fin = l->kept[k].fin;
            l->fin_id = l->kept[k].id;
            l->hits++;
            return 1;
        }
    ledger_kept *k = &l->kept[l->kept_at = kept_victim(l)];
    l->fin = k->fin;
    run_structures(l, settle);
    memcpy(k->lines, l->lines, l->lines_len * sizeof *l->lines);
    k->settle = settle;
    k->term_period = l->term_period;
    k->term_stage = l->term_stage;
    k->hash = hash;
    k->used = k->id = l->fin_id = l->clock;
    return 0;
}

/* ------------------------------------------------------------- the lines */

static size_t put(ledger_line *out, size_t max, size_t n, const char *group, const char *party,
                  const char *key, const char *label, int sign, int net, const double *flow) {
    if (n < max) {
        ledger_line *x = &out[n];
        snprintf(x->group, sizeof x->group, "%s", group);
        snprintf(x->party, sizeof x->party, "%s", party);
        snprintf(x->key, sizeof x->key, "%s", key);
        snprintf(x->label, sizeof x->label, "%s", label);
        x->sign = sign;
        x->net = net;
        x->flow = flow;
    }
    return n + 1;
}

size_t ledger_lines(const ledger *l, ledger_line *out, size_t max) {
    const scenario *sc = l->sc;
    const size_t T = l->periods;
    char key[2 * SCENARIO_NAME_MAX + 52], label[2 * SCENARIO_NAME_MAX + 68];
    char party[2 * SCENARIO_NAME_MAX + 20];
    size_t n = 0;
    for (size_t s = 0; s < sc->n_stages; s++) {
        snprintf(key, sizeof key, "cost.%s", sc->stages[s].name);
        snprintf(label, sizeof label, "delivery cost: %s", sc->stages[s].name);
        n = put(out, max, n, "programme", "delivery", key, label, -1, 0, l->stage_cost + s * T);
    }
    n = put(out, max, n, "programme", "delivery", "cost.total", "delivery cost, every stage", -1,
            0, l->cost);
    for (size_t r = 0; r < sc->contract.n_rules; r++) {
        snprintf(key, sizeof key, "payment.%s", sc->contract.rules[r].name);
        snprintf(label, sizeof label, "outcome payment: %s", sc->contract.rules[r].name);
        n = put(out, max, n, "contract", "outcome payments", key, label, -1, 0,
                l->rule_pay + r * T);
    }
    if (l->fixed_pay) /* in the payers' lines and the total too */
        n = put(out, max, n, "contract", "outcome payments", "suspension.fixed",
                "fixed payments in suspensions", -1, 0, l->fixed_pay);
    for (size_t p = 0; p < sc->contract.n_payers; p++) {
        snprintf(key, sizeof key, "payer.%s", sc->contract.payers[p].name);
        snprintf(label, sizeof label, "paid by %s", sc->contract.payers[p].name);
        n = put(out, max, n, "contract", "outcome payers", key, label, -1, 0,
                l->payer_pay + p * T);
    }
    n = put(out, max, n, "contract", "outcome payments", "payments.total",
            l->fixed_pay ? "outcome payments, fixed included" : "outcome payments, every rule", -1,
            0, l->pay);
    for (size_t f = 0; f < sc->n_financing; f++) {
        const ledger_structure *ls = &l->fin[f];
        const char *g = sc->financing[f].name;
        const int blend = sc->financing[f].type == FIN_BY_STAGE;
        for (size_t j = 0; j < ls->n_parts; j++) {
            const fin_result *r = ls->run[j];
            const char *pname = sc->financing[ls->part[j]].name;
            for (size_t i = 0; i < r->n_lines; i++) {
                const fin_line *fl = &r->lines[i];
                /* The termination payment, in the commissioner's lines. */
                if (ls->term && !blend && strcmp(fl->key, "commissioner.net") == 0)
                    n = put(out, max, n, g, "commissioner", "commissioner.termination",
                            "of which: termination payment", -1, 0, ls->term);
                if (blend) {
                    snprintf(key, sizeof key, "%s: %s", pname, fl->key);
                    snprintf(party, sizeof party, "%s: %s", pname, fl->party);
                } else {
                    snprintf(key, sizeof key, "%s", fl->key);
                    snprintf(party, sizeof party, "%s", fl->party);
                }
                n = put(out, max, n, g, party, key, fl->label, fl->sign, fl->net, fl->flow);
            }
        }
        if (ls->term && blend)
            n = put(out, max, n, g, "commissioner", "commissioner.termination",
                    "of which: termination payment", -1, 0, ls->term);
        if (blend)
            n = put(out, max, n, g, "commissioner", "commissioner.net",
                    "commissioner, net (every stage)", -1, 1, ls->commissioner);
    }
    return n;
}

double ledger_line_amount(const ledger *l, const ledger_line *line, size_t upto) {
    double s = 0;
    for (size_t t = 0; t < l->periods && t <= upto; t++) s += line->flow[t];
    return s;
}

double ledger_line_total(const ledger *l, const ledger_line *line, size_t upto) {
    return line->sign * ledger_line_amount(l, line, upto);
}
