/* test_json_syntax.c -- strict JSON (RFC 8259) on every text the loader
 * reads, with the line and column of the first offending character.
 *
 * The must-reject cases are written here in the spirit of JSONTestSuite's
 * "n_" family (numbers, strings, structure, UTF-8); the must-accept ones in
 * the spirit of its "y_" family. Each refused text is given with the line,
 * column and message worked out by hand: columns count characters (UTF-8
 * code points) from 1, a tab is one column, and a line ends at LF, CRLF or
 * a CR alone. Before the checker ran on every text, cJSON accepted many of
 * these (01, 2., raw tabs, invalid UTF-8, "\u0000" in a key...).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../model/error.h"
#include "../model/file.h"
#include "../model/json_internal.h"
#include "../model/scenario.h"

#ifndef SIBSIM_SOURCE_DIR
#define SIBSIM_SOURCE_DIR "."
#endif

typedef struct refused {
    const char *text;
    int line, col;
    const char *message; /* after "t.json:LINE:COL: " */
} refused;

/* Load each text as a scenario named t.json: each must be a syntax error
 * at its line and column, with its message. */
static void expect_all_refused(const refused *cases, size_t n) {
    for (size_t i = 0; i < n; i++) {
        sib_error err;
        scenario *sc = scenario_load_string(cases[i].text, "t.json", &err);
        if (sc != NULL) {
            scenario_free(sc);
            cr_assert_fail("case %zu loads, but should be refused: %s", i, cases[i].text);
        }
        char buf[1200], expected[1200];
        sib_error_format(&err, buf, sizeof buf);
        snprintf(expected, sizeof expected, "t.json:%d:%d: %s", cases[i].line, cases[i].col,
                 cases[i].message);
        cr_expect_eq(err.code, SIB_ESYNTAX, "case %zu (%s): code %d: %s", i, cases[i].text,
                     err.code, buf);
        cr_expect_str_eq(buf, expected, "case %zu (%s)", i, cases[i].text);
        cr_expect_str_eq(err.pointer, "", "case %zu", i);
    }
}

#define VALUE_EXPECTED "expected a value (an object, array, string, number, true, false or null)"
#define CONTROL_EXPECTED \
    "syntax error: expected an escape (\\t, \\n, \\uXXXX ...) for a control character inside a " \
    "string"
#define UTF8_EXPECTED "syntax error: expected UTF-8 text (save the file as UTF-8)"

/* ---------------------------------------------------------------- n_: numbers */

Test(json_syntax, numbers_that_rfc_8259_refuses_are_refused_where_they_go_wrong) {
    static const refused cases[] = {
        {"[01]", 1, 2, "syntax error: JSON numbers have no leading zeros, found '01'"},
        {"[-012]", 1, 3, "syntax error: JSON numbers have no leading zeros, found '012'"},
        {"{\"price\": 00}", 1, 11, "syntax error: JSON numbers have no leading zeros, found '00'"},
        {"[2.]", 1, 4, "syntax error: expected a digit after the decimal point, found ']'"},
        {"[1.e5]", 1, 4, "syntax error: expected a digit after the decimal point, found 'e'"},
        {"[.5]", 1, 2,
         "syntax error: expected a digit before the decimal point (a JSON number starts with a "
         "digit or '-'), found '.'"},
        {"[-]", 1, 3, "syntax error: expected a digit after '-', found ']'"},
        {"[- 1]", 1, 3, "syntax error: expected a digit after '-', found ' '"},
        {"[-Infinity]", 1, 3, "syntax error: expected a digit after '-', found 'I'"},
        {"[1e]", 1, 4, "syntax error: expected a digit in the exponent, found ']'"},
        {"[1E+]", 1, 5, "syntax error: expected a digit in the exponent, found ']'"},
        {"[+1]", 1, 2, "syntax error: JSON numbers have no '+' sign, found '+'"},
        {"[0x1F]", 1, 3, "syntax error: expected ',' or ']' after a value, found 'x'"},
        {"[1.5.2]", 1, 5, "syntax error: expected ',' or ']' after a value, found '.'"},
        {"[1 000]", 1, 4, "syntax error: expected ',' or ']' after a value, found '0'"},
        {"[NaN]", 1, 2, "syntax error: " VALUE_EXPECTED ", found 'N'"},
    };
    expect_all_refused(cases, sizeof cases / sizeof cases[0]);
}

/* cJSON copies at most 63 characters of a number: a longer one is refused
 * by the checker, at its first character, rather than misread. */
