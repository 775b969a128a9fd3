/* commands.h -- the table of sibsim's commands: name, one-line summary,
 * help text and the options each takes. One table, so that `sibsim --help`,
 * `sibsim help CMD` and the option checks cannot drift apart (tig's key
 * table is the model). Front-end only.
 */
#ifndef SIB_COMMANDS_H
#define SIB_COMMANDS_H

#include <stdio.h>

typedef struct cli_command {
    const char *name;
    const char *synopsis; /* for the command list */
    const char *summary;
    const char *help;     /* the body of `sibsim help NAME` */
    unsigned options;     /* OPT_* (options.h) */
    int max_files;        /* scenario files it takes */
} cli_command;

/* The command called name, or NULL. */
const cli_command *cli_command_find(const char *name);

/* Print the main help (every command) or one command's help. */
void cli_usage_main(FILE *out);
void cli_usage(FILE *out, const cli_command *c);

/* The option's name for messages: "--paths" for OPT_PATHS. */
const char *cli_option_name(unsigned opt);

#endif
