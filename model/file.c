/* file.c -- reading and writing files without losing anything. The rules
 * are in file.h.
 *
 * Hand-written because no library sibsim uses does it: stdio's fopen(w)
 * truncates in place (a failed run leaves half a file), and the atomic
 * temporary-file-and-rename pattern has to be told not to replace a symbolic
 * link, a FIFO or a device, and where to put its temporary file.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* mkstemp, fchmod, realpath, readlink, fsync */
#endif
#include "file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TEMP_TAG ".sibsim-tmp."

/* ------------------------------------------------------------ reading */

/* The bytes of the file at path, at most max of them, in a buffer with one
 * byte to spare (the caller frees it), *n set; NULL with err filled. A
 * larger file (or an endless one, /dev/zero) is refused before it fills
 * the memory: what is read stops one byte past the limit. */
static char *read_all(const char *path, size_t max, const char *too_big_msg, size_t *n_out,
                      sib_error *err) {
    snprintf(err->file, sizeof err->file, "%s", path);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        sib_error_set(err, SIB_EIO, NULL, "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        sib_error_set(err, SIB_EIO, NULL, "cannot read: it is a directory");
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    int read_error = 0, too_big = 0;
    while (buf != NULL) {
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (n > max) {
            too_big = 1;
            break;
        }
        if (got == 0 || n < cap - 1) {
            if (ferror(f)) read_error = errno ? errno : EIO;
            if (feof(f) || read_error) break;
            continue;
        }
        size_t grown_cap = cap * 2 > max + 2 ? max + 2 : cap * 2;
        char *grown = realloc(buf, grown_cap);
        if (grown == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = grown;
        cap = grown_cap;
    }
    fclose(f);
    if (buf == NULL) {
        sib_error_set(err, SIB_ENOMEM, NULL, "out of memory reading the file");
        return NULL;
    }
    if (too_big || read_error) {
        free(buf);
        if (too_big) sib_error_set(err, SIB_EIO, NULL, "%s", too_big_msg);
        else sib_error_set(err, SIB_EIO, NULL, "cannot read: %s", strerror(read_error));
        return NULL;
    }
    *n_out = n;
    return buf;
}

char *sib_file_read(const char *path, sib_error *err) {
    sib_error local;
    if (err == NULL) err = &local;
    sib_error_clear(err);
    char msg[96];
    snprintf(msg, sizeof msg, "the file is larger than %u MiB, the most a scenario or record may be",
             SIB_FILE_MAX >> 20);
    size_t n;
    char *buf = read_all(path, SIB_FILE_MAX, msg, &n, err);
    if (buf == NULL) return NULL;
    buf[n] = '\0';
    if (strlen(buf) != n) {
        free(buf);
        sib_error_set(err, SIB_ESYNTAX, NULL, "the file contains a NUL byte: not a JSON text");
        return NULL;
    }
    return buf;
}

unsigned char *sib_file_read_bytes(const char *path, size_t max, size_t *len, sib_error *err) {
    sib_error local;
    if (err == NULL) err = &local;
    sib_error_clear(err);
    char msg[96];
    snprintf(msg, sizeof msg, "the file is larger than %zu bytes, the most expected here", max);
    return (unsigned char *)read_all(path, max, msg, len, err);
}

/* -------------------------------------------------------------- paths */

unsigned sib_file_mode(const char *path) {
    struct stat st;
    if (path != NULL && stat(path, &st) == 0) return (unsigned)(st.st_mode & 07777);
    mode_t mask = umask(0); /* read the umask: set it back at once */
    umask(mask);
    return 0666u & ~(unsigned)mask;
}

static void split_path(const char *path, char *dir, size_t dsize, const char **base);
static char *resolve(const char *path);

/* Whether the writes to paths a and b, neither of which exists, land on
 * one new file: the same name (after following any links, which may
 * dangle) in the same existing directory (same device and inode). */
static int same_new_file(const char *a, const char *b) {
    char *ta = resolve(a), *tb = resolve(b);
    int same = 0;
    if (ta != NULL && tb != NULL) {
        char da[PATH_MAX], db[PATH_MAX];
        const char *na, *nb;
        split_path(ta, da, sizeof da, &na);
        split_path(tb, db, sizeof db, &nb);
        struct stat sa, sb;
        same = strcmp(na, nb) == 0 && na[0] != '\0' && stat(da, &sa) == 0 && stat(db, &sb) == 0 &&
               sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    }
    free(ta);
    free(tb);
    return same;
}

int sib_file_same(const char *a, const char *b) {
    if (a == NULL || b == NULL) return 0;
    struct stat sa, sb;
    const int ea = stat(a, &sa) == 0, eb = stat(b, &sb) == 0;
    if (ea && eb) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    return !ea && !eb && same_new_file(a, b);
}

/* The file a write to path lands on: path itself, or the end of its chain
 * of symbolic links (which need not exist yet). The caller frees it. */
static char *resolve(const char *path) {
    char *cur = strdup(path);
    for (int hops = 0; cur != NULL && hops < 40; hops++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode)) return cur;
        char target[PATH_MAX];
        ssize_t n = readlink(cur, target, sizeof target - 1);
        if (n < 0) return cur;
        target[n] = '\0';
        char *next;
        if (target[0] == '/') {
            next = strdup(target);
        } else { /* relative to the link's own directory */
            const char *slash = strrchr(cur, '/');
            size_t dir = slash ? (size_t)(slash - cur) + 1 : 0;
            next = malloc(dir + (size_t)n + 1);
            if (next != NULL) {
                memcpy(next, cur, dir);
                memcpy(next + dir, target, (size_t)n + 1);
            }
        }
        free(cur);
        cur = next;
    }
    return cur;
}

