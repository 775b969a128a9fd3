/* indigo_internal.h -- what indigo.c (the mapping), indigo_capital.c (its
 * sections on the capital stack), indigo_map.c (its sections on the
 * outcome metrics) and indigo_csv.c (the CSV export read into the
 * record's shape) share. Not for use outside model/indigo*.c. */
#ifndef SIB_INDIGO_INTERNAL_H
#define SIB_INDIGO_INTERNAL_H

#include <cjson/cJSON.h>
#include <math.h>
#include <stddef.h>

#include "indigo.h"

/* A leaf built from the CSV export carries its origin in this member
 * ("FILE, row N, column \"TITLE\""), which an error about it quotes. */
#define INDIGO_ORIGIN_KEY "_csv_origin"

/* Map the record rec (the standard's shape; not changed) into *out. name
 * is shown as err->file; id is the project's id when rec itself has none. */
int indigo_map(const cJSON *rec, const char *name, const char *id, const indigo_options *opt,
               indigo_import **out, sib_error *err);

/* ---------------------------------------------- reading (indigo_read.c) */

#define MONEY_MAX 1e15
#define PEOPLE_MAX 1e9

/* Which source an assumption cites: the record, or the prior library. */
enum { SRC_RECORD = 0, SRC_LIBRARY = 1, SRC_NONE = -1 };

typedef struct mapper {
    indigo_import *imp;
    sib_error *err;
    const cJSON *rec;
    cJSON *assumptions; /* the scenario's "assumptions" array */
    char currency[4];
    int oom;     /* a note or an assumption could not be allocated */
    int lenient; /* malformed values are left out and listed, not errors */
    int shape_bad; /* a section or a value's parts had the wrong type: the
                      error set then stands (im_bad_shape) */
} mapper;

