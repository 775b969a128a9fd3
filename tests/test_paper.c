/* test_paper.c -- the committee paper as a whole (present/paper.h): every
 * section there, charts that are well formed and finite, nothing fetched,
 * the run's own numbers in its cells, a one-line reason for what cannot
 * be shown, and the same bytes whatever the threads. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/document.h"
#include "../model/ledger.h"
#include "../present/paper.h"
#include "../sim/fan.h"
#include "helpers.h"

static void setup(void) { gsl_set_error_handler_off(); }
TestSuite(paper, .init = setup);

/* Everything a page needs, built as `sibsim report` builds it. */
typedef struct built {
    char *text;
    scenario *sc;
    engine *e;
    fan *fan;
    double *expected;
    tornado_bar bars[64];
    paper p;
} built;

static void build(built *b, const char *text, uint64_t paths, unsigned threads, int tornado) {
    memset(b, 0, sizeof *b);
    b->text = strdup(text);
    b->sc = must_load_string(text);
    b->sc->sim.paths = paths;
    b->e = must_engine(b->sc);
    must_run_on(b->e, paths, threads);
    sib_error err;
    cr_assert_eq(fan_commissioner(b->e, paths, 4, threads, &b->fan, &err), SIB_OK);
    b->expected = calloc(b->sc->n_financing * b->fan->n_steps + 1, sizeof *b->expected);
    struct ledger *l = engine_ledger_new(b->e);
    cr_assert_eq(engine_expected_ledger(b->e, l, NULL, NULL, &err), SIB_OK);
    for (size_t f = 0; f < b->sc->n_financing; f++)
        fan_steps(l->fin[f].commissioner, l->periods, 4, b->expected + f * b->fan->n_steps);
    ledger_free(l);
    b->p = (paper){.sc = b->sc,
                   .e = b->e,
                   .scenario_file = "test.json",
                   .text_hash = scenario_doc_hash(text, strlen(text)),
                   .version = "test",
                   .fan = b->fan,
                   .expected = b->expected};
    b->p.tornado = (paper_tornado){.why = "The tornado was not run in this test.", .pct = 0.1};
    if (tornado) {
        analysis_base ab = {.text = text, .name = "test", .paths = 512, .threads = threads};
        size_t n = 0;
        double base = NAN;
        cr_assert_eq(
            analysis_tornado(&ab, "commissioner/payments.total", 0.1, b->bars, 64, &n, &base, &err),
            SIB_OK, "%s", err.message);
        b->p.tornado = (paper_tornado){.metric = "commissioner/payments.total",
                                       .metric_label = "Outcome payments (commissioner)",
                                       .unit = UNIT_MONEY,
                                       .base = base,
                                       .bars = b->bars,
                                       .n_bars = n,
                                       .paths = 512,
                                       .pct = 0.1};
    }
}

static void unbuild(built *b) {
    fan_free(b->fan);
    free(b->expected);
    engine_free(b->e);
    scenario_free(b->sc);
    free(b->text);
}

static char *page_of(const paper *p) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    cr_assert_eq(paper_write(f, p), 0);
    fclose(f);
    return buf;
}

/* ------------------------------------------------------------------ tests */

/* The scenario's fingerprint is scenario_doc_hash's: tested in test_document.c. */

Test(paper, a_page_has_every_section_in_order_with_well_formed_finite_charts) {
    char *text = repo_text("scenarios/peterborough.json");
    built b;
    build(&b, text, 2048, 2, 1);
    char *s = page_of(&b.p);
    const char *ids[] = {"id=\"purpose\"", "id=\"financing\"", "id=\"returns\"", "id=\"outlay\"",
                         "id=\"funnel\"",  "id=\"tornado\"",   "id=\"truth\"",   "id=\"repro\""};
    const char *at = s;
    for (size_t k = 0; k < 8; k++) {
        const char *x = strstr(at, ids[k]);
        cr_assert_not_null(x, "%s missing or out of order", ids[k]);
        at = x;
    }
    /* Charts: the returns' two, a fan, the funnel and the tornado. */
    size_t svgs = 0;
    for (const char *p = strstr(s, "<svg "); p; p = strstr(p + 1, "<svg ")) {
        const char *end = strstr(p, "</svg>");
        cr_assert_not_null(end);
        const char *next = strstr(p + 1, "<svg ");
        cr_assert(next == NULL || next > end, "an <svg> inside another");
        for (const char *q = p; q < end; q++) {
            char w[4] = {(char)tolower((unsigned char)q[0]), (char)tolower((unsigned char)q[1]),
                         (char)tolower((unsigned char)q[2]), 0};
            cr_assert(strcmp(w, "nan") != 0 && strcmp(w, "inf") != 0,
                      "a number that is not finite in a chart: %.60s", q);
        }
        svgs++;
    }
    cr_assert_eq(svgs, 5, "%zu charts", svgs);
    /* Nothing fetched: no src, no script, and links only within the page
     * or in the sources list. */
    cr_assert_null(strstr(s, "src="));
    cr_assert_null(strstr(s, "<script"));
    cr_assert_null(strstr(s, "url("));
    for (const char *h = strstr(s, "href=\""); h; h = strstr(h + 1, "href=\"")) {
        if (h[6] == '#') continue;
        /* Inside a list of notes: the scenario's sources (<ol>) or a
         * realised record's (<ul>). */
        int inside = 0;
        for (const char *l = strstr(s, "class=\"notes\""); l && l < h && !inside;
             l = strstr(l + 1, "class=\"notes\"")) {
            const char *close = strstr(l, "</ol>"), *close2 = strstr(l, "</ul>");
            if (close == NULL || (close2 != NULL && close2 < close)) close = close2;
            inside = close != NULL && close > h;
        }
        cr_assert(inside, "a link outside the sources: %.80s", h);
    }
    /* Reproducibility. */
    char want[64];
    snprintf(want, sizeof want, "<code>%016llx</code>",
             (unsigned long long)scenario_doc_hash(text, strlen(text)));
    cr_assert_not_null(strstr(s, want));
    cr_assert_not_null(strstr(s, "<code>20100909</code>"));
    cr_assert_not_null(strstr(s, "<code>mt19937</code>"));
    free(s);
    unbuild(&b);
    free(text);
}

