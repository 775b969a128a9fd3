/* fuzz_engine.c -- the Monte Carlo engine on scenarios nobody calibrated.
 *
 * What it attacks: the printing-free core below the front ends -- the
 * engine (sim/engine.c, path.c, metrics.c), the sampling and statistics
 * (sample.c, stats.c), the contract, financing and ledger (model/) -- on
 * valid scenarios with numbers a person would not write: money near the
 * largest double (sums overflow to infinity, infinity less infinity is
 * NaN), rates at their bounds, cohorts of one, empty stages.
 *
 * Input: a scenario text when the first byte is '{' or white space;
 * otherwise the first byte picks a scenario of the library and every
 * following four bytes overwrite one of its numbers (two bytes pick the
 * number among those of its JSON, two make the value, see fuzz_number)
 * through scenario_load_string_with, as a sweep would. The scenario is run
 * on 64 paths on one thread; then its expected case, two of its paths and,
 * when it has one, its realised record are settled into ledgers.
 *
 * What "wrong" means: a crash, a sanitizer report, a leak, a hang; a run
 * that fails without saying why; a summary of a per-path metric that does
 * not count every path, or whose quantiles are out of order or outside
 * [min, max]; a metric that is not the total of its ledger lines (outcome
 * payments, by rule and by payer; delivery costs; for each structure the
 * commissioner's total and, for each tranche, capital drawn, repaid,
 * recovered from guarantees and fees paid; each guarantor's calls and
 * fees), within 1e-6 of the amounts summed.
 */
#include "fuzz.h"

#include "../../model/document.h"
#include "../../model/financing.h"
#include "../../model/ledger.h"
#include "../../model/scenario.h"
#include "../../sim/engine.h"

#define TEXT_CAP (64u << 10)
#define PATHS 64
#define MAX_OVERRIDES 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The numbers of each library scenario, by pointer. */
typedef struct numbers {
    doc_node *node;
    size_t n;
} numbers;
static numbers *lib;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    fuzz_once();
    lib = calloc(fuzz_library_count, sizeof *lib);
    if (lib == NULL) abort();
    for (size_t k = 0; k < fuzz_library_count; k++) {
        sib_error err;
        scenario_doc *doc = scenario_doc_new(fuzz_library[k], fuzz_library_name[k], &err);
        if (doc == NULL) abort();
        size_t all = scenario_doc_nodes(doc, NULL, 0);
        doc_node *nodes = calloc(all, sizeof *nodes);
        lib[k].node = calloc(all, sizeof *nodes);
        if (nodes == NULL || lib[k].node == NULL) abort();
        scenario_doc_nodes(doc, nodes, all);
        for (size_t i = 0; i < all; i++)
            if (nodes[i].kind == DOC_NUMBER) lib[k].node[lib[k].n++] = nodes[i];
        free(nodes);
        scenario_doc_free(doc);
    }
    return 0;
}

/* ------------------------------------------------------ metrics and lines */

/* The index of the only metric group/key, or SIZE_MAX when there is none
 * or more than one (then a total cannot be compared with it). */
static size_t metric_of(const engine *e, const char *group, const char *key) {
    size_t found = SIZE_MAX;
    for (size_t i = 0; i < engine_metric_count(e); i++) {
        const metric_info *m = engine_metric(e, i);
        if (strcmp(m->group, group) == 0 && strcmp(m->key, key) == 0) {
            if (found != SIZE_MAX) return SIZE_MAX;
            found = i;
        }
    }
    return found;
}

typedef struct lines {
    const ledger *l;
    ledger_line *line;
    size_t n;
} lines;

/* Add the amount of the only line group/key to *sum and its size to
 * *scale; 0 when there is none or more than one. */
static int add_line(const lines *ls, const char *group, const char *key, double *sum,
                    double *scale) {
    const ledger_line *found = NULL;
    for (size_t i = 0; i < ls->n; i++)
        if (strcmp(ls->line[i].group, group) == 0 && strcmp(ls->line[i].key, key) == 0) {
            if (found) return 0;
            found = &ls->line[i];
        }
    if (found == NULL) return 0;
    for (size_t t = 0; t < ls->l->periods; t++) {
        *sum += found->flow[t];
        *scale += fabs(found->flow[t]);
    }
    return 1;
}

/* Metric group/mkey against the total of lines group/lkey1 (+ lkey2). */
static void reconcile(const engine *e, const lines *ls, const double *v, const char *what,
                      const char *group, const char *mkey, const char *lkey1,
                      const char *lkey2) {
    size_t m = metric_of(e, group, mkey);
    double sum = 0, scale = 0;
    if (m == SIZE_MAX || !add_line(ls, group, lkey1, &sum, &scale)) return;
    if (lkey2 && !add_line(ls, group, lkey2, &sum, &scale)) return;
    FUZZ_REQUIRE(fuzz_close(v[m], sum, scale),
                 "%s: metric %s/%s = %.17g, its lines %s%s%s total %.17g (amounts %.17g)", what,
                 group, mkey, v[m], lkey1, lkey2 ? " + " : "", lkey2 ? lkey2 : "", sum, scale);
}

