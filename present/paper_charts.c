/* paper_charts.c -- the committee paper's charted sections: each
 * tranche's returns (an S-curve of the IRR and a histogram of the money
 * multiple), the commissioner's outlay year by year (fan charts and their
 * numbers), the stage funnel and the tornado. See paper.h.
 */
#include <gsl/gsl_histogram.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "format.h"
#include "html.h"
#include "paper_internal.h"
#include "svg.h"
#include "term.h"

/* ------------------------------------------------------ returns, charted */

/* The S-curve of a tranche's per-future IRR, P(loss) and the IRR of the
 * expected cash flows marked. */
/* How many of the futures a caption's figure covers: "19,994 of 20,000",
 * or "all 20,000" (which read "the 20,000 futures ... (of 20,000)"). */
static const char *part_of(char *buf, size_t size, uint64_t n, uint64_t of) {
    char a[32], b[32];
    if (n == of)
        snprintf(buf, size, "all %s", present_count(a, sizeof a, of));
    else
        snprintf(buf, size, "%s of %s", present_count(a, sizeof a, n),
                 present_count(b, sizeof b, of));
    return buf;
}

static void irr_curve(FILE *out, const paper *p, const paper_unit *u, size_t irr, size_t pooled) {
    const stats_acc *acc = engine_stats(p->e, irr);
    stats_summary s;
    engine_summary(p->e, irr, &s);
    char title[400], pooled_s[48], level[160], cut[200];
    snprintf(title, sizeof title, "%s (%s): IRR future by future, as an S-curve", u->name,
             p->sc->financing[u->f].name);
    fputs("<figure>\n", out);
    if (s.n < 2) {
        paper_why(out,
                  s.n == 0
                      ? "No future has an IRR for this tranche: capital was never drawn, "
                        "or no future's flows have a single IRR."
                      : "Only one future has an IRR for this tranche: there is no curve to draw.");
        fputs("</figure>\n", out);
        return;
    }
    double x[201], q[201];
    for (int k = 0; k <= 200; k++) {
        q[k] = k / 200.0;
        x[k] = stats_acc_quantile(acc, q[k]);
    }
    /* An axis stretched by a few extreme futures is cut at the 99th
     * percentile, and the caption says so. */
    double hi = s.max, lo = fmin(s.min, 0);
    cut[0] = '\0';
    const double q99 = stats_acc_quantile(acc, 0.99);
    if (isfinite(q99) && s.max - q99 > 2 * (q99 - lo) && q99 > lo) {
        hi = fmax(q99, 0);
        snprintf(cut, sizeof cut, " The axis stops at the 99th percentile; the highest IRR is %s.",
                 present_value(pooled_s, sizeof pooled_s, NULL, UNIT_RATE, s.max));
    }
    double pooled_v = paper_stat_of(p, pooled, ST_MEAN, NULL);
    char marker_label[96];
    snprintf(marker_label, sizeof marker_label, "IRR of the expected cash flows %s",
             present_value(pooled_s, sizeof pooled_s, NULL, UNIT_RATE, pooled_v));
    chart_marker marks[2] = {{pooled_v, marker_label, NULL},
                             {0, "0%: money back, no return", "#8a949e"}};
    /* The share of these futures with a loss. When they are every future
     * that put capital in, it is P(loss | capital drawn), counted future by
     * future; the sketch's share below 0 would count the bucket holding
     * 0 whole, and with it the futures that got their money back and no
     * more (an IRR of exactly 0, a point mass under a return cap of 0). */
    double below = stats_acc_share_below(acc, 0);
    irr_counts ic;
    size_t given = paper_unit_metric(p, u, "p_loss_given_drawn");
    if (given != NONE && engine_irr_counts(p->e, irr, &ic) == SIB_OK &&
        ic.no_sign_change + ic.several_roots + ic.no_root + ic.no_convergence == 0) {
        double exact = paper_stat_of(p, given, ST_MEAN, NULL);
        if (isfinite(exact)) below = exact;
    }
    snprintf(level, sizeof level, "a loss in %.1f%% of these futures", 100 * below);
    chart_cdf c = {.title = title,
                   .x_title = "IRR, future by future (a year)",
                   .y_title = "share of the futures with an IRR (a total loss as -100%)",
                   .unit = UNIT_RATE,
                   .x = x,
                   .q = q,
                   .n = 201,
                   .x_lo = lo,
                   .x_hi = hi,
                   .markers = marks,
                   .n_markers = isfinite(pooled_v) ? 2 : 1,
                   .level_x = 0,
                   .level_q = below,
                   .level_label = level};
    if (!isfinite(pooled_v)) marks[0] = marks[1];
    if (chart_cdf_draw(out, &c) != 0) paper_why(out, "The IRRs of this tranche cannot be drawn.");
    char a[48], b[48], part[80], caption[900];
    fputs("<figcaption>", out);
    snprintf(caption, sizeof caption,
             "Each point: the share of futures whose IRR is at most the value below it, over the "
             "futures with an IRR, a total loss counted as -100%% (%s). The curve's height at 0%% "
             "is the share with a "
             "loss; over every future P(loss) is %s, and %s given that capital was drawn.%s",
             part_of(part, sizeof part, s.n, s.n + s.undefined),
             paper_fmt(a, sizeof a, p, paper_unit_metric(p, u, "p_loss"), ST_MEAN),
             paper_fmt(b, sizeof b, p, paper_unit_metric(p, u, "p_loss_given_drawn"), ST_MEAN),
             cut);
    html_text(out, caption);
    fputs("</figcaption>\n</figure>\n", out);
}

