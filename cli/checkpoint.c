/* checkpoint.c -- see checkpoint.h. */
#include "checkpoint.h"

#include <stdlib.h>
#include <string.h>

#include "../model/file.h"

#define MAGIC "SIBCKPT1"
#define GENERATOR_BYTES 32
#define HEAD (8 + 8 + 8 + 8 + GENERATOR_BYTES + 8)
/* The largest checkpoint read: a state is a few megabytes a metric-heavy
 * scenario; 4 GiB is far beyond any. */
#define CHECKPOINT_MAX ((size_t)4 << 30)

static void put_u64(unsigned char *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_u64(const unsigned char *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

int checkpoint_save(const char *path, const engine *e, const checkpoint_of *what, sib_error *err) {
    unsigned char *state;
    size_t len;
    sib_error_clear(err);
    if (engine_state_save(e, &state, &len, err) != SIB_OK) return err->code;
    unsigned char *buf = malloc(HEAD + len);
    if (buf == NULL) {
        free(state);
        return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory writing the checkpoint");
    }
    memcpy(buf, MAGIC, 8);
    put_u64(buf + 8, what->hash_a);
    put_u64(buf + 16, what->hash_b);
    put_u64(buf + 24, what->seed);
    memset(buf + 32, 0, GENERATOR_BYTES);
    strncpy((char *)buf + 32, what->generator, GENERATOR_BYTES - 1);
    put_u64(buf + 32 + GENERATOR_BYTES, len);
    memcpy(buf + HEAD, state, len);
    free(state);
    int rc = sib_file_write(path, (const char *)buf, HEAD + len, err);
    free(buf);
    return rc;
}

int checkpoint_load(const char *path, engine *e, const checkpoint_of *what, sib_error *err) {
    size_t len;
    unsigned char *buf = sib_file_read_bytes(path, CHECKPOINT_MAX, &len, err);
    if (buf == NULL) return err->code;
    const char *why = NULL;
    char gen[GENERATOR_BYTES + 1];
    if (len < HEAD || memcmp(buf, MAGIC, 8) != 0) {
        why = "not a sibsim checkpoint";
    } else if (get_u64(buf + 8) != what->hash_a || get_u64(buf + 16) != what->hash_b) {
        why = "a run of another scenario (the scenario's text has changed since, or is not the "
              "one the checkpoint was made from)";
    } else if (get_u64(buf + 24) != what->seed) {
        why = "a run with another seed";
    } else {
        memcpy(gen, buf + 32, GENERATOR_BYTES);
        gen[GENERATOR_BYTES] = '\0';
        if (strcmp(gen, what->generator) != 0) why = "a run with another generator";
        else if (get_u64(buf + 32 + GENERATOR_BYTES) != len - HEAD) why = "cut short";
    }
    int rc;
    if (why != NULL) {
        rc = sib_error_set(err, SIB_EINVAL, NULL, "cannot resume from it: %s", why);
    } else {
        rc = engine_state_load(e, buf + HEAD, len - HEAD, err);
    }
    snprintf(err->file, sizeof err->file, "%s", path);
    free(buf);
    return rc;
}