Test(json_syntax, a_number_of_more_than_63_characters_is_refused_and_63_are_read) {
    char text[128];
    text[0] = '[';
    text[1] = '1';
    text[2] = '.';
    memset(text + 3, '0', 60);
    snprintf(text + 63, sizeof text - 63, "5]"); /* 1.000...05: 63 characters */
    double x = 0;
    sib_error err;
    cr_assert_eq(scenario_number_at(text, "/0", &x, &err), SIB_OK, "%s", err.message);
    cr_assert_eq(x, 1.0, "1 + 5e-61 is 1 to a double's precision");
    snprintf(text + 63, sizeof text - 63, "05]");
    static const refused cases[1] = {
        {NULL, 1, 2,
         "syntax error: expected a number of at most 63 characters, found one of 64 characters"}};
    refused c = cases[0];
    c.text = text;
    expect_all_refused(&c, 1);
}

/* A number that a double would change beyond its precision is refused,
 * where it stands, with what it would be read as: cJSON would read 1e400
 * as infinity, 1e-400 as 0 and a seed of 9007199254740993 as ...992. */
Test(json_syntax, a_number_a_double_would_change_is_refused_with_what_it_would_be_read_as) {
    static const refused cases[] = {
        {"[1e400]", 1, 2,
         "syntax error: expected a number that reads as written (it would be read as infinity: "
         "beyond the largest a double holds, about 1.8e308), found '1e400'"},
        {"[0, -1.5e309]", 1, 5,
         "syntax error: expected a number that reads as written (it would be read as infinity: "
         "beyond the largest a double holds, about 1.8e308), found '-1.5e309'"},
        {"{\"t\": 1e-400}", 1, 7,
         "syntax error: expected a number that reads as written (it would be read as 0: below the "
         "smallest a double holds, about 4.9e-324), found '1e-400'"},
        {"[0.0000000000000000000000000000000000000000000000000000001e-300]", 1, 2,
         "syntax error: expected a number that reads as written (it would be read as 0: below the "
         "smallest a double holds, about 4.9e-324), found "
         "'0.0000000000000000000000000000000000000000000000000000001e-300'"},
        {"{\"seed\": 9007199254740993}", 1, 10,
         "syntax error: expected a number that reads as written (it would be read as "
         "9007199254740992: a double holds every whole number up to 2^53 = 9007199254740992, only "
         "some beyond), found '9007199254740993'"},
        /* ...056: Python's int(float(-123456789012345678901234567890)). */
        {"[-123456789012345678901234567890]", 1, 2,
         "syntax error: expected a number that reads as written (it would be read as "
         "-123456789012345677877719597056: a double holds every whole number up to 2^53 = "
         "9007199254740992, only some beyond), found '-123456789012345678901234567890'"},
    };
    expect_all_refused(cases, sizeof cases / sizeof cases[0]);
}

/* ---------------------------------------------------------------- n_: strings */

Test(json_syntax, strings_with_raw_control_characters_or_bad_escapes_are_refused) {
    static const refused cases[] = {
        {"[\"a\tb\"]", 1, 4, CONTROL_EXPECTED ", found a tab (U+0009)"},
        {"[\"a\fb\"]", 1, 4, CONTROL_EXPECTED ", found a form feed (U+000C)"},
        {"[\"\x01\"]", 1, 3, CONTROL_EXPECTED ", found the control character U+0001"},
        {"[\"\x1f\"]", 1, 3, CONTROL_EXPECTED ", found the control character U+001F"},
        {"[\"a\nb\"]", 1, 4,
         "syntax error: expected the closing '\"' of a string on the same line, found the end of "
         "the line"},
        {"[\"a\rb\"]", 1, 4,
         "syntax error: expected the closing '\"' of a string on the same line, found the end of "
         "the line"},
        {"[\"abc", 1, 6,
         "syntax error: expected the closing '\"' of a string, found the end of the file"},
        {"[\"\\uqqqq\"]", 1, 5,
         "syntax error: expected four hexadecimal digits after \\u, found 'q'"},
        {"[\"\\u12\"]", 1, 7,
         "syntax error: expected four hexadecimal digits after \\u, found '\"'"},
        {"[\"\\x\"]", 1, 4,
         "syntax error: expected an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX), found "
         "'x'"},
        {"['a']", 1, 2, "syntax error: " VALUE_EXPECTED ", found '''"},
    };
    expect_all_refused(cases, sizeof cases / sizeof cases[0]);
}

/* cJSON read "price\u0000junk" as the key "price": a NUL ends a C string, so
 * the rest of the key vanished and the unknown-field check never saw it. */
