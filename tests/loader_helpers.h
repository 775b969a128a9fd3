/* loader_helpers.h -- what the loader's test files share: loading a file
 * of tests/bad/ or a string that must load or be refused, and the smallest
 * valid scenario to splice fields into. */
#ifndef SIB_TEST_LOADER_HELPERS_H
#define SIB_TEST_LOADER_HELPERS_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../model/error.h"
#include "../model/scenario.h"

#ifndef SIBSIM_SOURCE_DIR
#define SIBSIM_SOURCE_DIR "."
#endif

#define PETERBOROUGH SIBSIM_SOURCE_DIR "/scenarios/peterborough.json"
#define TOL 1e-12

/* ------------------------------------------------------------- helpers */

/* Load a file that must load, failing the test with the loader's message. */
static inline scenario *load_good(const char *path) {
    sib_error err;
    scenario *sc = scenario_load_file(path, &err);
    if (sc == NULL) {
        char buf[1200];
        cr_assert_fail("%s does not load: %s", path, sib_error_format(&err, buf, sizeof buf));
    }
    return sc;
}

/* Load tests/bad/NAME, which must fail, and return the error. The path is
 * relative to the repository root, so messages read exactly as they do for a
 * user who runs `sibsim validate tests/bad/NAME` there. */
static inline sib_error load_bad(const char *name) {
    char path[256];
    snprintf(path, sizeof path, "tests/bad/%s", name);
    cr_assert_eq(chdir(SIBSIM_SOURCE_DIR), 0, "cannot enter %s", SIBSIM_SOURCE_DIR);
    sib_error err;
    scenario *sc = scenario_load_file(path, &err);
    if (sc != NULL) {
        scenario_free(sc);
        cr_assert_fail("%s loads, but it should be refused", path);
    }
    return err;
}

/* A meaning error: SIB_EINVAL at pointer, no line or column, rendered in
 * full as expected. */
static inline void expect_invalid(const sib_error *err, const char *pointer, const char *expected) {
    char buf[1200];
    sib_error_format(err, buf, sizeof buf);
    cr_assert_eq(err->code, SIB_EINVAL, "code %d, not SIB_EINVAL, for: %s", err->code, buf);
    cr_assert_eq(err->line, 0);
    cr_assert_eq(err->col, 0);
    cr_assert_str_eq(err->pointer, pointer);
    cr_assert_str_eq(buf, expected);
}

/* A syntax error: SIB_ESYNTAX at line:col, no pointer, rendered in full. */
static inline void expect_syntax(const sib_error *err, int line, int col, const char *expected) {
    char buf[1200];
    sib_error_format(err, buf, sizeof buf);
    cr_assert_eq(err->code, SIB_ESYNTAX, "code %d, not SIB_ESYNTAX, for: %s", err->code, buf);
    cr_assert_eq(err->line, line, "line %d, not %d, for: %s", err->line, line, buf);
    cr_assert_eq(err->col, col, "column %d, not %d, for: %s", err->col, col, buf);
    cr_assert_str_eq(err->pointer, "");
    cr_assert_str_eq(buf, expected);
}

/* The smallest valid scenario; the %s is spliced into its only cohort, so a
 * test can add a field there. Every optional field is left out. */
static const char minimal_fmt[] =
    "{\"name\": \"minimal\", \"currency\": \"EUR\",\n"
    " \"stages\": [{\"name\": \"delivery\", \"start\": 1, \"duration\": 2,\n"
    "              \"cohorts\": [{\"size\": 100%s}]}],\n"
    " \"outcomes\": [{\"name\": \"employed\", \"kind\": \"rate\", \"direction\": "
    "\"higher_is_better\",\n"
    "               \"baseline\": 0.4, \"effect\": {\"prior\": 0.05},\n"
    "               \"evaluation\": {\"design\": \"rct\", \"comparison_size\": 100}}],\n"
    " \"contract\": {\"payments\": [{\"outcome\": \"employed\", \"type\": \"per_unit\", "
    "\"price\": 500}]}}\n";

static inline const char *minimal(const char *cohort_extra) {
    static char buf[2048];
    snprintf(buf, sizeof buf, minimal_fmt, cohort_extra);
    return buf;
}

/* The minimal scenario with cohort_extra spliced into its cohort (as
 * minimal() does) and `extra` after its contract, so a test can add
 * "financing", "cases" or "realised" (extra starts with ","). */
static inline const char *minimal_with(const char *cohort_extra, const char *extra) {
    static char buf[8192];
    char body[4096];
    snprintf(body, sizeof body, minimal_fmt, cohort_extra);
    size_t n = strlen(body);
    /* body ends with "}\n": the scenario's closing brace. */
    snprintf(buf, sizeof buf, "%.*s%s}\n", (int)(n - 2), body, extra);
    return buf;
}

static inline const char *minimal_plus(const char *extra) { return minimal_with("", extra); }

/* Load text that must load, failing the test with the loader's message. */
static inline scenario *must_load(const char *text) {
    sib_error err;
    scenario *sc = scenario_load_string(text, "<test>", &err);
    if (sc == NULL) {
        char buf[1200];
        cr_assert_fail("does not load: %s", sib_error_format(&err, buf, sizeof buf));
    }
    return sc;
}

/* Load text that must be refused with SIB_EINVAL at exactly `pointer`, with
 * `phrase` in its message. */
static inline void expect_refused(const char *text, const char *pointer, const char *phrase) {
    sib_error err;
    scenario *sc = scenario_load_string(text, "<test>", &err);
    if (sc != NULL) {
        scenario_free(sc);
        cr_assert_fail("loads, but it should be refused at %s", pointer);
    }
    char buf[1200];
    sib_error_format(&err, buf, sizeof buf);
    cr_assert_eq(err.code, SIB_EINVAL, "code %d, not SIB_EINVAL, for: %s", err.code, buf);
    cr_assert_str_eq(err.pointer, pointer, "for: %s", buf);
    cr_assert_not_null(strstr(err.message, phrase), "\"%s\" not in: %s", phrase, buf);
}

#endif
