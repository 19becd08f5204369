/* compare_journal.c: `govsim compare --resume`.
 *
 * While a comparison runs, each finished run is appended to a journal next to the
 * output, OUT.runs, and made durable (fdatasync) before the next result is taken:
 * a header line naming what the results depend on (a hash of the build, the seeds,
 * the replicates, the --uncertainty draws, and every resolved parameter of every
 * scenario run, the "A + lever" ones of --decompose included), then one record a
 * run: scenario, replicate, its outputs, and a checksum. The journal is locked (flock)
 * while in use. After an interruption, `--resume` reads the complete records back
 * (a torn last record is dropped) and runs only the missing runs; the comparison file
 * is then identical to an uninterrupted one's. The journal is removed once the
 * comparison file is written. Without --resume an existing journal is refused. */
#define _GNU_SOURCE
#include "compare.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "build_info.h"
#include "safeout.h"

#define MAGIC "govsim-compare-journal 1 "

struct cmp_journal {
    int fd;
    char *path;
    double *buf;   /* one record's values */
    long records;  /* complete records in the journal */
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

/* Values of one run of scenario s: seed, wall seconds, summary, levels, categories,
 * histogram, day, series. */
static size_t record_len(const struct cmp_scenario *s)
{
    return 2 + N_SUMMARY + N_LEVEL_FIELDS * N_LEVELS + N_CATEGORY_FIELDS * N_CATEGORIES + TTR_BINS +
           (size_t)s->nrows * (1 + N_SERIES);
}

static size_t max_record_len(const struct comparison *c)
{
    size_t m = 0;
    for (int k = 0; k < c->nrun; k++)
        m = record_len(&c->sc[k]) > m ? record_len(&c->sc[k]) : m;
    return m;
}

/* Copies run r of scenario s to (pack 1) or from (pack 0) v. */
static void move(struct cmp_scenario *s, int nrep, int r, double *v, double *wall, int pack)
{
    size_t n = 0;
#define MOVE(dst, count)                                                             \
    do {                                                                             \
        if (pack)                                                                    \
            memcpy(v + n, (dst), (count) * sizeof(double));                          \
        else                                                                         \
            memcpy((dst), v + n, (count) * sizeof(double));                          \
        n += (count);                                                                \
    } while (0)
    double seed = (double)s->seed[r];
    MOVE(&seed, 1);
    s->seed[r] = (int64_t)seed;
    MOVE(wall, 1);
    MOVE(&s->summary[(size_t)r * N_SUMMARY], N_SUMMARY);
    MOVE(&s->levels[(size_t)r * N_LEVEL_FIELDS * N_LEVELS], N_LEVEL_FIELDS * N_LEVELS);
    MOVE(&s->cats[(size_t)r * N_CATEGORY_FIELDS * N_CATEGORIES], N_CATEGORY_FIELDS * N_CATEGORIES);
    MOVE(&s->ttr_hist[(size_t)r * TTR_BINS], TTR_BINS);
    MOVE(s->day, (size_t)s->nrows);
    for (int f = 0; f < N_SERIES; f++)
        MOVE(&s->series[((size_t)f * nrep + r) * s->nrows], (size_t)s->nrows);
#undef MOVE
}

/* What the results depend on: the build, the seeds, every resolved parameter. */
static uint64_t identity(const struct comparison *c)
{
    char line[PARAM_STR_MAX * 4 + 256];
    uint64_t h = 1469598103934665603ULL;
    int n = snprintf(line, sizeof line, "%s %s %s %s nscen %d nrep %d seed %lld independent %d\n",
                     GOVSIM_VERSION, GOVSIM_GIT_REVISION, GOVSIM_C_COMPILER, GOVSIM_C_FLAGS,
                     c->nscen, c->nrep, (long long)c->base_seed, c->independent);
    h = fnv(h, line, (size_t)n);
    n = snprintf(line, sizeof line, "runs %d draws %d params %d source %s\n", c->nrun, c->ndraws,
                 c->npar, c->source);
    h = fnv(h, line, (size_t)(n < (int)sizeof line ? n : (int)sizeof line - 1));
    for (int j = 0; j < c->npar; j++)
        h = fnv(h, param_table[c->par[j]].name, strlen(param_table[c->par[j]].name));
    if (c->ndraws)
        h = fnv(h, c->draw, (size_t)c->ndraws * (size_t)c->npar * sizeof *c->draw);
    for (int k = 0; k < c->nrun; k++) {
        n = snprintf(line, sizeof line, "scenario %d %s rows %lld\n", k, c->sc[k].label,
                     (long long)c->sc[k].nrows);
        h = fnv(h, line, (size_t)n);
        for (size_t i = 0; i < param_count; i++) {
            char value[PARAM_STR_MAX * 4];
            param_format(&c->sc[k].ps->p, &param_table[i], value, sizeof value);
            if (param_table[i].type == PT_DOUBLE)
                snprintf(value, sizeof value, "%.17g",
                         param_get_number(&c->sc[k].ps->p, &param_table[i]));
            n = snprintf(line, sizeof line, "%s %s\n", param_table[i].name, value);
            h = fnv(h, line, (size_t)(n < (int)sizeof line ? n : (int)sizeof line - 1));
        }
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

/* Reads the complete records of an open journal into c; marks them in done. Returns
 * the number read, or -1 if the header is not this comparison's. */
static long load(struct cmp_journal *j, struct comparison *c, unsigned char *done, uint64_t id)
{
    char head[64], want[64];
    int hn = snprintf(want, sizeof want, "%s%016llx\n", MAGIC, (unsigned long long)id);
    if (read_full(j->fd, head, (size_t)hn) != 0 || memcmp(head, want, (size_t)hn) != 0)
        return -1;
    off_t good = hn;
    long count = 0;
    for (;;) {
        uint32_t kr[2];
        uint64_t sum;
        if (read_full(j->fd, kr, sizeof kr) != 0 || kr[0] >= (uint32_t)c->nrun ||
            kr[1] >= (uint32_t)c->nrep)
            break;
        struct cmp_scenario *s = &c->sc[kr[0]];
        size_t len = record_len(s);
        if (read_full(j->fd, j->buf, len * sizeof(double)) != 0 ||
            read_full(j->fd, &sum, sizeof sum) != 0 ||
            sum != fnv(fnv(1469598103934665603ULL, kr, sizeof kr), j->buf, len * sizeof(double)))
            break;
        double wall = 0;
        move(s, c->nrep, (int)kr[1], j->buf, &wall, 0);
        s->wall_seconds += wall;
        done[(size_t)kr[0] * (size_t)c->nrep + kr[1]] = 1;
        count++;
        good = lseek(j->fd, 0, SEEK_CUR);
    }
    if (ftruncate(j->fd, good) != 0 || lseek(j->fd, good, SEEK_SET) != good)   /* a torn tail */
        return -1;
    return count;
}

struct cmp_journal *cmp_journal_open(struct comparison *c, const char *out, int resume,
                                     unsigned char *done, long *loaded, int *status,
                                     struct gs_error *err)
{
    *loaded = 0;
    *status = 2;   /* refused, unless the disk fails */
    struct cmp_journal *j = gs_calloc(1, sizeof *j);
    j->path = gs_malloc(strlen(out) + 6);
    sprintf(j->path, "%s.runs", out);
    j->buf = gs_malloc((max_record_len(c) + 1) * sizeof(double));
    uint64_t id = identity(c);
    j->fd = open(j->path, O_RDWR | O_CREAT | O_EXCL, 0644);
    int fresh = j->fd >= 0;
    if (!fresh && errno == EEXIST && resume)
        j->fd = open(j->path, O_RDWR);
    if (j->fd < 0) {
        if (errno == EEXIST)
            gs_error_set(err, "'%s' exists: the journal of an interrupted comparison into '%s'; "
                         "use --resume to continue it, or remove it", j->path, out);
        else {
            *status = 1;
            gs_error_set(err, "cannot create the journal '%s': %s", j->path, strerror(errno));
        }
        cmp_journal_close(j, 0);
        return NULL;
    }
    if (flock(j->fd, LOCK_EX | LOCK_NB) != 0) {
        gs_error_set(err, "'%s' is in use: another govsim compare is writing '%s'; refusing to "
                     "touch it", j->path, out);
        close(j->fd);
        j->fd = -1;
        cmp_journal_close(j, 0);
        return NULL;
    }
    if (!fresh) {
        *loaded = j->records = load(j, c, done, id);
        if (*loaded < 0) {
            j->records = 1;   /* not ours: never removed */
            gs_error_set(err, "'%s' is the journal of another comparison (other scenarios, "
                         "replicates, seed, --uncertainty draws, levers or govsim build) or damaged; refusing to touch it: "
                         "remove it, or run the same comparison", j->path);
            cmp_journal_close(j, 0);
            return NULL;
        }
        return j;
    }
    char head[64];
    int hn = snprintf(head, sizeof head, "%s%016llx\n", MAGIC, (unsigned long long)id);
    if (write_full(j->fd, head, (size_t)hn) != 0 || fdatasync(j->fd) != 0 ||
        safeout_sync_dir(j->path) != 0) {
        *status = 1;
        gs_error_set(err, "cannot write the journal '%s': %s; nothing was kept", j->path,
                     strerror(errno));
        cmp_journal_close(j, 1);
        return NULL;
    }
    return j;
}

int cmp_journal_append(struct cmp_journal *j, struct comparison *c, int k, int r, double wall,
                       struct gs_error *err)
{
    struct cmp_scenario *s = &c->sc[k];
    size_t len = record_len(s);
    uint32_t kr[2] = {(uint32_t)k, (uint32_t)r};
    move(s, c->nrep, r, j->buf, &wall, 1);
    uint64_t sum = fnv(fnv(1469598103934665603ULL, kr, sizeof kr), j->buf, len * sizeof(double));
    if (write_full(j->fd, kr, sizeof kr) != 0 || write_full(j->fd, j->buf, len * sizeof(double)) != 0 ||
        write_full(j->fd, &sum, sizeof sum) != 0 || fdatasync(j->fd) != 0)
        return gs_error_set(err, "writing run %d of scenario %d to the journal '%s' failed: %s "
                            "(the runs journalled so far are kept: use --resume)", r, k, j->path,
                            strerror(errno));
    j->records++;
    return 0;
}

void cmp_journal_close(struct cmp_journal *j, int remove_file)
{
    if (!j)
        return;
    if (j->fd >= 0 && (remove_file || j->records == 0))   /* a journal of no run is no use */
        unlink(j->path);
    if (j->fd >= 0)
        close(j->fd);
    free(j->path);
    free(j->buf);
    free(j);
}