Test(json_syntax, an_escaped_nul_is_refused_in_a_string_and_in_a_field_name) {
    static const refused cases[] = {
        {"[\"\\u0000\"]", 1, 3,
         "syntax error: a string or a field name may not contain \\u0000 (a NUL character would "
         "cut it short)"},
        {"{\"price\\u0000junk\": 1}", 1, 8,
         "syntax error: a string or a field name may not contain \\u0000 (a NUL character would "
         "cut it short)"},
    };
    expect_all_refused(cases, sizeof cases / sizeof cases[0]);
}

Test(json_syntax, a_scenario_whose_price_hides_behind_an_escaped_nul_is_refused) {
    cr_assert_eq(chdir(SIBSIM_SOURCE_DIR), 0);
    sib_error err;
    scenario *sc = scenario_load_file("tests/bad/syntax-nul-in-field-name.json", &err);
    if (sc != NULL) {
        scenario_free(sc);
        cr_assert_fail("the key \"price\\u0000junk\" was read as \"price\"");
    }
    char buf[1200];
    cr_assert_str_eq(sib_error_format(&err, buf, sizeof buf),
                     "tests/bad/syntax-nul-in-field-name.json:18:74: syntax error: a string or a "
                     "field name may not contain \\u0000 (a NUL character would cut it short)");
}

Test(json_syntax, lone_and_mismatched_surrogate_escapes_are_refused_where_they_stand) {
    static const refused cases[] = {
        {"[\"\\ud800\"]", 1, 9,
         "syntax error: expected a low surrogate (\\uDC00 to \\uDFFF) after the high surrogate "
         "\\uD800, found '\"'"},
        {"[\"\\ud800x\"]", 1, 9,
         "syntax error: expected a low surrogate (\\uDC00 to \\uDFFF) after the high surrogate "
         "\\uD800, found 'x'"},
        {"[\"\\ud800\\u0041\"]", 1, 9,
         "syntax error: expected a low surrogate (\\uDC00 to \\uDFFF) after the high surrogate "
         "\\uD800, found \\u0041"},
        {"[\"\\uD83D\\uD83D\"]", 1, 9,
         "syntax error: expected a low surrogate (\\uDC00 to \\uDFFF) after the high surrogate "
         "\\uD83D, found \\uD83D"},
        {"[\"\\ud800\\n\"]", 1, 9,
         "syntax error: expected a low surrogate (\\uDC00 to \\uDFFF) after the high surrogate "
         "\\uD800, found '\\n'"},
        {"[\"\\udc00x\"]", 1, 3,
         "syntax error: expected a high surrogate (\\uD800 to \\uDBFF) before a low surrogate, "
         "found \\uDC00 alone"},
        {"[\"ok\",\n \"\\uDFFF\"]", 2, 3,
         "syntax error: expected a high surrogate (\\uD800 to \\uDBFF) before a low surrogate, "
         "found \\uDFFF alone"},
    };
    expect_all_refused(cases, sizeof cases / sizeof cases[0]);
}

/* ---------------------------------------------------------------- n_: UTF-8 */

