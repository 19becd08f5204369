/* calibrate_journal.c: `govsim calibrate --resume`.
 *
 * A calibration is deterministic: which candidates it evaluates next depends only on
 * the outputs of those before. So each finished run is appended to a journal next to
 * the output, OUT.runs, keyed by (candidate's parameter values, seed), with its target
 * outputs and a checksum, and made durable (fdatasync). After an interruption,
 * `--resume` loads the journal and the calibration starts again from the beginning,
 * taking every run it finds there instead of running it: it retraces the same path
 * and runs only what was not finished, and the file equals an uninterrupted one's.
 * The header holds a hash of what the runs depend on (the govsim build, the
 * calibration file, every resolved base parameter); the journal is locked while in
 * use and removed once the file is written. */
#define _GNU_SOURCE
#include "calibrate.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "build_info.h"
#include "safeout.h"

#define MAGIC "govsim-calibrate-journal 1 "

struct calib_journal {
    int fd;
    char *path;
    size_t nt;
    size_t n, cap;       /* records held: open addressing on key */
    uint64_t *key;       /* cap; 0 = empty */
    double *vals;        /* cap * nt */
    long appended;
    int failed;          /* an append failed (disk full): keep what is there */
};

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 1099511628211ULL;
    }
    return h;
}

uint64_t calib_journal_key(const double *x, size_t np, int64_t seed)
{
    uint64_t h = fnv(1469598103934665603ULL, x, np * sizeof *x);
    h = fnv(h, &seed, sizeof seed);
    return h ? h : 1;
}

static void put(struct calib_journal *j, uint64_t key, const double *v);

static void grow(struct calib_journal *j)
{
    size_t old = j->cap;
    uint64_t *k = j->key;
    double *v = j->vals;
    j->cap = old ? 2 * old : 1024;
    j->key = gs_calloc(j->cap, sizeof *j->key);
    j->vals = gs_malloc(j->cap * j->nt * sizeof *j->vals);
    j->n = 0;
    for (size_t i = 0; i < old; i++)
        if (k[i])
            put(j, k[i], v + i * j->nt);
    free(k);
    free(v);
}

static void put(struct calib_journal *j, uint64_t key, const double *v)
{
    if (2 * (j->n + 1) > j->cap)
        grow(j);
    size_t i = (size_t)(key % j->cap);
    while (j->key[i] && j->key[i] != key)
        i = (i + 1) % j->cap;
    if (!j->key[i])
        j->n++;
    j->key[i] = key;
    memcpy(j->vals + i * j->nt, v, j->nt * sizeof *v);
}

int calib_journal_get(const struct calib_journal *j, uint64_t key, double *v)
{
    if (!j || !j->cap)
        return 0;
    size_t i = (size_t)(key % j->cap);
    while (j->key[i]) {
        if (j->key[i] == key) {
            memcpy(v, j->vals + i * j->nt, j->nt * sizeof *v);
            return 1;
        }
        i = (i + 1) % j->cap;
    }
    return 0;
}

static uint64_t identity(const struct calib_spec *s)
{
    char line[PARAM_STR_MAX * 4 + 256];
    uint64_t h = 1469598103934665603ULL;
    int n = snprintf(line, sizeof line, "%s %s %s %s\n", GOVSIM_VERSION, GOVSIM_GIT_REVISION,
                     GOVSIM_C_COMPILER, GOVSIM_C_FLAGS);
    h = fnv(h, line, (size_t)n);
    if (s->text)
        h = fnv(h, s->text, strlen(s->text));
    for (size_t t = 0; t < s->ntargets; t++)
        h = fnv(h, &s->targets[t].field, sizeof s->targets[t].field);
    for (size_t b = 0; b < s->nbases; b++)
        for (size_t i = 0; i < param_count; i++) {
            char value[PARAM_STR_MAX * 4];
            param_format(&s->bases[b]->p, &param_table[i], value, sizeof value);
            if (param_table[i].type == PT_DOUBLE)
                snprintf(value, sizeof value, "%.17g",
                         param_get_number(&s->bases[b]->p, &param_table[i]));
            n = snprintf(line, sizeof line, "%s %s\n", param_table[i].name, value);
            h = fnv(h, line, (size_t)(n < (int)sizeof line ? n : (int)sizeof line - 1));
        }
    return h;
}

