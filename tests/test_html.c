/* test_html.c -- the page's frame: escaped and linked text, paragraphs,
 * a style sheet that fetches nothing, and the sources and assumptions
 * lists that show nothing at all when a scenario states none. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../present/html.h"
#include "../present/paper.h"
#include "helpers.h"

Test(html, sources_and_assumptions_show_nothing_when_there_are_none) {
    capture c;
    FILE *f = cap_open(&c);
    cr_assert_eq(html_notes(f, "Sources", NULL, 0), 0);
    const char *const none[2] = {NULL, NULL};
    cr_assert_eq(html_notes(f, "Sources", none, 2), 0);
    char *s = cap_close(&c);
    cr_assert_str_eq(s, "", "no heading, no empty list: %s", s);
    free(s);
}

Test(html, notes_are_listed_under_their_heading) {
    const char *const items[3] = {"Ministry of Justice (2014), final results", NULL,
                                  "Reconvictions fall 9% <in expectation>"};
    capture c;
    FILE *f = cap_open(&c);
    cr_assert_eq(html_notes(f, "Sources", items, 3), 2);
    char *s = cap_close(&c);
    cr_assert_not_null(strstr(s, "<h3>Sources</h3>\n<ul class=\"notes\">"), "%s", s);
    cr_assert_not_null(strstr(s, "<li>Ministry of Justice (2014), final results</li>"));
    cr_assert_not_null(strstr(s, "<li>Reconvictions fall 9% &lt;in expectation&gt;</li>"));
    free(s);
}

Test(html, a_url_in_a_note_becomes_a_plain_link_and_nothing_else_does) {
    const char *const items[3] = {
        "See https://example.org/a?b=1&c=2. And (http://x.test/p).",
        "javascript:alert(1) and data:text/html,<b>x</b>",
        "no link in ftp://host/file or in xhttps://a.test",
    };
    capture c;
    FILE *f = cap_open(&c);
    cr_assert_eq(html_notes(f, "Sources", items, 3), 3);
    char *s = cap_close(&c);
    cr_assert_not_null(
        strstr(
            s,
            "See <a "
            "href=\"https://example.org/a?b=1&amp;c=2\">https://example.org/a?b=1&amp;c=2</a>. "),
        "%s", s);
    cr_assert_not_null(strstr(s, "(<a href=\"http://x.test/p\">http://x.test/p</a>)."));
    cr_assert_null(strstr(s, "href=\"javascript"));
    cr_assert_null(strstr(s, "href=\"data"));
    cr_assert_null(strstr(s, "href=\"ftp"));
    cr_assert_null(strstr(s, "<b>"));
    cr_assert_null(strstr(s, "href=\"https://a.test"), "a scheme inside a word is not a URL");
    free(s);
}

Test(html, paragraphs_split_at_blank_lines_and_link_nothing) {
    capture c;
    FILE *f = cap_open(&c);
    html_paragraphs(f, "First line\nstill first.\n\nSecond & last, see https://example.org.\n");
    char *s = cap_close(&c);
    cr_assert_str_eq(s, "<p>First line still first.</p>\n"
                        "<p>Second &amp; last, see https://example.org.</p>\n");
    free(s);
}

Test(html, the_page_frame_fetches_nothing_and_has_a_print_style) {
    capture c;
    FILE *f = cap_open(&c);
    html_begin(f, "A <title>", "sibsim test");
    html_end(f);
    char *s = cap_close(&c);
    cr_assert_not_null(strstr(s, "<!DOCTYPE html>"));
    cr_assert_not_null(strstr(s, "<title>A &lt;title&gt;</title>"));
    cr_assert_not_null(strstr(s, "@media print"));
    cr_assert_not_null(strstr(s, "size:A4"));
    cr_assert_not_null(strstr(s, "break-before:page"));
    cr_assert_null(strstr(s, "http"), "nothing by URL");
    cr_assert_null(strstr(s, "src="));
    cr_assert_null(strstr(s, "@import"));
    cr_assert_null(strstr(s, "url("));
    cr_assert_null(strstr(s, "<script"));
    cr_assert_not_null(strstr(s, "</main>\n</body>\n</html>\n"));
    free(s);
}

Test(html, breakable_text_may_wrap_after_underscores_and_slashes_and_is_escaped) {
    capture c;
    FILE *f = cap_open(&c);
    html_text_breakable(f, "people_regaining/<mobility>&_");
    html_text_breakable(f, "|plain words|");
    html_text_breakable(f, "");
    char *s = cap_close(&c);
    cr_assert_str_eq(s,
                     "people_<wbr>regaining/<wbr>&lt;mobility&gt;&amp;_"
                     "|plain words|");
    free(s);
}
