/* test_sources.c -- a scenario's "$schema", "sources" and "assumptions":
 * what the loader keeps of them (scenario_assumptions_at), and every rule
 * it enforces on them, each with its exact message. The scenarios of
 * scenarios/ carry their own sources and assumptions; tests/e2e/schema.sh
 * checks them against the JSON Schema and `validate --verbose`.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "loader_helpers.h"

/* The minimal scenario with `extra` after its contract (extra starts with
 * ","), loaded or refused as a file called "p.json". */
static const char *with(const char *extra) { return minimal_plus(extra); }

static void refused(const char *extra, const char *pointer, const char *message) {
    sib_error err;
    scenario *sc = scenario_load_string(with(extra), "p.json", &err);
    if (sc != NULL) {
        scenario_free(sc);
        cr_assert_fail("loads, but it should be refused at %s", pointer);
    }
    char expected[1200];
    snprintf(expected, sizeof expected, "p.json: %s: %s", pointer, message);
    expect_invalid(&err, pointer, expected);
}

static const char two_sources[] = ", \"sources\": [{\"title\": \"Annual report 2015\", \"url\": "
                                  "\"https://example.org/report.pdf\", \"note\": \"tables 3 and "
                                  "4\"}, {\"title\": \"Interview\"}]";

/* ----------------------------------------------------------- what is kept */

Test(sources, a_scenario_without_them_has_no_sources_and_no_assumptions) {
    scenario *sc = must_load(with(""));
    cr_assert_eq(sc->n_sources, 0);
    cr_assert_eq(sc->n_assumptions, 0);
    cr_assert_eq(scenario_assumptions_at(sc, "/contract/payments/0/price", NULL, 0), 0);
    scenario_free(sc);
}

Test(sources, sources_keep_their_title_address_and_note) {
    scenario *sc = must_load(with(two_sources));
    cr_assert_eq(sc->n_sources, 2);
    cr_assert_str_eq(sc->sources[0].title, "Annual report 2015");
    cr_assert_str_eq(sc->sources[0].url, "https://example.org/report.pdf");
    cr_assert_str_eq(sc->sources[0].note, "tables 3 and 4");
    cr_assert_str_eq(sc->sources[1].title, "Interview");
    cr_assert_str_eq(sc->sources[1].url, "", "an absent address is empty");
    cr_assert_str_eq(sc->sources[1].note, "");
    scenario_free(sc);
}

Test(sources, assumptions_keep_their_field_note_status_sources_and_value) {
    char extra[2048];
    snprintf(extra, sizeof extra,
             "%s, \"assumptions\": ["
             "{\"pointer\": \"/contract/payments/0/price\", \"note\": \"from the rate card\", "
             "\"status\": \"sourced\", \"source\": \"Annual report 2015\"},"
             "{\"pointer\": \"/outcomes/0/effect\", \"note\": \"a view at signing\"},"
             "{\"pointer\": \"/contract/payments/0/price\", \"note\": \"confirmed\", "
             "\"status\": \"inferred\", \"source\": [1, \"Annual report 2015\"]},"
             "{\"pointer\": \"/currency\", \"note\": \"n\", \"status\": \"unverified\"}]",
             two_sources);
    scenario *sc = must_load(with(extra));
    cr_assert_eq(sc->n_assumptions, 4);
    const scenario_assumption *a = sc->assumptions;
    cr_assert_str_eq(a[0].pointer, "/contract/payments/0/price");
    cr_assert_str_eq(a[0].note, "from the rate card");
    cr_assert_eq(a[0].status, ASSUMPTION_SOURCED);
    cr_assert_eq(a[0].n_sources, 1);
    cr_assert_eq(a[0].sources[0], 0, "a source cited by its title");
    cr_assert_str_eq(a[0].value, "500", "the field's value, as loaded");
    cr_assert_eq(a[1].status, ASSUMPTION_ASSUMED, "the default status");
    cr_assert_eq(a[1].n_sources, 0);
    cr_assert_str_eq(a[1].value, "{\"prior\": 0.05}", "an object's value is its JSON");
    cr_assert_eq(a[2].n_sources, 2);
    cr_assert_eq(a[2].sources[0], 1, "a source cited by its index");
    cr_assert_eq(a[2].sources[1], 0);
    cr_assert_eq(a[2].status, ASSUMPTION_INFERRED);
    cr_assert_str_eq(a[3].value, "\"EUR\"");
    cr_assert_eq(a[3].status, ASSUMPTION_UNVERIFIED);
    scenario_free(sc);
}

