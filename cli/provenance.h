/* provenance.h -- where the numbers of a machine-readable output came from.
 *
 * Every JSON and CSV output of sibsim says which scenario it ran (its name,
 * its file and a content hash of the file's text, so that an edited file
 * cannot pass for the one that was run), which named case, the seed, the
 * paths a run, the generator and the version of sibsim. It is added in one
 * place, as the output is written (cli/output.c), so that no command can
 * leave it out:
 *
 *   JSON  a first member of the top-level object,
 *           "provenance": {"command": "run", "scenario": "...", ...}
 *   CSV   trailing columns named provenance.KEY (the names that
 *         pandas.json_normalize gives the JSON members), the same value on
 *         every row, so that the file stays one table and the columns before
 *         them keep their places. A case column is there only when a case
 *         was given; compare adds the B scenario's columns.
 *
 * The hash is 64-bit FNV-1a of the file's bytes (scenario_doc_hash, the one
 * the TUI uses to notice a changed file), written "fnv1a64:" and 16
 * hexadecimal digits: never mistaken for a number by a CSV reader.
 * Front-end only.
 */
#ifndef SIB_PROVENANCE_H
#define SIB_PROVENANCE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct provenance_scenario {
    const char *name;      /* the scenario's "name" (NULL: unknown) */
    const char *file;      /* the file read, or the built-in default's label */
    uint64_t hash;         /* scenario_doc_hash of the file's text */
    const char *case_name; /* the named case applied, or NULL */
} provenance_scenario;

typedef struct provenance {
    const char *command;      /* "run", "sweep", ... */
    provenance_scenario a;    /* the scenario (compare: A) */
    provenance_scenario b;    /* compare: B; else b.file is NULL */
    unsigned long long seed;  /* the master seed used */
    unsigned long long paths; /* simulated futures a run (converge: the most it runs) */
    const char *generator;    /* the generator's name, e.g. "mt19937" */
    /* cashflows and backtest show one future, which `future` names:
     * "expected" (every input at its mean), "case" (a named case applied
     * to it), "path" (future `path` of a run with `seed`) or "realised"
     * (the deal's record). NULL for the commands that run many futures,
     * which have no "future" member. Only "path" draws anything: the
     * others write seed, paths and generator as null (no CSV column), as
     * no seed or generator changes their numbers; "path" writes paths as
     * null, future K being the same in a run of any size above K. */
    const char *future;
    unsigned long long path; /* future "path": K, from 0 */
} provenance;

/* Write p as a JSON object, {"command": ..., "generator": ...}. */
void provenance_json(FILE *out, const provenance *p);

/* Write the CSV columns of p, each preceded by a comma: their names
 * (header) or their values. */
void provenance_csv_header(FILE *out, const provenance *p);
void provenance_csv_values(FILE *out, const provenance *p);

/* Write the JSON document doc (len bytes: one object) to out with p as the
 * object's first member. Returns 0, or -1 when doc does not start with an
 * object (nothing written). */
int provenance_add_json(FILE *out, const provenance *p, const char *doc, size_t len);

/* Write the CSV document doc (len bytes: a header record, then rows; RFC
 * 4180 quoting, so a quoted field may hold a newline) to out with p's
 * columns appended to every record: names to the header, values to each
 * row. An empty line stays empty. Returns 0, or -1 when doc is empty. */
int provenance_add_csv(FILE *out, const provenance *p, const char *doc, size_t len);

#endif