Test(paper, the_tornado_compares_its_paths_with_the_papers_as_they_are) {
    /* Runs of 512 futures each, as many as the paper's own 512: not
     * "fewer than"; with the paper on 2,048 they are fewer. */
    char *text = repo_text("scenarios/peterborough.json");
    built b;
    build(&b, text, 512, 2, 1);
    char *s = page_of(&b.p);
    cr_assert_not_null(strstr(s, "Each setting is a run of 512 futures, as many as the rest of "
                                 "this paper;"));
    cr_assert_null(strstr(s, "fewer than the 512"));
    free(s);
    unbuild(&b);
    build(&b, text, 2048, 2, 1);
    s = page_of(&b.p);
    cr_assert_not_null(strstr(s, "Each setting is a run of 512 futures, fewer than the 2,048 of "
                                 "the rest of this paper so that the many runs stay quick;"));
    free(s);
    unbuild(&b);
    free(text);
}

/* A tornado of an IRR: its swing is a difference of two rates, in
 * percentage points (|high - low| x 100, "pp"), never "%", which would read
 * as a relative change. */
Test(paper, a_tornado_of_a_rate_swings_in_percentage_points) {
    char *text = repo_text("scenarios/peterborough.json");
    built b;
    build(&b, text, 512, 2, 0);
    const char *metric = "Peterborough SIB/17 trusts and foundations.pooled_irr";
    analysis_base ab = {.text = text, .name = "test", .paths = 512, .threads = 2};
    size_t n = 0;
    double base = NAN;
    sib_error err;
    cr_assert_eq(analysis_tornado(&ab, metric, 0.1, b.bars, 64, &n, &base, &err), SIB_OK, "%s",
                 err.message);
    cr_assert_gt(n, 0);
    b.p.tornado = (paper_tornado){.metric = metric,
                                  .metric_label = "IRR of the expected cash flows",
                                  .unit = UNIT_RATE,
                                  .base = base,
                                  .bars = b.bars,
                                  .n_bars = n,
                                  .paths = 512,
                                  .pct = 0.1};
    char *s = page_of(&b.p);
    char want[64];
    snprintf(want, sizeof want, "<td class=\"num\">%.1f pp</td></tr>",
             100 * fabs(b.bars[0].metric_high - b.bars[0].metric_low));
    cr_assert_not_null(strstr(s, want), "no swing cell %s", want);
    free(s);
    unbuild(&b);
    free(text);
}

Test(paper, its_cells_hold_the_runs_own_numbers) {
    char *text = repo_text("scenarios/peterborough.json");
    built b;
    build(&b, text, 2048, 2, 0);
    char *s = page_of(&b.p);
    const struct {
        const char *group, *key;
    } m[] = {{"Peterborough SIB", "17 trusts and foundations.pooled_irr"},
             {"Peterborough SIB", "17 trusts and foundations.p_loss"},
             {"Peterborough SIB", "17 trusts and foundations.expected_moic"},
             {"Peterborough SIB", "commissioner.total"},
             {"commissioner", "paid_without_effect.reconviction_events"}};
    for (size_t k = 0; k < sizeof m / sizeof m[0]; k++) {
        stats_summary sm = summary_of(b.e, m[k].group, m[k].key);
        char want[400];
        snprintf(want, sizeof want, "data-metric=\"%s/%s\" data-stat=\"mean\" data-value=\"%.17g\"",
                 m[k].group, m[k].key, sm.mean);
        cr_assert_not_null(strstr(s, want), "no cell %s", want);
    }
    /* And the labels say what each number is over. */
    cr_assert_not_null(strstr(s, "IRR of the expected cash flows"));
    cr_assert_not_null(strstr(s, "IRR, future by future: mean"));
    cr_assert_not_null(strstr(s, "P(loss), over every future"));
    cr_assert_not_null(strstr(s, "Expected multiple E[back] / E[in]"));
    free(s);
    unbuild(&b);
    free(text);
}

Test(paper, what_cannot_be_shown_is_said_in_one_line) {
    /* No investors, no fan, no tornado. */
    const char *json =
        "{ \"name\": \"No investors\", \"currency\": \"GBP\",\n"
        "  \"simulation\": { \"paths\": 1000, \"seed\": 1 },\n"
        "  \"stages\": [ { \"name\": \"delivery\", \"start\": 0, \"duration\": 3,\n"
        "    \"costs\": { \"fixed_per_year\": 500000, \"per_participant\": 800 },\n"
        "    \"cohorts\": [ { \"size\": 600, \"entry\": 0, \"enrolment\": 1.5 } ] } ],\n"
        "  \"outcomes\": [ { \"name\": \"reoffending\", \"kind\": \"rate\",\n"
        "    \"direction\": \"lower_is_better\", \"baseline\": 0.45,\n"
        "    \"effect\": { \"scale\": \"relative\",\n"
        "      \"prior\": { \"dist\": \"normal\", \"mean\": 0.1, \"sd\": 0.06 } },\n"
        "    \"evaluation\": { \"design\": \"rct\", \"comparison_size\": 600 },\n"
        "    \"observation_lag\": 1 } ],\n"
        "  \"contract\": { \"payments\": [ { \"outcome\": \"reoffending\", \"type\": "
        "\"per_unit\",\n"
        "    \"price\": 4000, \"trigger\": 0.05, \"cap\": 1500000 } ] },\n"
        "  \"financing\": [ { \"name\": \"grant\", \"type\": \"grant\" },\n"
        "    { \"name\": \"PbR\", \"type\": \"pbr\", \"fee_share\": 0.3, \"cost_of_capital\": 0.08 "
        "} ] }\n";
    built b;
    build(&b, json, 1024, 1, 0);
    fan_free(b.fan);
    b.fan = NULL;
    b.p.fan = NULL;
    b.p.fan_why = "The yearly outlay was not computed in this test.";
    char *s = page_of(&b.p);
    cr_assert_not_null(
        strstr(s, "<p class=\"why\">No financing structure of this scenario has investors"));
    cr_assert_not_null(
        strstr(s, "<p class=\"why\">The yearly outlay was not computed in this test.</p>"));
    cr_assert_not_null(strstr(s, "<p class=\"why\">The tornado was not run in this test.</p>"));
    cr_assert_null(strstr(s, "IRR of the expected cash flows"));
    free(s);
    unbuild(&b);
}