/* A value as a page can show it: a list of named things by their names,
 * a named thing by its name, other JSON with a space after each comma and
 * colon outside strings (so that it wraps between members). Before, the
 * committee paper showed Massachusetts' cohorts as one unbroken run of
 * compact JSON cut at 160 bytes, wrapped inside its words. */
Test(sources, a_value_is_shown_in_words_or_as_json_that_can_wrap) {
    char extra[2048];
    snprintf(extra, sizeof extra,
             ", \"description\": \"A, b: \\\"c\\\"\","
             " \"financing\": [{\"name\": \"g\", \"type\": \"grant\"}], \"assumptions\": ["
             "{\"pointer\": \"/stages\", \"note\": \"n\"},"
             "{\"pointer\": \"/stages/0\", \"note\": \"n\"},"
             "{\"pointer\": \"/contract/payments\", \"note\": \"n\"},"
             "{\"pointer\": \"/financing/0\", \"note\": \"n\"},"
             "{\"pointer\": \"/description\", \"note\": \"n\"}]");
    scenario *sc = must_load(with(extra));
    const scenario_assumption *a = sc->assumptions;
    cr_assert_str_eq(a[0].value, "1 item: \"delivery\"", "got %s", a[0].value);
    cr_assert_str_eq(a[1].value, "\"delivery\" and its 3 other fields", "got %s", a[1].value);
    /* The payments have no names: their JSON, spaced. */
    cr_assert_str_eq(a[2].value,
                     "[{\"outcome\": \"employed\", \"type\": \"per_unit\", \"price\": 500}]",
                     "got %s", a[2].value);
    cr_assert_str_eq(a[3].value, "\"g\" and its 1 other field", "got %s", a[3].value);
    /* Nothing is added inside a string, escaped quotes included. */
    cr_assert_str_eq(a[4].value, "\"A, b: \\\"c\\\"\"", "got %s", a[4].value);
    scenario_free(sc);
}

/* The same values, structured: what the committee paper words without
 * reading JSON (cJSON stays in the loader). */
Test(sources, a_value_is_kept_structured_for_a_reader_that_words_it) {
    char extra[2048];
    snprintf(extra, sizeof extra,
             ", \"financing\": [{\"name\": \"g\", \"type\": \"grant\"}], \"assumptions\": ["
             "{\"pointer\": \"/stages\", \"note\": \"n\"},"
             "{\"pointer\": \"/contract/payments/0\", \"note\": \"n\"},"
             "{\"pointer\": \"/financing/0/type\", \"note\": \"n\"},"
             "{\"pointer\": \"/contract/payments/0/price\", \"note\": \"n\"}]");
    scenario *sc = must_load(with(extra));
    const scenario_assumption *a = sc->assumptions;
    /* /stages: a list of one named object. */
    cr_assert_eq(a[0].kind, VALUE_LIST);
    cr_assert_eq(a[0].size, 1);
    cr_assert_eq(a[0].n_members, 1);
    cr_assert_null(a[0].members[0].key);
    cr_assert_eq(a[0].members[0].kind, VALUE_OBJECT);
    cr_assert_str_eq(a[0].members[0].text, "delivery");
    cr_assert_eq(a[0].members[0].size, 4, "name, start, duration and cohorts");
    /* A payment rule: an object of two strings and a number. */
    cr_assert_eq(a[1].kind, VALUE_OBJECT);
    cr_assert_eq(a[1].size, 3);
    cr_assert_str_eq(a[1].members[0].key, "outcome");
    cr_assert_eq(a[1].members[0].kind, VALUE_STRING);
    cr_assert_str_eq(a[1].members[0].text, "employed");
    cr_assert_str_eq(a[1].members[2].key, "price");
    cr_assert_eq(a[1].members[2].kind, VALUE_NUMBER);
    cr_assert_eq(a[1].members[2].number, 500);
    /* Scalars: their kind alone, no members. */
    cr_assert_eq(a[2].kind, VALUE_STRING);
    cr_assert_str_eq(a[2].string, "grant");
    cr_assert_eq(a[3].kind, VALUE_NUMBER);
    cr_assert_eq(a[2].n_members + a[3].n_members, 0);
    scenario_free(sc);
}