Test(json_syntax, invalid_utf8_is_refused_at_its_first_byte) {
    static const refused cases[] = {
        {"[\"\xc0\xaf\"]", 1, 3,
         UTF8_EXPECTED ", found the bytes 0xc0 0xaf (an overlong encoding)"},
        {"[\"\xe0\x80\xaf\"]", 1, 3,
         UTF8_EXPECTED ", found the bytes 0xe0 0x80 0xaf (an overlong encoding)"},
        {"[\"\xf0\x80\x80\xaf\"]", 1, 3,
         UTF8_EXPECTED ", found the bytes 0xf0 0x80 0x80 0xaf (an overlong encoding)"},
        {"[\"\xed\xa0\x80\"]", 1, 3,
         UTF8_EXPECTED ", found the bytes 0xed 0xa0 0x80 (a UTF-16 surrogate encoded in UTF-8)"},
        {"[\"\xed\xbf\xbf\"]", 1, 3,
         UTF8_EXPECTED ", found the bytes 0xed 0xbf 0xbf (a UTF-16 surrogate encoded in UTF-8)"},
        {"[\"\xf4\x90\x80\x80\"]", 1, 3,
         UTF8_EXPECTED ", found the bytes 0xf4 0x90 0x80 0x80 (beyond U+10FFFF)"},
        {"[\"\xf5\x80\x80\x80\"]", 1, 3,
         UTF8_EXPECTED ", found the byte 0xf5 (never used in UTF-8)"},
        {"[\"\xf8\x88\x80\x80\x80\"]", 1, 3,
         UTF8_EXPECTED ", found the byte 0xf8 (never used in UTF-8)"},
        {"[\"\xff\"]", 1, 3, UTF8_EXPECTED ", found the byte 0xff (never used in UTF-8)"},
        {"[\"\x80\"]", 1, 3,
         UTF8_EXPECTED ", found the byte 0x80 (a continuation byte without a lead byte)"},
        {"[\"\xe2\x82\"]", 1, 3,
         UTF8_EXPECTED ", found the bytes 0xe2 0x82 (a sequence cut short)"},
        {"[\"\xe0\xa0\"]", 1, 3,
         UTF8_EXPECTED ", found the bytes 0xe0 0xa0 (a sequence cut short)"},
        {"[\"caf\xe9\"]", 1, 6, UTF8_EXPECTED ", found the byte 0xe9 (a sequence cut short)"},
        /* after an 'é' (two bytes, one column) */
        {"[\"\xc3\xa9\xff\"]", 1, 4, UTF8_EXPECTED ", found the byte 0xff (never used in UTF-8)"},
        {"{\n\"a\":\n\"\xed\xa0\x80\"}", 3, 2,
         UTF8_EXPECTED ", found the bytes 0xed 0xa0 0x80 (a UTF-16 surrogate encoded in UTF-8)"},
        {"[\xff]", 1, 2, "syntax error: " VALUE_EXPECTED ", found the byte 0xff"},
        {"[1]\xc3\xa9", 1, 4,
         "syntax error: expected the end of the file after the JSON value, found '\xc3\xa9' "
         "(U+00E9)"},
        {"\xef\xbb\xbf{}", 1, 1,
         "syntax error: a JSON text does not start with a byte order mark (save the file as "
         "UTF-8 without one), found U+FEFF"},
    };
    expect_all_refused(cases, sizeof cases / sizeof cases[0]);
}

/* ---------------------------------------------------------------- n_: structure */

Test(json_syntax, malformed_structure_is_refused_at_the_first_character_that_cannot_fit) {
    static const refused cases[] = {
        {"[1,]", 1, 4,
         "syntax error: expected a value after ',' (JSON allows no trailing comma), found ']'"},
        {"[,1]", 1, 2, "syntax error: " VALUE_EXPECTED ", found ','"},
        {"{\"a\" 1}", 1, 6, "syntax error: expected ':' after the field name, found '1'"},
        {"{\"a\"::1}", 1, 6, "syntax error: " VALUE_EXPECTED ", found ':'"},
        {"{\"a\":1,}", 1, 8,
         "syntax error: expected a field name after ',' (JSON allows no trailing comma), found "
         "'}'"},
        {"{\"a\":1,\"a\"}", 1, 11, "syntax error: expected ':' after the field name, found '}'"},
        {"[1 2]", 1, 4, "syntax error: expected ',' or ']' after a value, found '2'"},
        {"{1:1}", 1, 2, "syntax error: expected a field name in double quotes, found '1'"},
        {"[\"a\",", 1, 6, "syntax error: " VALUE_EXPECTED ", found the end of the file"},
        {"[", 1, 2, "syntax error: " VALUE_EXPECTED ", found the end of the file"},
        {"]", 1, 1, "syntax error: " VALUE_EXPECTED ", found ']'"},
        {"{\"a\":1}}", 1, 8,
         "syntax error: expected the end of the file after the scenario's closing '}', found "
         "'}'"},
        {"[1]]", 1, 4,
         "syntax error: expected the end of the file after the JSON value, found ']'"},
        {"[true false]", 1, 7, "syntax error: expected ',' or ']' after a value, found 'f'"},
        {"[tru]", 1, 2, "syntax error: " VALUE_EXPECTED ", found 't'"},
        {"[nulll]", 1, 6, "syntax error: expected ',' or ']' after a value, found 'l'"},
        {"{\"a\":1 /* c */}", 1, 8, "syntax error: JSON allows no comments, found '/*'"},
        {"  \n  ", 2, 3,
         "syntax error: expected a JSON object (the file is empty), found the end of the file"},
        /* cJSON takes every byte up to 0x20 as white space; JSON takes four */
        {"[1\f]", 1, 3,
         "syntax error: expected ',' or ']' after a value, found a form feed (U+000C)"},
        {"\x0b{}", 1, 1, "syntax error: " VALUE_EXPECTED ", found the control character U+000B"},
        {"{\"a\":1}\x01", 1, 8,
         "syntax error: expected the end of the file after the scenario's closing '}', found the "
         "control character U+0001"},
    };
    expect_all_refused(cases, sizeof cases / sizeof cases[0]);
}

/* 1000 levels of nesting are read (cJSON's limit); the 1001st is refused at
 * its bracket. */