Test(paper, the_page_is_the_same_whatever_the_threads) {
    char *text = repo_text("scenarios/regional-pilot-to-scale.json");
    built one, three;
    build(&one, text, 2100, 1, 0);
    build(&three, text, 2100, 3, 0);
    char *a = page_of(&one.p), *b = page_of(&three.p);
    cr_assert_str_eq(a, b);
    free(a);
    free(b);
    unbuild(&one);
    unbuild(&three);
    free(text);
}

/* The paper names fields as the CLI does (present_term_name): tested in
 * test_present.c. */

/* The scenario's own provenance: its sources numbered as its assumptions
 * cite them and the file numbers them ([0] is the first, as in `validate
 * --verbose`), linked, and one row per assumption with
 * the field's name (as present_term_name gives it), its value (a number in its field's unit, to
 * the digit: it showed the JSON number, "100" for a price), its basis, the note and its
 * citations. Written by hand from the two lists below. */
Test(paper, the_scenarios_sources_and_assumptions_are_shown_field_by_field) {
    scenario *sc = must_load_string(
        "{\"name\": \"p\", \"currency\": \"GBP\","
        " \"stages\": [{\"name\": \"s\", \"duration\": 1, \"cohorts\": [{\"size\": 10}]}],"
        " \"outcomes\": [{\"name\": \"y\", \"kind\": \"rate\", \"direction\": \"higher_is_better\","
        "   \"baseline\": 0.3, \"effect\": {\"scale\": \"absolute\", \"prior\": 0.1},"
        "   \"evaluation\": {\"design\": \"validated_count\"}}],"
        " \"contract\": {\"payments\": [{\"name\": \"r\", \"outcome\": \"y\", \"type\": "
        "\"per_outcome\", \"price\": 100}]},"
        " \"sources\": [{\"title\": \"First <report>\", \"url\": \"https://example.org/a\"},"
        "               {\"title\": \"Second\", \"note\": \"p. 4\"}],"
        " \"assumptions\": [{\"pointer\": \"/contract/payments/0/price\", \"status\": \"sourced\","
        "                    \"source\": [1, 0], \"note\": \"The price & its basis.\"},"
        "                   {\"pointer\": \"/outcomes/0/baseline\", \"note\": \"A guess.\"}]}");
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    cr_assert_eq(paper_provenance(f, sc), 4);
    fclose(f);
    cr_assert_not_null(strstr(text, "<li>First &lt;report&gt;: <a href=\"https://example.org/a\">"
                                    "https://example.org/a</a></li>"),
                       "%s", text);
    cr_assert_not_null(strstr(text, "<li>Second &mdash; p. 4</li>"), "%s", text);
    cr_assert_not_null(strstr(text, "<ol class=\"notes\" start=\"0\">"), "%s", text);
    cr_assert_not_null(strstr(text, "<tr><td>price of payment &quot;r&quot;</td><td>£100.00</td>"
                                    "<td>sourced</td><td>The price &amp; its basis.</td>"
                                    "<td>[1] [0]</td></tr>"),
                       "%s", text);
    cr_assert_not_null(strstr(text, "<tr><td>baseline of outcome &quot;y&quot;</td><td>30%</td><td>assumed</td>"
                                    "<td>A guess.</td><td></td></tr>"),
                       "%s", text);
    free(text);
    /* None: nothing at all, not an empty heading. */
    scenario *bare = must_load_repo_file("scenarios/regional-pilot-to-scale.json");
    scenario_free(sc);
    text = NULL;
    f = open_memstream(&text, &len);
    size_t n = paper_provenance(f, bare);
    fclose(f);
    cr_assert_eq(n, bare->n_sources + bare->n_assumptions);
    free(text);
    scenario_free(bare);
}

/* n with a comma between each group of three digits, to the nearest
 * whole number: the test's own, not the page's. */
static void with_commas(char *buf, size_t size, double x) {
    char raw[40];
    snprintf(raw, sizeof raw, "%.0f", x);
    size_t len = strlen(raw), k = 0;
    for (size_t i = 0; i < len && k + 2 < size; i++) {
        if (i > 0 && (len - i) % 3 == 0) buf[k++] = ',';
        buf[k++] = raw[i];
    }
    buf[k] = '\0';
}

/* Section 7's sentences give counts as its table does, in digits a reader
 * reads: thousands of true outcomes are "2,251", never "2.25e+03". */
