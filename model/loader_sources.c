/* loader_sources.c -- where a scenario's numbers come from: its
 * "sources" (publications and pages, with their addresses) and its
 * "assumptions" (a note on one field, found by its JSON Pointer, saying
 * whether the value is sourced, inferred, assumed or unverified, and which
 * sources it cites). Neither changes a single result: they are read after
 * everything else, checked as strictly (unknown fields, bounded strings, a
 * pointer that must exist in the file, a source that must be listed) and
 * kept in the compiled scenario for `validate --verbose`, the TUI and the
 * report. See loader_internal.h and docs/scenario-format.md#sources-and-assumptions.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader_internal.h"

/* The bounds of the texts, in characters (UTF-8 code points, as JSON
 * Schema's maxLength counts them, so that docs/sibsim.schema.json states
 * them exactly). */
#define TITLE_MAX 200
#define URL_MAX 500
#define NOTE_MAX 2000
#define POINTER_MAX 255
/* How much of a field's value an assumption keeps, in bytes. */
#define VALUE_MAX 160

/* ------------------------------------------------------------------ texts */

/* The number of characters of a UTF-8 string (json_check has refused
 * anything but valid UTF-8): every byte but a continuation byte. */
static size_t utf8_chars(const char *s) {
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Read the string member key of obj into a heap copy *out: required or
 * "" when absent, non-empty when nonempty, at most max characters. */
static int read_text(ctx *c, const cJSON *obj, const char *key, int required, int nonempty,
                     size_t max, char **out) {
    const cJSON *v = member(obj, key);
    size_t saved = ctx_push(c, key);
    const char *s = "";
    if (v == NULL) {
        if (required) return fail(c, "required field is missing");
    } else {
        if (!cJSON_IsString(v) || (nonempty && v->valuestring[0] == '\0'))
            return fail_expected(c, v, "a %sstring of at most %zu characters",
                                 nonempty ? "non-empty " : "", max);
        size_t n = utf8_chars(v->valuestring);
        if (n > max) return fail(c, "expected at most %zu characters, found %zu", max, n);
        s = v->valuestring;
        /* A note may run over lines; a title, an address or a pointer not. */
        const int lines = strcmp(key, "note") == 0;
        size_t at;
        unsigned cp;
        if (text_control(s, lines, &at, &cp))
            return fail_control(c, lines ? "text" : "a string", lines, at, cp);
    }
    *out = strdup(s);
    if (*out == NULL) return sib_error_set(c->err, SIB_ENOMEM, c->ptr, "out of memory");
    ctx_pop(c, saved);
    return SIB_OK;
}

/* An address as a reader follows it: http:// or https://, then at least
 * one character, none of them a space or a control character. */
static int is_url(const char *s) {
    size_t scheme = strncmp(s, "https://", 8) == 0 ? 8 : strncmp(s, "http://", 7) == 0 ? 7 : 0;
    if (scheme == 0 || s[scheme] == '\0') return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p == 0x7F) return 0;
    return 1;
}

/* ---------------------------------------------------------------- sources */

/* "sources": [{"title": ..., "url"?: ..., "note"?: ...}, ...]. */
static int read_sources(ctx *c, const cJSON *root, scenario *sc) {
    static const char *const keys[] = {"title", "url", "note", NULL};
    const cJSON *arr;
    size_t n;
    if (read_array(c, root, "sources", 0, &arr, &n)) return c->err->code;
    if (arr == NULL) return SIB_OK;
    sc->sources = xcalloc(c, n, sizeof *sc->sources);
    if (sc->sources == NULL) return SIB_ENOMEM;
    size_t s1 = ctx_push(c, "sources"), i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        scenario_source *src = &sc->sources[i];
        sc->n_sources = i + 1; /* so that scenario_free frees what is read */
        size_t s2 = ctx_push_index(c, i);
        if (check_object(c, it, keys) || read_text(c, it, "title", 1, 1, TITLE_MAX, &src->title) ||
            read_text(c, it, "url", 0, 0, URL_MAX, &src->url) ||
            read_text(c, it, "note", 0, 0, NOTE_MAX, &src->note))
            return c->err->code;
        if (member(it, "url") != NULL && !is_url(src->url)) {
            ctx_push(c, "url");
            return fail_expected(c, member(it, "url"),
                                 "an address that starts with http:// or https:// and has no "
                                 "spaces");
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(sc->sources[j].title, src->title) == 0) {
                ctx_push(c, "title");
                return fail(c,
                            "duplicate source title \"%.*s%s\" (also /sources/%zu): an "
                            "assumption may cite a source by its title",
                            (int)sib_utf8_cut(src->title, 60), src->title,
                            strlen(src->title) > 60 ? "..." : "", j);
            }
        ctx_pop(c, s2);
    }
    ctx_pop(c, s1);
    return SIB_OK;
}

