/* checkpoint.c -- see checkpoint.h. */
#include "checkpoint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../model/file.h"

/* SIBCKPT2 holds the cases run (checkpoint.h); a SIBCKPT1 file, written
 * before, is a run of the scenarios as written, and is still read. */
#define MAGIC "SIBCKPT2"
#define MAGIC_1 "SIBCKPT1"
#define GENERATOR_BYTES 32
#define FIXED (8 + 8 + 8 + 8 + GENERATOR_BYTES) /* up to the cases (v2) or the state's size (v1) */
#define HEAD_1 (FIXED + 8)
/* The longest case name kept (a longer one is a damaged file). */
#define CASE_MAX 4096
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

/* What is at path: nothing to keep (missing, empty, a device or a pipe:
 * 0), a checkpoint (1), or a file with something in it that is not one (2:
 * a file of the user's, which a checkpoint must not replace). */
static int file_kind(const char *path) {
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size == 0) return 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL) return 0; /* the writer says why it cannot write there */
    char head[8];
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    return n == sizeof head && (memcmp(head, MAGIC, 8) == 0 || memcmp(head, MAGIC_1, 8) == 0)
               ? 1
               : 2;
}

int checkpoint_present(const char *path) { return file_kind(path) == 1; }

int checkpoint_save(const char *path, const engine *e, const checkpoint_of *what, sib_error *err) {
    unsigned char *state;
    size_t len;
    sib_error_clear(err);
    if (file_kind(path) == 2) {
        snprintf(err->file, sizeof err->file, "%s", path);
        return sib_error_set(err, SIB_EINVAL, NULL,
                             "not a sibsim checkpoint, so not written over (give --checkpoint a "
                             "new file, or remove this one)");
    }
    if (engine_state_save(e, &state, &len, err) != SIB_OK) return err->code;
    const size_t la = what->case_a ? strlen(what->case_a) : 0,
                 lb = what->case_b ? strlen(what->case_b) : 0;
    const size_t head = FIXED + 16 + la + lb + 8;
    unsigned char *buf = malloc(head + len);
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
    put_u64(buf + FIXED, la);
    put_u64(buf + FIXED + 8, lb);
    if (la) memcpy(buf + FIXED + 16, what->case_a, la);
    if (lb) memcpy(buf + FIXED + 16 + la, what->case_b, lb);
    put_u64(buf + head - 8, len);
    memcpy(buf + head, state, len);
    free(state);
    int rc = sib_file_write(path, (const char *)buf, head + len, err);
    free(buf);
    return rc;
}

/* A case as a message shows it: 'case "X"' (control characters as '?',
 * cut to fit), or "the scenario as written" for none. */
static const char *case_text(char *buf, size_t size, const unsigned char *name, size_t len) {
    if (len == 0) {
        snprintf(buf, size, "the scenario as written");
        return buf;
    }
    char shown[96];
    size_t n = len < sizeof shown - 4 ? len : sizeof shown - 4;
    for (size_t i = 0; i < n; i++)
        shown[i] = name[i] < 0x20 || name[i] == 0x7F ? '?' : (char)name[i];
    strcpy(shown + n, n < len ? "..." : "");
    snprintf(buf, size, "case \"%s\"", shown);
    return buf;
}

/* "fnv1a64:" and 16 hex digits, as the provenance writes a scenario's hash. */
static const char *hash_text(char *buf, size_t size, uint64_t h) {
    snprintf(buf, size, "fnv1a64:%016llx", (unsigned long long)h);
    return buf;
}

