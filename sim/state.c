/* state.c -- an engine's accumulated state as bytes: what a checkpoint
 * file holds, and what the processes of a cluster run send each other.
 *
 * The state is everything engine_run accumulates -- the paths done, every
 * metric's accumulator (stats.h's serialised form), and the sums behind the
 * aggregates: the batch counts, the ratio metrics' numerators and
 * denominators, each unit's flow sums and its IRR statuses -- for the
 * engine and, for a comparison, its twin. Loading it into an engine built
 * from the same scenario gives back that engine to the bit, so a run can be
 * continued (engine_run from engine_paths_done) exactly as if it had never
 * stopped. The layout (little-endian 64-bit words, doubles as their
 * IEEE-754 bits) is in docs/cluster.md:
 *
 *   "SIBSTATE" (8 bytes)  u64 version (3)
 *   u64 metrics, units, periods, twin (0/1)[, twin's units, periods, metrics]
 *   u64 done
 *   per engine (the engine, then its twin):
 *     u64 batch_n[64]; f64 ratio_sums[its own metrics][64][2];
 *     f64 ratio_moments[its own metrics][3];
 *     f64 flow_sums[units][64][periods]; u64 irr_status[units][IRR_STATUSES]
 *   with a twin: f64 diff_moments[the differences][4]
 *   per metric of the engine: u64 bytes, then its accumulator
 *   u64 FNV-1a 64 of every byte before it
 */
#include <stdlib.h>
#include <string.h>

#include "../model/bytes.h"
#include "engine_internal.h"

#define STATE_MAGIC "SIBSTATE"
/* The version changes with the layout, and also when a seed's futures
 * change (2: fixed laws drawn from tables, sim/law.h), so that a run is
 * never continued with futures drawn another way than its first part.
 * 3: the ratios' sums of squares and products (metrics.c), and a
 * comparison's cross sums. */
#define STATE_VERSION 3

/* Words of the aggregates of one engine x. */
static size_t aggregate_words(const engine *x) {
    return ENGINE_BATCHES + x->ratio_rows * ENGINE_BATCHES * 2 + x->ratio_rows * 3 +
           x->n_units * ENGINE_BATCHES * x->periods + x->n_units * IRR_STATUSES;
}

static unsigned char *put_aggregates(unsigned char *p, const engine *x) {
    for (int b = 0; b < ENGINE_BATCHES; b++) p = bytes_put_u64(p, x->batch_n[b]);
    for (size_t i = 0; i < x->ratio_rows * ENGINE_BATCHES * 2; i++) p = bytes_put_f64(p, x->ratio_sums[i]);
    for (size_t i = 0; i < x->ratio_rows * 3; i++) p = bytes_put_f64(p, x->ratio_moments[i]);
    for (size_t i = 0; i < x->n_units * ENGINE_BATCHES * x->periods; i++)
        p = bytes_put_f64(p, x->flow_sums[i]);
    for (size_t i = 0; i < x->n_units * IRR_STATUSES; i++) p = bytes_put_u64(p, x->irr_status[i]);
    return p;
}

static const unsigned char *get_aggregates(const unsigned char *p, engine *x) {
    for (int b = 0; b < ENGINE_BATCHES; b++, p += 8) x->batch_n[b] = bytes_get_u64(p);
    for (size_t i = 0; i < x->ratio_rows * ENGINE_BATCHES * 2; i++, p += 8)
        x->ratio_sums[i] = bytes_get_f64(p);
    for (size_t i = 0; i < x->ratio_rows * 3; i++, p += 8) x->ratio_moments[i] = bytes_get_f64(p);
    for (size_t i = 0; i < x->n_units * ENGINE_BATCHES * x->periods; i++, p += 8)
        x->flow_sums[i] = bytes_get_f64(p);
    for (size_t i = 0; i < x->n_units * IRR_STATUSES; i++, p += 8) x->irr_status[i] = bytes_get_u64(p);
    return p;
}