Test(sources, the_accessor_finds_every_note_on_one_field_and_only_on_it) {
    char extra[2048];
    snprintf(extra, sizeof extra,
             "%s, \"assumptions\": ["
             "{\"pointer\": \"/contract/payments/0/price\", \"note\": \"first\"},"
             "{\"pointer\": \"/contract/payments/0\", \"note\": \"the rule\"},"
             "{\"pointer\": \"/contract/payments/0/price\", \"note\": \"second\"}]",
             two_sources);
    scenario *sc = must_load(with(extra));
    size_t idx[4] = {99, 99, 99, 99};
    cr_assert_eq(scenario_assumptions_at(sc, "/contract/payments/0/price", idx, 4), 2);
    cr_assert_eq(idx[0], 0);
    cr_assert_eq(idx[1], 2);
    cr_assert_eq(idx[2], 99, "nothing written past the count");
    /* Fewer slots than notes: the count says how many there are. */
    idx[0] = 99;
    cr_assert_eq(scenario_assumptions_at(sc, "/contract/payments/0/price", idx, 1), 2);
    cr_assert_eq(idx[0], 0);
    cr_assert_eq(scenario_assumptions_at(sc, "/contract/payments/0/price", NULL, 0), 2);
    cr_assert_eq(scenario_assumptions_at(sc, "/contract/payments/0", idx, 4), 1);
    cr_assert_eq(idx[0], 1);
    cr_assert_eq(scenario_assumptions_at(sc, "/contract/payments", idx, 4), 0,
                 "a field holding an annotated one is not annotated itself");
    cr_assert_eq(scenario_assumptions_at(sc, "/contract/payments/0/pric", idx, 4), 0);
    scenario_free(sc);
}

Test(sources, status_names_are_those_of_the_file) {
    cr_assert_str_eq(assumption_status_name(ASSUMPTION_ASSUMED), "assumed");
    cr_assert_str_eq(assumption_status_name(ASSUMPTION_SOURCED), "sourced");
    cr_assert_str_eq(assumption_status_name(ASSUMPTION_INFERRED), "inferred");
    cr_assert_str_eq(assumption_status_name(ASSUMPTION_UNVERIFIED), "unverified");
}

Test(sources, a_long_value_is_cut_to_160_bytes_with_an_ellipsis) {
    char extra[4096];
    snprintf(extra, sizeof extra,
             ", \"description\": \"%0200d\", \"assumptions\": [{\"pointer\": \"/description\", "
             "\"note\": \"n\"}]",
             0);
    scenario *sc = must_load(with(extra));
    cr_assert_eq(strlen(sc->assumptions[0].value), 160);
    cr_assert_eq(strncmp(sc->assumptions[0].value, "\"0000", 5), 0);
    cr_assert_str_eq(sc->assumptions[0].value + 157, "...");
    scenario_free(sc);
}

Test(sources, a_value_is_cut_between_characters_not_inside_one) {
    /* "é" is two bytes: after the opening quote, 78 of them end at byte
     * 157, where the cut falls; 79 would cross it. */
    char extra[4096] = ", \"description\": \"";
    for (int i = 0; i < 100; i++) strcat(extra, "\xc3\xa9");
    strcat(extra, "\", \"assumptions\": [{\"pointer\": \"/description\", \"note\": \"n\"}]");
    scenario *sc = must_load(with(extra));
    const char *v = sc->assumptions[0].value;
    cr_assert_eq(strlen(v), 160);
    cr_assert_str_eq(v + 157, "...");
    /* One byte earlier would split an "é": the cut keeps whole ones. */
    extra[0] = '\0';
    strcat(extra, ", \"description\": \"x");
    for (int i = 0; i < 100; i++) strcat(extra, "\xc3\xa9");
    strcat(extra, "\", \"assumptions\": [{\"pointer\": \"/description\", \"note\": \"n\"}]");
    scenario *sc2 = must_load(with(extra));
    const char *w = sc2->assumptions[0].value;
    cr_assert_eq(strlen(w), 159, "\"x + 77 x 2 bytes, then ...");
    cr_assert_str_eq(w + 156, "...");
    scenario_free(sc2);
    scenario_free(sc);
}