Test(json_syntax, nesting_deeper_than_a_thousand_levels_is_refused_at_the_extra_bracket) {
    char *text = malloc(2 * 1001 + 1);
    cr_assert_not_null(text);
    memset(text, '[', 1000);
    memset(text + 1000, ']', 1000);
    text[2000] = '\0';
    double x;
    sib_error err;
    cr_assert_eq(scenario_number_at(text, "/0", &x, &err), SIB_EINVAL, "%s", err.message);
    cr_assert_str_eq(err.message, "expected a number, found an array of 1 element");
    memset(text, '[', 1001);
    memset(text + 1001, ']', 1001);
    text[2002] = '\0';
    refused c = {text, 1, 1001,
                 "syntax error: expected less deeply nested values (at most 1000 levels), found "
                 "'['"};
    expect_all_refused(&c, 1);
    free(text);
}

/* ---------------------------------------------------------------- positions */

Test(json_syntax, lines_end_at_lf_crlf_or_a_cr_alone) {
    static const refused cases[] = {
        {"{\n\"a\": 1,\n\"b\": 01}", 3, 6,
         "syntax error: JSON numbers have no leading zeros, found '01'"},
        {"{\r\n\"a\": 1,\r\n\"b\": 01}", 3, 6,
         "syntax error: JSON numbers have no leading zeros, found '01'"},
        {"{\r\"a\": 1,\r\"b\": 01}", 3, 6,
         "syntax error: JSON numbers have no leading zeros, found '01'"},
        /* a trailing comma, which cJSON refuses too (it was placed on line 1) */
        {"{\r\"a\": 1,\r}", 3, 1,
         "syntax error: expected a field name after ',' (JSON allows no trailing comma), found "
         "'}'"},
        /* a blank CRLF line and a blank CR line count once each */
        {"{\r\n\r\n\r\r\"b\": 01}", 5, 6,
         "syntax error: JSON numbers have no leading zeros, found '01'"},
    };
    expect_all_refused(cases, sizeof cases / sizeof cases[0]);
}

Test(json_syntax, columns_count_characters_not_bytes_and_a_tab_is_one_column) {
    static const refused cases[] = {
        /* 'é' is two bytes, the emoji four: each is one column */
        {"{\"name\": \"x\",\n \"\xc3\xa9\xf0\x9f\x98\x80\": 01}", 2, 8,
         "syntax error: JSON numbers have no leading zeros, found '01'"},
        {"{\"\xc3\xa9\xf0\x9f\x98\x80\": 1,}", 1, 10,
         "syntax error: expected a field name after ',' (JSON allows no trailing comma), found "
         "'}'"},
        {"{\t\"a\":\t01}", 1, 8, "syntax error: JSON numbers have no leading zeros, found '01'"},
        /* an escape counts as the characters written */
        {"{\"\\u00e9\": 01}", 1, 12,
         "syntax error: JSON numbers have no leading zeros, found '01'"},
    };
    expect_all_refused(cases, sizeof cases / sizeof cases[0]);
}

/* The same scenario file with CR line ends is refused at the same line and
 * column as with LF (it was "line 1" before). */
Test(json_syntax, a_file_with_cr_line_ends_is_placed_on_its_lines) {
    cr_assert_eq(chdir(SIBSIM_SOURCE_DIR), 0);
    const char *names[] = {"syntax-leading-zero.json", "syntax-cr-line-ends.json"};
    for (int i = 0; i < 2; i++) {
        char path[256], expected[512], buf[1200];
        snprintf(path, sizeof path, "tests/bad/%s", names[i]);
        sib_error err;
        scenario *sc = scenario_load_file(path, &err);
        if (sc != NULL) {
            scenario_free(sc);
            cr_assert_fail("%s loads: a cohort size of 0100 was read as 100", path);
        }
        snprintf(expected, sizeof expected,
                 "%s:5:64: syntax error: JSON numbers have no leading zeros, found '0100'", path);
        cr_assert_str_eq(sib_error_format(&err, buf, sizeof buf), expected);
    }
}

