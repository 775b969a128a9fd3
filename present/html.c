/* html.c -- the page's frame, style sheet, escaped and linked text. See
 * html.h. */
#include "html.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "svg.h"

/* The whole style sheet. Screen: a readable column, quiet tables. Print:
 * A4, each sheet on a new page, nothing split that reads as one, no
 * backgrounds that would print dark. On a narrow screen a table, or a chart
 * of the page's full width, that does not fit scrolls sideways in its own
 * box (<div class="scroll">, "scroll chart-wide" for a chart, which keeps
 * at least 720 px, three quarters of its drawn size); printed, nothing
 * scrolls and a chart is as wide as the page. */
static const char style[] =
    ":root{--ink:#1f2933;--muted:#5b6670;--rule:#cfd6dd;--main:#1f4e79;--loss:#b5473a;"
    "--accent:#a8660e;--soft:#f3f6f9}\n"
    "html{-webkit-text-size-adjust:100%}\n"
    "body{margin:0;color:var(--ink);background:#fff;"
    "font:15px/1.5 \"Helvetica Neue\",Helvetica,Arial,sans-serif}\n"
    "main{max-width:1000px;margin:0 auto;padding:28px 32px 48px}\n"
    "h1{font-size:27px;line-height:1.25;margin:4px 0 8px;color:var(--main)}\n"
    "h2{font-size:21px;margin:40px 0 10px;padding-top:14px;border-top:2px solid var(--main);"
    "color:var(--main)}\n"
    "h3{font-size:16px;margin:22px 0 6px}\n"
    "p{margin:6px 0 10px;max-width:78ch}\n"
    ".kicker{text-transform:uppercase;letter-spacing:.08em;font-size:12px;color:var(--muted);"
    "margin:0}\n"
    ".lede{font-size:16px;color:var(--ink)}\n"
    ".note,.caption{font-size:13px;color:var(--muted)}\n"
    ".why{font-style:italic;color:var(--muted)}\n"
    "nav ol{columns:2;font-size:14px;padding-left:22px;margin:6px 0}\n"
    "a{color:var(--main)}\n"
    ".glance{border:1px solid var(--rule);border-left:4px solid var(--main);"
    "background:var(--soft);padding:10px 16px;margin:16px 0}\n"
    ".glance ul{margin:4px 0;padding-left:20px}\n"
    ".glance li{margin:3px 0}\n"
    ".scroll{overflow-x:auto;max-width:100%}\n"
    ".chart-wide svg{min-width:720px}\n"
    "table{border-collapse:collapse;margin:8px 0 14px;font-size:13.5px;min-width:50%}\n"
    "table.wide{width:100%}\n"
    "table.provenance{width:100%}\n"
    "table.provenance td{overflow-wrap:normal;vertical-align:top}\n"
    "table.provenance td:nth-child(2){font-family:monospace;font-size:12px}\n"
    "th,td{padding:4px 8px;border-bottom:1px solid var(--rule);vertical-align:top;"
    "text-align:left;overflow-wrap:break-word}\n"
    "thead th{border-bottom:2px solid var(--ink);font-weight:600;vertical-align:bottom}\n"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "th.num{white-space:normal}\n"
    "tr.sub td{color:var(--muted);font-size:12.5px}\n"
    "td:first-child{min-width:13em}\n"
    "td.num{min-width:7em}\n"
    "tr.head td{font-weight:600;background:var(--soft)}\n"
    ".se{color:var(--muted);font-size:.85em;margin-left:3px}\n"
    "td .note,th .note{font-size:.92em}\n"
    ".loss{color:var(--loss)}\n"
    "code,.mono{font-family:Menlo,Consolas,\"DejaVu Sans Mono\",monospace;font-size:12.5px}\n"
    "td code{overflow-wrap:normal;word-break:normal}\n"
    "figure{margin:12px 0 18px}\n"
    "figcaption{font-size:13px;color:var(--muted);margin-top:4px;max-width:90ch}\n"
    ".pair{display:grid;grid-template-columns:1fr 1fr;gap:18px}\n"
    ".pair figure{margin:8px 0}\n"
    ".notes li{margin:2px 0;overflow-wrap:anywhere}\n"
    "dl.repro{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;font-size:14px}\n"
    "dl.repro dt{color:var(--muted)}dl.repro dd{margin:0}\n"
    "svg{display:block}\n"
    "@media (max-width:760px){.pair{grid-template-columns:1fr}nav ol{columns:1}}\n"
    "@media print{\n"
    "@page{size:A4;margin:15mm 13mm 16mm}\n"
    "body{font-size:10pt}\n"
    "main{max-width:none;padding:0}\n"
    "h1{font-size:20pt}h2{font-size:14pt;margin-top:0}h3{font-size:11pt}\n"
    "section.sheet{break-before:page;page-break-before:always}\n"
    "figure,tr,.glance,dl.repro{break-inside:avoid;page-break-inside:avoid}\n"
    "h2,h3{break-after:avoid;page-break-after:avoid}\n"
    "table{font-size:8.5pt}\n"
    ".scroll{overflow:visible}.chart-wide svg{min-width:0}\n"
    ".pair{grid-template-columns:1fr}\n"
    ".glance,tr.head td{background:none}\n"
    "a{color:inherit;text-decoration:none}\n"
    "}\n";

