/* commands.h -- the table of sibsim's commands: name, one-line summary,
 * help text and the options each takes; and the table of every option,
 * with its long name, short letter and whether it takes a value. Two
 * tables, so that `sibsim --help`, `sibsim help CMD`, the parser (a
 * getopt_long table built per command from them, cli/options.c) and the
 * option checks cannot drift apart (tig's key table is the model).
 * Front-end only.
 */
#ifndef SIB_COMMANDS_H
#define SIB_COMMANDS_H

#include <stddef.h>
#include <stdio.h>

typedef struct cli_command {
    const char *name;
    const char *synopsis; /* for the command list */
    const char *summary;
    const char *help;     /* the body of `sibsim help NAME` */
    unsigned options;     /* OPT_* (options.h) */
    int max_files;        /* scenario files it takes; -1: any number */
} cli_command;

/* One option of the command line. */
typedef struct cli_option {
    unsigned bit;     /* OPT_* (options.h): the commands that take it say so */
    const char *name; /* long name, without "--" */
    char letter;      /* short name, or 0 */
    int takes_value;  /* 1: --name VALUE, --name=VALUE, -xVALUE, -x VALUE */
} cli_option;

/* The command called name, or NULL. */
const cli_command *cli_command_find(const char *name);

/* Every option any command takes, in the order of the help texts; *n
 * receives how many. */
const cli_option *cli_options(size_t *n);

/* Print the main help (every command) or one command's help. */
void cli_usage_main(FILE *out);
void cli_usage(FILE *out, const cli_command *c);

/* Print `sibsim --version`: the version, and what the binary was built
 * with (no date: the same source and tools build the same binary). */
void cli_version(FILE *out);

#endif