Test(sources, a_case_or_an_override_keeps_sources_and_assumptions_and_shows_the_value) {
    char extra[2048];
    snprintf(extra, sizeof extra,
             "%s, \"assumptions\": [{\"pointer\": \"/contract/payments/0/price\", \"note\": "
             "\"n\"}]",
             two_sources);
    scenario_override ov = {"/contract/payments/0/price", 750};
    sib_error err;
    scenario *sc = scenario_load_string_with(with(extra), "p.json", &ov, 1, &err);
    cr_assert_not_null(sc, "%s", err.message);
    cr_assert_eq(sc->n_sources, 2);
    cr_assert_eq(sc->n_assumptions, 1);
    cr_assert_str_eq(sc->assumptions[0].value, "750");
    scenario_free(sc);
}

/* ---------------------------------------------------------------- $schema */

Test(sources, a_schema_address_is_accepted_and_ignored) {
    scenario *sc = must_load(with(", \"$schema\": \"../docs/sibsim.schema.json\""));
    scenario_free(sc);
    sc = must_load(with(", \"$schema\": \"\""));
    scenario_free(sc);
}

Test(sources, a_schema_address_that_is_not_a_string_is_refused) {
    const char *msg = "expected a string (the address of the JSON Schema that editors read; "
                      "sibsim ignores it), found ";
    char m[300];
    snprintf(m, sizeof m, "%s1", msg);
    refused(", \"$schema\": 1", "/$schema", m);
    snprintf(m, sizeof m, "%snull", msg);
    refused(", \"$schema\": null", "/$schema", m);
    snprintf(m, sizeof m, "%san object", msg);
    refused(", \"$schema\": {\"$ref\": \"x\"}", "/$schema", m);
}

/* ---------------------------------------------------------------- sources */

Test(sources, sources_are_a_non_empty_array_of_objects) {
    refused(", \"sources\": []", "/sources",
            "expected a non-empty array, found an array of 0 elements");
    refused(", \"sources\": \"a\"", "/sources",
            "expected a non-empty array, found the string \"a\"");
    refused(", \"sources\": [\"a\"]", "/sources/0", "expected an object, found the string \"a\"");
}

Test(sources, a_source_has_a_title_and_no_unknown_field) {
    refused(", \"sources\": [{\"url\": \"https://example.org\"}]", "/sources/0/title",
            "required field is missing");
    refused(", \"sources\": [{\"title\": \"\"}]", "/sources/0/title",
            "expected a non-empty string of at most 200 characters, found the string \"\"");
    refused(", \"sources\": [{\"title\": 3}]", "/sources/0/title",
            "expected a non-empty string of at most 200 characters, found 3");
    refused(", \"sources\": [{\"title\": \"a\", \"link\": \"https://example.org\"}]",
            "/sources/0/link", "unknown field \"link\" (expected one of: title, url, note)");
}

Test(sources, texts_are_bounded_in_characters) {
    char extra[4096];
    /* 200 characters of two bytes each: within the bound. */
    strcpy(extra, ", \"sources\": [{\"title\": \"");
    for (int i = 0; i < 200; i++) strcat(extra, "\xc3\xa9");
    strcat(extra, "\"}]");
    scenario *sc = must_load(with(extra));
    cr_assert_eq(strlen(sc->sources[0].title), 400);
    scenario_free(sc);
    snprintf(extra, sizeof extra, ", \"sources\": [{\"title\": \"%0201d\"}]", 0);
    refused(extra, "/sources/0/title", "expected at most 200 characters, found 201");
    snprintf(extra, sizeof extra, ", \"sources\": [{\"title\": \"t\", \"note\": \"%02001d\"}]", 0);
    refused(extra, "/sources/0/note", "expected at most 2000 characters, found 2001");
    snprintf(extra, sizeof extra,
             ", \"sources\": [{\"title\": \"t\", \"url\": \"https://%0493d\"}]", 0);
    refused(extra, "/sources/0/url", "expected at most 500 characters, found 501");
    snprintf(extra, sizeof extra,
             ", \"sources\": [{\"title\": \"t\", \"url\": \"https://%0492d\"}]", 0);
    sc = must_load(with(extra));
    scenario_free(sc);
}