/* The histogram of a tranche's per-future money multiple, the loss side
 * (below 1.00x) in the loss colour and the expected multiple marked. */
static void moic_histogram(FILE *out, const paper *p, const paper_unit *u, size_t moic, size_t em) {
    stats_summary s;
    engine_summary(p->e, moic, &s);
    char title[400], a[48], lab[160], mark[96], n1[32], part[80], extra[160], caption[900];
    snprintf(title, sizeof title, "%s (%s): money multiple future by future, as a histogram",
             u->name, p->sc->financing[u->f].name);
    fputs("<figure>\n", out);
    if (s.n == 0 || !isfinite(s.max)) {
        paper_why(out, "No future put capital into this tranche: there is no multiple to draw.");
        fputs("</figure>\n", out);
        return;
    }
    const stats_acc *acc = engine_stats(p->e, moic);
    double hi = fmax(s.max, 1.0);
    const double q99 = stats_acc_quantile(acc, 0.99);
    if (isfinite(q99) && s.max > 3 * fmax(q99, 1.0)) hi = fmax(q99, 1.0);
    double t[32], step, nlo, nhi;
    if (svg_ticks(0, hi, 8, t, 32, &step, &nlo, &nhi) == 0) {
        paper_why(out, "The multiples of this tranche cannot be drawn.");
        fputs("</figure>\n", out);
        return;
    }
    const double width = step / 2;
    size_t bins = (size_t)ceil(hi / width - 1e-9);
    if (bins == 0) bins = 1;
    /* Futures repaid their money (1.00x, to the relative 1e-9 of P(loss))
     * are no loss: the edge at 1.00x is moved down by that much, so that
     * they fall above it, and when the axis would end at 1.00x one more bin
     * holds them. */
    const double repaid = 1.0 - 1e-9;
    if (s.max >= repaid && width * (double)bins <= 1.0 + 1e-9) bins++;
    if (bins > 60) bins = 60;
    gsl_histogram *h = gsl_histogram_alloc(bins);
    double counts[60] = {0};
    double shown = 0;
    if (h != NULL) {
        /* The top edge is nudged up so that a multiple exactly at it lands
         * in the last bin (GSL's bins are half-open). */
        double top = width * (double)bins, edges[61];
        for (size_t k = 0; k <= bins; k++) {
            edges[k] = width * (double)k;
            if (fabs(edges[k] - 1.0) < 1e-9) edges[k] = repaid;
        }
        edges[bins] = top + top * 1e-12;
        gsl_histogram_set_ranges(h, edges, bins + 1);
        stats_acc_fill_histogram(acc, h);
        for (size_t k = 0; k < bins; k++) shown += counts[k] = gsl_histogram_get(h, k);
        gsl_histogram_free(h);
    }
    const double em_v = em == NONE ? NAN : paper_stat_of(p, em, ST_MEAN, NULL);
    snprintf(mark, sizeof mark, "expected multiple E[back] / E[in] %s",
             present_value(a, sizeof a, NULL, UNIT_MULTIPLE, em_v));
    chart_marker marks[1] = {{em_v, mark, NULL}};
    snprintf(lab, sizeof lab, "below 1.00x, a loss: P(loss | capital drawn) %s",
             paper_fmt(a, sizeof a, p, paper_unit_metric(p, u, "p_loss_given_drawn"), ST_MEAN));
    chart_hist ch = {.title = title,
                     .x_title = "money multiple, future by future",
                     .y_title = "share of the futures where capital went in",
                     .unit = UNIT_MULTIPLE,
                     .lo = 0,
                     .width = width,
                     .counts = counts,
                     .n_bins = bins,
                     .total = (double)s.n,
                     .loss_below = 1.0,
                     .loss_label = lab,
                     .markers = marks,
                     .n_markers = isfinite(em_v) ? 1 : 0};
    if (h == NULL || chart_histogram(out, &ch) != 0)
        paper_why(out, "The multiples of this tranche cannot be drawn.");
    extra[0] = '\0';
    if ((double)s.n - shown >= 0.5)
        snprintf(extra, sizeof extra, " %s futures with a multiple above %s are beyond the axis.",
                 present_count(n1, sizeof n1, (unsigned long long)llround((double)s.n - shown)),
                 present_value(a, sizeof a, NULL, UNIT_MULTIPLE, width * (double)bins));
    fputs("<figcaption>", out);
    snprintf(caption, sizeof caption,
             "Each bar: the share of the futures where capital went in (%s) whose money "
             "back over money in falls in the bar's range. Red bars lose money.%s",
             part_of(part, sizeof part, s.n, s.n + s.undefined), extra);
    html_text(out, caption);
    fputs("</figcaption>\n</figure>\n", out);
}

