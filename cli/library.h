/* library.h -- the scenario library: where a command looks for a scenario
 * named on its command line that is not a file, and what `sibsim list`
 * shows.
 *
 * A SCENARIO argument is, in this order:
 *   1. an existing file (not a directory), or any argument holding a '/':
 *      that file, as given;
 *   2. NAME or NAME.json in each directory of $SIBSIM_SCENARIOS (separated
 *      by ':', empty entries skipped), when it is set;
 *   3. the source tree's scenarios/, only when the binary running is the
 *      one in its build directory (a developer's build sees the scenarios
 *      of its own source, not those of an older installed copy);
 *   4. the installed library, PREFIX/share/sibsim/scenarios (PREFIX as
 *      given to make when the binary was built).
 * The first match wins. Front-end only.
 */
#ifndef SIB_LIBRARY_H
#define SIB_LIBRARY_H

#include <stddef.h>
#include <stdio.h>

#define LIBRARY_MAX_DIRS 16
#define LIBRARY_PATH_MAX 4096

typedef struct library_dir {
    char path[LIBRARY_PATH_MAX];
    const char *origin; /* "$SIBSIM_SCENARIOS", "source tree", "installed" */
} library_dir;

/* The directories to search, in order, from the given sources: env (the
 * value of $SIBSIM_SCENARIOS, or NULL), source (the source tree's
 * scenarios/, or NULL when not run from the build tree) and installed.
 * Writes at most max into dirs and returns how many. */
size_t library_search_path(const char *env, const char *source, const char *installed,
                           library_dir *dirs, size_t max);

/* The directories this binary searches: library_search_path with
 * $SIBSIM_SCENARIOS, the source tree when /proc/self/exe is in the build
 * directory the binary was built in, and the installed directory. */
size_t library_dirs(library_dir *dirs, size_t max);

/* The file a SCENARIO argument names, searched in dirs (n of them), as the
 * order above says. Returns a new string (the caller frees it): arg itself
 * when it is a file or holds a '/', else the library file found, else arg
 * itself when it exists (a directory: the loader then says so). NULL when
 * a bare name is nowhere (or memory ran out). */
char *library_find(const char *arg, const library_dir *dirs, size_t n);

/* The library file of a bare name (NAME or NAME.json), in dirs (n of
 * them) only: the first found, as a new string the caller frees, or NULL
 * when it is in none (or memory ran out). */
char *library_lookup(const char *name, const library_dir *dirs, size_t n);

/* Print, on one line, where a bare name was looked for:
 * "DIR (origin), DIR (origin), ...", or "no directory" when none. */
void library_print_dirs(FILE *out, const library_dir *dirs, size_t n);

/* Print the library found in dirs, in 100 columns: a heading line, then
 * each directory on a line of its own and under it one line a scenario --
 * its name, its title (cut) and its financing structures' types -- with
 * the lines below a row saying what does not fit it (a scenario hidden by
 * one of the same name in an earlier directory, why one does not load,
 * structures too wide). Returns how many it listed. */
size_t library_list(FILE *out, const library_dir *dirs, size_t n);

#endif