Test(sources, an_address_starts_with_http_and_has_no_spaces) {
    const char *msg = "expected an address that starts with http:// or https:// and has no "
                      "spaces, found the string ";
    char m[300];
    snprintf(m, sizeof m, "%s\"www.example.org\"", msg);
    refused(", \"sources\": [{\"title\": \"t\", \"url\": \"www.example.org\"}]", "/sources/0/url",
            m);
    snprintf(m, sizeof m, "%s\"https://example.org/a b\"", msg);
    refused(", \"sources\": [{\"title\": \"t\", \"url\": \"https://example.org/a b\"}]",
            "/sources/0/url", m);
    snprintf(m, sizeof m, "%s\"https://\"", msg);
    refused(", \"sources\": [{\"title\": \"t\", \"url\": \"https://\"}]", "/sources/0/url", m);
    snprintf(m, sizeof m, "%s\"\"", msg);
    refused(", \"sources\": [{\"title\": \"t\", \"url\": \"\"}]", "/sources/0/url", m);
    snprintf(m, sizeof m, "%s\"HTTPS://example.org\"", msg);
    refused(", \"sources\": [{\"title\": \"t\", \"url\": \"HTTPS://example.org\"}]",
            "/sources/0/url", m);
    refused(", \"sources\": [{\"title\": \"t\", \"url\": 1}]", "/sources/0/url",
            "expected a string of at most 500 characters, found 1");
    scenario *sc = must_load(with(", \"sources\": [{\"title\": \"t\", \"url\": \"http://x\"}]"));
    scenario_free(sc);
}

/* 59 ASCII letters: the next character starts at the 60th byte. */
#define A59 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

Test(sources, source_titles_are_unique) {
    refused(", \"sources\": [{\"title\": \"a\"}, {\"title\": \"b\"}, {\"title\": \"a\"}]",
            "/sources/2/title",
            "duplicate source title \"a\" (also /sources/0): an assumption may cite a source by "
            "its title");
    /* A long title is quoted to 60 bytes, cut between two characters: the
     * 60th byte here is the first of an "é", which was left as "\xc3". */
    refused(", \"sources\": [{\"title\": \"" A59 "\u00e9 and more\"}, {\"title\": \"" A59
            "\u00e9 and more\"}]",
            "/sources/1/title",
            "duplicate source title \"" A59 "...\" (also /sources/0): an assumption may cite a "
            "source by its title");
}

/* ------------------------------------------------------------ assumptions */

Test(sources, an_assumption_has_a_pointer_and_a_note_and_no_unknown_field) {
    refused(", \"assumptions\": [{\"note\": \"n\"}]", "/assumptions/0/pointer",
            "required field is missing");
    refused(", \"assumptions\": [{\"pointer\": \"/name\"}]", "/assumptions/0/note",
            "required field is missing");
    refused(", \"assumptions\": [{\"pointer\": \"/name\", \"note\": \"\"}]", "/assumptions/0/note",
            "expected a non-empty string of at most 2000 characters, found the string \"\"");
    refused(", \"assumptions\": [{\"pointer\": \"/name\", \"note\": \"n\", \"why\": \"x\"}]",
            "/assumptions/0/why",
            "unknown field \"why\" (expected one of: pointer, note, status, source)");
    refused(", \"assumptions\": []", "/assumptions",
            "expected a non-empty array, found an array of 0 elements");
    refused(", \"assumptions\": [{\"pointer\": \"/name\", \"note\": \"n\", \"status\": "
            "\"guessed\"}]",
            "/assumptions/0/status",
            "expected one of \"assumed\", \"sourced\", \"inferred\", \"unverified\", found the "
            "string \"guessed\"");
}