void paper_section_returns(FILE *out, const paper *p, const paper_unit *u, size_t nu) {
    fputs("<section id=\"returns\" class=\"sheet\">\n<h2>3. Investors' returns, future by "
          "future</h2>\n",
          out);
    if (nu == 0) {
        paper_why(out,
                  "No financing structure of this scenario has investors: there are no returns to "
                  "chart.");
        fputs("</section>\n", out);
        return;
    }
    fputs("<p>An expected return hides how returns spread: most outcome contracts pay in full "
          "or not at all, so a tranche's futures split between a capped return and a large loss. "
          "The S-curve reads as \"in this share of futures the IRR was at most this\"; the "
          "histogram shows the money multiple, money back over money in.</p>\n",
          out);
    for (size_t k = 0; k < nu; k++) {
        fputs("<h3>", out);
        html_text(out, u[k].name);
        fputs(" <span class=\"note\">(", out);
        html_text(out, p->sc->financing[u[k].f].name);
        fputs(")</span></h3>\n<div class=\"pair\">\n", out);
        size_t irr = paper_unit_metric(p, &u[k], "irr"), moic = paper_unit_metric(p, &u[k], "moic");
        if (irr != NONE) irr_curve(out, p, &u[k], irr, paper_unit_metric(p, &u[k], "pooled_irr"));
        if (moic != NONE)
            moic_histogram(out, p, &u[k], moic, paper_unit_metric(p, &u[k], "expected_moic"));
        fputs("</div>\n", out);
    }
    fputs("</section>\n", out);
}

/* ------------------------------------------------------ outlay by year */

/* The outlay by year of structures [f0, f1), one column each, and the
 * run's mean of the total in the last row. */
static void outlay_table(FILE *out, const paper *p, size_t f0, size_t f1) {
    const scenario *sc = p->sc;
    const fan *fn = p->fan;
    const int yearly = fn->step_periods == (size_t)sc->sim.periods_per_year;
    fprintf(out, "<div class=\"scroll\"><table>\n<thead><tr><th>%s</th>", yearly ? "Year" : "Step");
    for (size_t f = f0; f < f1; f++) {
        fputs("<th class=\"num\">", out);
        html_text(out, sc->financing[f].name);
        fputs("</th>", out);
    }
    fputs("</tr></thead>\n<tbody>\n", out);
    char a[48], b[48];
    for (size_t k = 0; k < fn->n_steps; k++) {
        fprintf(out, "<tr><td>%zu</td>", k + 1);
        for (size_t f = f0; f < f1; f++) {
            const fan_band *fb = &fn->band[f * fn->n_steps + k];
            /* The 95th percentile may go below the mean on a narrow page. */
            fputs("<td class=\"num\" style=\"white-space:normal\">", out);
            html_text(out, present_money(a, sizeof a, sc->currency, fb->mean));
            fputs(" <span class=\"se\">95th&nbsp;", out);
            html_text(out, present_money(b, sizeof b, sc->currency, fb->p95));
            fputs("</span></td>", out);
        }
        fputs("</tr>\n", out);
    }
    fputs("<tr class=\"head\"><td>All years</td>", out);
    for (size_t f = f0; f < f1; f++)
        paper_cell(out, p, paper_find(p, sc->financing[f].name, "commissioner.total"), ST_MEAN);
    fputs("</tr>\n</tbody></table></div>\n", out);
}