Test(paper, true_against_measured_gives_large_counts_in_plain_digits) {
    const char *json =
        "{ \"name\": \"Large cohort\", \"currency\": \"GBP\",\n"
        "  \"simulation\": { \"paths\": 1000, \"seed\": 3 },\n"
        "  \"stages\": [ { \"name\": \"delivery\", \"start\": 0, \"duration\": 3,\n"
        "    \"costs\": { \"fixed_per_year\": 5000000 },\n"
        "    \"cohorts\": [ { \"size\": 50000, \"entry\": 0, \"enrolment\": 1 } ] } ],\n"
        "  \"outcomes\": [ { \"name\": \"reoffending\", \"kind\": \"rate\",\n"
        "    \"direction\": \"lower_is_better\", \"baseline\": 0.45,\n"
        "    \"effect\": { \"scale\": \"relative\",\n"
        "      \"prior\": { \"dist\": \"normal\", \"mean\": 0.1, \"sd\": 0.06 } },\n"
        "    \"evaluation\": { \"design\": \"rct\", \"comparison_size\": 50000 },\n"
        "    \"observation_lag\": 1 } ],\n"
        "  \"contract\": { \"payments\": [ { \"outcome\": \"reoffending\", \"type\": "
        "\"per_unit\",\n"
        "    \"price\": 4000, \"trigger\": 0.05 } ] },\n"
        "  \"financing\": [ { \"name\": \"PbR\", \"type\": \"pbr\" } ] }\n";
    built b;
    build(&b, json, 1024, 2, 0);
    char *s = page_of(&b.p);
    const char *from = strstr(s, "<section id=\"truth\""), *to = strstr(s, "<section id=\"repro\"");
    cr_assert(from && to && from < to);
    /* About 0.45 x 10% x 50,000 = 2,250 true outcomes: four digits. */
    double caused = summary_of(b.e, "programme", "outcomes.true.reoffending").mean;
    cr_assert(caused > 1000 && caused < 10000, "%g", caused);
    char n[40], want[200];
    with_commas(n, sizeof n, caused);
    snprintf(want, sizeof want, "Of the %s true outcomes the programme causes on average", n);
    cr_assert_not_null(strstr(from, want), "no \"%s\" in section 7", want);
    for (const char *q = from; q + 2 < to; q++)
        cr_assert(!(isdigit((unsigned char)q[0]) && q[1] == 'e' && (q[2] == '+' || q[2] == '-')),
                  "a number in scientific notation in section 7: %.40s",
                  q > from + 20 ? q - 20 : q);
    free(s);
    unbuild(&b);
}

/* Section 1 gives a prior's bounds only where they can cut it, in the
 * numbers a reader reads: a normal draw lies within 8 sd of its mean
 * (docs/model.md: its uniform is kept within [1e-15, 1 - 1e-15], about
 * 7.9 sd), so the loader's own range for a score's effect (a billion
 * either way) is no "kept within [-1e+09, 1e+09]"; a lower bound of 0
 * on an effect of 10% +- 6% is. A baseline of 15,000 is not "1.5e+04". */
Test(paper, a_prior_shows_only_the_bounds_that_can_cut_it) {
    const char *json =
        "{ \"name\": \"Bounds\", \"currency\": \"GBP\",\n"
        "  \"simulation\": { \"paths\": 1000, \"seed\": 3 },\n"
        "  \"stages\": [ { \"name\": \"delivery\", \"start\": 0, \"duration\": 3,\n"
        "    \"costs\": { \"fixed_per_year\": 500000 },\n"
        "    \"cohorts\": [ { \"size\": 600, \"entry\": 0, \"enrolment\": 1 } ] } ],\n"
        "  \"outcomes\": [ { \"name\": \"learning\", \"kind\": \"continuous\",\n"
        "    \"direction\": \"higher_is_better\", \"baseline\": 15000, \"sd\": 2,\n"
        "    \"effect\": { \"scale\": \"absolute\",\n"
        "      \"prior\": { \"dist\": \"normal\", \"mean\": 0.5, \"sd\": 0.25 } },\n"
        "    \"evaluation\": { \"design\": \"rct\", \"comparison_size\": 600 },\n"
        "    \"observation_lag\": 1 },\n"
        "    { \"name\": \"reoffending\", \"kind\": \"rate\",\n"
        "    \"direction\": \"lower_is_better\", \"baseline\": 0.45,\n"
        "    \"effect\": { \"scale\": \"relative\",\n"
        "      \"prior\": { \"dist\": \"normal\", \"mean\": 0.1, \"sd\": 0.06, \"lower\": 0 } },\n"
        "    \"evaluation\": { \"design\": \"rct\", \"comparison_size\": 600 },\n"
        "    \"observation_lag\": 1 } ],\n"
        "  \"contract\": { \"payments\": [ { \"outcome\": \"learning\", \"type\": "
        "\"per_unit\", \"price\": 400 } ] },\n"
        "  \"financing\": [ { \"name\": \"PbR\", \"type\": \"pbr\" } ] }\n";
    built b;
    build(&b, json, 1024, 2, 0);
    char *s = page_of(&b.p);
    cr_assert_not_null(strstr(s, "<td>normal, mean 0.5, sd 0.25 (per person)</td>"),
                       "the score's effect is shown with bounds that cannot cut it");
    cr_assert_null(strstr(s, "e+09"));
    cr_assert_not_null(strstr(s, "mean score, higher is better; baseline 15,000</td>"));
    cr_assert_not_null(strstr(s, "<td>normal, mean 10%, sd 6%, kept at 0% or more (relative to "
                                 "the counterfactual)</td>"));
    free(s);
    unbuild(&b);
}

/* Section 1 writes an input in its unit: an absolute effect on a rate in
 * points of it ("mean 10%", not "mean 0.1"), a comparison's deviation as a
 * share, and a mean that only far tails beyond a bound move off zero as 0.
 * Massachusetts' page showed "normal, mean 0.1, sd 0.08", "-0.002524 to
 * 0.2025", and a deviation of mean "3.74e-90". The figures by hand: the
 * effect's 10th and 90th percentiles are 0.1 -+ 1.2816 x 0.08 = -0.2524%
 * and 20.25%, shown as the paper rounds a share, -0.3% and 20.3%; the
 * deviation's 0 -+ 1.2816 x 0.05 = -6.408% and 6.408%, shown -6.4% and 6.4%. */
