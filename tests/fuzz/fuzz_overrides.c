/* fuzz_overrides.c -- JSON Pointer overrides of a scenario.
 *
 * What it attacks: scenario_load_string_with and scenario_number_at, the
 * path every sweep, tornado, solver and case takes: RFC 6901 pointers of
 * any length and content (escapes "~0" and "~1", a '~' that escapes
 * nothing, empty tokens, indices that are not numbers, a pointer through a
 * number, a member to be created), with values that are NaN, infinite or
 * out of range.
 *
 * Input: NUL-separated parts, TEXT \0 POINTER \0 NUMBER [\0 POINTER \0
 * NUMBER ...]. TEXT shorter than two bytes picks a scenario of the library
 * (its first byte modulo their number) instead, so that the pointers meet a
 * real deal; NUMBER is read by strtod ("nan", "-inf", "1e999", "0x1p-3").
 * A scenario file alone (no NUL) is loaded without overrides.
 *
 * What "wrong" means: a crash, a sanitizer report, a leak, a hang; a
 * refusal without an error code and message; an override applied twice giving another result than
 * applied once (an override sets a value: doing it again changes nothing).
 */
#include "fuzz.h"

#include "../../model/scenario.h"

#define TEXT_CAP (256u << 10)
#define MAX_OVERRIDES 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next NUL-terminated part of data from *at (a copy; the caller frees
 * it), or NULL when there is none. */
static char *next_part(const uint8_t *data, size_t size, size_t *at) {
    if (*at > size) return NULL;
    const uint8_t *p = data + *at;
    const uint8_t *nul = memchr(p, 0, size - *at);
    size_t len = nul ? (size_t)(nul - p) : size - *at;
    char *s = fuzz_text(p, len, TEXT_CAP);
    *at += len + 1;
    return s;
}

static void check_refusal(const scenario *sc, const sib_error *err) {
    if (sc != NULL) return;
    FUZZ_REQUIRE(err->code != SIB_OK && err->message[0] != '\0', "refused without a reason");
}

static int same(const scenario *a, const scenario *b) {
    if ((a == NULL) != (b == NULL)) return 0;
    if (a == NULL) return 1;
    return a->n_stages == b->n_stages && a->n_outcomes == b->n_outcomes &&
           a->n_inputs == b->n_inputs && a->n_financing == b->n_financing &&
           a->contract.n_rules == b->contract.n_rules &&
           memcmp(&a->sim, &b->sim, sizeof a->sim) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_once();
    size_t at = 0;
    char *text = next_part(data, size, &at);
    if (text == NULL) return 0;
    const char *base = text;
    if (strlen(text) < 2) base = fuzz_library[(unsigned char)text[0] % fuzz_library_count];

    char *ptr[MAX_OVERRIDES];
    scenario_override ov[2 * MAX_OVERRIDES];
    size_t n = 0;
    while (n < MAX_OVERRIDES) {
        char *p = next_part(data, size, &at);
        if (p == NULL) break;
        char *num = next_part(data, size, &at);
        ptr[n] = p;
        ov[n].pointer = p;
        ov[n].value = num ? strtod(num, NULL) : 0.0;
        free(num);
        n++;
    }

    sib_error err;
    for (size_t i = 0; i < n; i++) {
        double x = 0;
        int rc = scenario_number_at(base, ov[i].pointer, &x, &err);
        if (rc != SIB_OK) FUZZ_REQUIRE(err.code == rc && err.message[0] != '\0', "number_at");
    }

    scenario *once = scenario_load_string_with(base, "fuzz.json", ov, n, &err);
    check_refusal(once, &err);
    if (n > 0) {
        /* Each override twice in a row: the same scenario, or the same refusal. */
        for (size_t i = n; i-- > 0;) {
            ov[2 * i] = ov[i];
            ov[2 * i + 1] = ov[i];
        }
        sib_error err2;
        scenario *twice = scenario_load_string_with(base, "fuzz.json", ov, 2 * n, &err2);
        check_refusal(twice, &err2);
        FUZZ_REQUIRE(same(once, twice), "an override applied twice differs from once: %s / %s",
                     once ? "loads" : err.message, twice ? "loads" : err2.message);
        if (once == NULL)
            FUZZ_REQUIRE(err.code == err2.code, "%s / %s", err.message, err2.message);
        scenario_free(twice);
    }
    scenario_free(once);
    for (size_t i = 0; i < n; i++) free(ptr[i]);
    free(text);
    return 0;
}
