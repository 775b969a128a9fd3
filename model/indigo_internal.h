/* indigo_internal.h -- what indigo.c (the mapping) and indigo_csv.c (the
 * CSV export read into the record's shape) share. Not for use outside
 * model/indigo*.c. */
#ifndef SIB_INDIGO_INTERNAL_H
#define SIB_INDIGO_INTERNAL_H

#include <cjson/cJSON.h>

#include "indigo.h"

/* A leaf built from the CSV export carries its origin in this member
 * ("FILE, row N, column \"TITLE\""), which an error about it quotes. */
#define INDIGO_ORIGIN_KEY "_csv_origin"

/* Map the record rec (the standard's shape; not changed) into *out. name
 * is shown as err->file; id is the project's id when rec itself has none. */
int indigo_map(const cJSON *rec, const char *name, const char *id, const indigo_options *opt,
               indigo_import **out, sib_error *err);

#endif