Test(paper, inputs_are_written_in_their_units_and_a_mean_of_zero_as_0) {
    const char *json =
        "{ \"name\": \"Units\", \"currency\": \"USD\",\n"
        "  \"stages\": [ { \"name\": \"delivery\", \"start\": 0, \"duration\": 2,\n"
        "    \"costs\": { \"fixed_per_year\": 100000 },\n"
        "    \"cohorts\": [ { \"size\": 200, \"entry\": 0, \"enrolment\": 1 } ] } ],\n"
        "  \"outcomes\": [ { \"name\": \"employment\", \"kind\": \"rate\",\n"
        "    \"direction\": \"higher_is_better\", \"baseline\": 0.35,\n"
        "    \"effect\": { \"scale\": \"absolute\",\n"
        "      \"prior\": { \"dist\": \"normal\", \"mean\": 0.1, \"sd\": 0.08 } },\n"
        "    \"evaluation\": { \"design\": \"difference_in_differences\", \"comparison_ratio\": 2,\n"
        "      \"deviation\": { \"dist\": \"normal\", \"mean\": 0, \"sd\": 0.05 } },\n"
        "    \"observation_lag\": 1 } ],\n"
        "  \"contract\": { \"payments\": [ { \"outcome\": \"employment\", \"type\": "
        "\"per_unit\", \"price\": 4000 } ] },\n"
        "  \"financing\": [ { \"name\": \"PbR\", \"type\": \"pbr\" } ] }\n";
    built b;
    build(&b, json, 256, 2, 0);
    char *s = page_of(&b.p);
    /* The loader keeps an absolute effect on a rate of 35% within 65
     * points: 6.9 sd above the mean, within a normal's reach. */
    cr_assert_not_null(strstr(s, "<td>normal, mean 10%, sd 8%, kept at 65% or less (points of the "
                                 "rate, per person)</td>"),
                       "the outcome's effect in points of the rate");
    cr_assert_not_null(strstr(s, "measured 1 year after a cohort&#39;s enrolment"), "1 year, not 1 years");
    cr_assert_not_null(strstr(s, "<td>normal, mean 10%, sd 8%, kept at 65% or less</td><td>10.0%</td>"
                                 "<td>-0.3% to 20.3%</td>"),
                       "the input's row");
    cr_assert_not_null(strstr(s, "<td>normal, mean 0%, sd 5%</td><td>0.0%</td>"
                                 "<td>-6.4% to 6.4%</td>"),
                       "the deviation's row");
    for (const char *e = strstr(s, "e-"); e; e = strstr(e + 1, "e-"))
        cr_assert(e == s || !isdigit((unsigned char)e[-1]), "a number in powers of ten: %.20s", e - 8);
    free(s);
    unbuild(&b);
}

/* Section 8's command gives this page: with the tornado's --metric and
 * --pct when they are not the defaults, and every word quoted as a POSIX
 * shell reads it (a path with a space and an apostrophe, a metric with a
 * space). Without them, the command says neither. */
Test(paper, the_command_that_gives_this_page_has_its_metric_pct_and_quoted_words) {
    char *text = repo_text("scenarios/peterborough.json");
    built b;
    build(&b, text, 512, 2, 0);
    b.p.scenario_file = "my dir/pb's deal.json";
    b.p.tornado = (paper_tornado){.why = "The tornado was not run in this test.",
                                  .metric = "Peterborough SIB/commissioner.total",
                                  .metric_given = 1,
                                  .pct = 0.25};
    char *s = page_of(&b.p);
    char want[400];
    snprintf(want, sizeof want,
             "<dt>This page</dt><dd><code>sibsim report &#39;my dir/pb&#39;\\&#39;&#39;s "
             "deal.json&#39; --paths 512 --seed %llu --metric &#39;Peterborough "
             "SIB/commissioner.total&#39; --pct 0.25 -o report.html</code>",
             (unsigned long long)b.sc->sim.seed);
    cr_assert_not_null(strstr(s, want), "no %s", want);
    snprintf(want, sizeof want,
             "<dt>Every metric</dt><dd><code>sibsim run &#39;my dir/pb&#39;\\&#39;&#39;s "
             "deal.json&#39; --paths 512 --seed %llu --format json</code>",
             (unsigned long long)b.sc->sim.seed);
    cr_assert_not_null(strstr(s, want), "no %s", want);
    free(s);
    /* The defaults: neither option, and a plain path as it is. */
    b.p.scenario_file = "scenarios/peterborough.json";
    b.p.tornado.metric_given = 0;
    b.p.tornado.pct = 0.1;
    s = page_of(&b.p);
    snprintf(want, sizeof want,
             "<dt>This page</dt><dd><code>sibsim report scenarios/peterborough.json --paths 512 "
             "--seed %llu -o report.html</code>",
             (unsigned long long)b.sc->sim.seed);
    cr_assert_not_null(strstr(s, want), "no %s", want);
    free(s);
    unbuild(&b);
    free(text);
}

/* At a glance names at most six tranches (eight structures, four
 * outcomes) and says how many more section 2 (section 7) gives, rather
 * than leaving them out without a word. */
