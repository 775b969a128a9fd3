/* fuzz_indigo.c -- any bytes as an INDIGO project record.
 *
 * What it attacks: the importer (model/indigo.c, model/indigo_read.c) on
 * records nobody meant as records -- leaves of the wrong type, statuses on
 * rows and values, dates and amounts in every malformed shape, rows that
 * are not objects, ids that repeat, names that cut UTF-8 -- strictly and
 * with --lenient; and, when a record imports, the scenario it made, which
 * must load and compile like any scenario (the importer's defects show up
 * there: a field out of range, a cohort outside its stage, a bad name).
 *
 * What "wrong" means: a crash, a sanitizer report, a leak, a hang; a
 * refusal without an error code and message; an imported scenario that
 * the loader or the engine refuses.
 */
#include "fuzz.h"

#include "../../model/indigo.h"
#include "../../model/scenario.h"
#include "../../sim/engine.h"

#define TEXT_CAP (256u << 10)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_once();
    char *text = fuzz_text(data, size, TEXT_CAP);
    if (text == NULL) return 0;
    for (int lenient = 0; lenient < 2; lenient++) {
        indigo_options opt = {.provenance = 1, .lenient = lenient};
        indigo_import *imp = NULL;
        sib_error err;
        int rc = indigo_import_record(text, "fuzz.json", &opt, &imp, &err);
        if (rc != SIB_OK) {
            FUZZ_REQUIRE(imp == NULL && err.code == rc && err.message[0] != '\0',
                         "refused without a reason");
            continue;
        }
        scenario *sc = scenario_load_string(imp->scenario, "imported.json", &err);
        FUZZ_REQUIRE(sc != NULL, "the imported scenario does not load: %s: %s", err.pointer,
                     err.message);
        engine *e = engine_new(sc, &err);
        FUZZ_REQUIRE(e != NULL, "the imported scenario does not compile: %s", err.message);
        engine_free(e);
        scenario_free(sc);
        indigo_import_free(imp);
    }
    free(text);
    return 0;
}