void html_begin(FILE *out, const char *title, const char *generator) {
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          out);
    svg_escape(out, title);
    fputs("</title>\n<meta name=\"generator\" content=\"", out);
    svg_escape(out, generator);
    fputs("\">\n<style>\n", out);
    fputs(style, out);
    fputs("</style>\n</head>\n<body>\n<main>\n", out);
}

void html_end(FILE *out) { fputs("</main>\n</body>\n</html>\n", out); }

void html_text(FILE *out, const char *s) { svg_escape(out, s); }

void html_text_breakable(FILE *out, const char *s) {
    if (s == NULL) return;
    char piece[256];
    while (*s) {
        size_t n = strcspn(s, "_/");
        if (s[n] != '\0') n++; /* the '_' or '/' ends the piece */
        if (n >= sizeof piece) n = sizeof piece - 1;
        memcpy(piece, s, n);
        piece[n] = '\0';
        svg_escape(out, piece);
        s += n;
        if (n > 0 && (piece[n - 1] == '_' || piece[n - 1] == '/') && *s) fputs("<wbr>", out);
    }
}

/* Length of the URL starting at s (which begins with a scheme it links),
 * without the punctuation that usually ends a sentence after it. */
static size_t url_length(const char *s) {
    size_t n = 0;
    while (s[n] && !isspace((unsigned char)s[n]) && !strchr("\"'<>()[]{}", s[n])) n++;
    while (n > 0 && strchr(".,;:!?", s[n - 1])) n--;
    return n;
}

/* The length of the scheme ("http://", "https://") s starts with, or 0. */
static size_t scheme_at(const char *s) {
    if (strncasecmp(s, "http://", 7) == 0) return 7;
    if (strncasecmp(s, "https://", 8) == 0) return 8;
    return 0;
}

void html_linked_text(FILE *out, const char *s) {
    if (s == NULL) return;
    char buf[4096];
    while (*s) {
        const char *p = s;
        /* The next URL: a scheme that starts a word. */
        while (*p && !(scheme_at(p) && (p == s || !isalnum((unsigned char)p[-1])))) p++;
        size_t len = (size_t)(p - s);
        for (size_t off = 0; off < len; off += sizeof buf - 1) {
            size_t k = len - off < sizeof buf - 1 ? len - off : sizeof buf - 1;
            memcpy(buf, s + off, k);
            buf[k] = '\0';
            svg_escape(out, buf);
        }
        if (*p == '\0') break;
        size_t n = url_length(p);
        if (n <= scheme_at(p) || n >= sizeof buf) {
            /* A bare scheme, or a URL too long to be one: plain text. */
            size_t k = n > scheme_at(p) ? n : scheme_at(p);
            if (k >= sizeof buf) k = sizeof buf - 1;
            memcpy(buf, p, k);
            buf[k] = '\0';
            svg_escape(out, buf);
            s = p + k;
            continue;
        }
        memcpy(buf, p, n);
        buf[n] = '\0';
        fputs("<a href=\"", out);
        svg_escape(out, buf);
        fputs("\">", out);
        svg_escape(out, buf);
        fputs("</a>", out);
        s = p + n;
    }
}

void html_paragraphs(FILE *out, const char *text) {
    if (text == NULL || text[0] == '\0') return;
    const char *s = text;
    while (*s) {
        while (*s == '\n' || *s == '\r') s++;
        if (*s == '\0') break;
        /* One paragraph: up to a blank line. */
        const char *end = s;
        while (*end && !(end[0] == '\n' && (end[1] == '\n' || (end[1] == '\r' && end[2] == '\n'))))
            end++;
        size_t len = (size_t)(end - s);
        char *para = malloc(len + 1);
        if (para == NULL) return;
        for (size_t i = 0; i < len; i++) para[i] = s[i] == '\n' || s[i] == '\r' ? ' ' : s[i];
        while (len > 0 && (para[len - 1] == ' ' || para[len - 1] == '\t')) len--;
        para[len] = '\0';
        fputs("<p>", out);
        svg_escape(out, para);
        fputs("</p>\n", out);
        free(para);
        s = end;
    }
}

size_t html_notes(FILE *out, const char *heading, const char *const *items, size_t n) {
    size_t shown = 0;
    for (size_t i = 0; items != NULL && i < n; i++) shown += items[i] != NULL;
    if (shown == 0) return 0;
    fputs("<h3>", out);
    svg_escape(out, heading);
    fputs("</h3>\n<ul class=\"notes\">\n", out);
    for (size_t i = 0; i < n; i++) {
        if (items[i] == NULL) continue;
        fputs("<li>", out);
        html_linked_text(out, items[i]);
        fputs("</li>\n", out);
    }
    fputs("</ul>\n", out);
    return shown;
}
