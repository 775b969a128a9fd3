/* tui.h -- the interactive what-if terminal UI (ncurses).
 *
 * `sibsim tui [SCENARIO.json]`: the scenario's fields as an editable tree on
 * the left, live results on the right, refined in the background as paths
 * accumulate; every edit restarts the simulation at once. The screen model
 * (keys, layout, histograms) is in model.h and has no curses in it.
 */
#ifndef SIB_TUI_H
#define SIB_TUI_H

/* Run the UI on the scenario text (path: where `s` saves, or NULL for the
 * built-in scenario or a library scenario, which `s` saves under a new
 * name; shown: the name in messages; library: the library name the
 * scenario was opened by, or NULL). Returns the process exit status. */
int tui_main(const char *text, const char *path, const char *shown, const char *library,
             unsigned threads);

#endif
