/* test_json_pointer.c -- JSON Pointers (RFC 6901) of any length in
 * overrides (sweep, tornado, solve), named cases and scenario_number_at.
 *
 * Fixed buffers once cut a pointer: a token at 255 bytes (a long key was
 * not found), and the parent of an override at 511 bytes, which then
 * resolved to an ancestor; the overridden node was freed while its real
 * parent still linked it (a use-after-free, and a segfault in `sibsim
 * sweep` with a long --param). These tests run under ASan in `make check`.
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/error.h"
#include "../model/file.h"
#include "../model/json_internal.h"
#include "../model/scenario.h"

#ifndef SIBSIM_SOURCE_DIR
#define SIBSIM_SOURCE_DIR "."
#endif

static const char minimal[] =
    "{\"name\": \"minimal\", \"currency\": \"EUR\",\n"
    " \"stages\": [{\"name\": \"delivery\", \"duration\": 2, \"cohorts\": [{\"size\": 100}]}],\n"
    " \"outcomes\": [{\"name\": \"employed\", \"kind\": \"rate\", \"direction\": "
    "\"higher_is_better\", \"baseline\": 0.4, \"effect\": {\"prior\": 0.05},\n"
    "               \"evaluation\": {\"design\": \"rct\", \"comparison_size\": 100}}],\n"
    " \"contract\": {\"payments\": [{\"outcome\": \"employed\", \"type\": \"per_unit\", "
    "\"price\": 500}]}}\n";

/* prefix, then n copies of unit, then suffix, in a new string. */
static char *repeat(const char *prefix, const char *unit, size_t n, const char *suffix) {
    size_t len = strlen(prefix) + n * strlen(unit) + strlen(suffix);
    char *s = malloc(len + 1);
    cr_assert_not_null(s);
    strcpy(s, prefix);
    for (size_t i = 0; i < n; i++) strcat(s, unit);
    strcat(s, suffix);
    return s;
}

/* ------------------------------------------------------- the sweep's crash */

/* The pointer that crashed `sibsim sweep`: 532 bytes, whose parent
 * ("/stages/" and 503 zeros, a valid index to strtol) was cut at 511 bytes
 * to "/stages/000...0", the stage instead of its costs. The index is not an
 * RFC 6901 index (leading zeros), so it is now refused, with the pointer
 * shown shortened: its first 126 and last 126 bytes. */
Test(json_pointer, the_pointer_that_crashed_sweep_is_refused_cleanly) {
    char *text = NULL;
    sib_error err;
    text = sib_file_read(SIBSIM_SOURCE_DIR "/scenarios/peterborough.json", &err);
    cr_assert_not_null(text, "%s", err.message);
    char *p = repeat("/stages/", "0", 503, "/costs/fixed_per_year");
    cr_assert_eq(strlen(p), 532);
    scenario_override ov = {p, 800000};
    scenario *sc = scenario_load_string_with(text, "p.json", &ov, 1, &err);
    if (sc != NULL) {
        scenario_free(sc);
        cr_assert_fail("a pointer with a 503-digit index loaded");
    }
    char *where = repeat("/stages/", "0", 118, "...");
    char *where_full = repeat(where, "0", 126, "");
    cr_assert_eq(err.code, SIB_EINVAL);
    cr_assert_eq(strlen(where_full), 255);
    cr_assert_str_eq(err.pointer, where_full);
    cr_assert_str_eq(err.message,
                     "expected an index of the array (0 to 0), written in digits without a "
                     "leading zero, found \"0000000000000000000000000000000000000000...\"");
    free(where);
    free(where_full);
    free(p);
    free(text);
}

/* A valid pointer of 702 bytes: 100 levels of "abcdef", then "n". Its
 * parent's pointer, cut at 511 bytes (7 x 73), named the object 73 levels
 * down instead of 100, and the number replaced "n" there. */
Test(json_pointer, a_long_valid_pointer_is_set_under_its_own_parent) {
    char *open = repeat("", "{\"abcdef\": ", 100, "{\"n\": 1, \"m\": 2}");
    char *text = repeat(open, "}", 100, "");
    char *p = repeat("", "/abcdef", 100, "/n");
    cr_assert_eq(strlen(p), 702);
    cJSON *root = cJSON_Parse(text);
    cr_assert_not_null(root);
    sib_error err;
    sib_error_clear(&err);
    cJSON *node = json_pointer_resolve(root, p, 0, &err);
    cr_assert_not_null(node, "%s", err.message);
    cr_assert_eq(json_set_number(root, node, p, 7, &err), SIB_OK, "%s", err.message);
    node = json_pointer_resolve(root, p, 0, &err);
    cr_assert_not_null(node);
    cr_assert_float_eq(node->valuedouble, 7.0, 0);
    cr_assert_str_eq(node->string, "n");
    p[strlen(p) - 1] = 'm';
    node = json_pointer_resolve(root, p, 0, &err);
    cr_assert_not_null(node);
    cr_assert_float_eq(node->valuedouble, 2.0, 0, "the sibling is untouched");
    cJSON_Delete(root); /* frees every node once (ASan) */
    free(open);
    free(text);
    free(p);
}

