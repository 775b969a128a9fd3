/* helpers.h -- small helpers shared by the unit tests. */
#ifndef SIB_TEST_HELPERS_H
#define SIB_TEST_HELPERS_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/file.h"
#include "../model/ledger.h"
#include "../model/scenario.h"
#include "../sim/engine.h"

#ifndef SIBSIM_SOURCE_DIR
#define SIBSIM_SOURCE_DIR "."
#endif

/* Load a scenario from JSON text, failing the test with the loader's
 * message when it does not load. */
static inline scenario *must_load_string(const char *json) {
    sib_error err;
    scenario *sc = scenario_load_string(json, "<test>", &err);
    if (sc == NULL) {
        char buf[1200];
        cr_assert_fail("scenario does not load: %s", sib_error_format(&err, buf, sizeof buf));
    }
    return sc;
}

/* Load a file of the repository (path relative to its root). */
static inline scenario *must_load_repo_file(const char *rel) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", SIBSIM_SOURCE_DIR, rel);
    sib_error err;
    scenario *sc = scenario_load_file(path, &err);
    if (sc == NULL) {
        char buf[1200];
        cr_assert_fail("%s does not load: %s", rel, sib_error_format(&err, buf, sizeof buf));
    }
    return sc;
}

/* The text of a repository file; the caller frees it. */
static inline char *repo_text(const char *rel) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", SIBSIM_SOURCE_DIR, rel);
    sib_error err;
    char *text = sib_file_read(path, &err);
    if (text == NULL) cr_assert_fail("%s: %s", path, err.message);
    return text;
}

/* Compile a scenario, failing the test with the engine's message. */
static inline engine *must_engine(const scenario *sc) {
    sib_error err;
    engine *e = engine_new(sc, &err);
    if (e == NULL) cr_assert_fail("engine_new: %s", err.message);
    return e;
}

/* Run to `paths` on `threads` threads, failing the test on any error. */
static inline void must_run_on(engine *e, uint64_t paths, unsigned threads) {
    sib_error err;
    int rc = engine_run(e, paths, threads, NULL, NULL, &err);
    if (rc != SIB_OK) cr_assert_fail("engine_run: %s", err.message);
}

/* The whole accumulated state of e as bytes (engine_state_save: every
 * metric's accumulator, the sums behind the aggregates, the IRR counts),
 * failing the test on an error; the caller frees it. */
static inline unsigned char *state_of(const engine *e, size_t *len) {
    unsigned char *buf = NULL;
    sib_error err;
    cr_assert_eq(engine_state_save(e, &buf, len, &err), SIB_OK, "%s", err.message);
    return buf;
}

/* Whether engines a and b hold the same state, byte for byte. */
static inline int same_state(const engine *a, const engine *b) {
    size_t la, lb;
    unsigned char *x = state_of(a, &la), *y = state_of(b, &lb);
    const int same = la == lb && memcmp(x, y, la) == 0;
    free(x);
    free(y);
    return same;
}

/* Every scenario of the library, as paths from the repository's root
 * (scenarios/NAME.json); *n is set to their number. A function, not an
 * array, so that a test file that does not use it is not warned. */
static inline const char *const *library_scenarios(size_t *n) {
    static const char *const files[] = {
        "scenarios/benevolent-society-social-benefit-bond.json",
        "scenarios/educate-girls-dib.json",
        "scenarios/icrc-humanitarian-impact-bond.json",
        "scenarios/massachusetts-juvenile-justice.json",
        "scenarios/newpin-social-benefit-bond.json",
        "scenarios/peterborough.json",
        "scenarios/regional-pilot-to-scale.json",
        "scenarios/rikers-island.json",
        "scenarios/utah-preschool.json",
    };
    *n = sizeof files / sizeof files[0];
    return files;
}

/* The summary of metric group/key, failing the test when there is none. */
static inline stats_summary summary_of(const engine *e, const char *group, const char *key) {
    size_t i = engine_find_metric(e, group, key);
    if (i == (size_t)-1) cr_assert_fail("no metric %s/%s", group, key);
    stats_summary s;
    engine_summary(e, i, &s);
    return s;
}

/* What a writing call wrote: cap_open gives a FILE that collects it in
 * memory, cap_close the text as a string the caller frees. */
typedef struct capture {
    char *buf;
    size_t len;
    FILE *f;
} capture;

static inline FILE *cap_open(capture *c) {
    c->buf = NULL;
    c->len = 0;
    c->f = open_memstream(&c->buf, &c->len);
    cr_assert_not_null(c->f);
    return c->f;
}

static inline char *cap_close(capture *c) {
    fclose(c->f);
    return c->buf;
}

/* The scenarios written in tests use ' for " (no name in them has an
 * apostrophe). text with its single quotes made double, in a buffer of its
 * own, valid until the next call. */
static inline const char *double_quoted(const char *text) {
    static char json[16384];
    cr_assert_lt(strlen(text), sizeof json);
    strcpy(json, text);
    for (char *p = json; *p != '\0'; p++)
        if (*p == '\'') *p = '"';
    return json;
}

/* Load text with its single quotes made double, failing the test if it
 * does not load. */
static inline scenario *must_load_quoted(const char *text) {
    return must_load_string(double_quoted(text));
}

/* base with `from` (which must occur exactly once) replaced by `to`. The
 * result is one of a few rotating buffers, so that edits can be chained. */
static inline const char *text_edit(const char *base, const char *from, const char *to) {
    static char pool[8][16384];
    static size_t next;
    char *text = pool[next++ % 8];
    const char *at = strstr(base, from);
    cr_assert_not_null(at, "\"%s\" is not in the base scenario", from);
    cr_assert_null(strstr(at + 1, from), "\"%s\" is in the base scenario twice", from);
    size_t head = (size_t)(at - base);
    cr_assert_lt(strlen(base) + strlen(to), sizeof pool[0]);
    memcpy(text, base, head);
    strcpy(text + head, to);
    strcat(text, at + strlen(from));
    return text;
}

/* The line group/key of ledger l, failing the test when there is none. */
static inline ledger_line must_ledger_line(const ledger *l, const char *group, const char *key) {
    enum { MAX = 256 };
    static ledger_line lines[MAX];
    size_t n = ledger_lines(l, lines, MAX);
    cr_assert(n <= MAX, "%zu lines", n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(lines[i].group, group) == 0 && strcmp(lines[i].key, key) == 0) return lines[i];
    cr_assert_fail("no ledger line %s/%s", group, key);
    return lines[0];
}

/* Metric group/key of engine e in a path's values v, failing the test when
 * there is no such metric. */
static inline double must_metric_value(const engine *e, const double *v, const char *group,
                                       const char *key) {
    size_t i = engine_find_metric(e, group, key);
    if (i == (size_t)-1) cr_assert_fail("no metric %s/%s", group, key);
    return v[i];
}

#endif