char *sib_file_target(const char *path) { return resolve(path); }

/* The directory of path ("." when it has none) and its last component. */
static void split_path(const char *path, char *dir, size_t dsize, const char **base) {
    const char *slash = strrchr(path, '/');
    if (slash == NULL) {
        snprintf(dir, dsize, ".");
        *base = path;
    } else if (slash == path) {
        snprintf(dir, dsize, "/");
        *base = slash + 1;
    } else {
        snprintf(dir, dsize, "%.*s", (int)(slash - path), path);
        *base = slash + 1;
    }
}

size_t sib_file_stale_temps(const char *path, int remove, char *names, size_t size) {
    if (names && size) names[0] = '\0';
    char *target = resolve(path);
    if (target == NULL) return 0;
    char dir[PATH_MAX], prefix[PATH_MAX];
    const char *base;
    split_path(target, dir, sizeof dir, &base);
    snprintf(prefix, sizeof prefix, ".%s" TEMP_TAG, base);
    size_t count = 0, used = 0, plen = strlen(prefix);
    DIR *d = opendir(dir);
    time_t now = time(NULL);
    for (struct dirent *de; d != NULL && (de = readdir(d)) != NULL;) {
        if (strncmp(de->d_name, prefix, plen) != 0 || strlen(de->d_name) != plen + 6) continue;
        char full[2 * PATH_MAX + 2];
        snprintf(full, sizeof full, "%s/%s", dir, de->d_name);
        count++;
        if (names && used + 2 < size)
            used += (size_t)snprintf(names + used, size - used, "%s%s", used ? "\n" : "", full);
        struct stat st;
        if (remove && lstat(full, &st) == 0 && S_ISREG(st.st_mode) &&
            difftime(now, st.st_mtime) > SIB_FILE_STALE_SECONDS)
            unlink(full);
    }
    if (d) closedir(d);
    free(target);
    return count;
}

/* -------------------------------------------------------------- locking */

/* A lock whose file is removed as it is given up (sib_file_unlock) can be
 * won on a file no longer at path: another process opened it before the
 * removal and locked it after. So a lock counts only when its descriptor is
 * still the file at path; otherwise the file at path is tried afresh.
 * (The pattern of flock(1)'s and systemd's lock files.) */
