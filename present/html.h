/* html.h -- the frame of a self-contained HTML page: the document and its
 * inline style sheet (screen and print), escaped text, paragraphs, and
 * lists of sources and assumptions.
 *
 * A page written with these functions needs nothing from outside the file:
 * no script, no web font, no image, no style sheet by URL. The only URLs
 * it holds are those a caller passes as text (a scenario's sources), which
 * become plain links. The print style sheet sets A4 pages, starts each
 * <section class="sheet"> on a new page, keeps figures and table rows
 * whole, and uses no dark backgrounds. On screen, a table wrapped in
 * <div class="scroll"> (a chart of the full width in "scroll chart-wide")
 * scrolls sideways in its own box when the window is too narrow for it,
 * rather than running off the page or shrinking its text. Front-end code;
 * no state.
 */
#ifndef SIB_HTML_H
#define SIB_HTML_H

#include <stddef.h>
#include <stdio.h>

/* Open the document: doctype, <head> with the title (escaped), the
 * generator's name and the style sheet, and <body><main>. */
void html_begin(FILE *out, const char *title, const char *generator);

/* Close what html_begin opened. */
void html_end(FILE *out);

/* Text escaped for HTML (& < > " ' and control characters, as svg_escape). */
void html_text(FILE *out, const char *s);

/* As html_text, with a line-break opportunity (<wbr>) after each '_' and
 * '/', so that an identifier ("people_regaining_mobility_per_staff") or a
 * path may wrap in a narrow table cell. Element content only, never an
 * attribute. */
void html_text_breakable(FILE *out, const char *s);

/* Text escaped, with every http:// or https:// URL in it made a plain link
 * (<a href="URL">URL</a>) that ends before a space, a quote, an angle
 * bracket or a closing parenthesis or final punctuation. Nothing else is
 * linked: "javascript:" and other schemes stay text. */
void html_linked_text(FILE *out, const char *s);

/* Text as paragraphs: a blank line starts a new <p>; within one, a line
 * break is kept as a space. Escaped, and nothing linked: a URL in running
 * text stays text (only a list of sources links, html_notes). */
void html_paragraphs(FILE *out, const char *text);

/* A titled list of notes -- the sources or the assumptions a scenario
 * states -- as <h3>heading</h3><ul class="notes"> with one <li> an item
 * (linked as html_linked_text). Writes nothing at all when n is 0 or items
 * is NULL, so a scenario that states none shows no empty heading. NULL
 * items are skipped. Returns the number of items written. */
size_t html_notes(FILE *out, const char *heading, const char *const *items, size_t n);

#endif
