/* fuzz_loader.c -- any bytes as a scenario file.
 *
 * What it attacks: the scenario loader (model/loader.c) on text nobody
 * meant as a scenario -- JSON that is not JSON (the syntax diagnosis walks
 * the text on its own, byte by byte), every field with the wrong type, out
 * of range, missing, repeated or naming nothing, cases that override any
 * pointer, realised records against the wrong stages -- and, when the text
 * loads, the engine's compilation of it (engine_new), which trusts every
 * range the loader checked.
 *
 * What "wrong" means: a crash, an AddressSanitizer or UBSan report, a
 * leak, a hang; a refusal without an error code and message, or a syntax
 * error without its line and column; a scenario the loader accepted that
 * the engine cannot compile without saying why.
 */
#include "fuzz.h"

#include "../../model/scenario.h"
#include "../../sim/engine.h"

#define TEXT_CAP (256u << 10) /* a scenario is a few KiB */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_once();
    char *text = fuzz_text(data, size, TEXT_CAP);
    if (text == NULL) return 0;
    sib_error err;
    scenario *sc = scenario_load_string(text, "fuzz.json", &err);
    char line[1200];
    if (sc == NULL) {
        FUZZ_REQUIRE(err.code != SIB_OK && err.message[0] != '\0', "refused without a reason");
        if (err.code == SIB_ESYNTAX)
            FUZZ_REQUIRE(err.line >= 1 && err.col >= 1, "syntax error at %d:%d", err.line, err.col);
        sib_error_format(&err, line, sizeof line);
        FUZZ_REQUIRE(line[0] != '\0', "empty message");
        free(text);
        return 0;
    }
    FUZZ_REQUIRE(sc->n_stages > 0 && sc->n_outcomes > 0, "a scenario without stages or outcomes");
    /* What the rest of the program asks of every loaded scenario. */
    (void)scenario_horizon(sc);
    size_t periods = scenario_periods(sc);
    FUZZ_REQUIRE(periods >= 1, "an empty grid");
    for (size_t i = 0; i < sc->n_inputs; i++)
        FUZZ_REQUIRE(scenario_find_input(sc, sc->inputs[i].pointer) <= i, "input %zu", i);
    for (size_t k = 0; k < sc->n_cases; k++)
        FUZZ_REQUIRE(scenario_find_case(sc, sc->cases[k].name) <= k, "case %zu", k);
    engine *e = engine_new(sc, &err);
    if (e == NULL) {
        FUZZ_REQUIRE(err.code != SIB_OK && err.message[0] != '\0',
                     "the engine refused a loaded scenario without a reason");
    } else {
        FUZZ_REQUIRE(engine_metric_count(e) > 0, "no metrics");
        FUZZ_REQUIRE(engine_periods(e) == periods, "engine grid %zu, scenario grid %zu",
                     engine_periods(e), periods);
        engine_free(e);
    }
    scenario_free(sc);
    free(text);
    return 0;
}