/* The same through scenario_number_at, and a key of 600 bytes: the token
 * was cut at 255 bytes, so the key was never found. */
Test(json_pointer, a_long_key_and_deep_nesting_resolve) {
    char *key = repeat("", "k", 600, "");
    char *text = repeat("{\"", key, 1, "\": 5}");
    char *p = repeat("/", key, 1, "");
    double x = 0;
    sib_error err;
    cr_assert_eq(scenario_number_at(text, p, &x, &err), SIB_OK, "%s", err.message);
    cr_assert_float_eq(x, 5.0, 0);
    free(key);
    free(text);
    free(p);

    char *open = repeat("", "{\"abcdef\": ", 300, "{\"n\": 3}");
    text = repeat(open, "}", 300, "");
    p = repeat("", "/abcdef", 300, "/n");
    cr_assert_eq(scenario_number_at(text, p, &x, &err), SIB_OK, "%s", err.message);
    cr_assert_float_eq(x, 3.0, 0);
    free(open);
    free(text);
    free(p);
}

/* ------------------------------------------------- a long pointer to nothing */

/* "/contract/" and 600 x's name no field: refused at that token, the
 * pointer shown as its first 126 bytes ("/contract/" and 116 x's), "..."
 * and its last 126 bytes. */
Test(json_pointer, a_600_byte_pointer_to_a_missing_field_is_refused_cleanly) {
    char *p = repeat("/contract/", "x", 600, "/price");
    char *head = repeat("/contract/", "x", 116, "...");
    char *shown = repeat(head, "x", 126, "");
    double x;
    sib_error err;
    cr_assert_eq(scenario_number_at(minimal, p, &x, &err), SIB_EINVAL);
    cr_assert_str_eq(err.pointer, shown);
    cr_assert_str_eq(err.message, "no such field in the scenario");

    /* An override adds the missing object on the way, so the loader names
     * it as a field the contract does not have, cut as above. */
    scenario_override ov = {p, 1};
    sib_error_clear(&err);
    cr_assert_null(scenario_load_string_with(minimal, "m.json", &ov, 1, &err));
    cr_assert_eq(err.code, SIB_EINVAL);
    char *cut = repeat("/contract/", "x", 242, "...");
    char *key = repeat("unknown field \"", "x", 60, "...\" (expected one of: payments,");
    cr_assert_str_eq(err.pointer, cut);
    cr_assert(strncmp(err.message, key, strlen(key)) == 0, "%s", err.message);
    free(cut);
    free(key);
    free(p);
    free(head);
    free(shown);
}

/* A missing object on the way to the member set is added too: a scenario
 * that leaves "simulation" out takes "/simulation/discount_rate" (the
 * default rate, 3.5%, becomes the value set), and a stage without "costs"
 * takes "/stages/0/costs/setup". A missing array element is never added. */
Test(json_pointer, an_override_adds_the_missing_objects_on_its_way) {
    scenario_override ov = {"/simulation/discount_rate", 0.07};
    sib_error err;
    scenario *sc = scenario_load_string_with(minimal, "m.json", &ov, 1, &err);
    cr_assert_not_null(sc, "%s", err.message);
    cr_assert_float_eq(sc->sim.discount_rate, 0.07, 0);
    scenario_free(sc);
    ov = (scenario_override){"/stages/0/costs/setup", 25000};
    sc = scenario_load_string_with(minimal, "m.json", &ov, 1, &err);
    cr_assert_not_null(sc, "%s", err.message);
    cr_assert_float_eq(sc->stages[0].setup_cost, 25000, 0);
    scenario_free(sc);
    ov = (scenario_override){"/stages/1/duration", 2};
    cr_assert_null(scenario_load_string_with(minimal, "m.json", &ov, 1, &err));
    cr_assert_str_eq(err.pointer, "/stages/1");
}

/* A missing last member is added by an override; 600 bytes of it are an
 * unknown field of the payment, whose pointer ends in "..." where the
 * walk's 255 bytes run out ("/contract/payments/0/" and 231 x's), and
 * whose message shows 60 bytes of the key, then the valid fields. */