Test(paper, at_a_glance_says_what_it_leaves_out) {
    char json[6000];
    size_t n = (size_t)snprintf(
        json, sizeof json,
        "{ \"name\": \"Seven tranches\", \"currency\": \"GBP\",\n"
        "  \"simulation\": { \"paths\": 1000, \"seed\": 1 },\n"
        "  \"stages\": [ { \"name\": \"delivery\", \"start\": 0, \"duration\": 3,\n"
        "    \"costs\": { \"fixed_per_year\": 500000 },\n"
        "    \"cohorts\": [ { \"size\": 600, \"entry\": 0, \"enrolment\": 1.5 } ] } ],\n"
        "  \"outcomes\": [ { \"name\": \"reoffending\", \"kind\": \"rate\",\n"
        "    \"direction\": \"lower_is_better\", \"baseline\": 0.45,\n"
        "    \"effect\": { \"scale\": \"relative\",\n"
        "      \"prior\": { \"dist\": \"normal\", \"mean\": 0.1, \"sd\": 0.06 } },\n"
        "    \"evaluation\": { \"design\": \"rct\", \"comparison_size\": 600 },\n"
        "    \"observation_lag\": 1 } ],\n"
        "  \"contract\": { \"payments\": [ { \"outcome\": \"reoffending\", \"type\": "
        "\"per_unit\", \"price\": 4000 } ] },\n"
        "  \"financing\": [ { \"name\": \"SIB\", \"type\": \"sib\", \"tranches\": [");
    for (int k = 0; k < 7; k++)
        n += (size_t)snprintf(json + n, sizeof json - n,
                              "%s{ \"name\": \"T%d\", \"commitment\": 300000 }", k ? ", " : "", k);
    snprintf(json + n, sizeof json - n, "] } ] }\n");
    built b;
    build(&b, json, 1024, 2, 0);
    char *s = page_of(&b.p);
    const char *from = strstr(s, "<div class=\"glance\">");
    cr_assert_not_null(from);
    const char *to = strstr(from, "</div>");
    size_t named = 0;
    for (const char *q = strstr(from, "<li>Investor T"); q && q < to;
         q = strstr(q + 1, "<li>Investor T"))
        named++;
    cr_assert_eq(named, 6);
    /* One left out is "it", not "every one" (the Massachusetts paper's
     * glance read "1 further tranche: section 2 gives every one."). */
    const char *more = strstr(from, "<li>1 further tranche: section 2 gives it.</li>");
    cr_assert(more && more < to, "the glance does not say it leaves a tranche out");
    free(s);
    unbuild(&b);
}

/* Section 4's table of the outlay by year, like section 2's, gives at most
 * four structures side by side and continues below, so that it fits an A4
 * page: five structures are a table of four and a table of one. */
Test(paper, the_outlay_table_continues_below_after_four_structures) {
    const char *json =
        "{ \"name\": \"Five structures\", \"currency\": \"GBP\",\n"
        "  \"simulation\": { \"paths\": 1000, \"seed\": 1 },\n"
        "  \"stages\": [ { \"name\": \"delivery\", \"start\": 0, \"duration\": 3,\n"
        "    \"costs\": { \"fixed_per_year\": 500000 },\n"
        "    \"cohorts\": [ { \"size\": 600, \"entry\": 0, \"enrolment\": 1.5 } ] } ],\n"
        "  \"outcomes\": [ { \"name\": \"reoffending\", \"kind\": \"rate\",\n"
        "    \"direction\": \"lower_is_better\", \"baseline\": 0.45,\n"
        "    \"effect\": { \"scale\": \"relative\",\n"
        "      \"prior\": { \"dist\": \"normal\", \"mean\": 0.1, \"sd\": 0.06 } },\n"
        "    \"evaluation\": { \"design\": \"rct\", \"comparison_size\": 600 },\n"
        "    \"observation_lag\": 1 } ],\n"
        "  \"contract\": { \"payments\": [ { \"outcome\": \"reoffending\", \"type\": "
        "\"per_unit\", \"price\": 4000 } ] },\n"
        "  \"financing\": [ { \"name\": \"grant\", \"type\": \"grant\" },\n"
        "    { \"name\": \"FFS\", \"type\": \"fee_for_service\", \"margin\": 0.1 },\n"
        "    { \"name\": \"PbR\", \"type\": \"pbr\" },\n"
        "    { \"name\": \"SIB\", \"type\": \"sib\",\n"
        "      \"tranches\": [ { \"commitment\": 2000000 } ] },\n"
        "    { \"name\": \"fund\", \"type\": \"outcomes_fund\",\n"
        "      \"tranches\": [ { \"commitment\": 2000000 } ] } ] }\n";
    built b;
    build(&b, json, 1024, 2, 0);
    char *s = page_of(&b.p);
    const char *from = strstr(s, "<section id=\"outlay\""),
               *to = strstr(s, "<section id=\"funnel\"");
    cr_assert(from && to && from < to);
    size_t tables = 0, columns = 0;
    for (const char *t = strstr(from, "<table>"); t && t < to; t = strstr(t + 1, "<table>")) {
        const char *head_end = strstr(t, "</thead>");
        size_t k = 0;
        for (const char *h = strstr(t, "<th class=\"num\">"); h && h < head_end;
             h = strstr(h + 1, "<th class=\"num\">"))
            k++;
        cr_assert(k >= 1 && k <= 4, "a table of %zu structures", k);
        columns += k;
        tables++;
    }
    cr_assert_eq(tables, 2);
    cr_assert_eq(columns, 5);
    free(s);
    unbuild(&b);
}

/* A structure named after its type ("grant", a grant) is not called
 * "grant (grant)": at a glance and under its fan chart, as in section 2's
 * column heads. */
Test(paper, a_structure_named_after_its_type_is_named_once) {
    char *text = repo_text("scenarios/regional-pilot-to-scale.json");
    built b;
    build(&b, text, 1024, 2, 0);
    cr_assert_str_eq(b.sc->financing[0].name, "grant");
    char *s = page_of(&b.p);
    cr_assert_null(strstr(s, "grant (grant)"));
    cr_assert_null(strstr(s, "<strong>grant</strong> (grant)"));
    cr_assert_not_null(strstr(s, "<li>grant: the commissioner pays "));
    /* Another name keeps its type. */
    cr_assert_not_null(strstr(s, "<li>PbR (payment by results): the commissioner pays "));
    free(s);
    unbuild(&b);
    free(text);
}

