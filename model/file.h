/* file.h -- reading and writing files without losing anything.
 *
 * Every file sibsim reads (a scenario, a realised record) and every file it
 * writes (a report, a ledger, a paths file, a TUI save) goes through here,
 * so that one set of rules holds everywhere:
 *
 *   reading   at most SIB_FILE_MAX bytes (a scenario is small; /dev/zero is
 *             refused, not read into memory), no NUL byte;
 *   writing   a regular file (or a new one) is replaced atomically: the text
 *             goes to a temporary file beside it, ".NAME.sibsim-tmp.XXXXXX",
 *             with the permissions the file has (or a new file would get),
 *             is flushed to disk and renamed over it only when complete, so a
 *             reader never sees half a file and a failure never destroys the
 *             old one; a symbolic link is followed and its target replaced
 *             (the link stays a link); a FIFO, a character device or any other
 *             file that is not a regular file is written directly, never
 *             replaced; a directory is refused. Errors give the real cause
 *             (a full disk is "No space left on device").
 *
 * Temporary files of a write that was killed are recognisable by their
 * name; the writer removes those of the same file older than
 * SIB_FILE_STALE_SECONDS when it next writes it, and sib_file_stale_temps
 * reports them (the TUI does when it opens a scenario).
 *
 * Ownership: strings returned are the caller's to free(); a writer is
 * closed by sib_writer_commit or sib_writer_abort, which free it.
 */
#ifndef SIB_FILE_H
#define SIB_FILE_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"

#define SIB_FILE_MAX (16u << 20) /* the largest file read: 16 MiB */
#define SIB_FILE_STALE_SECONDS 600

/* The text of the file at path (the caller frees it), or NULL with err
 * filled: SIB_EIO when it cannot be read or is larger than SIB_FILE_MAX,
 * SIB_ESYNTAX when it holds a NUL byte. err->file is set to path. */
char *sib_file_read(const char *path, sib_error *err);

/* The bytes of the file at path (binary: NUL bytes allowed), at most max
 * of them; *len is set. The caller frees the buffer. NULL with err filled
 * (SIB_EIO: cannot be read, or longer than max; err->file is path). */
unsigned char *sib_file_read_bytes(const char *path, size_t max, size_t *len, sib_error *err);

/* The permissions a file written at path should have: those of the file
 * it replaces (following a symbolic link), or what a new file gets under
 * the umask (0666 & ~umask). */
unsigned sib_file_mode(const char *path);

/* Where a write to path lands: path itself, or the end of its chain of
 * symbolic links (which need not exist yet). The caller frees it; NULL
 * when out of memory. */
char *sib_file_target(const char *path);

/* Whether paths a and b name the same file: the same device and inode
 * when both exist (after following links); when neither does, the same
 * name in the same directory (after following links), so that two outputs
 * not yet written (./out.csv and out.csv) are one. An output that is an
 * input, or two outputs that would overwrite each other. */
int sib_file_same(const char *a, const char *b);

typedef struct sib_writer sib_writer;

/* Open a writer for path (NULL: standard output). SIB_OK and *w, or an
 * error naming the real cause (a directory, a missing directory, no
 * permission). */
int sib_writer_open(const char *path, sib_writer **w, sib_error *err);

/* As sib_writer_open, but a regular file written gets the permissions of
 * the file `like` (sib_file_mode: those of `like` when it exists), not
 * those of the file it replaces: a copy of a file kept beside it (the
 * TUI's recovery file) is no more readable than the file itself. `like`
 * NULL is sib_writer_open. A file written in place (a FIFO, a device)
 * keeps its own. */
int sib_writer_open_like(const char *path, const char *like, sib_writer **w, sib_error *err);

/* Whether a writer could write path (NULL: standard output, always) now,
 * without writing it: checked before a long run, so that a missing
 * directory or one without permission is said at once, not after the
 * work. A regular file or a new one: a temporary file is made beside it
 * and removed at once, as sib_writer_open would make it; a directory is
 * refused; a FIFO or a device is taken as writable (not opened). SIB_OK,
 * or the error sib_writer_open would give. */
int sib_file_can_write(const char *path, sib_error *err);

/* Where to write. */
FILE *sib_writer_stream(sib_writer *w);

/* Finish: flush and sync, and rename into place for a replaced file.
 * SIB_OK, or SIB_EIO with the real cause (the old file is then intact).
 * Frees w in every case. */
int sib_writer_commit(sib_writer *w, sib_error *err);

/* Give up: remove the temporary file, leave the old file as it was. Frees
 * w. NULL is a no-op. */
void sib_writer_abort(sib_writer *w);

/* Write len bytes of buf to path through a writer. */
int sib_file_write(const char *path, const char *buf, size_t len, sib_error *err);

/* sib_file_write through sib_writer_open_like. */
int sib_file_write_like(const char *path, const char *like, const char *buf, size_t len,
                        sib_error *err);

/* The temporary files a killed write of path left behind: how many there
 * are, their names (separated by newlines) in names when it is not NULL.
 * With remove set, those older than SIB_FILE_STALE_SECONDS are removed
 * (and still counted). */
size_t sib_file_stale_temps(const char *path, int remove, char *names, size_t size);

/* A lock that says "a running sibsim holds this": flock(2), exclusive, on
 * the file at path, made (empty, mode 0600) when it does not exist. Returns
 * its descriptor, held until sib_file_unlock, or -1 with errno set:
 * EWOULDBLOCK when another process holds it, any other value when it cannot
 * be taken (a directory that cannot be written). Advisory: it binds only
 * those who ask. The kernel drops a lock when its holder ends, however it
 * ends (a crash, kill -9, a power cut), so a lock never outlives a running
 * program, and the file left behind by one that crashed is taken freely. */
int sib_file_lock(const char *path);

/* Give up a lock of sib_file_lock: its file is removed, then the lock
 * dropped. fd < 0 does nothing. */
void sib_file_unlock(int fd, const char *path);

#endif