/* ------------------------------------------------------------ assumptions */

static const char *const status_names[] = {"assumed", "sourced", "inferred", "unverified", NULL};

/* One cited source, at the current pointer: its index in /sources or its
 * title. *out receives the index. */
static int read_source_ref(ctx *c, const cJSON *v, const scenario *sc, size_t *out) {
    if ((cJSON_IsNumber(v) || cJSON_IsString(v)) && sc->n_sources == 0)
        return fail(c, "the scenario has no \"sources\" to cite: list them at /sources, or "
                       "leave out \"source\"");
    if (cJSON_IsNumber(v)) {
        double x = v->valuedouble;
        if (!(x >= 0) || x >= (double)sc->n_sources || x != floor(x))
            return fail_expected(c, v, "the index of a source (0 to %zu)", sc->n_sources - 1);
        *out = (size_t)x;
        return SIB_OK;
    }
    if (cJSON_IsString(v)) {
        for (size_t i = 0; i < sc->n_sources; i++)
            if (strcmp(sc->sources[i].title, v->valuestring) == 0) {
                *out = i;
                return SIB_OK;
            }
        return fail_expected(c, v, "the title of a source (/sources/0 to /sources/%zu)",
                             sc->n_sources - 1);
    }
    return fail_expected(c, v,
                         "a source: its index in /sources or its title, or an array "
                         "of them");
}

/* "source": an index, a title, or a non-empty array of them. */
static int read_assumption_sources(ctx *c, const cJSON *a, const scenario *sc,
                                   scenario_assumption *as) {
    const cJSON *v = member(a, "source");
    if (v == NULL) return SIB_OK;
    size_t saved = ctx_push(c, "source");
    size_t n = cJSON_IsArray(v) ? (size_t)cJSON_GetArraySize(v) : 1;
    if (cJSON_IsArray(v) && n == 0)
        return fail_expected(c, v,
                             "a source: its index in /sources or its title, or a "
                             "non-empty array of them");
    as->sources = xcalloc(c, n, sizeof *as->sources);
    if (as->sources == NULL) return SIB_ENOMEM;
    as->n_sources = n;
    if (!cJSON_IsArray(v)) {
        if (read_source_ref(c, v, sc, &as->sources[0])) return c->err->code;
    } else {
        size_t i = 0;
        for (const cJSON *it = v->child; it; it = it->next, i++) {
            size_t s2 = ctx_push_index(c, i);
            if (cJSON_IsArray(it))
                return fail_expected(c, it, "a source: its index in /sources or its title");
            if (read_source_ref(c, it, sc, &as->sources[i])) return c->err->code;
            ctx_pop(c, s2);
        }
    }
    ctx_pop(c, saved);
    return SIB_OK;
}

/* The string "name" of object v, or NULL. */
static const char *name_of(const cJSON *v) {
    const cJSON *n = cJSON_IsObject(v) ? cJSON_GetObjectItemCaseSensitive(v, "name") : NULL;
    return cJSON_IsString(n) ? n->valuestring : NULL;
}

/* Append to buf (size bytes, at *at) what fmt gives, as far as it fits. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void put(char *buf, size_t size, size_t *at, const char *fmt, ...) {
    if (*at >= size) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *at, size - *at, fmt, ap);
    va_end(ap);
    if (n > 0) *at = (size_t)n < size - *at ? *at + (size_t)n : size;
}

/* A field's value as validate --verbose and the committee paper show it
 * beside the note, in words where compact JSON would be a wall of
 * brackets: a list of named things by their names ('5 items: "2014
 * referrals", "2015 referrals", ...'), one named thing by its name ('"job
 * readiness" and its 6 other fields'); else compact JSON with a space
 * after each comma and colon outside strings, so that a page can wrap it
 * between members ({"dist": "normal", "mean": 0.3}). Cut to VALUE_MAX
 * bytes at a character's start with "...". Written here because cJSON
 * prints either without spaces or over lines with tabs. */
