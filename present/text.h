/* text.h -- text laid out for a terminal: display width, cutting and
 * padding to a number of columns, word wrapping, and the blocks that
 * terminal charts are drawn with.
 *
 * A terminal lays text out in columns, not bytes: "£" and "€" are two and
 * three bytes of UTF-8 but one column, "日" is three bytes and two columns.
 * Widths are measured with the C library's multibyte functions (mbrtowc,
 * wcwidth) under the current LC_CTYPE; where the locale cannot decode the
 * text (the "C" locale), each UTF-8 character counts one column.
 *
 * Charts use Unicode block elements in a UTF-8 locale (horizontal bars in
 * eighths, "▏▎▍▌▋▊▉█"; column tops in eighths, "▁▂▃▄▅▆▇█") and '#'
 * otherwise. The front end calls setlocale(LC_CTYPE, "") once at start;
 * present_unicode() then says which to use.
 *
 * Pure functions over caller-supplied buffers; no curses, no state.
 */
#ifndef SIB_PRESENT_TEXT_H
#define SIB_PRESENT_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* Table widths (--compact, the default, --wide: 0 = as wide as the
 * content, no limit). */
enum { PRESENT_COMPACT = 80, PRESENT_DEFAULT = 100, PRESENT_WIDE = 0 };

/* The display width of UTF-8 text s in terminal columns (of its first n
 * bytes for the _n form). A character the locale calls unprintable counts
 * one column. */
int present_width(const char *s);
int present_width_n(const char *s, size_t n);

/* How many bytes of s fit in `cols` columns: the longest prefix of whole
 * characters (a wide character that would straddle the edge is left out).
 * 0 when cols <= 0. */
size_t present_fit(const char *s, int cols);

/* s cut or padded with spaces to exactly `width` columns into buf, on the
 * right (right = 1) or the left; cut on a character boundary. Returns buf
 * ("" when size is too small for the result). */
const char *present_cell(char *buf, size_t size, const char *s, int width, int right);

/* The first line of s word-wrapped to `cols` columns: its length in bytes
 * (a newline in s ends a line; a word longer than cols is cut where the line
 * ends, after one character at least), with *next set to where the next line
 * starts (spaces and that newline skipped; at the NUL when s is done). */
size_t present_line(const char *s, int cols, const char **next);

/* Print s, word-wrapped to `width` columns: the first line indented by
 * `indent` columns, the others by `hang`; each line ends in a newline. A
 * word longer than a line is cut where the line ends, except an address (a
 * word holding "://"), which is never cut: it stands whole on a line of its
 * own, wider than the width. width <= 0 prints it on one line. */
void present_wrap(FILE *out, const char *s, int indent, int hang, int width);

/* 1 when the LC_CTYPE codeset is UTF-8 (nl_langinfo(CODESET)): charts use
 * Unicode blocks; 0: ASCII. */
int present_unicode(void);

/* A horizontal bar of frac x width columns (frac clamped to [0, 1]) into
 * buf: full blocks and a last partial block in eighths when unicode, '#'
 * rounded to whole columns otherwise. Returns buf. */
const char *present_hbar(char *buf, size_t size, double frac, int width, int unicode);

/* One cell of a column chart filled to `eighths` eighths from the bottom
 * (0..8, clamped): " ", "▁" ... "█" when unicode; when not, "#" from 4
 * eighths up (a column's height rounded to whole cells), else " ". */
const char *present_vcell(int eighths, int unicode);

#endif
