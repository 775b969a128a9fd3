/* indigo.h -- importing a project of the INDIGO impact bond data standard
 * (Government Outcomes Lab, University of Oxford; schema/project.json of
 * INDIGO-Initiative/indigo-data-standard) as a sibsim scenario.
 *
 * A record is read in the standard's JSON shape -- every leaf an object
 * {"value": ..., "status": "PUBLIC" | "PRIVATE" | "DISPUTED"}, money a
 * currency / amount / amount_usd triple, dates YYYY, YYYY-MM or YYYY-MM-DD
 * -- or, for one project, from the database's flat CSV export
 * (original_projects.csv and its original_projects_<array>.csv tables,
 * keyed by "Project ID"), which is turned into the same shape first.
 *
 * What the record gives is mapped (dates to the stage and its timing,
 * service users to cohorts, investments to tranches, outcome-payment
 * commitments to payers and caps, outcome metrics and prices to payment
 * rules, results to a realised record); the rest is filled with defaults
 * calibrated on the INDIGO record (the prior library, priors.h) or assumed.
 * Every field written is listed in the scenario's "assumptions" with where
 * it came from. Only PUBLIC values are used (a value without a status is
 * taken as public, as the public API and the CSV export give them); PRIVATE
 * and DISPUTED ones are skipped and listed. docs/indigo.md explains the
 * mapping field by field.
 *
 * Nothing here prints: the import returns the scenario's text and a list
 * of notes for the front end to show.
 */
#ifndef SIB_INDIGO_H
#define SIB_INDIGO_H

#include <stddef.h>

#include "error.h"

typedef enum {
    INDIGO_USED,    /* a record field the scenario uses */
    INDIGO_SKIPPED, /* a PRIVATE or DISPUTED value, or one that could not be used */
    INDIGO_WARNING  /* the record does not reconcile, or a value was doubtful */
} indigo_note_kind;

typedef struct indigo_note {
    indigo_note_kind kind;
    char pointer[256]; /* in the record (with /value), "" when about the whole */
    char text[480];
} indigo_note;

/* The result of an import. Owns its strings: free with indigo_import_free. */
typedef struct indigo_import {
    char *scenario; /* the scenario's JSON text, ending with a newline */
    char *id;       /* the project's INDIGO id, whole; "" when the record has none */
    char name[256]; /* the project's name */
    indigo_note *notes;
    size_t n_notes, cap_notes;
    /* The scenario's fields by where they came from (its assumptions). */
    size_t n_sourced, n_inferred, n_assumed;
    int mostly_assumed; /* more fields assumed than taken or inferred from the record */
    int has_realised;   /* results gave a realised record */
} indigo_import;

typedef struct indigo_options {
    /* Write the top-level "sources" and "assumptions" (default 1). With 0,
     * the scenario loads in a sibsim whose loader predates them. */
    int provenance;
    /* Leave a malformed value out and list it (a note), instead of failing
     * the import at its pointer (default 0: fail). */
    int lenient;
} indigo_options;

/* Import one project from text, a JSON record in the standard's shape (the
 * record itself, or the API's {"id": ..., "data": {...}} wrapper); name is
 * the file shown in errors. opt may be NULL (defaults). SIB_OK and *out
 * (free with indigo_import_free), or NULL *out and err filled: SIB_ESYNTAX
 * with line and column for bad JSON; SIB_EINVAL with the JSON Pointer of
 * the record's field for a malformed date or amount, saying what was
 * expected and what was found; SIB_ENOMEM. */
int indigo_import_record(const char *text, const char *name, const indigo_options *opt,
                         indigo_import **out, sib_error *err);

/* Import project `id` from the flat CSV export at path: a directory holding
 * original_projects.csv, or that file itself; the linked tables
 * (original_projects_investments.csv, ..._outcome_metrics.csv,
 * ..._outcome_pricings.csv, ..._outcome_payment_commitments.csv,
 * ..._results.csv, ..._outcome_payments.csv) are read from the same
 * directory when they are there. Errors as indigo_import_record; a value's
 * error also names its CSV file, row and column. SIB_EINVAL when no row
 * has that id; SIB_EIO when the projects file cannot be read. */
int indigo_import_csv(const char *path, const char *id, const indigo_options *opt,
                      indigo_import **out, sib_error *err);

/* Free an import. NULL is a no-op. */
void indigo_import_free(indigo_import *imp);

/* Parse an INDIGO date (YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date)
 * into years as a decimal: YYYY is the middle of the year (YYYY + 0.5),
 * YYYY-MM the first of the month (YYYY + (MM - 1) / 12), YYYY-MM-DD
 * YYYY + (day of the year - 1) / (days in the year). Returns 0, or -1 when
 * s is not such a date. */
int indigo_parse_date(const char *s, double *years);

/* Parse an INDIGO amount: a number written without currency symbols or
 * thousands separators, blanks around it allowed. Returns 0, or -1. */
int indigo_parse_number(const char *s, double *out);

#endif