/* The S-curve's "a loss in X% of these futures" is the share of these
 * futures with a loss, as P(loss) counts it: for Massachusetts' deferred
 * fees, repaid at most their principal, many futures end at an IRR of
 * exactly 0 (money back, no return), which are no loss. When every future
 * with capital in has one IRR, X is P(loss | capital drawn). */
Test(paper, the_s_curves_loss_share_is_p_loss_among_its_futures) {
    char *text = repo_text("scenarios/massachusetts-juvenile-justice.json");
    built b;
    build(&b, text, 2048, 2, 0);
    char *s = page_of(&b.p);
    const char *fin = "Roca PFS capital", *tr = "deferred fees";
    char key[200];
    snprintf(key, sizeof key, "%s.irr", tr);
    size_t irr = engine_find_metric(b.e, fin, key);
    cr_assert_neq(irr, (size_t)-1);
    irr_counts c;
    cr_assert_eq(engine_irr_counts(b.e, irr, &c), SIB_OK);
    cr_assert_eq(c.no_sign_change + c.several_roots + c.no_root + c.no_convergence, 0);
    snprintf(key, sizeof key, "%s.p_loss_given_drawn", tr);
    double pl = summary_of(b.e, fin, key).mean;
    /* The tranche's heading, then its S-curve's label. */
    const char *h = strstr(s, "<h3>deferred fees <span class=\"note\">");
    cr_assert_not_null(h);
    char want[80];
    snprintf(want, sizeof want, "a loss in %.1f%% of these futures", 100 * pl);
    const char *label = strstr(h, "of these futures");
    cr_assert_not_null(label);
    cr_assert(strstr(h, want) == label - (strlen(want) - strlen("of these futures")),
              "the label is not \"%s\": %.40s", want, label - 24);
    free(s);
    unbuild(&b);
    free(text);
}

/* A caption whose figure covers every future says "all 2,048", not "the
 * 2,048 futures ... (of 2,048)" as it read; one that leaves some out gives
 * both counts (GS's IRR is undefined in a few futures of Massachusetts). */
Test(paper, a_caption_says_all_when_its_figure_covers_every_future) {
    char *text = repo_text("scenarios/massachusetts-juvenile-justice.json");
    built b;
    build(&b, text, 2048, 2, 0);
    char *s = page_of(&b.p);
    const char *h = strstr(s, "<h3>deferred fees <span class=\"note\">");
    cr_assert_not_null(h);
    const char *next = strstr(h + 4, "<h3>");
    const char *one =
        strstr(h, "over the futures with an IRR, a total loss counted as -100% (all 2,048).");
    const char *went = strstr(h, "where capital went in (all 2,048) whose money back");
    cr_assert(one && one < next, "the S-curve's caption: %.300s", strstr(h, "Each point"));
    cr_assert(went && went < next, "the histogram's caption: %.300s", strstr(h, "Each bar"));
    cr_assert_null(strstr(s, "(of 2,048)"));
    irr_counts c;
    size_t irr = engine_find_metric(b.e, "Roca PFS capital", "GS Social Impact Fund.irr");
    cr_assert_eq(engine_irr_counts(b.e, irr, &c), SIB_OK);
    uint64_t none = c.no_sign_change + c.several_roots + c.no_root + c.no_convergence;
    if (none > 0) {
        char want[120];
        unsigned long long k = 2048 - none; /* 1,000 to 2,047, grouped by hand */
        cr_assert(k >= 1000);
        snprintf(
            want, sizeof want,
            "over the futures with an IRR, a total loss counted as -100%% (%llu,%03llu of 2,048).",
            k / 1000, k % 1000);
        cr_assert_not_null(strstr(s, want), "no \"%s\"", want);
    }
    free(s);
    unbuild(&b);
    free(text);
}

/* The histogram's red bars ("below 1.00x, a loss") hold the futures with a
 * loss and no others: Massachusetts' deferred fees are repaid at most
 * their principal, and the futures repaid exactly 1.00x are no loss, so
 * the red bars add up to P(loss | capital drawn) (to the sketch's
 * resolution), not to every future. */
Test(paper, the_histograms_red_bars_are_the_futures_with_a_loss) {
    char *text = repo_text("scenarios/massachusetts-juvenile-justice.json");
    built b;
    build(&b, text, 2048, 2, 0);
    char *s = page_of(&b.p);
    double pl = summary_of(b.e, "Roca PFS capital", "deferred fees.p_loss_given_drawn").mean;
    double drawn = summary_of(b.e, "Roca PFS capital", "deferred fees.drawn_any").mean;
    const char *h = strstr(s, "<h3>deferred fees <span class=\"note\">");
    cr_assert_not_null(h);
    const char *next = strstr(h + 4, "<h3>");
    double red = 0, all = 0;
    for (const char *r = strstr(h, "<rect "); r && (!next || r < next);
         r = strstr(r + 1, "<rect ")) {
        const char *close = strchr(r, '>'), *cnt = strstr(r, "data-count=\"");
        if (cnt == NULL || cnt > close) continue;
        double n = atof(cnt + strlen("data-count=\""));
        all += n;
        const char *fill = strstr(r, "fill=\"#b5473a\"");
        if (fill && fill < close) red += n;
    }
    cr_assert(all > 0);
    cr_assert(fabs(all - 2048 * drawn) < 0.5, "%g bars' futures of %g", all, 2048 * drawn);
    cr_assert(fabs(red / all - pl) < 0.01, "red bars hold %.1f%% of the futures, P(loss) %.1f%%",
              100 * red / all, 100 * pl);
    free(s);
    unbuild(&b);
    free(text);
}