static void check_ledger(const engine *e, const scenario *sc, const ledger *l, const double *v,
                         const char *what) {
    size_t n = ledger_lines(l, NULL, 0);
    ledger_line *line = malloc((n ? n : 1) * sizeof *line);
    if (line == NULL) return;
    FUZZ_REQUIRE(ledger_lines(l, line, n) == n, "ledger_lines counts differently");
    lines ls = {l, line, n};
    char mk[512], k1[512], k2[512];
    reconcile(e, &ls, v, what, "programme", "cost.delivery", "cost.total", NULL);
    /* payments.total is in group "commissioner", its line in "contract". */
    {
        size_t m = metric_of(e, "commissioner", "payments.total");
        double sum = 0, scale = 0;
        if (m != SIZE_MAX && add_line(&ls, "contract", "payments.total", &sum, &scale))
            FUZZ_REQUIRE(fuzz_close(v[m], sum, scale), "%s: payments.total %.17g, line %.17g",
                         what, v[m], sum);
    }
    for (size_t r = 0; r < sc->contract.n_rules; r++) {
        size_t m;
        double sum = 0, scale = 0;
        snprintf(mk, sizeof mk, "payments.rule.%s", sc->contract.rules[r].name);
        snprintf(k1, sizeof k1, "payment.%s", sc->contract.rules[r].name);
        if ((m = metric_of(e, "commissioner", mk)) != SIZE_MAX &&
            add_line(&ls, "contract", k1, &sum, &scale))
            FUZZ_REQUIRE(fuzz_close(v[m], sum, scale), "%s: %s %.17g, line %s %.17g", what, mk,
                         v[m], k1, sum);
    }
    for (size_t p = 0; p < sc->contract.n_payers; p++) {
        size_t m;
        double sum = 0, scale = 0;
        snprintf(mk, sizeof mk, "payments.payer.%s", sc->contract.payers[p].name);
        snprintf(k1, sizeof k1, "payer.%s", sc->contract.payers[p].name);
        if ((m = metric_of(e, "commissioner", mk)) != SIZE_MAX &&
            add_line(&ls, "contract", k1, &sum, &scale))
            FUZZ_REQUIRE(fuzz_close(v[m], sum, scale), "%s: %s %.17g, line %s %.17g", what, mk,
                         v[m], k1, sum);
    }
    for (size_t f = 0; f < sc->n_financing; f++) {
        const char *g = sc->financing[f].name;
        reconcile(e, &ls, v, what, g, "commissioner.total", "commissioner.net", NULL);
        const int blend = sc->financing[f].type == FIN_BY_STAGE;
        const ledger_structure *st = &l->fin[f];
        for (size_t j = 0; j < st->n_parts; j++) {
            const financing *part = &sc->financing[st->part[j]];
            char pre[SCENARIO_NAME_MAX + 4] = "";
            if (blend) snprintf(pre, sizeof pre, "%s: ", part->name);
            for (size_t k = 0; k < part->n_tranches; k++) {
                const char *tn = part->tranches[k].name;
                /* metric stem, its line, and a second line added to it */
                static const char *const keys[4][3] = {{"drawn", "drawn", NULL},
                                                       {"received", "principal", "return"},
                                                       {"guaranteed", "guarantee", NULL},
                                                       {"guarantee_fees", "guarantee_fees", NULL}};
                for (int q = 0; q < 4; q++) {
                    snprintf(mk, sizeof mk, "%s%s.%s", pre, tn, keys[q][0]);
                    snprintf(k1, sizeof k1, "%s%s.%s", pre, tn, keys[q][1]);
                    if (keys[q][2]) snprintf(k2, sizeof k2, "%s%s.%s", pre, tn, keys[q][2]);
                    reconcile(e, &ls, v, what, g, mk, k1, keys[q][2] ? k2 : NULL);
                }
            }
            for (size_t k = 0; k < part->n_guarantees; k++) {
                const char *gn = part->guarantees[k].name;
                snprintf(mk, sizeof mk, "guarantor.%s.paid", gn);
                snprintf(k1, sizeof k1, "%sguarantor.%s.calls", pre, gn);
                reconcile(e, &ls, v, what, g, mk, k1, NULL);
                snprintf(mk, sizeof mk, "guarantor.%s.fees", gn);
                snprintf(k1, sizeof k1, "%sguarantor.%s.fees", pre, gn);
                reconcile(e, &ls, v, what, g, mk, k1, NULL);
            }
        }
    }
    free(line);
}

