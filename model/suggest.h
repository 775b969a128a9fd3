/* suggest.h -- "did you mean ...?" for a word that is not one of a list.
 *
 * An unknown field of a scenario ("prise"), an unknown option ("--seeds")
 * or an unknown command ("rnu") is most often a typo of a valid one. The
 * error lists what is valid; this finds the one that was probably meant,
 * so that the message can say it first.
 */
#ifndef SIB_SUGGEST_H
#define SIB_SUGGEST_H

#include <stddef.h>

/* The edit distance between a and b: the fewest insertions, deletions,
 * substitutions of one byte, or swaps of two adjacent bytes, that turn one
 * into the other (the "optimal string alignment" form of Damerau's
 * distance), with ASCII letters compared without case. Words longer than
 * 64 bytes are compared on their first 64. */
size_t sib_edit_distance(const char *a, const char *b);

/* The candidate (of the NULL-ended list) that `word` is probably a typo of,
 * or NULL when none is close enough: the nearest by sib_edit_distance, the
 * first of equals, when the distance is at most 1 for a word of up to 4
 * bytes, 2 up to 8 and 3 beyond, and less than the word's length (so that
 * "x" never suggests "n"). NULL when word is itself a candidate. */
const char *sib_suggest(const char *word, const char *const *candidates);

#endif