/* Add a note to the import (out of memory: m->oom is set, the note lost). */
void im_note(mapper *m, indigo_note_kind kind, const char *pointer, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Record that the scenario's field at pointer was filled, its status
 * ("sourced", "inferred", "assumed"), the source it cites (SRC_*) and a note. */
void im_assume(mapper *m, const char *pointer, const char *status, int source, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* Whether node (a leaf or a row) is withheld: its status is anything but
 * PUBLIC (in any case) -- PRIVATE, DISPUTED, or a mark the standard does
 * not have, which is not taken as public. No status, or a blank one, is
 * public. *status receives the mark. */
int im_withheld(const cJSON *node, const char **status);

/* The value of the leaf at path ("a/b/c") under base, whose pointer is
 * base_ptr ("" for the record, "/investments/0" for a row): NULL when it
 * is absent, null, a string of blanks only (a cell that looks empty), or
 * withheld (then noted as skipped; a withheld row withholds its leaves).
 * *ptr (256 bytes) receives the value's pointer, *origin_leaf (may be
 * NULL) the leaf object. Noted as used. */
const cJSON *im_leaf(mapper *m, const cJSON *base, const char *base_ptr, const char *path,
                     char *ptr, const cJSON **origin_leaf);

/* A section, or a value's parts, of the wrong type at ptr (node; expected
 * says what it should be): -1 with the error set (the first such error
 * stands, and the mapping stops after the step it is in), or with
 * --lenient 0, listed once as not used and read as absent. */
int im_bad_shape(mapper *m, const char *ptr, const cJSON *node, const char *expected);

/* A number leaf within [lo, hi] (what names it in a message): 1 and *out,
 * 0 when absent or withheld, -1 after an error at its pointer. */
int im_num(mapper *m, const cJSON *base, const char *bptr, const char *path, double lo, double hi,
           const char *what, double *out);

/* A text leaf, or NULL. */
const char *im_text(mapper *m, const cJSON *base, const char *bptr, const char *path);

/* A date leaf, blanks around it allowed: 1, *years (indigo_parse_date)
 * and the date in shown; 0 when absent; -1 after an error at its pointer. */
int im_date(mapper *m, const cJSON *base, const char *bptr, const char *path, double *years,
            char *shown, size_t shown_size);

/* A money triple at path in the scenario's currency (ranged: amount/exact,
 * else the midpoint of min and max): 1, *amount and *how; 0 when absent or
 * in another currency without a usable USD figure (noted); -1 after an error. */
int im_money(mapper *m, const cJSON *base, const char *bptr, const char *path, int ranged,
             double *amount, const char **how);

/* Cut s back so that it does not end in the middle of a UTF-8 character;
 * returns its new length. */
size_t im_utf8_trim(char *s);

/* Make every string of the tree at node (and of the nodes after it)
 * printable, in place: each control character (U+0000..U+001F, U+007F,
 * U+0080..U+009F) becomes a space. INDIGO's free text (an organisation's
 * name, a metric's definition) may hold line breaks and stray controls,
 * which a scenario's names refuse (the loader's text_control); a line
 * break in a name or a note of the import reads as a space. */
void im_printable_tree(cJSON *node);

/* Copy at most max bytes of src (NULL: "") into dst (size bytes), never
 * cutting a UTF-8 character in two. */
void im_cut(char *dst, size_t size, const char *src, size_t max);

/* The currency v names: three letters (either case, blanks around them
 * allowed), or a currency's name in words ("Japanese Yen": JPY, noted as a
 * warning at ptr when ptr is not NULL). 1 and code, or 0. */
int im_currency(mapper *m, const cJSON *v, const char *ptr, char code[4]);

/* The rows of the record's array key, or NULL when it has none. */
const cJSON *im_rows(const cJSON *rec, const char *key);

/* Whether row i of array key is withheld as a whole, or is not an object
 * (then noted as not used). Either way ptr (size bytes) receives the row's
 * pointer, "/key/i", for the notes about its fields. */
int im_row_withheld(mapper *m, const cJSON *row, const char *key, int i, char *ptr, size_t size);

/* The CSV row a row of the record was read from, "FILE, row N" (from the
 * origin of its first leaf that has one), into buf (size bytes); "" for
 * a record read as JSON. */
void im_row_origin(const cJSON *row, char *buf, size_t size);

/* ------ the mapping's sections (indigo.c, indigo_capital.c, indigo_map.c) */

#define CAP_TOLERANCE 0.02 /* cap vs commitments: 59 of 78 agree within 2% */

/* Money to the cent, so that the file shows no long decimals. */
static inline double im_cents(double x) { return round(x * 100) / 100; }

/* A name, made of src, for what row `row` of the record adds to arr,
 * unique among arr's names (indigo.c says how); buf holds at least 80
 * bytes. Returns whether src was cut. */
int im_unique_name(const cJSON *arr, const char *src, int row, char *buf, size_t size);

/* An outcome metric of the record, as the mapping reads it (indigo_map.c). */
typedef struct metric metric;

/* An investor's terms as the record gives them, on an investment's row or,
 * for every investor whose row gives none, on /overall_project_finance
 * (the standard: "please provide for each investor, if different"). */
typedef struct investor_terms {
    int has_return;    /* a maximum return is given, usable or not */
    double ret;        /* ... as an annual cap (a fraction), or -1: not an annual rate */
    const char *rtype; /* ... its type, or NULL */
    int has_loss;      /* a maximum loss is given, usable or not */
    double loss;       /* ... as a share of principal, or -1: not a share */
} investor_terms;

/* What a section of the mapping leaves for the sections after it. Each
 * field is set by the section named above it, before any later section
 * reads it; the rest of the scenario lives in the tree itself. */
typedef struct map_context {
    /* identity and sector */
    const char *stage;       /* the record's stage_development, or NULL */
    const char *sector;      /* its policy sector, or NULL */
    const char *sector_slug; /* the sector's suffix of the achieved / target prior, or NULL */
    int complete;            /* the stage says the project is complete */
    cJSON *description;      /* the scenario's "description", written last */
    /* timing */
    double start;                /* the start of service provision in years, or NAN */
    char start_text[32];         /* ... as the record writes it */
    double duration;             /* the planned service, in years (micro-years exact) */
    const char *duration_status; /* its assumption: "inferred" or "assumed" */
    int duration_source;         /* ... and the source that cites (SRC_*) */
    char duration_note[400];     /* ... and its note */
    double actual_duration;      /* years from the start to the actual end, or NAN */
    /* people */
    double users;             /* service users planned (a whole number) */
    double actual_users;      /* service users actually engaged, or NAN */
    const char *users_status; /* "sourced", "inferred" or "assumed" */
    char users_note[300];     /* where the users come from */
    /* capital */
    double capital;             /* the capital, in the scenario's currency */
    const char *capital_status; /* "sourced", "inferred" or "assumed" */
    char capital_note[300];     /* where the capital comes from */
    cJSON *tranches;            /* the tranches, held in the scenario as "_tranches" */
    size_t n_tranches;          /* ... how many the investments gave */
    investor_terms project;     /* the project's terms, once read (project_read) */
    int project_read;           /* ... whether they were: read when a tranche needs them */
    /* stage */
    int n_cohorts;         /* the stage's cohorts */
    double cohort_step_us; /* one cohort's enrolment, in whole micro-years */
    double *cohort_sizes;  /* each cohort's planned size (n_cohorts; owned) */
    /* payers and the cap */
    cJSON *contract;        /* the contract, held in the scenario as "_contract" */
    double cap;             /* the contract's cap */
    const char *cap_status; /* "sourced", "inferred" or "assumed" */
    char cap_note[400];     /* where the cap comes from */
    double paid_by_payers;  /* the payers' total outcome payments */
    int any_payer_paid;     /* ... whether any payer gave one */
    /* metrics, prices, results */
    metric *metrics;        /* the outcome metrics (n_metrics; owned) */
    size_t n_metrics;       /* ... at least one */
    int synthetic;          /* the record lists none: one metric, "outcomes", stands in */
    double priced_max;      /* sum of price x target over the priced metrics */
    double unpriced_target; /* sum of the targets of the unpriced metrics */
    /* reconciliation of payments */
    double made;          /* the outcome payments made, or NAN */
    const char *made_src; /* ... which figure of the record that is */
    int n_achieved;       /* metrics with a count of outcomes achieved */
} map_context;

/* The sections on the outcome metrics (indigo_map.c), called by indigo.c's
 * map_record in this order between its own; each says beside its
 * definition what it reads, writes and leaves. An int section returns
 * SIB_OK or the error's code (m->err filled). */
int indigo_map_metrics(mapper *m, map_context *ctx);
void indigo_map_outcomes(mapper *m, cJSON *sc, const map_context *ctx);
int indigo_map_reconciliation(mapper *m, map_context *ctx);
void indigo_map_realised(mapper *m, cJSON *sc, const map_context *ctx);

/* The sections on the capital stack (indigo_capital.c), called by
 * map_record: the capital after people, the financing after the
 * reconciliation of payments; as above, each says beside its definition
 * what it reads, writes and leaves, and an int section returns SIB_OK or
 * the error's code. */
int indigo_map_capital(mapper *m, cJSON *sc, map_context *ctx);
void indigo_map_financing(mapper *m, cJSON *sc, map_context *ctx);

#endif
