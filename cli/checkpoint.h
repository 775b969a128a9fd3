/* checkpoint.h -- a long run saved as it goes, and continued later
 * (`run --checkpoint FILE`, `run --resume FILE`; docs/cluster.md).
 *
 * A checkpoint file is the engine's state (sim/engine.h's
 * engine_state_save) behind a header that says what it is a run of:
 *   "SIBCKPT2"  u64 scenario hash (A)  u64 hash of B (0: not a comparison)
 *   u64 seed  32 bytes generator name (NUL-padded)
 *   u64 bytes of A's case name, u64 bytes of B's (0: the scenario as
 *   written), the two names  u64 state bytes  state
 * (little-endian). A "SIBCKPT1" file (written before cases were kept) has
 * no case names and is read as a run of the scenarios as written. It is
 * written through the one safe writer, so a kill while it is being written
 * leaves the previous checkpoint whole. */
#ifndef SIB_CHECKPOINT_H
#define SIB_CHECKPOINT_H

#include <stdint.h>

#include "../model/error.h"
#include "../sim/engine.h"

/* What a checkpoint is a run of. */
typedef struct checkpoint_of {
    uint64_t hash_a, hash_b; /* the scenarios' texts (provenance.h's hash); b 0: no B */
    const char *case_a, *case_b; /* the cases run (--case), NULL: the scenario as written */
    uint64_t seed;
    const char *generator;
} checkpoint_of;

/* Write e's state to path as a checkpoint of what. SIB_OK or err filled;
 * SIB_EINVAL, path left as it is, when path is a file with something in
 * it that is not a checkpoint (a file of the user's). */
int checkpoint_save(const char *path, const engine *e, const checkpoint_of *what, sib_error *err);

/* Make e -- built from the same scenario(s) -- the run saved at path.
 * SIB_EINVAL (e unchanged, or reset when its state did not fit) with a
 * message saying what differs when the file is not a checkpoint of what:
 * another scenario, case, seed or generator; SIB_EIO when it cannot be read. */
int checkpoint_load(const char *path, engine *e, const checkpoint_of *what, sib_error *err);

/* Whether path is a file that begins as a checkpoint does (either
 * format): a run that saves to it would replace futures saved before. A
 * missing or empty file, or one of the user's, is not. */
int checkpoint_present(const char *path);

#endif