static int render_value(ctx *c, const cJSON *v, char **out) {
    char buf[4 * VALUE_MAX];
    size_t at = 0;
    int named = cJSON_IsArray(v) && v->child != NULL;
    for (const cJSON *it = named ? v->child : NULL; it; it = it->next) named &= name_of(it) != NULL;
    if (named) {
        int n = cJSON_GetArraySize(v);
        put(buf, sizeof buf, &at, "%d item%s:", n, n == 1 ? "" : "s");
        for (const cJSON *it = v->child; it; it = it->next)
            put(buf, sizeof buf, &at, "%s \"%s\"", it == v->child ? "" : ",", name_of(it));
    } else if (name_of(v) != NULL) {
        int n = cJSON_GetArraySize(v) - 1;
        put(buf, sizeof buf, &at, "\"%s\"", name_of(v));
        if (n > 0) put(buf, sizeof buf, &at, " and its %d other field%s", n, n == 1 ? "" : "s");
    } else {
        char *text = cJSON_PrintUnformatted(v);
        if (text == NULL) return sib_error_set(c->err, SIB_ENOMEM, c->ptr, "out of memory");
        int quoted = 0;
        const char *q = text;
        for (; *q && at + 3 < sizeof buf; q++) {
            buf[at++] = *q;
            if (quoted && *q == '\\' && q[1] != '\0') buf[at++] = *++q; /* an escape, whole */
            else if (*q == '"') quoted = !quoted;
            else if (!quoted && (*q == ',' || *q == ':')) buf[at++] = ' ';
        }
        buf[at] = '\0';
        if (*q != '\0') at = sizeof buf; /* cut short: mark it */
        /* cJSON allocates with malloc (no hooks are set): free() releases it. */
        free(text);
    }
    size_t n = strlen(buf);
    if (n > VALUE_MAX || at >= sizeof buf)
        memcpy(buf + sib_utf8_cut(buf, (n < VALUE_MAX ? n : VALUE_MAX) - 3), "...", 4);
    *out = strdup(buf);
    if (*out == NULL) return sib_error_set(c->err, SIB_ENOMEM, c->ptr, "out of memory");
    return SIB_OK;
}

static value_kind kind_of(const cJSON *v) {
    return cJSON_IsNumber(v)   ? VALUE_NUMBER
           : cJSON_IsString(v) ? VALUE_STRING
           : cJSON_IsBool(v)   ? VALUE_BOOL
           : cJSON_IsArray(v)  ? VALUE_LIST
           : cJSON_IsObject(v) ? VALUE_OBJECT
                               : VALUE_NULL;
}

/* The value v of an assumption, structured (scenario_assumption.kind,
 * members), so that the committee paper can word a list or an object
 * without reading JSON: cJSON stays in the loader. */
static int keep_members(ctx *c, const cJSON *v, scenario_assumption *as) {
    as->kind = kind_of(v);
    if (as->kind == VALUE_STRING && (as->string = strdup(v->valuestring)) == NULL)
        return sib_error_set(c->err, SIB_ENOMEM, c->ptr, "out of memory");
    if (as->kind != VALUE_LIST && as->kind != VALUE_OBJECT) return SIB_OK;
    as->size = (size_t)cJSON_GetArraySize(v);
    const size_t n = as->size < SCENARIO_VALUE_MEMBERS ? as->size : SCENARIO_VALUE_MEMBERS;
    if (n == 0) return SIB_OK;
    as->members = xcalloc(c, n, sizeof *as->members);
    if (as->members == NULL) return SIB_ENOMEM;
    const cJSON *it = v->child;
    for (size_t k = 0; k < n && it != NULL; k++, it = it->next) {
        scenario_value_member *m = &as->members[k];
        as->n_members = k + 1; /* so that scenario_free frees what is kept */
        m->kind = kind_of(it);
        m->number = cJSON_IsNumber(it) ? it->valuedouble : cJSON_IsTrue(it) ? 1 : 0;
        m->size =
            m->kind == VALUE_LIST || m->kind == VALUE_OBJECT ? (size_t)cJSON_GetArraySize(it) : 0;
        const char *text = cJSON_IsString(it) ? it->valuestring : name_of(it);
        if ((as->kind == VALUE_OBJECT && (m->key = strdup(it->string)) == NULL) ||
            (text != NULL && (m->text = strdup(text)) == NULL))
            return sib_error_set(c->err, SIB_ENOMEM, c->ptr, "out of memory");
    }
    return SIB_OK;
}

