/* bytes.h -- a fixed byte layout, the same on every machine: 64-bit words
 * little-endian (a double by its IEEE-754 bits), and the FNV-1a 64 hash.
 * Used where bytes leave the process or are compared across runs: the
 * engine's saved state and the statistics in it (sim/state.c, sim/stats.c),
 * and a scenario text's fingerprint (scenario_doc_hash).
 *
 * Hand-written because it is a dozen lines: FNV-1a is a check against
 * accidental change (a file edited by another program, a truncated
 * checkpoint), not against an attacker, so no cryptographic library is
 * needed; two different texts collide with odds of about 2^-64. */
#ifndef SIBSIM_BYTES_H
#define SIBSIM_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Write v at p as 8 bytes, least significant first; returns p + 8. */
static inline unsigned char *bytes_put_u64(unsigned char *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i));
    return p + 8;
}

/* Write x at p by its IEEE-754 bits (bytes_put_u64); returns p + 8. */
static inline unsigned char *bytes_put_f64(unsigned char *p, double x) {
    uint64_t v;
    memcpy(&v, &x, sizeof v);
    return bytes_put_u64(p, v);
}

/* The 8 bytes at p as written by bytes_put_u64. */
static inline uint64_t bytes_get_u64(const unsigned char *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* The 8 bytes at p as written by bytes_put_f64. */
static inline double bytes_get_f64(const unsigned char *p) {
    uint64_t v = bytes_get_u64(p);
    double x;
    memcpy(&x, &v, sizeof x);
    return x;
}

/* FNV-1a, 64 bits, over n bytes at p: offset basis 0xcbf29ce484222325,
 * prime 0x100000001b3. */
static inline uint64_t bytes_fnv1a64(const void *p, size_t n) {
    const unsigned char *b = p;
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 0x100000001b3u;
    return h;
}

#endif