void paper_section_outlay(FILE *out, const paper *p) {
    const scenario *sc = p->sc;
    fputs("<section id=\"outlay\" class=\"sheet\">\n<h2>4. What the commissioner pays, year by "
          "year</h2>\n",
          out);
    const fan *fn = p->fan;
    if (sc->n_financing == 0) {
        /* The outlay is drawn structure by structure: with none, nothing
         * would stand under the heading. */
        char cost[160], why[400];
        snprintf(why, sizeof why,
                 "This scenario has no financing structure, whose outlay would be drawn here "
                 "year by year: the commissioner pays the contract's outcome payments itself: "
                 "over the whole contract, %s.",
                 paper_contract_cost(cost, sizeof cost, p));
        paper_why(out, why);
        fputs("</section>\n", out);
        return;
    }
    if (fn == NULL) {
        paper_why(out, p->fan_why ? p->fan_why : "The yearly outlay was not computed.");
        fputs("</section>\n", out);
        return;
    }
    const int yearly = fn->step_periods == (size_t)sc->sim.periods_per_year;
    const char *step = yearly ? "year" : "step";
    char n1[32];
    fprintf(out,
            "<p>For each year of the programme (year 1 is its first twelve months), the "
            "spread of what the commissioner pays that year over the %s futures: the light band "
            "holds the middle 90%% of futures, the dark band the middle half, the line is the "
            "median. The dotted line is the expected case -- every uncertain input at its mean, "
            "measured results as expected: a spreadsheet's base case, which is not the "
            "average future. One money scale serves every structure.</p>\n",
            present_count(n1, sizeof n1, fn->paths));
    double top = 0;
    for (size_t c = 0; c < fn->n_fin * fn->n_steps; c++) {
        if (isfinite(fn->band[c].p95)) top = fmax(top, fn->band[c].p95);
        if (p->expected && isfinite(p->expected[c])) top = fmax(top, p->expected[c]);
    }
    char title[300];
    for (size_t f = 0; f < fn->n_fin; f++) {
        if (f % 2 == 0) fputs("<div class=\"pair\">\n", out);
        const char *type = paper_type_of(p, f);
        snprintf(title, sizeof title, "%s%s%s%s: the commissioner's outlay by %s",
                 sc->financing[f].name, type ? " (" : "", type ? type : "", type ? ")" : "", step);
        fputs("<figure>\n", out);
        chart_fan cf = {.title = title,
                        .step_name = step,
                        .currency = sc->currency,
                        .band = fn->band + f * fn->n_steps,
                        .expected = p->expected ? p->expected + f * fn->n_steps : NULL,
                        .n_steps = fn->n_steps,
                        .y_hi = top};
        if (chart_fan_draw(out, &cf) != 0)
            paper_why(out, "Nothing to draw: no future has an outlay.");
        fputs("<figcaption><strong>", out);
        html_text(out, sc->financing[f].name);
        fputs("</strong>", out);
        if (type != NULL) {
            fputs(" (", out);
            html_text(out, type);
            fputc(')', out);
        }
        fputs("</figcaption>\n</figure>\n", out);
        if (f % 2 == 1 || f + 1 == fn->n_fin) fputs("</div>\n", out);
    }
    /* The same in numbers: the mean of each year, and its 95th percentile;
     * PAPER_COLUMNS structures a table, the rest below. */
    fprintf(out, "<h3>The outlay by %s, in numbers</h3>\n", step);
    for (size_t f0 = 0; f0 < fn->n_fin; f0 += PAPER_COLUMNS)
        outlay_table(out, p, f0, fn->n_fin - f0 < PAPER_COLUMNS ? fn->n_fin : f0 + PAPER_COLUMNS);
    fputs("<p class=\"note\">Each year's percentiles are taken over the "
          "futures that year alone: the median line does not follow one future, and the years' "
          "95th percentiles add up to more than the 95th percentile of the total. Each cell: "
          "the mean over every future, then the 95th percentile.</p>\n</section>\n",
          out);
}