Test(sources, an_assumptions_pointer_must_exist_in_the_file) {
    refused(", \"assumptions\": [{\"pointer\": \"/contract/payments/0/prise\", \"note\": \"n\"}]",
            "/assumptions/0/pointer",
            "expected the pointer of a field of the scenario; at /contract/payments/0/prise: no "
            "such field in the scenario");
    refused(", \"assumptions\": [{\"pointer\": \"/stages/1/start\", \"note\": \"n\"}]",
            "/assumptions/0/pointer",
            "expected the pointer of a field of the scenario; at /stages/1: expected an index of "
            "the array (0 to 0), found \"1\"");
    refused(", \"assumptions\": [{\"pointer\": \"/stages/0/costs\", \"note\": \"n\"}]",
            "/assumptions/0/pointer",
            "expected the pointer of a field of the scenario; at /stages/0/costs: no such field "
            "in the scenario");
    refused(", \"assumptions\": [{\"pointer\": \"/name/x\", \"note\": \"n\"}]",
            "/assumptions/0/pointer",
            "expected the pointer of a field of the scenario; at /name/x: cannot go inside a "
            "value that is neither an object nor an array");
    refused(", \"assumptions\": [{\"pointer\": \"/stages/~2\", \"note\": \"n\"}]",
            "/assumptions/0/pointer",
            "expected the pointer of a field of the scenario; at /stages/~2: expected \"~0\" "
            "(for '~') or \"~1\" (for '/') after '~' in a JSON Pointer, found \"~2\"");
    refused(", \"assumptions\": [{\"pointer\": \"contract\", \"note\": \"n\"}]",
            "/assumptions/0/pointer",
            "expected a JSON Pointer starting with '/' (e.g. \"/contract/payments/0/price\"), "
            "found \"contract\"");
    refused(", \"assumptions\": [{\"pointer\": \"\", \"note\": \"n\"}]", "/assumptions/0/pointer",
            "expected a non-empty string of at most 255 characters, found the string \"\"");
}

Test(sources, an_assumption_annotates_the_scenario_not_sources_or_assumptions) {
    refused(", \"sources\": [{\"title\": \"t\"}], \"assumptions\": [{\"pointer\": "
            "\"/sources/0/title\", \"note\": \"n\"}]",
            "/assumptions/0/pointer",
            "expected the pointer of a field of the scenario, outside /sources and /assumptions, "
            "found \"/sources/0/title\"");
    refused(", \"assumptions\": [{\"pointer\": \"/assumptions\", \"note\": \"n\"}]",
            "/assumptions/0/pointer",
            "expected the pointer of a field of the scenario, outside /sources and /assumptions, "
            "found \"/assumptions\"");
    /* A field whose name merely starts so is a field like any other. */
    scenario *sc = must_load(with(", \"cases\": [{\"name\": \"c\", \"set\": "
                                  "{\"/contract/payments/0/price\": 600}}], \"assumptions\": "
                                  "[{\"pointer\": \"/cases/0/set/~1contract~1payments~10~1price\", "
                                  "\"note\": \"n\"}]"));
    cr_assert_str_eq(sc->assumptions[0].value, "600");
    scenario_free(sc);
}

Test(sources, an_assumptions_pointer_is_at_most_255_characters) {
    /* 255 characters are read, and looked up; 256 are refused unread. */
    char key[300], extra[2048], message[600];
    snprintf(key, sizeof key, "/%0254d", 0);
    snprintf(extra, sizeof extra, ", \"assumptions\": [{\"pointer\": \"%s\", \"note\": \"n\"}]",
             key);
    snprintf(message, sizeof message,
             "expected the pointer of a field of the scenario; at %s: no such field in the "
             "scenario",
             key);
    refused(extra, "/assumptions/0/pointer", message);
    snprintf(extra, sizeof extra, ", \"assumptions\": [{\"pointer\": \"%s0\", \"note\": \"n\"}]",
             key);
    refused(extra, "/assumptions/0/pointer", "expected at most 255 characters, found 256");
}

Test(sources, a_sourced_assumption_cites_its_source) {
    refused(", \"assumptions\": [{\"pointer\": \"/name\", \"note\": \"n\", \"status\": "
            "\"sourced\"}]",
            "/assumptions/0/source",
            "required field is missing (a \"sourced\" assumption cites its source)");
}

