/* test_json_suite.c -- JSONTestSuite's parsing cases against the checker.
 *
 * tests/json/JSONTestSuite/ is the test_parsing directory of Nicolas
 * Seriot's JSONTestSuite (https://github.com/nst/JSONTestSuite, MIT licence,
 * LICENSE beside the files): 188 texts every parser must refuse (n_), 95 it
 * must accept (y_), 35 left to the implementation (i_). Every n_ text is
 * refused by sibsim's reader (the 16 MiB file limit, the NUL-byte check and
 * the RFC 8259 checker together, as a scenario file is read); every y_ text
 * is accepted but for the few sibsim refuses on purpose, listed below with
 * the reason; an i_ text is either, with a message when refused, and never
 * a crash. */
#include <criterion/criterion.h>
#include <glob.h>
#include <string.h>

#include "../model/file.h"
#include "../model/json_internal.h"
#include "helpers.h"

/* y_ texts that are valid JSON but that sibsim refuses, and why. */
static const char *const refused_on_purpose[] = {
    /* "\u0000" in a string: cJSON ends the string there, so "price\u0000x"
     * would be read as "price" (a key slipping past the unknown-field
     * check): refused in every string. */
    "y_object_escaped_null_in_key.json",
    "y_string_null_escape.json",
    /* A number written in more than 63 characters (here -0.000...01, 81
     * characters): cJSON reads at most 63 of them, so it would read
     * another number; refused with the limit in the message. */
    "y_number_double_close_to_zero.json",
    NULL,
};

static int is_refused_on_purpose(const char *name) {
    for (const char *const *p = refused_on_purpose; *p; p++)
        if (strcmp(*p, name) == 0) return 1;
    return 0;
}

/* Read and check the file as a scenario file is read: SIB_OK or an error
 * with a message. */
static int read_checked(const char *path, sib_error *err) {
    char *text = sib_file_read(path, err);
    if (text == NULL) return err->code;
    cJSON *root = json_parse_checked(text, path, err);
    free(text);
    if (root == NULL) return err->code;
    cJSON_Delete(root);
    return SIB_OK;
}

static size_t each(const char *prefix, void (*fn)(const char *path, const char *name)) {
    char pattern[1024];
    snprintf(pattern, sizeof pattern, "%s/tests/json/JSONTestSuite/%s*.json", SIBSIM_SOURCE_DIR,
             prefix);
    glob_t g;
    cr_assert_eq(glob(pattern, 0, NULL, &g), 0, "no %s", pattern);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *name = strrchr(g.gl_pathv[i], '/') + 1;
        fn(g.gl_pathv[i], name);
    }
    size_t n = g.gl_pathc;
    globfree(&g);
    return n;
}

static void must_refuse(const char *path, const char *name) {
    sib_error err;
    cr_expect_neq(read_checked(path, &err), SIB_OK, "%s was accepted", name);
    cr_expect_neq(err.message[0], '\0', "%s refused without a message", name);
}

static void must_accept(const char *path, const char *name) {
    sib_error err;
    int rc = read_checked(path, &err);
    if (is_refused_on_purpose(name)) {
        cr_expect_neq(rc, SIB_OK, "%s is listed as refused on purpose but was accepted", name);
        return;
    }
    cr_expect_eq(rc, SIB_OK, "%s was refused: %s:%d:%d: %s", name, err.file, err.line, err.col,
                 err.message);
}

static void either(const char *path, const char *name) {
    sib_error err;
    if (read_checked(path, &err) != SIB_OK)
        cr_expect_neq(err.message[0], '\0', "%s refused without a message", name);
}

Test(json_suite, every_text_a_parser_must_refuse_is_refused) {
    cr_assert_eq(each("n_", must_refuse), 188);
}

Test(json_suite, every_text_a_parser_must_accept_is_accepted_but_those_refused_on_purpose) {
    cr_assert_eq(each("y_", must_accept), 95);
}

Test(json_suite, the_texts_left_to_the_implementation_are_read_or_refused_with_a_message) {
    cr_assert_eq(each("i_", either), 35);
}