/* ---------------------------------------------------------------- funnel */

void paper_section_funnel(FILE *out, const paper *p) {
    const scenario *sc = p->sc;
    fputs("<section id=\"funnel\" class=\"sheet\">\n<h2>5. How far the programme gets</h2>\n", out);
    fputs("<p>The share of futures in which each stage runs. A stage runs when the one before it "
          "ran, the programme has not failed, and its gate (section 1) lets it start.</p>\n",
          out);
    chart_bar bars[64];
    char labels[64][SCENARIO_NAME_MAX + 8];
    size_t n = 0;
    for (size_t s = 0; s < sc->n_stages && n < 64; s++) {
        char key[SCENARIO_NAME_MAX + 24];
        snprintf(key, sizeof key, "stage.%s.reached", sc->stages[s].name);
        size_t i = paper_find(p, "programme", key);
        snprintf(labels[n], sizeof labels[n], "%s", sc->stages[s].name);
        bars[n] =
            (chart_bar){labels[n], i == NONE ? NAN : paper_stat_of(p, i, ST_MEAN, NULL), NULL};
        n++;
    }
    /* A chart of the page's full width keeps a readable size on a narrow
     * screen and scrolls in its own box (html.c: .scroll, .chart-wide). */
    fputs("<figure>\n<div class=\"scroll chart-wide\">", out);
    if (chart_bars(out, "P(reaches each stage)", bars, n, 0) != 0)
        paper_why(out, "The scenario has no stage.");
    fputs("</div>\n<figcaption>P(reaches each stage), over every future.</figcaption>\n</figure>\n",
          out);
    const struct {
        const char *group, *key, *label;
    } rows[] = {{"programme", "failed", "P(operational failure), over every future"},
                {"commissioner", "payments.any", "P(any outcome payment), over every future"},
                {"programme", "stages.reached", "Stages reached (mean)"},
                {"programme", "participants", "Participants enrolled (mean)"},
                {"programme", "cost.delivery", "Delivery cost incurred (mean)"}};
    fputs("<div class=\"scroll\"><table>\n<tbody>\n", out);
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        size_t i = paper_find(p, rows[r].group, rows[r].key);
        if (i == NONE) continue;
        fputs("<tr>", out);
        paper_td_label(out, rows[r].label, NULL);
        paper_cell(out, p, i, ST_MEAN);
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table></div>\n</section>\n", out);
}

/* --------------------------------------------------------------- tornado */

/* The tornado's values, written as the page writes its metric. */
typedef struct tornado_fmt {
    const char *currency;
    metric_unit unit;
} tornado_fmt;

static const char *tornado_format(char *buf, size_t size, double x, void *ud) {
    const tornado_fmt *f = ud;
    return present_value(buf, size, f->currency, f->unit, x);
}

/* The characters of UTF-8 text s[0 .. n). */
static size_t utf8_chars(const char *s, size_t n) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* The byte length of the first `chars` characters of UTF-8 text s[0 .. n). */
static size_t utf8_prefix(const char *s, size_t n, size_t chars) {
    size_t i = 0, k = 0;
    while (i < n) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (k == chars) break;
            k++;
        }
        i++;
    }
    return i;
}

/* A tornado row's label in at most TORNADO_LABEL characters, the most the
 * chart writes whole (chart.c cuts a longer one at any character, which can
 * leave a quote open: 'outcome "incarceration_bed_d...'). A longer label is
 * shortened here first, inside its quoted names, each kept to at least 3
 * characters and closed with "…" and its quote ('outcome
 * "incarceration_bed_…"'); if that is not enough, the label is cut at the
 * end with "…", and a quote the cut leaves open is closed. Returns buf. */