/* The pointer of assumption a: a JSON Pointer of at most POINTER_MAX
 * characters, outside /sources and /assumptions, of a node of the file. */
static int read_assumption_pointer(ctx *c, const cJSON *root, const cJSON *a,
                                   scenario_assumption *as) {
    static const char *const outside[] = {"sources", "assumptions", NULL};
    if (read_text(c, a, "pointer", 1, 1, POINTER_MAX, &as->pointer)) return c->err->code;
    size_t saved = ctx_push(c, "pointer");
    const char *p = as->pointer;
    if (p[0] != '/')
        return fail(c,
                    "expected a JSON Pointer starting with '/' (e.g. "
                    "\"/contract/payments/0/price\"), found \"%.*s%s\"",
                    (int)sib_utf8_cut(p, 60), p, strlen(p) > 60 ? "..." : "");
    char first[64];
    json_pointer_token(p + 1, first, sizeof first);
    for (const char *const *o = outside; *o; o++)
        if (strcmp(first, *o) == 0)
            return fail(c,
                        "expected the pointer of a field of the scenario, outside /sources "
                        "and /assumptions, found \"%.*s%s\"",
                        (int)sib_utf8_cut(p, 60), p, strlen(p) > 60 ? "..." : "");
    sib_error inner;
    sib_error_clear(&inner);
    /* create = 0: resolving never changes the tree. */
    const cJSON *node = json_pointer_resolve((cJSON *)root, p, 0, &inner);
    if (node == NULL) {
        if (inner.code != SIB_EINVAL)
            return sib_error_set(c->err, inner.code, c->ptr, "%s", inner.message);
        return fail(c, "expected the pointer of a field of the scenario; at %s: %s", inner.pointer,
                    inner.message);
    }
    if (render_value(c, node, &as->value) || keep_members(c, node, as)) return c->err->code;
    ctx_pop(c, saved);
    return SIB_OK;
}

/* "assumptions": [{"pointer": ..., "note": ..., "status"?: ..., "source"?: ...}]. */
static int read_assumptions(ctx *c, const cJSON *root, scenario *sc) {
    static const char *const keys[] = {"pointer", "note", "status", "source", NULL};
    const cJSON *arr;
    size_t n;
    if (read_array(c, root, "assumptions", 0, &arr, &n)) return c->err->code;
    if (arr == NULL) return SIB_OK;
    sc->assumptions = xcalloc(c, n, sizeof *sc->assumptions);
    if (sc->assumptions == NULL) return SIB_ENOMEM;
    size_t s1 = ctx_push(c, "assumptions"), i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        scenario_assumption *as = &sc->assumptions[i];
        sc->n_assumptions = i + 1; /* so that scenario_free frees what is read */
        size_t s2 = ctx_push_index(c, i);
        int status;
        if (check_object(c, it, keys) || read_assumption_pointer(c, root, it, as) ||
            read_text(c, it, "note", 1, 1, NOTE_MAX, &as->note) ||
            read_enum(c, it, "status", status_names, ASSUMPTION_ASSUMED, &status))
            return c->err->code;
        as->status = (assumption_status)status;
        if (read_assumption_sources(c, it, sc, as)) return c->err->code;
        if (as->status == ASSUMPTION_SOURCED && as->n_sources == 0) {
            ctx_push(c, "source");
            return fail(c, "required field is missing (a \"sourced\" assumption cites its "
                           "source)");
        }
        ctx_pop(c, s2);
    }
    ctx_pop(c, s1);
    return SIB_OK;
}

int read_sources_and_assumptions(ctx *c, const cJSON *root, scenario *sc) {
    if (read_sources(c, root, sc) || read_assumptions(c, root, sc)) return c->err->code;
    return SIB_OK;
}
