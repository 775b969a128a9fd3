/* sources.c -- `sibsim validate --verbose`: the scenario's sources, then
 * its assumptions field by field. See sources.h.
 *
 *   sources:
 *     [0] Barrow Cadbury Trust, 2017: ...
 *       https://barrowcadbury.org.uk/...
 *       Capital of GBP 5m from 17 trusts and foundations ...
 *   assumptions:
 *     /financing/0/tranches/0/return_cap = 0.13 (unverified)
 *       A maximum return of 13% a year is often quoted ...
 *       source [3] emmatomkinson.com, 2014
 */
#include "sources.h"

#include <string.h>

#define WIDTH 100

/* Print text word-wrapped to WIDTH columns, its first line indented by
 * first spaces and the others by indent. A word longer than a line (an
 * address) gets a line of its own. Columns are counted in bytes: a line of
 * accented text wraps a little early, never late. */
static void wrapped(FILE *out, const char *text, int first, int indent) {
    const char *p = text;
    int at = first;
    while (*p) {
        while (*p == ' ') p++;
        if (*p == '\0') break;
        size_t room = WIDTH - (size_t)at, len = 0, end = 0;
        while (p[len] && len <= room) {
            if (p[len] == ' ') end = len;
            len++;
        }
        if (p[len] == '\0' && len <= room) end = len; /* the rest fits */
        if (end == 0) end = strcspn(p, " ");          /* one long word */
        fprintf(out, "%*s%.*s\n", at, "", (int)end, p);
        p += end;
        at = indent;
    }
}

void sources_print(FILE *out, const scenario *sc) {
    if (sc->n_sources == 0) {
        fprintf(out, "  no sources\n");
    } else {
        fprintf(out, "  sources:\n");
        for (size_t i = 0; i < sc->n_sources; i++) {
            const scenario_source *s = &sc->sources[i];
            char head[320];
            snprintf(head, sizeof head, "[%zu] %s", i, s->title);
            wrapped(out, head, 4, 8);
            if (s->url[0]) fprintf(out, "      %s\n", s->url);
            if (s->note[0]) wrapped(out, s->note, 6, 6);
        }
    }
    if (sc->n_assumptions == 0) {
        fprintf(out, "  no assumptions\n");
        return;
    }
    fprintf(out, "  assumptions:\n");
    for (size_t i = 0; i < sc->n_assumptions; i++) {
        const scenario_assumption *a = &sc->assumptions[i];
        fprintf(out, "    %s = %s (%s)\n", a->pointer, a->value, assumption_status_name(a->status));
        wrapped(out, a->note, 6, 6);
        for (size_t k = 0; k < a->n_sources; k++)
            fprintf(out, "      source [%zu] %s\n", a->sources[k],
                    sc->sources[a->sources[k]].title);
    }
}