enum { TORNADO_LABEL = 46 };
static const char *tornado_short_label(char *buf, size_t size, const char *label) {
    snprintf(buf, size, "%s", label);
    size_t len = strlen(buf);
    for (int pass = 0; pass < 8 && utf8_chars(buf, len) > TORNADO_LABEL; pass++) {
        /* The longest quoted name, shortened by what is too much. */
        char *best = NULL;
        size_t best_n = 0;
        for (char *q = strchr(buf, '"'); q != NULL;) {
            char *e = strchr(q + 1, '"');
            if (e == NULL) break;
            size_t n = utf8_chars(q + 1, (size_t)(e - q - 1));
            /* (a name already shortened, ending in "…", is not cut again) */
            const int cut_before = e - q - 1 >= 3 && strncmp(e - 3, "\xe2\x80\xa6", 3) == 0;
            if (n > best_n && !cut_before) {
                best = q + 1;
                best_n = n;
            }
            q = strchr(e + 1, '"');
        }
        if (best == NULL || best_n <= 4) break;
        const size_t over = utf8_chars(buf, len) - TORNADO_LABEL;
        const size_t keep = best_n > over + 1 + 3 ? best_n - over - 1 : 3;
        char *end = strchr(best, '"');
        const size_t cut = utf8_prefix(best, (size_t)(end - best), keep);
        char rest[512];
        snprintf(rest, sizeof rest, "%s", end);
        snprintf(best + cut, size - (size_t)(best - buf) - cut, "\xe2\x80\xa6%s", rest);
        len = strlen(buf);
    }
    if (utf8_chars(buf, len) > TORNADO_LABEL) {
        /* Cut at the end: room for "…", and for a closing quote if the cut
         * leaves one open. */
        size_t at = utf8_prefix(buf, len, TORNADO_LABEL - 1), quotes = 0;
        for (size_t i = 0; i < at; i++) quotes += buf[i] == '"';
        if (quotes % 2 == 1) at = utf8_prefix(buf, len, TORNADO_LABEL - 2);
        snprintf(buf + at, size - at, "\xe2\x80\xa6%s", quotes % 2 == 1 ? "\"" : "");
    }
    return buf;
}