int sib_file_lock(const char *path) {
    for (int tries = 0; tries < 16; tries++) {
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0) return -1;
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
        struct stat held, now;
        if (fstat(fd, &held) == 0 && stat(path, &now) == 0 && held.st_dev == now.st_dev &&
            held.st_ino == now.st_ino)
            return fd;
        close(fd);
    }
    errno = EWOULDBLOCK; /* taken and given up faster than it could be won */
    return -1;
}

void sib_file_unlock(int fd, const char *path) {
    if (fd < 0) return;
    if (path != NULL) unlink(path);
    close(fd); /* drops the lock */
}

/* -------------------------------------------------------------- writing */

struct sib_writer {
    FILE *f;
    char *shown;  /* the path as the user gave it, for messages */
    char *target; /* where the text lands */
    char *tmp;    /* the temporary file (replacing a regular file), or NULL */
    int direct;   /* written in place: standard output, a FIFO, a device */
    int is_stdout;
};

static void writer_free(sib_writer *w) {
    free(w->shown);
    free(w->target);
    free(w->tmp);
    free(w);
}

/* A new temporary file beside target (".NAME.sibsim-tmp.XXXXXX" in its
 * directory): SIB_OK with *tmp (the caller frees it) and *fd open on it,
 * or the error saying why none can be made there (*tmp NULL). */
static int make_temp(const char *target, char **tmp, int *fd, sib_error *err) {
    char dir[PATH_MAX];
    const char *base;
    split_path(target, dir, sizeof dir, &base);
    size_t n = strlen(dir) + strlen(base) + sizeof TEMP_TAG + 16;
    *tmp = malloc(n);
    if (*tmp == NULL) return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
    snprintf(*tmp, n, "%s/.%s" TEMP_TAG "XXXXXX", dir, base);
    *fd = mkstemp(*tmp);
    if (*fd < 0) {
        int e = errno;
        free(*tmp);
        *tmp = NULL;
        return sib_error_set(err, SIB_EIO, NULL, "cannot create a file in %s: %s", dir,
                             strerror(e));
    }
    return SIB_OK;
}

int sib_file_can_write(const char *path, sib_error *err) {
    sib_error_clear(err);
    if (path == NULL) return SIB_OK;
    snprintf(err->file, sizeof err->file, "%s", path);
    char *target = resolve(path);
    if (target == NULL) return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
    struct stat st;
    const int exists = stat(target, &st) == 0;
    int rc = SIB_OK;
    if (exists && S_ISDIR(st.st_mode)) {
        rc = sib_error_set(err, SIB_EIO, NULL, "cannot write: it is a directory");
    } else if (!exists || S_ISREG(st.st_mode)) {
        /* What the writer will do: make a temporary file beside it. A FIFO
         * or a device is not opened here (opening a FIFO waits for its
         * reader). */
        char *tmp;
        int fd;
        rc = make_temp(target, &tmp, &fd, err);
        if (rc == SIB_OK) {
            close(fd);
            unlink(tmp);
            free(tmp);
        }
    }
    free(target);
    return rc;
}

int sib_writer_open(const char *path, sib_writer **out, sib_error *err) {
    return sib_writer_open_like(path, NULL, out, err);
}