Test(sources, a_source_is_cited_by_an_index_or_a_title_that_exists) {
    char extra[2048];
    snprintf(extra, sizeof extra,
             "%s, \"assumptions\": [{\"pointer\": \"/name\", \"note\": \"n\", \"source\": 2}]",
             two_sources);
    refused(extra, "/assumptions/0/source", "expected the index of a source (0 to 1), found 2");
    snprintf(extra, sizeof extra,
             "%s, \"assumptions\": [{\"pointer\": \"/name\", \"note\": \"n\", \"source\": -1}]",
             two_sources);
    refused(extra, "/assumptions/0/source", "expected the index of a source (0 to 1), found -1");
    snprintf(extra, sizeof extra,
             "%s, \"assumptions\": [{\"pointer\": \"/name\", \"note\": \"n\", \"source\": 0.5}]",
             two_sources);
    refused(extra, "/assumptions/0/source", "expected the index of a source (0 to 1), found 0.5");
    snprintf(extra, sizeof extra,
             "%s, \"assumptions\": [{\"pointer\": \"/name\", \"note\": \"n\", \"source\": "
             "[0, \"Annual report\"]}]",
             two_sources);
    refused(extra, "/assumptions/0/source/1",
            "expected the title of a source (/sources/0 to /sources/1), found the string "
            "\"Annual report\"");
    snprintf(extra, sizeof extra,
             "%s, \"assumptions\": [{\"pointer\": \"/name\", \"note\": \"n\", \"source\": []}]",
             two_sources);
    refused(extra, "/assumptions/0/source",
            "expected a source: its index in /sources or its title, or a non-empty array of "
            "them, found an array of 0 elements");
    snprintf(extra, sizeof extra,
             "%s, \"assumptions\": [{\"pointer\": \"/name\", \"note\": \"n\", \"source\": "
             "[[0]]}]",
             two_sources);
    refused(extra, "/assumptions/0/source/0",
            "expected a source: its index in /sources or its title, found an array of 1 element");
    snprintf(extra, sizeof extra,
             "%s, \"assumptions\": [{\"pointer\": \"/name\", \"note\": \"n\", \"source\": true}]",
             two_sources);
    refused(extra, "/assumptions/0/source",
            "expected a source: its index in /sources or its title, or an array of them, found "
            "true");
    refused(", \"assumptions\": [{\"pointer\": \"/name\", \"note\": \"n\", \"source\": 0}]",
            "/assumptions/0/source",
            "the scenario has no \"sources\" to cite: list them at /sources, or leave out "
            "\"source\"");
    refused(", \"assumptions\": [{\"pointer\": \"/name\", \"note\": \"n\", \"source\": \"x\"}]",
            "/assumptions/0/source",
            "the scenario has no \"sources\" to cite: list them at /sources, or leave out "
            "\"source\"");
}

Test(sources, sources_and_assumptions_are_read_after_the_rest_of_the_scenario) {
    /* A scenario error comes first, whatever they hold. */
    refused(", \"assumptions\": [], \"financing\": []", "/financing",
            "expected a non-empty array, found an array of 0 elements");
    /* Sources before assumptions, whatever their order in the file. */
    refused(", \"assumptions\": [{\"pointer\": \"/x\", \"note\": \"n\"}], \"sources\": "
            "[{\"title\": \"\"}]",
            "/sources/0/title",
            "expected a non-empty string of at most 200 characters, found the string \"\"");
}

Test(sources, every_library_scenario_cites_sources_that_it_lists) {
    size_t n_files;
    const char *const *files = library_scenarios(&n_files);
    for (size_t f = 0; f < n_files; f++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", SIBSIM_SOURCE_DIR, files[f]);
        scenario *sc = load_good(path);
        cr_expect_gt(sc->n_sources, 0, "%s lists no sources", files[f]);
        cr_expect_gt(sc->n_assumptions, 0, "%s has no assumptions", files[f]);
        /* Every source is cited by some assumption. */
        for (size_t s = 0; s < sc->n_sources; s++) {
            int cited = 0;
            for (size_t a = 0; a < sc->n_assumptions; a++)
                for (size_t k = 0; k < sc->assumptions[a].n_sources; k++)
                    cited |= sc->assumptions[a].sources[k] == s;
            cr_expect(cited, "%s: /sources/%zu (\"%s\") is cited by no assumption", files[f], s,
                      sc->sources[s].title);
        }
        scenario_free(sc);
    }
}