/* Scenario files that cJSON read without a word. */
Test(json_syntax, scenarios_that_loaded_with_a_raw_tab_latin1_or_a_lone_surrogate_are_refused) {
    cr_assert_eq(chdir(SIBSIM_SOURCE_DIR), 0);
    static const struct {
        const char *path, *message;
    } cases[] = {
        {"tests/bad/syntax-tab-in-name.json",
         "tests/bad/syntax-tab-in-name.json:2:15: " CONTROL_EXPECTED ", found a tab (U+0009)"},
        {"tests/bad/syntax-latin1-description.json",
         "tests/bad/syntax-latin1-description.json:3:22: " UTF8_EXPECTED
         ", found the byte 0xe9 (a sequence cut short)"},
        {"tests/bad/syntax-lone-surrogate.json",
         "tests/bad/syntax-lone-surrogate.json:2:22: syntax error: expected a low surrogate "
         "(\\uDC00 to \\uDFFF) after the high surrogate \\uD800, found '\"'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sib_error err;
        scenario *sc = scenario_load_file(cases[i].path, &err);
        if (sc != NULL) {
            scenario_free(sc);
            cr_assert_fail("%s loads", cases[i].path);
        }
        char buf[1200];
        cr_expect_str_eq(sib_error_format(&err, buf, sizeof buf), cases[i].message);
    }
}

/* ---------------------------------------------------------------- every entry point */

Test(json_syntax, every_entry_point_checks_the_text_before_reading_it) {
    const char *text = "{\"a\": 01}";
    double x = 0;
    sib_error err;
    cr_assert_eq(scenario_number_at(text, "/a", &x, &err), SIB_ESYNTAX,
                 "scenario_number_at read 01 as %g", x);
    cr_assert_eq(err.line, 1);
    cr_assert_eq(err.col, 7);
    scenario_override ov = {"/a", 2};
    cr_assert_null(scenario_load_string_with(text, "t.json", &ov, 1, &err));
    cr_assert_eq(err.code, SIB_ESYNTAX);
    cr_assert_eq(err.col, 7);

    /* a realised record read from its own file */
    scenario *sc = scenario_load_file(SIBSIM_SOURCE_DIR "/scenarios/peterborough.json", &err);
    cr_assert_not_null(sc, "%s", err.message);
    char dir[] = "/tmp/sibsim-json-XXXXXX", path[128];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/record.json", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("{\"description\": \"a\tb\", \"results\": []}", f);
    fclose(f);
    cr_assert_eq(scenario_load_realised_file(sc, path, &err), SIB_ESYNTAX,
                 "a raw tab in the record's description was read");
    char buf[1200], expected[1200];
    snprintf(expected, sizeof expected, "%s:1:19: " CONTROL_EXPECTED ", found a tab (U+0009)",
             path);
    cr_assert_str_eq(sib_error_format(&err, buf, sizeof buf), expected);
    remove(path);
    rmdir(dir);
    scenario_free(sc);
}

/* sib_file_read refuses a file over 16 MiB; a string that long is refused
 * with the same message before it is read. */
Test(json_syntax, a_string_over_sixteen_mib_is_refused_like_such_a_file) {
    size_t n = (16u << 20) + 1;
    char *text = malloc(n + 1);
    cr_assert_not_null(text);
    memset(text, ' ', n);
    text[0] = '{';
    text[n - 1] = '}';
    text[n] = '\0';
    sib_error err;
    cr_assert_null(scenario_load_string(text, "big.json", &err));
    char buf[1200];
    cr_assert_str_eq(sib_error_format(&err, buf, sizeof buf),
                     "big.json: the file is larger than 16 MiB, the most a scenario or record "
                     "may be");
    cr_assert_eq(err.code, SIB_EIO);
    /* 16 MiB exactly is read: "{" ... "}" is an object without a name. */
    text[n - 1] = ' ';
    text[n - 2] = '}';
    text[n - 1] = '\0';
    cr_assert_null(scenario_load_string(text, "big.json", &err));
    cr_assert_eq(err.code, SIB_EINVAL, "%s", err.message);
    cr_assert_str_eq(err.pointer, "/name");
    free(text);
}

Test(json_syntax, a_file_over_sixteen_mib_is_refused_before_it_is_read_whole) {
    char dir[] = "/tmp/sibsim-json-XXXXXX", path[128];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/big.json", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    cr_assert_eq(ftruncate(fileno(f), (off_t)(17u << 20)), 0); /* sparse: cheap */
    fclose(f);
    sib_error err;
    cr_assert_null(scenario_load_file(path, &err));
    cr_assert_eq(err.code, SIB_EIO);
    cr_assert_str_eq(err.message,
                     "the file is larger than 16 MiB, the most a scenario or record may be");
    remove(path);
    rmdir(dir);
}

/* ---------------------------------------------------------------- y_: accepted */

Test(json_syntax, numbers_that_rfc_8259_allows_are_read) {
    static const struct {
        const char *text, *pointer;
        double value;
    } cases[] = {
        {"[0]", "/0", 0},
        {"[1E22]", "/0", 1e22},
        {"[1e-2]", "/0", 0.01},
        {"[0.5E+3]", "/0", 500},
        {"[-123.456e-7]", "/0", -1.23456e-5},
        {"[0e1]", "/0", 0},
        {"[-0.0]", "/0", 0},
        {" \t\r\n[\r\n 1.5 \t]\n", "/0", 1.5},
        {"\r[\r2\r]\r", "/0", 2},
        {"{\"a\": [{\"b\": [2]}]}", "/a/0/b/0", 2},
        {"{\"a\": 1, \"b\": {\"\": [true, false, null, \"\", {}, []]}, \"c\": 3}", "/c", 3},
        {"[123456789012345678901234567890.0]", "/0", 1.2345678901234568e29},
        {"[1.2345678901234567890123456789e29]", "/0", 1.2345678901234568e29},
        {"[9007199254740992]", "/0", 9007199254740992.0},
        {"[-9007199254740992]", "/0", -9007199254740992.0},
        {"[158456325028528675187087900672]", "/0", 158456325028528675187087900672.0}, /* 2^97 */
        {"[1e-320]", "/0", 1e-320},
        {"{\"\\u00e9\": 4, \"\xc3\xa9x\": 5}", "/\xc3\xa9x", 5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double x = -99;
        sib_error err;
        int rc = scenario_number_at(cases[i].text, cases[i].pointer, &x, &err);
        cr_expect_eq(rc, SIB_OK, "case %zu (%s): %s", i, cases[i].text, err.message);
        cr_expect(fabs(x - cases[i].value) <= 1e-12 * fmax(1, fabs(cases[i].value)),
                  "case %zu: %.17g, not %.17g", i, x, cases[i].value);
    }
    double x = 1;
    sib_error err;
    cr_assert_eq(scenario_number_at("[-0]", "/0", &x, &err), SIB_OK);
    cr_assert(x == 0 && signbit(x), "-0 is minus zero");
}

/* The rest of a small valid scenario, after its name (and description):
 * one stage, one rate outcome, one payment. */
#define SMALL_SCENARIO_REST                                                                     \
    " \"currency\": \"EUR\",\n"                                                                   \
    " \"stages\": [{\"name\": \"s\", \"duration\": 1, \"cohorts\": [{\"size\": 10}]}],\n"           \
    " \"outcomes\": [{\"name\": \"o\", \"kind\": \"rate\", \"direction\": "                        \
    "\"higher_is_better\", \"baseline\": 0.4, \"effect\": {\"prior\": 0.05},\n"                     \
    "  \"evaluation\": {\"design\": \"rct\", \"comparison_size\": 10}}],\n"                         \
    " \"contract\": {\"payments\": [{\"outcome\": \"o\", \"type\": \"per_unit\", "                \
    "\"price\": 5}]}}"

/* Escapes, surrogate pairs, raw UTF-8 of every length, DEL and U+2028 are
 * all allowed in a JSON string and decoded by the reader. */
Test(json_syntax, strings_that_rfc_8259_allows_are_decoded) {
    const char *text = "[\"\\u00e9\\ud83d\\ude00 \\\"q\\\" \\\\ \\/ \\b\\f\\n\\r\\t "
                       "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \x7f \\uFFFF \xe2\x80\xa8 \xf4\x8f\xbf\xbf\"]";
    sib_error err;
    cJSON *root = json_parse_checked(text, "t.json", &err);
    cr_assert_not_null(root, "%s", err.message);
    cr_assert_str_eq(cJSON_GetArrayItem(root, 0)->valuestring,
                     "\xc3\xa9\xf0\x9f\x98\x80 \"q\" \\ / \b\f\n\r\t "
                     "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \x7f \xef\xbf\xbf "
                     "\xe2\x80\xa8 \xf4\x8f\xbf\xbf");
    cJSON_Delete(root);
}

/* A scenario's name keeps every character it decodes to but a control
 * character (json_syntax::control_characters_in_names_are_refused). */
Test(json_syntax, a_name_keeps_what_its_escapes_decode_to) {
    const char *text =
        "{\"name\": \"\\u00e9\\ud83d\\ude00 \\\"q\\\" \\\\ \\/ "
        "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \\uFFFF \xe2\x80\xa8 \xf4\x8f\xbf\xbf\",\n"
        SMALL_SCENARIO_REST;
    sib_error err;
    scenario *sc = scenario_load_string(text, "t.json", &err);
    cr_assert_not_null(sc, "%s", err.message);
    cr_assert_str_eq(sc->name, "\xc3\xa9\xf0\x9f\x98\x80 \"q\" \\ / "
                               "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \xef\xbf\xbf "
                               "\xe2\x80\xa8 \xf4\x8f\xbf\xbf");
    scenario_free(sc);
}

/* A control character in a name would split a table's row in two, and an
 * escape (U+001B) would be taken by a terminal as the start of a command:
 * refused where it stands, with its code point and position. A
 * description may run over lines (a line feed, a tab), nothing else. */
Test(json_syntax, control_characters_in_names_are_refused) {
    static const struct {
        const char *name, *description, *pointer, *found;
    } cases[] = {
        {"a\\nb", "", "/name", "found U+000A (a line feed) at character 2"},
        {"\\u001b[2Jx", "", "/name", "found U+001B (an escape) at character 1"},
        {"ok", "one\\u0007", "/description", "found U+0007 at character 4"},
        {"ok", "a\\r\\nb", "/description", "found U+000D (a carriage return) at character 2"},
        {"\xc3\xa9\\u007f", "", "/name", "found U+007F at character 2"},
        {"x\\u0085", "", "/name", "found U+0085 at character 2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text,
                 "{\"name\": \"%s\", \"description\": \"%s\"," SMALL_SCENARIO_REST,
                 cases[i].name, cases[i].description);
        sib_error err;
        scenario *sc = scenario_load_string(text, "t.json", &err);
        cr_expect_null(sc, "case %zu loads", i);
        scenario_free(sc);
        cr_expect_eq(err.code, SIB_EINVAL, "case %zu: %s", i, err.message);
        cr_expect_str_eq(err.pointer, cases[i].pointer, "case %zu", i);
        cr_expect(strstr(err.message, "without control characters") != NULL &&
                      strstr(err.message, cases[i].found) != NULL,
                  "case %zu: %s", i, err.message);
    }
    /* A stage's name (read_string) too; and a description's lines are kept. */
    const char *ok =
        "{\"name\": \"n\", \"description\": \"line one\\n\\tline two\","
        SMALL_SCENARIO_REST;
    sib_error err;
    scenario *sc = scenario_load_string(ok, "t.json", &err);
    cr_assert_not_null(sc, "%s", err.message);
    cr_assert_str_eq(sc->description, "line one\n\tline two");
    scenario_free(sc);
    char bad[1024];
    const char *at = strstr(ok, "\"name\": \"s\"");
    cr_assert_not_null(at);
    snprintf(bad, sizeof bad, "%.*s\"name\": \"\\t\"%s", (int)(at - ok), ok, at + 11);
    cr_assert_null(scenario_load_string(bad, "t.json", &err));
    cr_assert_str_eq(err.pointer, "/stages/0/name", "%s", err.message);
    cr_assert(strstr(err.message, "found U+0009 (a tab) at character 1") != NULL, "%s", err.message);
}

/* A field name with an escape is the name it decodes to: unknown here. */
Test(json_syntax, an_escaped_field_name_is_read_as_what_it_decodes_to) {
    sib_error err;
    cr_assert_null(scenario_load_string("{\"\\u00e9t\\u00e9\": 1}", "t.json", &err));
    cr_assert_eq(err.code, SIB_EINVAL, "%s", err.message);
    cr_assert_str_eq(err.pointer, "/\xc3\xa9t\xc3\xa9");
}

/* Every scenario of the library still loads under the strict checker (also
 * asserted by the loader's own tests), and with CRLF line ends too. */
Test(json_syntax, the_library_loads_with_crlf_line_ends) {
    static const char *const files[] = {"peterborough",
                                        "rikers-island",
                                        "utah-preschool",
                                        "educate-girls-dib",
                                        "regional-pilot-to-scale",
                                        "icrc-humanitarian-impact-bond",
                                        "massachusetts-juvenile-justice",
                                        "newpin-social-benefit-bond",
                                        "benevolent-society-social-benefit-bond"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/scenarios/%s.json", SIBSIM_SOURCE_DIR, files[i]);
        sib_error err;
        char *text = sib_file_read(path, &err);
        cr_assert_not_null(text, "%s", err.message);
        size_t n = strlen(text), lines = 0;
        for (size_t k = 0; k < n; k++) lines += text[k] == '\n';
        char *crlf = malloc(n + lines + 1);
        cr_assert_not_null(crlf);
        size_t j = 0;
        for (size_t k = 0; k < n; k++) {
            if (text[k] == '\n') crlf[j++] = '\r';
            crlf[j++] = text[k];
        }
        crlf[j] = '\0';
        scenario *sc = scenario_load_string(crlf, path, &err);
        cr_expect_not_null(sc, "%s: %s", path, err.message);
        scenario_free(sc);
        free(crlf);
        free(text);
    }
}