int sib_writer_open_like(const char *path, const char *like, sib_writer **out, sib_error *err) {
    sib_error_clear(err);
    *out = NULL;
    sib_writer *w = calloc(1, sizeof *w);
    if (w == NULL) return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
    if (path == NULL) {
        w->f = stdout;
        w->direct = w->is_stdout = 1;
        *out = w;
        return SIB_OK;
    }
    snprintf(err->file, sizeof err->file, "%s", path);
    w->shown = strdup(path);
    w->target = resolve(path);
    if (w->shown == NULL || w->target == NULL) {
        writer_free(w);
        return sib_error_set(err, SIB_ENOMEM, NULL, "out of memory");
    }
    struct stat st;
    if (stat(w->target, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            writer_free(w);
            return sib_error_set(err, SIB_EIO, NULL, "cannot write: it is a directory");
        }
        if (!S_ISREG(st.st_mode)) {
            /* A FIFO, a terminal, /dev/null: written in place, never replaced. */
            int fd = open(w->target, O_WRONLY | O_NOCTTY);
            w->f = fd >= 0 ? fdopen(fd, "w") : NULL;
            if (w->f == NULL) {
                int e = errno;
                if (fd >= 0) close(fd);
                writer_free(w);
                return sib_error_set(err, SIB_EIO, NULL, "cannot open: %s", strerror(e));
            }
            w->direct = 1;
            *out = w;
            return SIB_OK;
        }
    }
    /* A regular file, or a new one: a temporary file beside the target. */
    sib_file_stale_temps(w->target, 1, NULL, 0);
    mode_t mode = (mode_t)sib_file_mode(like != NULL ? like : w->target);
    int fd;
    int rc = make_temp(w->target, &w->tmp, &fd, err);
    if (rc != SIB_OK) {
        writer_free(w);
        return rc;
    }
    (void)fchmod(fd, mode); /* the permissions the file has or would get, not mkstemp's 0600 */
    w->f = fdopen(fd, "w");
    if (w->f == NULL) {
        int e = errno;
        close(fd);
        unlink(w->tmp);
        writer_free(w);
        return sib_error_set(err, SIB_EIO, NULL, "cannot write: %s", strerror(e));
    }
    *out = w;
    return SIB_OK;
}

FILE *sib_writer_stream(sib_writer *w) { return w->f; }

int sib_writer_commit(sib_writer *w, sib_error *err) {
    sib_error_clear(err);
    if (w->shown) snprintf(err->file, sizeof err->file, "%s", w->shown);
    /* The first failure's errno is the cause: a full disk shows here as
     * ENOSPC from the flush, the sync or the close, never as "Success". */
    int e = 0;
    errno = 0;
    if (fflush(w->f) != 0 || ferror(w->f)) e = errno ? errno : EIO;
    if (!e && !w->direct && fsync(fileno(w->f)) != 0) e = errno;
    if (!w->is_stdout) {
        errno = 0;
        if (fclose(w->f) != 0 && !e) e = errno ? errno : EIO;
    }
    w->f = NULL;
    if (!e && w->tmp && rename(w->tmp, w->target) != 0) e = errno;
    if (e) {
        if (w->tmp) unlink(w->tmp);
        writer_free(w);
        return sib_error_set(err, SIB_EIO, NULL, "cannot write: %s", strerror(e));
    }
    if (w->tmp) { /* the rename itself on disk: sync the directory (best effort) */
        char dir[PATH_MAX];
        const char *base;
        split_path(w->target, dir, sizeof dir, &base);
        int dfd = open(dir, O_RDONLY);
        if (dfd >= 0) {
            (void)fsync(dfd);
            close(dfd);
        }
    }
    writer_free(w);
    return SIB_OK;
}

void sib_writer_abort(sib_writer *w) {
    if (w == NULL) return;
    if (w->f != NULL && !w->is_stdout) fclose(w->f);
    if (w->tmp) unlink(w->tmp);
    writer_free(w);
}

int sib_file_write(const char *path, const char *buf, size_t len, sib_error *err) {
    return sib_file_write_like(path, NULL, buf, len, err);
}

int sib_file_write_like(const char *path, const char *like, const char *buf, size_t len,
                        sib_error *err) {
    sib_writer *w;
    int rc = sib_writer_open_like(path, like, &w, err);
    if (rc != SIB_OK) return rc;
    errno = 0;
    if (len > 0 && fwrite(buf, 1, len, w->f) != len) {
        int e = errno ? errno : EIO;
        sib_error_clear(err);
        snprintf(err->file, sizeof err->file, "%s", w->shown ? w->shown : "standard output");
        sib_writer_abort(w);
        return sib_error_set(err, SIB_EIO, NULL, "cannot write: %s", strerror(e));
    }
    return sib_writer_commit(w, err);
}