static int read_full(int fd, void *p, size_t n)
{
    char *b = p;
    while (n > 0) {
        ssize_t k = read(fd, b, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        b += k;
        n -= (size_t)k;
    }
    return 0;
}

static int write_full(int fd, const void *p, size_t n)
{
    const char *b = p;
    while (n > 0) {
        ssize_t k = write(fd, b, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        b += k;
        n -= (size_t)k;
    }
    return 0;
}

static int load(struct calib_journal *j, uint64_t id)
{
    char head[64], want[64];
    int hn = snprintf(want, sizeof want, "%s%016llx\n", MAGIC, (unsigned long long)id);
    if (read_full(j->fd, head, (size_t)hn) != 0 || memcmp(head, want, (size_t)hn) != 0)
        return -1;
    off_t good = hn;
    double *v = gs_malloc(j->nt * sizeof *v);
    for (;;) {
        uint64_t key, sum;
        if (read_full(j->fd, &key, sizeof key) != 0 || read_full(j->fd, v, j->nt * sizeof *v) != 0 ||
            read_full(j->fd, &sum, sizeof sum) != 0 ||
            sum != fnv(fnv(1469598103934665603ULL, &key, sizeof key), v, j->nt * sizeof *v))
            break;
        put(j, key, v);
        good = lseek(j->fd, 0, SEEK_CUR);
    }
    free(v);
    return ftruncate(j->fd, good) == 0 && lseek(j->fd, good, SEEK_SET) == good ? 0 : -1;
}

struct calib_journal *calib_journal_open(const struct calib_spec *s, const char *out, int resume,
                                         size_t *loaded, int *status, struct gs_error *err)
{
    *loaded = 0;
    *status = 2;   /* refused, unless the disk fails */
    struct calib_journal *j = gs_calloc(1, sizeof *j);
    j->nt = s->ntargets;
    j->path = gs_malloc(strlen(out) + 6);
    sprintf(j->path, "%s.runs", out);
    uint64_t id = identity(s);
    j->fd = open(j->path, O_RDWR | O_CREAT | O_EXCL, 0644);
    int fresh = j->fd >= 0;
    if (!fresh && errno == EEXIST && resume)
        j->fd = open(j->path, O_RDWR);
    if (j->fd < 0) {
        if (errno == EEXIST)
            gs_error_set(err, "'%s' exists: the journal of an interrupted calibration into '%s'; "
                         "use --resume to continue it, or remove it", j->path, out);
        else {
            *status = 1;
            gs_error_set(err, "cannot create the journal '%s': %s", j->path, strerror(errno));
        }
        calib_journal_close(j, 0);
        return NULL;
    }
    if (flock(j->fd, LOCK_EX | LOCK_NB) != 0) {
        gs_error_set(err, "'%s' is in use: another govsim calibrate is writing '%s'; refusing "
                     "to touch it", j->path, out);
        close(j->fd);
        j->fd = -1;
        calib_journal_close(j, 0);
        return NULL;
    }
    if (!fresh) {
        if (load(j, id) != 0) {
            gs_error_set(err, "'%s' is the journal of another calibration (another calibration "
                         "or base scenario, or govsim build) or damaged; refusing to touch it: "
                         "remove it, or run the same calibration", j->path);
            j->appended = 1;   /* not ours: never removed */
            calib_journal_close(j, 0);
            return NULL;
        }
        *loaded = j->n;
        j->appended = (long)j->n;
        return j;
    }
    char head[64];
    int hn = snprintf(head, sizeof head, "%s%016llx\n", MAGIC, (unsigned long long)id);
    if (write_full(j->fd, head, (size_t)hn) != 0 || fdatasync(j->fd) != 0 ||
        safeout_sync_dir(j->path) != 0) {
        *status = 1;
        gs_error_set(err, "cannot write the journal '%s': %s; nothing was kept", j->path,
                     strerror(errno));
        calib_journal_close(j, 1);
        return NULL;
    }
    return j;
}

int calib_journal_append(struct calib_journal *j, uint64_t key, const double *v,
                         struct gs_error *err)
{
    uint64_t sum = fnv(fnv(1469598103934665603ULL, &key, sizeof key), v, j->nt * sizeof *v);
    if (write_full(j->fd, &key, sizeof key) != 0 || write_full(j->fd, v, j->nt * sizeof *v) != 0 ||
        write_full(j->fd, &sum, sizeof sum) != 0 || fdatasync(j->fd) != 0) {
        j->failed = 1;
        return gs_error_set(err, "writing to the journal '%s' failed: %s (the runs journalled "
                            "so far are kept: use --resume)", j->path, strerror(errno));
    }
    j->appended++;
    return 0;
}

int calib_journal_failed(const struct calib_journal *j)
{
    return j && j->failed;
}

void calib_journal_close(struct calib_journal *j, int remove_file)
{
    if (!j)
        return;
    if (j->fd >= 0 && (remove_file || j->appended == 0))   /* a journal of no run is no use */
        unlink(j->path);
    if (j->fd >= 0)
        close(j->fd);
    free(j->path);
    free(j->key);
    free(j->vals);
    free(j);
}