int checkpoint_load(const char *path, engine *e, const checkpoint_of *what, sib_error *err) {
    size_t len;
    unsigned char *buf = sib_file_read_bytes(path, CHECKPOINT_MAX, &len, err);
    if (buf == NULL) return err->code;
    /* Why it cannot be resumed, saying what it holds and what this run
     * is (empty: it can). */
    char why[600] = "";
    char gen[GENERATOR_BYTES + 1];
    const int v1 = len >= 8 && memcmp(buf, MAGIC_1, 8) == 0;
    /* The cases it ran (none in a v1 file), and where its state's size is. */
    size_t la = 0, lb = 0, head = HEAD_1;
    int whole = len >= HEAD_1 && (v1 || memcmp(buf, MAGIC, 8) == 0);
    if (whole && !v1) {
        const uint64_t a = len >= FIXED + 16 ? get_u64(buf + FIXED) : CASE_MAX + 1,
                       b = len >= FIXED + 16 ? get_u64(buf + FIXED + 8) : CASE_MAX + 1;
        whole = a <= CASE_MAX && b <= CASE_MAX && len >= FIXED + 16 + a + b + 8;
        if (whole) {
            la = (size_t)a;
            lb = (size_t)b;
            head = FIXED + 16 + la + lb + 8;
        }
    }
    /* The names (read only when their lengths are not 0, in a whole v2
     * header; buf otherwise, so that no pointer leaves the file's bytes). */
    const unsigned char *case_a = la ? buf + FIXED + 16 : buf;
    const unsigned char *case_b = lb ? buf + FIXED + 16 + la : buf;
    const size_t wa = what->case_a ? strlen(what->case_a) : 0,
                 wb = what->case_b ? strlen(what->case_b) : 0;
    if (!whole) {
        snprintf(why, sizeof why, "%s",
                 len < 8 || (memcmp(buf, MAGIC, 8) != 0 && !v1)
                     ? "not a sibsim checkpoint"
                     : "cut short (not even its header is whole)");
    } else if ((get_u64(buf + 16) == 0) != (what->hash_b == 0)) {
        snprintf(why, sizeof why, "%s",
                 what->hash_b ? "a run of one scenario, and this is a comparison of two"
                              : "a comparison of two scenarios, and this is a run of one");
    } else if (get_u64(buf + 8) != what->hash_a || get_u64(buf + 16) != what->hash_b) {
        const int a_differs = get_u64(buf + 8) != what->hash_a;
        char h1[32], h2[32];
        snprintf(why, sizeof why,
                 "a run of another scenario (the scenario's text has changed since, or is not "
                 "the one the checkpoint was made from): the checkpoint's %sscenario is %s, "
                 "this run's %s",
                 a_differs ? "" : "second ",
                 hash_text(h1, sizeof h1, get_u64(buf + (a_differs ? 8 : 16))),
                 hash_text(h2, sizeof h2, a_differs ? what->hash_a : what->hash_b));
    } else if (la != wa || (la && memcmp(case_a, what->case_a, la) != 0) || lb != wb ||
               (lb && memcmp(case_b, what->case_b, lb) != 0)) {
        /* The same file run as another case: another run. */
        const int a_differs = la != wa || (la && memcmp(case_a, what->case_a, la) != 0);
        char c1[128], c2[128];
        snprintf(why, sizeof why, "a run of another case: the checkpoint ran %s%s, this run %s",
                 what->hash_b ? (a_differs ? "as A " : "as B ") : "",
                 case_text(c1, sizeof c1, a_differs ? case_a : case_b, a_differs ? la : lb),
                 case_text(c2, sizeof c2,
                           (const unsigned char *)(a_differs ? what->case_a : what->case_b),
                           a_differs ? wa : wb));
    } else if (get_u64(buf + 24) != what->seed) {
        snprintf(why, sizeof why,
                 "a run with another seed: the checkpoint's seed %llu, this run's seed %llu",
                 (unsigned long long)get_u64(buf + 24), (unsigned long long)what->seed);
    } else {
        memcpy(gen, buf + 32, GENERATOR_BYTES);
        gen[GENERATOR_BYTES] = '\0';
        for (char *g = gen; *g; g++) /* a damaged name is shown, not sent to the terminal */
            if ((unsigned char)*g < 0x20 || (unsigned char)*g >= 0x7F) *g = '?';
        const uint64_t declared = get_u64(buf + head - 8);
        if (strcmp(gen, what->generator) != 0)
            snprintf(why, sizeof why,
                     "a run with another generator: the checkpoint's %s, this run's %s", gen,
                     what->generator);
        else if (declared != len - head)
            snprintf(why, sizeof why,
                     "%s: its header gives %llu bytes of saved run, the file holds %llu",
                     declared > len - head ? "cut short" : "damaged (bytes after its end)",
                     (unsigned long long)declared, (unsigned long long)(len - head));
    }
    int rc;
    if (why[0] != '\0') {
        rc = sib_error_set(err, SIB_EINVAL, NULL, "cannot resume from it: %s", why);
    } else {
        rc = engine_state_load(e, buf + head, len - head, err);
    }
    snprintf(err->file, sizeof err->file, "%s", path);
    free(buf);
    return rc;
}