Test(json_pointer, an_override_adding_a_600_byte_field_is_refused_as_unknown) {
    char *p = repeat("/contract/payments/0/", "x", 600, "");
    scenario_override ov = {p, 1};
    sib_error err;
    cr_assert_null(scenario_load_string_with(minimal, "m.json", &ov, 1, &err));
    char *shown = repeat("/contract/payments/0/", "x", 231, "...");
    char *key = repeat("", "x", 60, "");
    char message[512];
    snprintf(message, sizeof message,
             "unknown field \"%s...\" (expected one of: name, outcome, type, scope, stage, "
             "trigger, true_up, cap, lag, cap_per_cohort, installments, interval, payers, price)",
             key);
    cr_assert_eq(err.code, SIB_EINVAL);
    cr_assert_str_eq(err.pointer, shown);
    cr_assert_str_eq(err.message, message);
    free(p);
    free(shown);
    free(key);
}

/* A case's pointer is stored in 256 bytes: a longer one is refused at its
 * member of "set", which is shown shortened. */
Test(json_pointer, a_case_pointer_over_255_bytes_is_refused_at_its_member) {
    char *member = repeat("/contract/payments/0/", "x", 300, "");
    char *cases = repeat(", \"cases\": [{\"name\": \"long\", \"set\": {\"", member, 1, "\": 1}}]}");
    char *text = malloc(strlen(minimal) + strlen(cases) + 1);
    cr_assert_not_null(text);
    strcpy(text, minimal);
    strcpy(strrchr(text, '}'), cases); /* replace the final '}' */
    sib_error err;
    cr_assert_null(scenario_load_string(text, "m.json", &err));
    cr_assert_eq(err.code, SIB_EINVAL, "%s", err.message);
    cr_assert_str_eq(err.message, "expected a JSON Pointer of at most 255 characters");
    cr_assert_eq(strncmp(err.pointer, "/cases/0/set/~1contract~1payments~10~1xxx", 41), 0, "%s",
                 err.pointer);
    cr_assert_str_eq(err.pointer + strlen(err.pointer) - 3, "...");
    free(member);
    free(cases);
    free(text);
}

/* ------------------------------------------------------------ RFC 6901 */

Test(json_pointer, tilde_escapes_decode_and_a_malformed_one_is_refused) {
    const char *text = "{\"a/b\": 1, \"m~n\": 2, \"~1\": 3, \"\": 4, \" \": 5, \"m~2n\": 6}";
    static const struct {
        const char *pointer;
        double value;
    } ok[] = {{"/a~1b", 1}, {"/m~0n", 2}, {"/~01", 3}, {"/", 4}, {"/ ", 5}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        double x = 0;
        sib_error err;
        cr_expect_eq(scenario_number_at(text, ok[i].pointer, &x, &err), SIB_OK, "%s: %s",
                     ok[i].pointer, err.message);
        cr_expect_float_eq(x, ok[i].value, 0, "%s", ok[i].pointer);
    }
    /* "~2" is no escape (the key "m~2n" exists, and is not reached by it). */
    static const struct {
        const char *pointer, *where, *message;
    } bad[] = {
        {"/m~2n", "/m~2n",
         "expected \"~0\" (for '~') or \"~1\" (for '/') after '~' in a JSON Pointer, found "
         "\"~2\""},
        {"/a~", "/a~",
         "expected \"~0\" (for '~') or \"~1\" (for '/') after '~' in a JSON Pointer, found "
         "\"~\""},
        {"/a~1b/c", "/a~1b/c", "cannot go inside a value that is neither an object nor an array"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double x = 0;
        sib_error err;
        cr_expect_eq(scenario_number_at(text, bad[i].pointer, &x, &err), SIB_EINVAL, "%s",
                     bad[i].pointer);
        cr_expect_str_eq(err.pointer, bad[i].where);
        cr_expect_str_eq(err.message, bad[i].message);
    }
}

Test(json_pointer, array_indices_are_digits_without_a_sign_a_space_or_a_leading_zero) {
    const char *text = "[5, 6]";
    double x = 0;
    sib_error err;
    cr_assert_eq(scenario_number_at(text, "/1", &x, &err), SIB_OK);
    cr_assert_float_eq(x, 6.0, 0);
    static const struct {
        const char *pointer, *message;
    } bad[] = {
        {"/01", "expected an index of the array (0 to 1), written in digits without a leading "
                "zero, found \"01\""},
        {"/ 1", "expected an index of the array (0 to 1), written in digits without a leading "
                "zero, found \" 1\""},
        {"/+1", "expected an index of the array (0 to 1), written in digits without a leading "
                "zero, found \"+1\""},
        {"/-", "expected an index of the array (0 to 1), written in digits without a leading "
               "zero, found \"-\""},
        {"/2", "expected an index of the array (0 to 1), found \"2\""},
        {"/99999999999999999999", "expected an index of the array (0 to 1), found "
                                  "\"99999999999999999999\""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        x = -1;
        cr_expect_eq(scenario_number_at(text, bad[i].pointer, &x, &err), SIB_EINVAL,
                     "%s was read as %g", bad[i].pointer, x);
        cr_expect_str_eq(err.pointer, bad[i].pointer);
        cr_expect_str_eq(err.message, bad[i].message);
    }
}
