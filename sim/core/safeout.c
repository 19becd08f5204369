/* safeout.c: writing output files safely (see safeout.h). */
#define _GNU_SOURCE
#include "safeout.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <sys/stat.h>
#include <unistd.h>

int safeout_check(const char *path, const char *const *inputs, size_t ninputs, int *status,
                  struct gs_error *err)
{
    int dummy;
    if (!status)
        status = &dummy;
    *status = 2;
    size_t len = strlen(path);
    if (len == 0)
        return gs_error_set(err, "the output path is empty");
    if (len > SAFEOUT_PATH_MAX)
        return gs_error_set(err, "output path of %zu bytes is too long (at most %d): '%.60s...'",
                            len, SAFEOUT_PATH_MAX, path);
    struct stat lst, st;
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
        return gs_error_set(err, "output '%s' is a symbolic link; refusing to write through or "
                            "replace it: give the path of the file itself", path);
    int exists = stat(path, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        *status = 1;
        return gs_error_set(err, "cannot write output '%s': it is a directory", path);
    }
    for (size_t i = 0; exists && i < ninputs; i++) {
        struct stat ist;
        if (inputs[i] && inputs[i][0] && stat(inputs[i], &ist) == 0 && ist.st_dev == st.st_dev &&
            ist.st_ino == st.st_ino)
            return gs_error_set(err, "output '%s' is the input file '%s'; refusing to overwrite "
                                "it: choose another output name", path, inputs[i]);
    }
    char *copy = gs_strdup(path);
    const char *dir = dirname(copy);
    int ok = access(dir, W_OK | X_OK) == 0;
    int e = errno;
    int rc = 0;
    if (!ok) {
        *status = 1;
        rc = gs_error_set(err, "cannot write output '%s': directory '%s': %s", path, dir,
                          strerror(e));
    }
    free(copy);
    return rc;
}

int safeout_tmpname(const char *path, char *tmp, size_t n, struct gs_error *err)
{
    int k = snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
    if (k < 0 || (size_t)k >= n)
        return gs_error_set(err, "output path too long: '%.60s...'", path);
    return 0;
}

int safeout_sync_dir(const char *path)
{
    char *copy = gs_strdup(path);
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
    free(copy);
    if (fd < 0)
        return -1;
    int rc = fsync(fd) != 0 && errno != EINVAL && errno != EROFS ? -1 : 0;
    close(fd);
    return rc;
}

int safeout_commit(const char *tmp, const char *path, int exclusive, int *exists,
                   struct gs_error *err)
{
    if (exists)
        *exists = 0;
    int e = 0;
    int fd = open(tmp, O_RDONLY);
    if (fd < 0)
        e = errno;
    else {
        if (fsync(fd) != 0 && errno != EINVAL)
            e = errno;
        close(fd);
    }
    if (!e && (exclusive ? link(tmp, path) : rename(tmp, path)) != 0)
        e = errno;
    unlink(tmp);   /* after link, or a failure; after rename, tmp is gone already */
    if (!e && safeout_sync_dir(path) != 0)
        e = errno;
    if (e == EEXIST && exclusive) {
        if (exists)
            *exists = 1;
        return gs_error_set(err, "'%s' was created by another process while this one was "
                            "preparing it; refusing to replace it", path);
    }
    if (e)
        return gs_error_set(err, "writing '%s' failed: %s; nothing was kept", path, strerror(e));
    return 0;
}

int safeout_save(const char *path, const void *buf, size_t n, struct gs_error *err)
{
    char tmp[SAFEOUT_PATH_MAX + 64];
    if (safeout_tmpname(path, tmp, sizeof tmp, err) != 0)
        return -1;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0)
        return gs_error_set(err, "cannot create output file '%s': %s", tmp, strerror(errno));
    const char *p = buf;
    int e = 0;
    while (n > 0 && !e) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            e = k < 0 ? errno : ENOSPC;
        else {
            p += k;
            n -= (size_t)k;
        }
    }
    if (!e && fsync(fd) != 0 && errno != EINVAL)
        e = errno;
    if (close(fd) != 0 && !e)
        e = errno;
    if (!e && rename(tmp, path) != 0)
        e = errno;
    if (!e && safeout_sync_dir(path) != 0)
        e = errno;
    if (e) {
        unlink(tmp);
        return gs_error_set(err, "writing '%s' failed: %s; nothing was kept", path, strerror(e));
    }
    return 0;
}

int safeout_reserve(const char *tmp, const char *path, long long bytes, struct gs_error *err)
{
    (void)tmp;
    int e = 0;
    struct rlimit r;   /* a file-size limit (ulimit -f) */
    if (getrlimit(RLIMIT_FSIZE, &r) == 0 && r.rlim_cur != RLIM_INFINITY &&
        (double)bytes > (double)r.rlim_cur)
        e = EFBIG;
    char *copy = gs_strdup(path);
    struct statvfs fs;   /* free space for this user (no file is written: fast on NFS too) */
    if (!e && statvfs(dirname(copy), &fs) == 0 &&
        (double)fs.f_bavail * (double)fs.f_frsize < (double)bytes)
        e = ENOSPC;
    free(copy);
    if (e)
        return gs_error_set(err, "creating '%s' failed: %s (it needs about %.3g MB); nothing "
                            "was kept", path, strerror(e), (double)bytes / 1e6);
    return 0;
}

int safeout_lock(const char *path, struct gs_error *err)
{
    int fd = open(path, O_RDWR);
    if (fd < 0)
        return gs_error_set(err, "cannot open '%s': %s", path, strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(fd);
        if (e == EWOULDBLOCK)
            return gs_error_set(err, "'%s' is in use: another govsim process is writing it "
                                "(it is locked); refusing to touch it", path);
        return gs_error_set(err, "cannot lock '%s': %s", path, strerror(e));
    }
    return fd;
}
