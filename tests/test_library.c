/* test_library.c -- finding a scenario by name (cli/library.c): the search
 * order, an existing file or a path first, NAME and NAME.json, the first
 * directory that has it, and the listing of the library. */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* mkdtemp */
#endif
#include <criterion/criterion.h>
#include <dirent.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../cli/library.h"
#include "../present/text.h"
#include "helpers.h"

static char dir[64];

static void make_dir(void) {
    snprintf(dir, sizeof dir, "/tmp/sibsim-library.XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(library, .init = make_dir, .fini = remove_dir);

/* Write text to dir/rel (its directory made first). */
static void put(const char *rel, const char *text) {
    char path[256], sub[256];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    snprintf(sub, sizeof sub, "%s", path);
    *strrchr(sub, '/') = '\0';
    mkdir(sub, 0755);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

/* Copy a scenario of the repository's library to dir/rel. */
static void put_scenario(const char *rel, const char *name) {
    char src[1024];
    snprintf(src, sizeof src, "%s/scenarios/%s.json", SIBSIM_SOURCE_DIR, name);
    sib_error err;
    char *text = sib_file_read(src, &err);
    cr_assert_not_null(text);
    put(rel, text);
    free(text);
}

Test(library, the_order_is_the_environment_then_the_source_tree_then_the_installed_library) {
    library_dir d[LIBRARY_MAX_DIRS];
    size_t n = library_search_path("/one::/two", "/src/scenarios", "/usr/share/sibsim/scenarios", d,
                                   LIBRARY_MAX_DIRS);
    cr_assert_eq(n, 4);
    cr_assert_str_eq(d[0].path, "/one");
    cr_assert_str_eq(d[0].origin, "$SIBSIM_SCENARIOS");
    cr_assert_str_eq(d[1].path, "/two");
    cr_assert_str_eq(d[2].path, "/src/scenarios");
    cr_assert_str_eq(d[2].origin, "source tree");
    cr_assert_str_eq(d[3].path, "/usr/share/sibsim/scenarios");
    cr_assert_str_eq(d[3].origin, "installed");
    n = library_search_path(NULL, NULL, "/usr/share/sibsim/scenarios", d, LIBRARY_MAX_DIRS);
    cr_assert_eq(n, 1);
    cr_assert_eq(library_search_path("/a:/b:/c", NULL, "/i", d, 2), 2, "at most max");
}

Test(library, a_name_is_found_in_the_first_directory_that_has_it) {
    put("first/deal.json", "{}");
    put("second/deal.json", "{}");
    put("second/other.json", "{}");
    char env[200];
    snprintf(env, sizeof env, "%s/first:%s/second", dir, dir);
    library_dir d[LIBRARY_MAX_DIRS];
    size_t n = library_search_path(env, NULL, "/nonexistent", d, LIBRARY_MAX_DIRS);
    char want[256];
    char *p = library_find("deal", d, n);
    snprintf(want, sizeof want, "%s/first/deal.json", dir);
    cr_assert_str_eq(p, want);
    free(p);
    p = library_find("other.json", d, n);
    snprintf(want, sizeof want, "%s/second/other.json", dir);
    cr_assert_str_eq(p, want);
    free(p);
    cr_assert_null(library_find("missing", d, n));
}

Test(library, an_existing_file_or_a_path_is_taken_as_given) {
    put("here/deal.json", "{}");
    put("lib/deal.json", "{}");
    char libdir[128];
    snprintf(libdir, sizeof libdir, "%s/lib", dir);
    library_dir d[LIBRARY_MAX_DIRS];
    size_t n = library_search_path(libdir, NULL, NULL, d, LIBRARY_MAX_DIRS);
    char here[128];
    snprintf(here, sizeof here, "%s/here", dir);
    cr_assert_eq(chdir(here), 0);
    char *p = library_find("deal.json", d, n);
    cr_assert_str_eq(p, "deal.json", "a file in the working directory comes first");
    free(p);
    p = library_find("./missing.json", d, n);
    cr_assert_str_eq(p, "./missing.json", "a path is never looked up in the library");
    free(p);
    /* A directory of that name is not a scenario: the library's is used. */
    mkdir("deal", 0755);
    p = library_find("deal", d, n);
    char want[256];
    snprintf(want, sizeof want, "%s/lib/deal.json", dir);
    cr_assert_str_eq(p, want);
    free(p);
    /* A directory that the library has no file for is taken as given, so
     * that the loader says it is a directory, not that there is no such
     * file. */
    mkdir("drafts", 0755);
    p = library_find("drafts", d, n);
    cr_assert_str_eq(p, "drafts");
    free(p);
    cr_assert_null(library_find("nowhere", d, n));
}

/* The line of text that holds needle, copied into buf ("" when none). */
static const char *line_with(const char *text, const char *needle, char *buf, size_t size) {
    const char *at = strstr(text, needle);
    buf[0] = '\0';
    if (at == NULL) return buf;
    const char *start = at;
    while (start > text && start[-1] != '\n') start--;
    size_t len = strcspn(start, "\n");
    snprintf(buf, size, "%.*s", (int)len, start);
    return buf;
}

Test(library, the_list_names_each_scenario_its_title_structures_and_directory) {
    put_scenario("a/peterborough.json", "peterborough");
    put_scenario("b/peterborough.json", "peterborough");
    put_scenario("b/regional.json", "regional-pilot-to-scale");
    put("b/broken.json", "{\n");
    put("b/notes.txt", "not a scenario");
    char env[200];
    snprintf(env, sizeof env, "%s/a:%s/b:%s/a", dir, dir, dir);
    library_dir d[LIBRARY_MAX_DIRS];
    size_t n = library_search_path(env, NULL, NULL, d, LIBRARY_MAX_DIRS);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    cr_assert_eq(library_list(out, d, n), 4, "a directory given twice is listed once");
    fclose(out);
    char needle[256], line[512];
    cr_assert_eq(strncmp(text, "NAME ", 5), 0, "a heading first: %s", text);
    /* Each directory once, on a line of its own, its scenarios below it. */
    snprintf(needle, sizeof needle, "\n%s/a ($SIBSIM_SCENARIOS):\npeterborough ", dir);
    const char *at = strstr(text, needle);
    cr_assert_not_null(at, "the directory above its scenario: %s", text);
    line_with(at + 1, "Peterborough prison", line, sizeof line);
    cr_assert(strncmp(line, "peterborough ", 13) == 0 && strstr(line, "Peterborough prison SIB") &&
                  strstr(line, "...  sib") && line[strlen(line) - 1] == 'b',
              "name, title (cut), structures: %s", text);
    cr_assert_null(strstr(line, dir), "no directory on a row: %s", line);
    /* The hidden one says so on the line below its row. */
    snprintf(needle, sizeof needle, "\n%s/b ($SIBSIM_SCENARIOS):\n", dir);
    const char *b = strstr(text, needle);
    cr_assert_not_null(b, "%s", text);
    snprintf(needle, sizeof needle, "  sib\n    hidden by the one in %s/a\n", dir);
    const char *hid = strstr(b, needle);
    cr_assert_not_null(hid, "the hidden one says so: %s", text);
    cr_assert_not_null(strstr(text, "grant,pbr,sib,by_stage"), "%s", text);
    cr_assert_not_null(strstr(text, "\nbroken "), "%s", text);
    cr_assert_not_null(strstr(text, "\n    does not load: 2:1: syntax error"), "%s", text);
    cr_assert_null(strstr(text, "notes"), "only .json files: %s", text);
    /* Every line but a directory's own heading fits 100 columns. */
    for (const char *s = text, *next; *s; s = next + 1) {
        next = strchr(s, '\n');
        cr_assert_not_null(next);
        const int heading = next - s > 2 && next[-1] == ':' && next[-2] == ')';
        cr_assert(heading || present_width_n(s, (size_t)(next - s)) <= 100, "%.*s", (int)(next - s),
                  s);
    }
    free(text);
}

Test(library, the_tests_list_of_the_library_is_every_scenario_in_it) {
    /* library_scenarios (tests/helpers.h) drives the tests that go over
     * every library scenario: a scenario added to scenarios/ must be added
     * there too, or those tests would pass it by. */
    size_t n;
    const char *const *files = library_scenarios(&n);
    char path[1024];
    snprintf(path, sizeof path, "%s/scenarios", SIBSIM_SOURCE_DIR);
    DIR *d = opendir(path);
    cr_assert_not_null(d, "%s", path);
    size_t found = 0;
    for (struct dirent *de; (de = readdir(d)) != NULL;) {
        const size_t len = strlen(de->d_name);
        if (len < 5 || strcmp(de->d_name + len - 5, ".json") != 0) continue;
        char rel[300];
        snprintf(rel, sizeof rel, "scenarios/%s", de->d_name);
        int listed = 0;
        for (size_t i = 0; i < n; i++) listed |= strcmp(files[i], rel) == 0;
        cr_expect(listed, "%s is not in library_scenarios (tests/helpers.h)", rel);
        found++;
    }
    closedir(d);
    cr_assert_eq(found, n, "library_scenarios lists %zu files, scenarios/ holds %zu", n, found);
}

/* The columns line up on the terminal, whatever bytes the titles take: a
 * title of accented and wide (CJK, two columns) characters is padded, and
 * cut to 60 columns (what the short names and structures here leave of
 * 100, at most 60), by the columns it takes, not by its bytes. */
Test(library, the_columns_line_up_with_wide_and_accented_titles) {
    /* Under a UTF-8 LC_CTYPE, as a terminal user has it (sibsim sets the
     * user's); skipped where the C library has none. */
    if (setlocale(LC_CTYPE, "C.UTF-8") == NULL && setlocale(LC_CTYPE, "en_US.UTF-8") == NULL)
        cr_skip_test("no UTF-8 locale");
    cr_assert_eq(present_width("北"), 2);
    char *text = repo_text("scenarios/peterborough.json");
    const char *from = "\"name\": \"Peterborough prison SIB";
    char *at = strstr(text, from);
    cr_assert_not_null(at);
    char *end = strchr(at + strlen("\"name\": \""), '"');
    /* 40 wide characters (80 columns) and 4 accented ones. */
    char edited[65536];
    snprintf(edited, sizeof edited, "%.*s\"name\": \"Café crème %s%.*s", (int)(at - text), text,
             "北京北京北京北京北京北京北京北京北京北京北京北京北京北京北京北京北京北京北京北京",
             (int)strlen(end), end);
    put("w/wide.json", edited);
    snprintf(edited, sizeof edited, "%.*s\"name\": \"Déjà vu%.*s", (int)(at - text), text,
             (int)strlen(end), end);
    put("w/accent.json", edited);
    free(text);
    put_scenario("w/plain.json", "peterborough");
    char env[200];
    snprintf(env, sizeof env, "%s/w", dir);
    library_dir d[LIBRARY_MAX_DIRS];
    size_t n = library_search_path(env, NULL, NULL, d, LIBRARY_MAX_DIRS);
    char *out_text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&out_text, &len);
    cr_assert_eq(library_list(out, d, n), 3);
    fclose(out);
    /* The column of "sib" (STRUCTURES) on every row, in terminal columns. */
    int col = -1;
    char line[1024];
    for (const char *s = out_text, *next; *s; s = next) {
        next = strchr(s, '\n');
        cr_assert_not_null(next);
        next++;
        snprintf(line, sizeof line, "%.*s", (int)(next - s - 1), s);
        if (strstr(line, "):") == line + strlen(line) - 2) continue; /* the directory */
        const size_t ll = strlen(line);
        const char *key = s == out_text ? strstr(line, "STRUCTURES")
                          : ll >= 5 && strcmp(line + ll - 5, "  sib") == 0 ? line + ll - 5
                                                                           : NULL;
        cr_assert_not_null(key, "%s", out_text);
        if (s != out_text) key += 2;
        int c = present_width_n(line, (size_t)(key - line));
        if (col < 0) col = c;
        cr_assert_eq(c, col, "column %d, not %d, on: %s\n%s", c, col, line, out_text);
        if (strstr(line, "Café")) {
            const char *title = strstr(line, "Café");
            cr_assert_eq(present_width_n(title, (size_t)(strstr(title, "...") - title)) + 3, 60,
                         "the wide title cut to 60 columns: %s", line);
        }
    }
    free(out_text);
    setlocale(LC_CTYPE, "C");
}
