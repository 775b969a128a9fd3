/* financing_helpers.h -- what the financing structures' test files
 * (test_financing.c, test_fin_lines.c) share: a structure and a tranche
 * made by hand, the two kinds of guarantee, and a small scenario whose
 * tranche is never paid. */
#ifndef SIB_TEST_FINANCING_HELPERS_H
#define SIB_TEST_FINANCING_HELPERS_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../model/financing.h"
#include "../model/scenario.h"
#include "helpers.h"

/* A structure of the given type named "test", with every other term zero. */
static inline financing plain(financing_type type) {
    financing f;
    memset(&f, 0, sizeof f);
    f.type = type;
    snprintf(f.name, sizeof f.name, "test");
    return f;
}

/* A tranche of the given name, commitment and priority, every other term
 * zero. */
static inline tranche make(const char *name, double commitment, int priority) {
    tranche t;
    memset(&t, 0, sizeof t);
    snprintf(t.name, sizeof t.name, "%s", name);
    t.commitment = commitment;
    t.priority = priority;
    return t;
}

/* A first-loss guarantee of the given amount on tranche 0, without a fee. */
static inline guarantee first_loss(const char *name, double amount) {
    guarantee g;
    memset(&g, 0, sizeof g);
    snprintf(g.name, sizeof g.name, "%s", name);
    g.kind = GUARANTEE_FIRST_LOSS;
    g.amount = amount;
    g.share = 1; /* as the loader sets them: min(1 x L, amount) */
    g.max = amount;
    return g;
}

/* A pro-rata guarantee of the given share, up to max, on tranche 0, without
 * a fee. */
static inline guarantee pro_rata(const char *name, double share, double max) {
    guarantee g;
    memset(&g, 0, sizeof g);
    snprintf(g.name, sizeof g.name, "%s", name);
    g.kind = GUARANTEE_PRO_RATA;
    g.share = share;
    g.max = max;
    return g;
}

/* Stage a costs 100 at t = 0 and its cohort is counted at 2 years and paid
 * 100 if more than 200% of it achieves the outcome: never. Stage b (from 2
 * to 3, its cohort counted at 4) is never commissioned. The tranche of 100
 * has a 50% pro-rata guarantee; TRANCHE_EXTRA adds to the tranche. */
static inline scenario *no_payment_scenario(const char *tranche_extra) {
    char json[2048];
    snprintf(
        json, sizeof json,
        "{\"name\": \"date\", \"currency\": \"EUR\", \"simulation\": {\"seed\": 5},"
        " \"stages\": [{\"name\": \"a\", \"duration\": 0.25, \"costs\": {\"setup\": 100},"
        "     \"cohorts\": [{\"size\": 10}]},"
        "   {\"name\": \"b\", \"start\": 2, \"duration\": 1, \"gate\": {\"probability\": 0},"
        "     \"cohorts\": [{\"size\": 10, \"entry\": 2}]}],"
        " \"outcomes\": [{\"name\": \"o\", \"kind\": \"rate\", \"direction\": \"higher_is_better\","
        "   \"baseline\": 0.5, \"effect\": {\"prior\": 0}, \"observation_lag\": 2,"
        "   \"evaluation\": {\"design\": \"validated_count\"}}],"
        " \"contract\": {\"payments\": [{\"outcome\": \"o\", \"type\": \"fixed\", \"amount\": 100,"
        "   \"trigger\": 2}]},"
        " \"financing\": [{\"name\": \"S\", \"type\": \"sib\","
        "   \"tranches\": [{\"name\": \"inv\", \"commitment\": 100%s}],"
        "   \"guarantees\": [{\"name\": \"half\", \"tranche\": \"inv\", \"kind\": \"pro_rata\","
        "     \"share\": 0.5}]}]}",
        tranche_extra);
    return must_load_string(json);
}

#endif
