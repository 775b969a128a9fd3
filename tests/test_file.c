/* test_file.c -- the one writer and reader (model/file.h): nothing lost,
 * whatever the path is. Each test of a defect of issue 10 section 1 failed
 * against the writer it replaced (a temporary file renamed over the path
 * as given). */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* mkdtemp, symlink, mkfifo */
#endif
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../model/file.h"

static char dir[64];

static void make_dir(void) {
    snprintf(dir, sizeof dir, "/tmp/sibsim-file.XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(file, .init = make_dir, .fini = remove_dir);

static void path_of(char *buf, size_t size, const char *name) {
    snprintf(buf, size, "%s/%s", dir, name);
}

static void put(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

static char *get(const char *path) {
    sib_error err;
    char *t = sib_file_read(path, &err);
    cr_assert_not_null(t, "%s: %s", path, err.message);
    return t;
}

Test(file, a_regular_file_is_replaced_whole_and_keeps_its_permissions) {
    char p[128];
    path_of(p, sizeof p, "report.csv");
    put(p, "old");
    cr_assert_eq(chmod(p, 0640), 0);
    sib_error err;
    cr_assert_eq(sib_file_write(p, "new text", 8, &err), SIB_OK, "%s", err.message);
    char *t = get(p);
    cr_assert_str_eq(t, "new text");
    free(t);
    struct stat st;
    cr_assert_eq(stat(p, &st), 0);
    cr_assert_eq(st.st_mode & 07777, 0640);
}

Test(file, a_symlink_is_followed_and_stays_a_link) {
    /* Regression: --out link.txt replaced the link by a regular file and
     * left its target as it was. */
    char target[128], link_path[128];
    path_of(target, sizeof target, "target.txt");
    path_of(link_path, sizeof link_path, "link.txt");
    put(target, "old");
    cr_assert_eq(symlink("target.txt", link_path), 0);
    sib_error err;
    cr_assert_eq(sib_file_write(link_path, "new", 3, &err), SIB_OK, "%s", err.message);
    struct stat st;
    cr_assert_eq(lstat(link_path, &st), 0);
    cr_assert(S_ISLNK(st.st_mode), "the link must stay a link");
    char *t = get(target);
    cr_assert_str_eq(t, "new", "the target gets the text");
    free(t);
}

Test(file, a_dangling_symlink_creates_its_target) {
    char target[128], link_path[128];
    path_of(target, sizeof target, "new.txt");
    path_of(link_path, sizeof link_path, "dangling");
    cr_assert_eq(symlink("new.txt", link_path), 0);
    sib_error err;
    cr_assert_eq(sib_file_write(link_path, "x", 1, &err), SIB_OK, "%s", err.message);
    char *t = get(target);
    cr_assert_str_eq(t, "x");
    free(t);
}

Test(file, a_fifo_is_written_in_place_not_replaced) {
    /* Regression: --out fifo replaced the FIFO by a regular file. */
    char fifo[128];
    path_of(fifo, sizeof fifo, "pipe");
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) { /* the reader: checks what arrives, exits 0 when right */
        int fd = open(fifo, O_RDONLY);
        char buf[16] = "";
        ssize_t n = read(fd, buf, sizeof buf - 1);
        _exit(n == 5 && memcmp(buf, "hello", 5) == 0 ? 0 : 1);
    }
    sib_error err;
    cr_assert_eq(sib_file_write(fifo, "hello", 5, &err), SIB_OK, "%s", err.message);
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the reader got the text");
    struct stat st;
    cr_assert_eq(lstat(fifo, &st), 0);
    cr_assert(S_ISFIFO(st.st_mode), "still a FIFO");
}

Test(file, a_character_device_is_written_in_place) {
    /* Regression: as root, --out /dev/null turned /dev/null into a regular
     * file. It is written in place and stays a device. */
    sib_error err;
    cr_assert_eq(sib_file_write("/dev/null", "x", 1, &err), SIB_OK, "%s", err.message);
    struct stat st;
    cr_assert_eq(stat("/dev/null", &st), 0);
    cr_assert(S_ISCHR(st.st_mode));
}

Test(file, a_full_disk_names_its_cause_not_success) {
    /* Regression: a short write reported "cannot write: Success".
     * /dev/full fails every write with ENOSPC. */
    sib_error err;
    char big[1 << 16];
    memset(big, 'x', sizeof big);
    cr_assert_eq(sib_file_write("/dev/full", big, sizeof big, &err), SIB_EIO);
    cr_assert(strstr(err.message, strerror(ENOSPC)) != NULL, "%s", err.message);
    cr_assert(strstr(err.message, "Success") == NULL, "%s", err.message);
}

Test(file, a_failed_write_leaves_the_old_file_and_no_temporary) {
    char p[128], names[512];
    path_of(p, sizeof p, "keep.txt");
    put(p, "precious");
    sib_writer *w;
    sib_error err;
    cr_assert_eq(sib_writer_open(p, &w, &err), SIB_OK);
    fputs("half a rep", sib_writer_stream(w));
    cr_assert_eq(sib_file_stale_temps(p, 0, names, sizeof names), 1, "the write in progress");
    sib_writer_abort(w);
    char *t = get(p);
    cr_assert_str_eq(t, "precious");
    free(t);
    cr_assert_eq(sib_file_stale_temps(p, 0, names, sizeof names), 0, "%s", names);
}

Test(file, temporaries_are_named_for_their_file_and_old_ones_removed) {
    /* Regression: a kill during a save left FILE.tmp.XXXXXX behind, never
     * reported nor removed. A killed write leaves ".FILE.sibsim-tmp.XXXXXX";
     * the next write of FILE removes it once it is old. */
    char p[128], stale[160], names[512];
    path_of(p, sizeof p, "s.json");
    snprintf(stale, sizeof stale, "%s/.s.json.sibsim-tmp.ab12CD", dir);
    put(stale, "half");
    cr_assert_eq(sib_file_stale_temps(p, 0, names, sizeof names), 1);
    cr_assert_str_eq(names, stale);
    /* A fresh one may be another writer's: kept. */
    sib_error err;
    cr_assert_eq(sib_file_write(p, "{}", 2, &err), SIB_OK);
    cr_assert_eq(access(stale, F_OK), 0);
    /* Made old, it goes at the next write. */
    char cmd[256];
    snprintf(cmd, sizeof cmd, "touch -d '1 hour ago' '%s'", stale);
    cr_assert_eq(system(cmd), 0);
    cr_assert_eq(sib_file_write(p, "{}", 2, &err), SIB_OK);
    cr_assert_neq(access(stale, F_OK), 0, "removed");
}

Test(file, a_directory_is_refused) {
    sib_error err;
    cr_assert_eq(sib_file_write(dir, "x", 1, &err), SIB_EIO);
    cr_assert(strstr(err.message, "directory") != NULL, "%s", err.message);
}

Test(file, whether_a_path_can_be_written_is_known_before_writing_it) {
    /* Asked before a long run, so that a missing directory is said at once:
     * the answer is the writer's own, and nothing is left behind. */
    char p[128], missing[160], link[128], names[512];
    sib_error err;
    path_of(p, sizeof p, "out.csv");
    cr_assert_eq(sib_file_can_write(p, &err), SIB_OK, "a new file: %s", err.message);
    cr_assert_neq(access(p, F_OK), 0, "not created");
    cr_assert_eq(sib_file_stale_temps(p, 0, names, sizeof names), 0, "no temporary: %s", names);
    put(p, "kept");
    cr_assert_eq(sib_file_can_write(p, &err), SIB_OK, "an old file: %s", err.message);
    char *t = get(p);
    cr_assert_str_eq(t, "kept");
    free(t);
    snprintf(missing, sizeof missing, "%s/no/such/dir/out.csv", dir);
    cr_assert_eq(sib_file_can_write(missing, &err), SIB_EIO);
    cr_assert(strstr(err.message, "cannot create a file in") != NULL, "%s", err.message);
    cr_assert_str_eq(err.file, missing);
    cr_assert_eq(sib_file_can_write(dir, &err), SIB_EIO);
    cr_assert(strstr(err.message, "directory") != NULL, "%s", err.message);
    /* A dangling link is written at its target: its directory is asked. */
    path_of(link, sizeof link, "dangling");
    cr_assert_eq(symlink(missing, link), 0);
    cr_assert_eq(sib_file_can_write(link, &err), SIB_EIO);
    cr_assert_eq(sib_file_can_write(NULL, &err), SIB_OK, "standard output");
}

Test(file, the_same_file_under_two_names_is_the_same) {
    char a[128], b[128], c[128];
    path_of(a, sizeof a, "a.json");
    path_of(b, sizeof b, "b.json");
    path_of(c, sizeof c, "c.json");
    put(a, "{}");
    put(c, "{}");
    cr_assert_eq(symlink("a.json", b), 0);
    cr_assert(sib_file_same(a, b));
    cr_assert_not(sib_file_same(a, c));
    cr_assert_not(sib_file_same(a, "/nonexistent/x"));
}

Test(file, two_names_of_one_file_not_yet_written_are_the_same) {
    /* Regression: ./out.csv and out.csv were two files until one existed,
     * so --out and --paths-out could each overwrite the other. */
    char n1[160], n2[160], n3[160], link[160];
    snprintf(n1, sizeof n1, "%s/new.csv", dir);
    snprintf(n2, sizeof n2, "%s/./new.csv", dir);
    snprintf(n3, sizeof n3, "%s/other.csv", dir);
    path_of(link, sizeof link, "to-new.csv");
    cr_assert_eq(symlink("new.csv", link), 0); /* a link that dangles until new.csv is written */
    cr_assert(sib_file_same(n1, n2));
    cr_assert(sib_file_same(link, n1), "a dangling link writes its target");
    cr_assert_not(sib_file_same(n1, n3));
    cr_assert_not(sib_file_same(n1, "/nonexistent/new.csv"));
}

Test(file, reading_stops_at_the_size_limit) {
    /* Regression: validate /dev/zero grew to gigabytes before failing. */
    sib_error err;
    cr_assert_null(sib_file_read("/dev/zero", &err));
    cr_assert_eq(err.code, SIB_EIO);
    cr_assert(strstr(err.message, "larger than 16 MiB") != NULL, "%s", err.message);
}

Test(file, a_nul_byte_is_refused) {
    char p[128];
    path_of(p, sizeof p, "nul.json");
    FILE *f = fopen(p, "wb");
    fwrite("{\0}", 1, 3, f);
    fclose(f);
    sib_error err;
    cr_assert_null(sib_file_read(p, &err));
    cr_assert_eq(err.code, SIB_ESYNTAX);
}