/* ------------------------------------------------------------- summaries */

static void check_summaries(const engine *e, uint64_t paths) {
    for (size_t i = 0; i < engine_metric_count(e); i++) {
        const metric_info *m = engine_metric(e, i);
        stats_summary s;
        engine_summary(e, i, &s);
        (void)engine_worst_mean(e, i, 0.05);
        if (strcmp(m->stem, "irr") == 0) {
            irr_counts c;
            (void)engine_irr_counts(e, i, &c);
        }
        if (m->kind != METRIC_VALUE && m->kind != METRIC_INDICATOR) continue;
        FUZZ_REQUIRE(s.n + s.undefined == paths, "%s/%s: %llu defined + %llu undefined of %llu",
                     m->group, m->key, (unsigned long long)s.n, (unsigned long long)s.undefined,
                     (unsigned long long)paths);
        if (s.n == 0 || !isfinite(s.min) || !isfinite(s.max)) continue;
        const double q[7] = {s.min, s.p05, s.p25, s.p50, s.p75, s.p95, s.max};
        const double tol = 1e-9 * fmax(fabs(s.min), fabs(s.max));
        for (int k = 1; k < 7; k++)
            FUZZ_REQUIRE(q[k - 1] <= q[k] + tol, "%s/%s: quantiles out of order: min %.17g "
                         "p05 %.17g p25 %.17g p50 %.17g p75 %.17g p95 %.17g max %.17g",
                         m->group, m->key, q[0], q[1], q[2], q[3], q[4], q[5], q[6]);
        if (isfinite(s.mean))
            FUZZ_REQUIRE(s.mean >= s.min - tol && s.mean <= s.max + tol,
                         "%s/%s: mean %.17g outside [%.17g, %.17g]", m->group, m->key, s.mean,
                         s.min, s.max);
    }
}

/* ------------------------------------------------------------------ input */

static scenario *load(const uint8_t *data, size_t size) {
    sib_error err;
    scenario *sc;
    if (size > 0 && (data[0] == '{' || data[0] == ' ' || data[0] == '\n' || data[0] == '\t')) {
        char *text = fuzz_text(data, size, TEXT_CAP);
        if (text == NULL) return NULL;
        sc = scenario_load_string(text, "fuzz.json", &err);
        free(text);
        return sc;
    }
    fuzz_bytes b = {data, size, 0};
    size_t k = fuzz_byte(&b) % fuzz_library_count;
    scenario_override ov[MAX_OVERRIDES];
    size_t n = 0;
    while (n < MAX_OVERRIDES && fuzz_left(&b) >= 4 && lib[k].n > 0) {
        size_t which = ((size_t)fuzz_byte(&b) << 8 | fuzz_byte(&b)) % lib[k].n;
        ov[n].pointer = lib[k].node[which].pointer;
        ov[n].value = fuzz_number(&b, lib[k].node[which].number);
        n++;
    }
    return scenario_load_string_with(fuzz_library[k], fuzz_library_name[k], ov, n, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_once();
    scenario *sc = load(data, size);
    if (sc == NULL) return 0;
    sib_error err;
    engine *e = engine_new(sc, &err);
    if (e == NULL) {
        FUZZ_REQUIRE(err.code != SIB_OK && err.message[0] != '\0', "engine_new: no reason");
        scenario_free(sc);
        return 0;
    }
    int rc = engine_run(e, PATHS, 1, NULL, NULL, &err);
    FUZZ_REQUIRE(rc == SIB_OK || err.message[0] != '\0', "engine_run failed without a reason");
    if (rc == SIB_OK) {
        FUZZ_REQUIRE(engine_paths_done(e) == PATHS, "%llu paths done",
                     (unsigned long long)engine_paths_done(e));
        check_summaries(e, PATHS);
    }

    size_t nm = engine_metric_count(e);
    double *v = malloc(nm * sizeof *v), *x = malloc((sc->n_inputs + 1) * sizeof *x);
    ledger *l = engine_ledger_new(e);
    if (v != NULL && x != NULL && l != NULL) {
        if (engine_expected_ledger(e, l, v, x, &err) == SIB_OK)
            check_ledger(e, sc, l, v, "expected case");
        for (uint64_t p = 0; p < 2; p++)
            if (engine_path_ledger(e, p * 37, l, v, x, &err) == SIB_OK)
                check_ledger(e, sc, l, v, p ? "path 37" : "path 0");
        if (sc->realised.present &&
            engine_realised_ledger(e, &sc->realised, l, v, x, &err) == SIB_OK)
            check_ledger(e, sc, l, v, "realised");
    }
    ledger_free(l);
    free(x);
    free(v);
    engine_free(e);
    scenario_free(sc);
    return 0;
}
