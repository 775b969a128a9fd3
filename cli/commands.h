/* commands.h -- the table of sibsim's commands: name, one-line summary,
 * help text and the options each takes; and the table of every option,
 * with its long name, short letter, value and help. Two tables, so that
 * `sibsim --help`, `sibsim help CMD` (whose options are listed from them),
 * the parser (a getopt_long table built per command from them,
 * cli/options.c) and the option checks cannot drift apart (tig's key table
 * is the model).
 * Front-end only.
 */
#ifndef SIB_COMMANDS_H
#define SIB_COMMANDS_H

#include <stddef.h>
#include <stdio.h>

/* What one option does in one command, where the option table's general
 * text would not say it truly (its default differs, say). */
typedef struct cli_note {
    const char *name; /* the option's long name; NULL ends a command's notes */
    const char *help; /* replaces the option's help in this command's */
} cli_note;

typedef struct cli_command {
    const char *name;
    const char *synopsis; /* for the command list */
    const char *summary;
    const char *help;      /* the body of `sibsim help NAME`, before its options */
    unsigned options;      /* OPT_* (options.h): the options it takes, and lists */
    int max_files;         /* scenario files it takes; -1: any number */
    const cli_note *notes; /* NULL, or notes ended by {NULL, NULL} */
} cli_command;

/* One option of the command line. The help of a command lists exactly the
 * options whose bit it takes, in the order of the table, each with its
 * help or the command's note for it. */
typedef struct cli_option {
    unsigned bit;      /* OPT_* (options.h): the commands that take it say so */
    const char *name;  /* long name, without "--" */
    char letter;       /* short name, or 0 */
    const char *value; /* the value's name in the help ("N", "FILE"), taken as --name
                          VALUE, --name=VALUE, -xVALUE or -x VALUE; NULL: a flag */
    const char *help;  /* what it does and its default; lines after the first are
                          indented by the help */
} cli_option;

/* The command called name, or NULL. */
const cli_command *cli_command_find(const char *name);

/* Every option any command takes, in the order of the help texts; *n
 * receives how many. */
const cli_option *cli_options(size_t *n);

/* Every command, in the order of the main help; *n receives how many. */
const cli_command *cli_commands(size_t *n);

/* Print the main help (every command) or one command's help. */
void cli_usage_main(FILE *out);
void cli_usage(FILE *out, const cli_command *c);

/* Print `sibsim --version`: the version, and what the binary was built
 * with (no date: the same source and tools build the same binary). */
void cli_version(FILE *out);

#endif
