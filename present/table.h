/* table.h -- a table of labelled rows laid out to a width.
 *
 * Every table the command line prints is a label column and value columns,
 * sometimes with a bar chart after them. The rows are collected first and
 * laid out when printed, for the width the reader chose (80 columns with
 * --compact, 100 by default, no limit with --wide):
 *
 *   1. each column is as wide as its widest cell or header line;
 *   2. when the table is wider than allowed, the columns that may give way
 *      (a `drop` rank above 0) are left out, the highest rank first, until
 *      it fits with a label column of at least 24 columns (or as set);
 *   3. columns that still do not fit are printed in blocks, the labels
 *      repeated before each block (the periods of a ledger, a wide grid);
 *   4. a label longer than its column is wrapped onto further lines, and a
 *      text line (a heading, a note) is word-wrapped to the width;
 *   5. a bar is drawn after the cells in what is left of the width, up to
 *      40 columns (at least 10).
 *
 * Widths are display columns (text.h), so "£", "€" and "±" align. Usage:
 *
 *   present_table *t = present_table_new(3, heads, drop);
 *   present_table_row(t, 0, "Commissioner pays", cells, -1);
 *   present_table_print(out, t, width, present_unicode());
 *   present_table_free(t);
 */
#ifndef SIB_PRESENT_TABLE_H
#define SIB_PRESENT_TABLE_H

#include <stddef.h>
#include <stdio.h>

typedef struct present_table present_table;

/* A table of n_cols value columns after a label column. heads[j] is column
 * j's header ("\n" splits it over lines; NULL or "" for none); drop[j] is 0
 * for a column that is always shown, else its rank in giving way (NULL:
 * every column shown). Both are copied. NULL when out of memory. The
 * caller frees the table with present_table_free. */
present_table *present_table_new(size_t n_cols, const char *const *heads, const int *drop);
void present_table_free(present_table *t);

/* Wrap header lines longer than `cols` columns (0: never) at spaces, so a
 * long name takes several lines rather than a wide column. */
void present_table_head_width(present_table *t, int cols);

/* The label column is not narrowed below `cols` (default 24) to keep
 * columns: columns give way first. */
void present_table_label_min(present_table *t, int cols);

/* Make every column at least `cols` wide (default 0: as wide as its
 * content), so that tables printed one after another line up. */
void present_table_col_min(present_table *t, int cols);

/* Make the label column at least `cols` wide when the width allows (so
 * that the groups of a report, each its own table, line up). */
void present_table_label_width(present_table *t, int cols);

/* Leave column j out whatever the width (a statistic shown only when the
 * table is as wide as it needs). */
void present_table_hide(present_table *t, size_t j);

/* Indent every row and text line by `margin` columns (default 2). */
void present_table_margin(present_table *t, int margin);

/* Add a row: the label indented by `indent` columns, cells[n_cols] (NULL,
 * or a NULL cell, for an empty one), and a bar of bar x its width after the
 * cells when bar >= 0 (a negative bar: none). Returns 0, or -1 when out of
 * memory (the row is then missing). */
int present_table_row(present_table *t, int indent, const char *label, const char *const *cells,
                      double bar);

/* Add a line of text (a heading, a note), indented by `indent` columns and
 * wrapped to the width, continuation lines by `hang`. 0 or -1. */
int present_table_text(present_table *t, int indent, int hang, const char *text);

/* Print the table within `width` columns (0: as wide as its content),
 * drawing bars in Unicode blocks when unicode. */
void present_table_print(FILE *out, const present_table *t, int width, int unicode);

#endif