int engine_state_save(const engine *e, unsigned char **buf, size_t *len, sib_error *err) {
    const engine *t = e->twin;
    const size_t head = t ? 8 + 8 * 9 : 8 + 8 * 6;
    size_t n = head + 8 * aggregate_words(e) + (t ? 8 * (aggregate_words(t) + e->n_diff * 4) : 0);
    for (size_t i = 0; i < e->n_metrics; i++) n += 8 + stats_acc_saved_size(e->acc[i]);
    n += 8;
    unsigned char *b = malloc(n), *p = b;
    if (b == NULL) return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory saving the run");
    memcpy(p, STATE_MAGIC, 8), p += 8;
    p = bytes_put_u64(p, STATE_VERSION);
    p = bytes_put_u64(p, e->n_metrics);
    p = bytes_put_u64(p, e->n_units);
    p = bytes_put_u64(p, e->periods);
    p = bytes_put_u64(p, t != NULL);
    if (t) {
        p = bytes_put_u64(p, t->n_units);
        p = bytes_put_u64(p, t->periods);
        p = bytes_put_u64(p, t->n_metrics);
    }
    p = bytes_put_u64(p, e->done);
    p = put_aggregates(p, e);
    if (t) {
        p = put_aggregates(p, t);
        for (size_t i = 0; i < e->n_diff * 4; i++) p = bytes_put_f64(p, e->diff_moments[i]);
    }
    for (size_t i = 0; i < e->n_metrics; i++) {
        p = bytes_put_u64(p, stats_acc_saved_size(e->acc[i]));
        stats_acc_save(e->acc[i], p);
        p += stats_acc_saved_size(e->acc[i]);
    }
    p = bytes_put_u64(p, bytes_fnv1a64(b, (size_t)(p - b)));
    *buf = b;
    *len = (size_t)(p - b);
    return SIB_OK;
}

/* A state that does not fit e: nothing of it is kept. */
static int refuse(engine *e, sib_error *err, const char *why) {
    engine_reset(e);
    return sib_error_set(err, SIB_EINVAL, NULL, "the saved run does not fit this scenario: %s",
                         why);
}

int engine_state_load(engine *e, const unsigned char *buf, size_t len, sib_error *err) {
    const engine *t = e->twin;
    const size_t head = t ? 8 + 8 * 9 : 8 + 8 * 6;
    if (len < head + 8 || memcmp(buf, STATE_MAGIC, 8) != 0)
        return refuse(e, err, "not a saved run (no SIBSTATE header)");
    if (bytes_get_u64(buf + len - 8) != bytes_fnv1a64(buf, len - 8))
        return refuse(e, err, "damaged (its checksum does not match)");
    const unsigned char *p = buf + 8;
    if (bytes_get_u64(p) != STATE_VERSION) return refuse(e, err, "saved by another version of sibsim");
    if (bytes_get_u64(p + 8) != e->n_metrics || bytes_get_u64(p + 16) != e->n_units ||
        bytes_get_u64(p + 24) != e->periods || bytes_get_u64(p + 32) != (t != NULL))
        return refuse(e, err, "its metrics, tranches or cash-flow grid differ");
    p += 40;
    if (t) {
        if (bytes_get_u64(p) != t->n_units || bytes_get_u64(p + 8) != t->periods ||
            bytes_get_u64(p + 16) != t->n_metrics)
            return refuse(e, err, "the second scenario's metrics, tranches or grid differ");
        p += 24;
    }
    const uint64_t done = bytes_get_u64(p);
    p += 8;
    const unsigned char *end = buf + len - 8;
    if ((size_t)(end - p) < 8 * (aggregate_words(e) + (t ? aggregate_words(t) + e->n_diff * 4 : 0)))
        return refuse(e, err, "cut short");
    p = get_aggregates(p, e);
    if (t) {
        p = get_aggregates(p, e->twin);
        for (size_t i = 0; i < e->n_diff * 4; i++, p += 8) e->diff_moments[i] = bytes_get_f64(p);
    }
    for (size_t i = 0; i < e->n_metrics; i++) {
        if (end - p < 8) return refuse(e, err, "cut short");
        uint64_t bytes = bytes_get_u64(p);
        p += 8;
        if (bytes > (uint64_t)(end - p) || stats_acc_load(e->acc[i], p, (size_t)bytes) != bytes)
            return refuse(e, err, "a metric's accumulator is damaged");
        p += bytes;
    }
    if (p != end) return refuse(e, err, "bytes left over");
    e->done = done;
    return SIB_OK;
}
