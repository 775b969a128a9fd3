/* suggest.c -- "did you mean ...?" (suggest.h).
 *
 * Hand-written: none of sibsim's libraries (GSL, cJSON, ncurses) has an
 * edit distance, and the words compared are field names, option names and
 * commands of a few dozen bytes, for which the textbook dynamic programme
 * below is a few lines and instant.
 */
#include "suggest.h"

#include <string.h>

#define WORD_MAX 64

static unsigned char fold(unsigned char ch) {
    return ch >= 'A' && ch <= 'Z' ? (unsigned char)(ch - 'A' + 'a') : ch;
}

size_t sib_edit_distance(const char *a, const char *b) {
    size_t n = strlen(a), m = strlen(b);
    if (n > WORD_MAX) n = WORD_MAX;
    if (m > WORD_MAX) m = WORD_MAX;
    /* d[i][j]: the distance between the first i bytes of a and the first
     * j of b (Wagner & Fischer 1974), with Damerau's adjacent swap as one
     * edit when the two bytes before i and j are each other's (the
     * "optimal string alignment" restriction: no substring edited twice). */
    size_t d[WORD_MAX + 1][WORD_MAX + 1];
    for (size_t i = 0; i <= n; i++) d[i][0] = i;
    for (size_t j = 0; j <= m; j++) d[0][j] = j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            const unsigned char x = fold((unsigned char)a[i - 1]), y = fold((unsigned char)b[j - 1]);
            size_t best = d[i - 1][j - 1] + (x != y); /* keep or substitute */
            if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1; /* delete from a */
            if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1; /* insert into a */
            if (i > 1 && j > 1 && x == fold((unsigned char)b[j - 2]) &&
                fold((unsigned char)a[i - 2]) == y && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1; /* swap two adjacent bytes */
            d[i][j] = best;
        }
    return d[n][m];
}

const char *sib_suggest(const char *word, const char *const *candidates) {
    const size_t len = strlen(word);
    const size_t most = len <= 4 ? 1 : len <= 8 ? 2 : 3;
    const char *best = NULL;
    size_t best_d = most + 1;
    for (const char *const *c = candidates; *c; c++) {
        if (strcmp(*c, word) == 0) return NULL;
        size_t dist = sib_edit_distance(word, *c);
        if (dist < best_d && dist < len) {
            best = *c;
            best_d = dist;
        }
    }
    return best;
}
