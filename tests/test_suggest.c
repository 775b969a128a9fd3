/* test_suggest.c -- "did you mean ...?" (model/suggest.c): the edit
 * distance against distances counted by hand, and which candidate is
 * suggested, or none. */
#include <criterion/criterion.h>
#include <stddef.h>

#include "../model/suggest.h"

Test(suggest, the_distance_counts_insertions_deletions_substitutions_and_swaps) {
    /* kitten -> sitten (k/s) -> sittin (e/i) -> sitting (+g): 3. */
    cr_assert_eq(sib_edit_distance("kitten", "sitting"), 3);
    cr_assert_eq(sib_edit_distance("", "abc"), 3);
    cr_assert_eq(sib_edit_distance("abc", ""), 3);
    cr_assert_eq(sib_edit_distance("price", "price"), 0);
    cr_assert_eq(sib_edit_distance("prise", "price"), 1, "one substitution");
    cr_assert_eq(sib_edit_distance("untill", "until"), 1, "one deletion");
    cr_assert_eq(sib_edit_distance("ca", "ac"), 1, "one swap of adjacent letters");
    cr_assert_eq(sib_edit_distance("enrolment", "enrollment"), 1, "one insertion");
    /* Optimal string alignment edits no substring twice: "ca" -> "abc"
     * is 3 (Damerau's unrestricted distance would be 2: swap, insert). */
    cr_assert_eq(sib_edit_distance("ca", "abc"), 3);
    cr_assert_eq(sib_edit_distance("Seed", "seed"), 0, "capitals are not counted");
    cr_assert_eq(sib_edit_distance("SEAD", "seed"), 1);
}

Test(suggest, the_nearest_close_candidate_is_suggested) {
    static const char *const payment[] = {"name", "outcome", "type", "trigger", "cap",
                                          "lag",  "price",   NULL};
    cr_assert_str_eq(sib_suggest("prise", payment), "price");
    cr_assert_str_eq(sib_suggest("Price", payment), "price");
    cr_assert_str_eq(sib_suggest("triger", payment), "trigger");
    cr_assert_str_eq(sib_suggest("outcomes", payment), "outcome");
    static const char *const commands[] = {"run", "compare", "cashflows", "tornado", NULL};
    cr_assert_str_eq(sib_suggest("rnu", commands), "run");
    cr_assert_str_eq(sib_suggest("compre", commands), "compare");
    cr_assert_str_eq(sib_suggest("cashflow", commands), "cashflows");
    /* Ties go to the first candidate. */
    static const char *const tie[] = {"bat", "cap", NULL};
    cr_assert_str_eq(sib_suggest("cat", tie), "bat");
}

Test(suggest, nothing_is_suggested_when_nothing_is_close) {
    static const char *const payment[] = {"name", "outcome", "type", "trigger", "cap",
                                          "lag",  "price",   NULL};
    cr_assert_null(sib_suggest("price", payment), "a valid word needs no suggestion");
    cr_assert_null(sib_suggest("x", payment), "one letter is never a typo of another word");
    cr_assert_null(sib_suggest("amount", payment));
    cr_assert_null(sib_suggest("zzzzzzzzzzzz", payment));
    /* The limits: 1 edit up to 4 letters, 2 up to 8, 3 beyond. */
    static const char *const four[] = {"seed", NULL};
    cr_assert_str_eq(sib_suggest("sead", four), "seed");
    cr_assert_null(sib_suggest("saad", four), "2 edits from a 4-letter word");
    static const char *const rate[] = {"discount_rate", NULL};
    /* 3 letters left out of a 10-letter word (no fewer edits: the lengths
     * differ by 3), then 4 out of a 9-letter one. */
    cr_assert_str_eq(sib_suggest("dscount_rt", rate), "discount_rate");
    cr_assert_null(sib_suggest("dscunt_rt", rate));
    static const char *const five[] = {"price", NULL};
    cr_assert_str_eq(sib_suggest("pirse", five), "price", "2 edits (a swap, a change) at 5 letters");
    static const char *const empty[] = {NULL};
    cr_assert_null(sib_suggest("price", empty));
}