void paper_section_tornado(FILE *out, const paper *p) {
    const scenario *sc = p->sc;
    const paper_tornado *t = &p->tornado;
    fputs("<section id=\"tornado\" class=\"sheet\">\n<h2>6. Which assumptions matter most</h2>\n",
          out);
    if (t->why != NULL) {
        paper_why(out, t->why);
        fputs("</section>\n", out);
        return;
    }
    char n1[32], n2[32], a[64], b[64], c[64], than[160], buf[900];
    /* The settings' runs against the paper's own: fewer (to stay quick),
     * as many, or more. */
    uint64_t paper_paths = engine_paths_done(p->e);
    present_count(n2, sizeof n2, paper_paths);
    if (t->paths < paper_paths)
        snprintf(than, sizeof than,
                 "fewer than the %s of the rest of this paper so that the many runs stay quick",
                 n2);
    else if (t->paths == paper_paths)
        snprintf(than, sizeof than, "as many as the rest of this paper");
    else
        snprintf(than, sizeof than, "more than the %s of the rest of this paper", n2);
    snprintf(buf, sizeof buf,
             "The assumptions ranked by how far they move one figure -- %s -- when each changes "
             "alone: every uncertain input is set to its 10th and then its 90th percentile, and "
             "every term of the contract, the financing and the costs is moved %.3g%% down and "
             "up. The largest swings come first. Each setting is a run of %s futures, %s; all "
             "runs share their random numbers, so the differences are the effect of the change, "
             "not chance.",
             t->metric_label ? t->metric_label : t->metric, 100 * t->pct,
             present_count(n1, sizeof n1, t->paths), than);
    fputs("<p>", out);
    html_text(out, buf);
    fputs("</p>\n", out);
    enum { MAX_ROWS = 12 };
    chart_tornado_row rows[MAX_ROWS];
    char labels[MAX_ROWS][400], short_labels[MAX_ROWS][400];
    size_t n = 0, still = 0;
    for (size_t i = 0; i < t->n_bars; i++) {
        const tornado_bar *bar = &t->bars[i];
        if (!(isfinite(bar->swing) && bar->swing > 0)) {
            still++;
            continue;
        }
        if (n == MAX_ROWS) continue;
        present_term_name(labels[n], sizeof labels[n], sc, bar->pointer);
        rows[n] = (chart_tornado_row){
            tornado_short_label(short_labels[n], sizeof short_labels[n], labels[n]),
            bar->metric_low, bar->metric_high};
        n++;
    }
    snprintf(buf, sizeof buf, "Tornado of %s", t->metric_label ? t->metric_label : t->metric);
    fputs("<figure>\n<div class=\"scroll chart-wide\">", out);
    char low_name[80], high_name[80];
    snprintf(low_name, sizeof low_name, "input at its 10th percentile, or term %.3g%% lower",
             100 * t->pct);
    snprintf(high_name, sizeof high_name, "input at its 90th percentile, or term %.3g%% higher",
             100 * t->pct);
    tornado_fmt tf = {sc->currency, t->unit};
    /* The legend's base says how many futures its run used ("base 2.1%, at
     * 20,000 futures"): a base that differs from the paper's headline
     * figure of the same metric (from more futures) is explained. */
    char note[64];
    snprintf(note, sizeof note, "at %s futures", n1);
    chart_tornado ct = {.title = buf,
                        .x_title = t->metric_label ? t->metric_label : t->metric,
                        .unit = t->unit,
                        .currency = sc->currency,
                        .base = t->base,
                        .base_note = note,
                        .format = tornado_format,
                        .ud = &tf,
                        .low_name = low_name,
                        .high_name = high_name,
                        .rows = rows,
                        .n = n};
    if (n == 0 || chart_tornado_draw(out, &ct) != 0) {
        paper_why(out,
                  isfinite(t->base)
                      ? "No input or term moves this metric: there is nothing to rank."
                      : "The metric is undefined with nothing moved, so no swing can be measured.");
        fputs("</div></figure>\n</section>\n", out);
        return;
    }
    /* The base is from the tornado's own run: with fewer (or more) futures
     * than the paper's, it may differ from the headline figure. */
    fputs("</div>\n<figcaption>The vertical line, the base, is the metric with nothing moved, "
          "from a run of ",
          out);
    html_text(out, n1);
    fputs(" futures (", out);
    html_text(out, present_value(a, sizeof a, sc->currency, t->unit, t->base));
    fputs(").", out);
    if (t->paths != paper_paths) {
        /* A sentence of its own: after "); the rest ..." the closing ")."
         * of the base's bracket was left over at the end. */
        fputs(" The rest of this paper is from ", out);
        html_text(out, n2);
        fputs(" futures, so the same metric there may differ from the base by a little "
              "Monte Carlo noise.",
              out);
    }
    fputs("</figcaption>\n</figure>\n", out);
    fputs("<div class=\"scroll\"><table>\n<thead><tr><th>Input or term</th><th class=\"num\">Moved "
          "from</th><th "
          "class=\"num\">to</th><th class=\"num\">Metric at the low setting</th><th "
          "class=\"num\">at the high setting</th><th "
          "class=\"num\">Swing</th></tr></thead>\n<tbody>\n",
          out);
    size_t shown = 0;
    for (size_t i = 0; i < t->n_bars && shown < n; i++) {
        const tornado_bar *bar = &t->bars[i];
        if (!(isfinite(bar->swing) && bar->swing > 0)) continue;
        shown++;
        metric_unit fu = paper_field_unit(sc, bar->pointer);
        fputs("<tr><td>", out);
        html_text_breakable(out, labels[shown - 1]);
        fputs("<br><code>", out);
        html_text_breakable(out, bar->pointer);
        fprintf(out, "</code></td><td class=\"num\">%s", bar->is_input ? "P10 " : "");
        html_text(out, present_value(a, sizeof a, sc->currency, fu, bar->low));
        fprintf(out, "</td><td class=\"num\">%s", bar->is_input ? "P90 " : "");
        html_text(out, present_value(a, sizeof a, sc->currency, fu, bar->high));
        fputs("</td><td class=\"num\">", out);
        html_text(out, present_value(a, sizeof a, sc->currency, t->unit, bar->metric_low));
        fputs("</td><td class=\"num\">", out);
        html_text(out, present_value(b, sizeof b, sc->currency, t->unit, bar->metric_high));
        fputs("</td><td class=\"num\">", out);
        html_text(out, present_change(c, sizeof c, sc->currency, t->unit, bar->swing));
        fputs("</td></tr>\n", out);
    }
    fputs("</tbody></table></div>\n", out);
    if (t->n_bars - n > 0) {
        snprintf(buf, sizeof buf,
                 "%zu further input%s or term%s %s not shown: %zu move%s it less than those "
                 "above, %zu not at all.",
                 t->n_bars - n, t->n_bars - n == 1 ? "" : "s", t->n_bars - n == 1 ? "" : "s",
                 t->n_bars - n == 1 ? "is" : "are", t->n_bars - n - still,
                 t->n_bars - n - still == 1 ? "s" : "", still);
        fputs("<p class=\"note\">", out);
        html_text(out, buf);
        fputs(" <code>sibsim tornado</code> lists them all.</p>\n", out);
    }
    fputs("</section>\n", out);
}