/* When the programme causes no true outcomes on average (ICRC's effect is
 * centred on zero: harm in half the futures), at a glance does not count
 * outcomes never paid for "of the -12 the programme causes". */
Test(paper, at_a_glance_counts_unpaid_outcomes_only_of_outcomes_caused) {
    char *text = repo_text("scenarios/icrc-humanitarian-impact-bond.json");
    built b;
    build(&b, text, 2048, 2, 0);
    const char *name = b.sc->outcomes[0].name;
    char key[200];
    snprintf(key, sizeof key, "outcomes.true.%s", name);
    double caused = summary_of(b.e, "programme", key).mean;
    cr_assert(caused <= 0, "the test wants a programme causing none on average: %g", caused);
    char *s = page_of(&b.p);
    const char *from = strstr(s, "<div class=\"glance\">"), *to = strstr(from, "</div>");
    const char *bad = strstr(from, " of the -");
    cr_assert(bad == NULL || bad > to, "%.80s", bad);
    snprintf(key, sizeof key, "<li>%s: paid when the true effect is zero or harmful, ", name);
    const char *li = strstr(from, key);
    cr_assert(li && li < to);
    const char *want = "the programme causes no true outcomes on average";
    const char *says = strstr(li, want);
    cr_assert(says && says < strstr(li, "</li>"), "%.300s", li);
    free(s);
    unbuild(&b);
    free(text);
}

/* Every structure's tranches are on the page, however many: five bonds of
 * sixteen tranches (the most a structure may have) lost the fifth bond's
 * sixteen from sections 2 and 3, as the page kept 64 tranches and said
 * nothing. */
Test(paper, every_structures_tranches_are_on_the_page) {
    char text[16384];
    int n = snprintf(text, sizeof text,
                     "{\"name\": \"many\", \"currency\": \"GBP\","
                     " \"simulation\": {\"periods_per_year\": 1, \"seed\": 3},"
                     " \"stages\": [{\"name\": \"s\", \"duration\": 2, \"costs\": {\"setup\": "
                     "1000000}, \"cohorts\": [{\"size\": 100}]}],"
                     " \"outcomes\": [{\"name\": \"o\", \"kind\": \"rate\", \"direction\": "
                     "\"higher_is_better\", \"baseline\": 0.5, \"effect\": {\"prior\": {\"dist\": "
                     "\"normal\", \"mean\": 0.1, \"sd\": 0.05}}, \"evaluation\": {\"design\": "
                     "\"validated_count\"}}],"
                     " \"contract\": {\"payments\": [{\"outcome\": \"o\", \"type\": "
                     "\"per_outcome\", \"price\": 100000}]},"
                     " \"financing\": [");
    for (int f = 0; f < 5; f++) {
        n += snprintf(text + n, sizeof text - (size_t)n,
                      "%s{\"name\": \"SIB %d\", \"type\": \"sib\", \"tranches\": [", f ? ", " : "",
                      f);
        for (int t = 0; t < 16; t++)
            n += snprintf(text + n, sizeof text - (size_t)n,
                          "%s{\"name\": \"t%02d\", \"commitment\": 100000}", t ? ", " : "", t);
        n += snprintf(text + n, sizeof text - (size_t)n, "]}");
    }
    snprintf(text + n, sizeof text - (size_t)n, "]}");
    built b;
    build(&b, text, 1024, 2, 0);
    char *s = page_of(&b.p);
    char want[64];
    for (int f = 0; f < 5; f++)
        for (int t = 0; t < 16; t++) {
            snprintf(want, sizeof want, "data-metric=\"SIB %d/t%02d.pooled_irr\"", f, t);
            cr_assert_not_null(strstr(s, want), "no %s on the page", want);
        }
    free(s);
    unbuild(&b);
}

/* The NPV row says the rate it is valued at: the tranches' one rate, or
 * each column's in order, the simulation's where a tranche gives none. */
Test(paper, the_npv_row_names_its_discount_rates) {
    const char *fmt =
        "{\"name\": \"npv\", \"currency\": \"GBP\","
        " \"simulation\": {\"periods_per_year\": 1, \"seed\": 3, \"discount_rate\": 0.035},"
        " \"stages\": [{\"name\": \"s\", \"duration\": 2, \"costs\": {\"setup\": 200000},"
        " \"cohorts\": [{\"size\": 100}]}],"
        " \"outcomes\": [{\"name\": \"o\", \"kind\": \"rate\", \"direction\": \"higher_is_better\","
        " \"baseline\": 0.5, \"effect\": {\"prior\": {\"dist\": \"normal\", \"mean\": 0.1, \"sd\": 0.05}},"
        " \"evaluation\": {\"design\": \"validated_count\"}}],"
        " \"contract\": {\"payments\": [{\"outcome\": \"o\", \"type\": \"per_outcome\", \"price\": 10000}]},"
        " \"financing\": [{\"name\": \"SIB\", \"type\": \"sib\", \"tranches\": ["
        "{\"name\": \"a\", \"commitment\": 100000}, {\"name\": \"b\", \"commitment\": 100000%s}]}]}";
    char text[4096];
    const char *cases[][2] = {
        {"", "valued at the start at 3.5% a year<"},
        {", \"discount_rate\": 0.06", "valued at the start at 3.5%, 6% a year, column by column<"},
    };
    for (size_t c = 0; c < 2; c++) {
        snprintf(text, sizeof text, fmt, cases[c][0]);
        built b;
        build(&b, text, 256, 1, 0);
        char *s = page_of(&b.p);
        cr_assert_not_null(strstr(s, "NPV at the tranche&#39;s discount rate"), "no NPV row");
        cr_assert_not_null(strstr(s, cases[c][1]), "case %zu: no \"%s\" on the page", c,
                           cases[c][1]);
        free(s);
        unbuild(&b);
    }
}
