/* helpers.h -- small helpers shared by the unit tests. */
#ifndef SIB_TEST_HELPERS_H
#define SIB_TEST_HELPERS_H

#include <criterion/criterion.h>
#include <stdio.h>

#include "../model/scenario.h"

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

#endif
