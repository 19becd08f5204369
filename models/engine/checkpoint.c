/* checkpoint.c: saving and restoring a run's state (see checkpoint.h).
 *
 * Layout of the file (all numbers in the machine's byte order: a checkpoint is only
 * read by the build that wrote it):
 *   magic "GSCKPT\r\n", uint32 format version, uint32 length + text of the build
 *   identity, uint64 layout fingerprint, int64 day,
 *   the parameters (struct params, then param_count sources, then the scenario path),
 *   the world (its own record whole, then per part its records and their vectors),
 *   the series, and a uint64 FNV-1a checksum of every byte before it. */
#include "checkpoint.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build_info.h"
#include "digest.h"
#include "safeout.h"
#include "summary.h"
#include "world.h"

static const char ckpt_magic[8] = {'G', 'S', 'C', 'K', 'P', 'T', '\r', '\n'};
enum { CKPT_FORMAT = 1 };

#define CKPT_IDENTITY GOVSIM_VERSION " " GOVSIM_GIT_REVISION " " GOVSIM_C_COMPILER " " GOVSIM_C_FLAGS

/* ---- a growing buffer to write into, and a cursor to read from ---- */

struct ckbuf {
    unsigned char *a;
    size_t n, cap;
};

static void put(struct ckbuf *b, const void *p, size_t n)
{
    if (n == 0)
        return;
    if (b->n + n > b->cap) {
        b->cap = 2 * (b->n + n);
        b->a = gs_realloc(b->a, b->cap);
    }
    memcpy(b->a + b->n, p, n);
    b->n += n;
}

static void put_u64(struct ckbuf *b, uint64_t v)
{
    put(b, &v, sizeof v);
}

struct ckread {
    const unsigned char *a;
    size_t n, pos;
    int bad;   /* read past the end, or a count that does not fit */
};

static void get(struct ckread *r, void *p, size_t n)
{
    if (n == 0)
        return;
    if (r->bad || n > r->n - r->pos) {
        r->bad = 1;
        memset(p, 0, n);
        return;
    }
    memcpy(p, r->a + r->pos, n);
    r->pos += n;
}

static uint64_t get_u64(struct ckread *r)
{
    uint64_t v;
    get(r, &v, sizeof v);
    return v;
}

/* A vector: its length, then its elements. */
static void put_vec(struct ckbuf *b, const void *a, size_t n, size_t size)
{
    put_u64(b, n);
    put(b, a, n * size);
}

/* Reads a vector written by put_vec into a new allocation of exactly its length. */
static void *get_vec(struct ckread *r, size_t *n, size_t size)
{
    uint64_t k = get_u64(r);
    if (r->bad || k > (r->n - r->pos) / size) {
        r->bad = 1;
        *n = 0;
        return NULL;
    }
    *n = (size_t)k;
    void *a = k ? gs_malloc((size_t)k * size) : NULL;
    get(r, a, (size_t)k * size);
    return a;
}

#define PUT_VEC(b, v) put_vec((b), (v).a, (v).n, sizeof *(v).a)
#define GET_VEC(r, v) ((v).a = get_vec((r), &(v).n, sizeof *(v).a), (v).cap = (v).n)

/* ---- identity ---- */

/* Sizes of the records saved raw: another layout cannot read them. */
static uint64_t layout_fingerprint(void)
{
    const uint64_t sizes[] = {
        sizeof(struct params), param_count, sizeof(enum param_source), sizeof(struct unit),
        sizeof(struct server), sizeof(struct request), sizeof(struct pending), sizeof(struct workload),
        sizeof(struct task), sizeof(struct grid_state), sizeof(struct outcome), sizeof(struct event),
        sizeof(struct community_state), sizeof(struct cb_item), sizeof(struct household),
        sizeof(struct hh_groups), sizeof(struct shift), N_LEVELS, N_CATEGORIES, N_SERIES};
    return digest_update(DIGEST_INIT, sizes, sizeof sizes);
}

static void put_header(struct ckbuf *b, const struct param_set *ps, int64_t day)
{
    uint32_t format = CKPT_FORMAT, len = (uint32_t)strlen(CKPT_IDENTITY);
    put(b, ckpt_magic, sizeof ckpt_magic);
    put(b, &format, sizeof format);
    put(b, &len, sizeof len);
    put(b, CKPT_IDENTITY, len);
    put_u64(b, layout_fingerprint());
    put(b, &day, sizeof day);
    put(b, &ps->p, sizeof ps->p);
    put(b, ps->source, param_count * sizeof *ps->source);
    put(b, ps->file, sizeof ps->file);
}

/* ---- the world ---- */

static void put_units(struct ckbuf *b, const struct world *w, int l)
{
    for (int64_t j = 0; j < w->nunits[l]; j++) {
        const struct unit *u = &w->units[l][j];
        put(b, u, sizeof *u);
        for (int k = 0; k < u->nservers; k++) {
            int32_t shift = (int32_t)(u->servers[k].shift - &w->shift[0][0]);
            put(b, &u->servers[k], sizeof u->servers[k]);
            put(b, &shift, sizeof shift);
        }
        PUT_VEC(b, u->queue);
        PUT_VEC(b, u->outbox);
        PUT_VEC(b, u->pend);
        const struct workload *k = &w->work[l][j];
        put(b, k, sizeof *k);
        put_vec(b, k->tasks, k->ntasks, sizeof *k->tasks);
    }
    put(b, w->wake[l], (size_t)w->nunits[l] * sizeof *w->wake[l]);
    put(b, w->passed_up[l], (size_t)w->nunits[l] * sizeof *w->passed_up[l]);
    put(b, w->task_wake[l], (size_t)w->nunits[l] * sizeof *w->task_wake[l]);
}

static void put_grids(struct ckbuf *b, const struct world *w)
{
    for (int64_t g = 0; g < w->p->grids; g++) {
        const struct grid_state *gs = &w->grids[g];
        put(b, gs, sizeof *gs);
        PUT_VEC(b, gs->outcomes);
        put_vec(b, gs->close_hours, gs->nclose, sizeof *gs->close_hours);
        put_vec(b, gs->close_cat, gs->nclose, sizeof *gs->close_cat);
        PUT_VEC(b, gs->events);
    }
    size_t ng = (size_t)w->p->grids;
    put(b, w->next_arrival, ng * sizeof *w->next_arrival);
    put(b, w->has_outcomes, ng * sizeof *w->has_outcomes);
    put(b, w->patrol_hazard, ng * sizeof *w->patrol_hazard);
}

static void put_communities(struct ckbuf *b, const struct world *w)
{
    for (int64_t c = 0; c < w->nunits[LEVEL_COMMUNITY]; c++) {
        const struct community_state *cs = &w->comm[c];
        put(b, cs, sizeof *cs);
        PUT_VEC(b, cs->needs);
        PUT_VEC(b, cs->projects);
    }
}

/* The world's own record is saved whole, so that a value added to it is saved
 * without a line here; its pointers are meaningless in the file and are replaced by
 * the fresh world's on restoring (restore_world_record). */
static void put_world(struct ckbuf *b, const struct world *w)
{
    put(b, w, sizeof *w);
    for (int l = 0; l < N_LEVELS; l++)
        put_units(b, w, l);
    put_grids(b, w);
    put_communities(b, w);
    put(b, w->hh, (size_t)w->nhh * sizeof *w->hh);
    put(b, w->groups, (size_t)w->ngroups * sizeof *w->groups);
}

static void put_series(struct ckbuf *b, const struct series *s)
{
    size_t cells = (size_t)(s->nrows * s->ncols);
    put(b, &s->nrows, sizeof s->nrows);
    put(b, &s->ncols, sizeof s->ncols);
    put(b, &s->row, sizeof s->row);
    put(b, s->day, (size_t)s->nrows * sizeof *s->day);
    for (int f = 0; f < N_SERIES; f++)
        put(b, s->data[f], cells * sizeof *s->data[f]);
    put(b, s->last, (size_t)s->ncols * N_SERIES * sizeof *s->last);
    put(b, s->street, (size_t)s->ncols * sizeof *s->street);
}

int ckpt_save(const char *path, const struct param_set *ps, const struct world *w,
              const struct series *s, int64_t day, struct gs_error *err)
{
    struct ckbuf b = {0};
    put_header(&b, ps, day);
    put_world(&b, w);
    put_series(&b, s);
    put_u64(&b, digest_update(DIGEST_INIT, b.a, b.n));
    int rc = safeout_save(path, b.a, b.n, err);
    free(b.a);
    return rc;
}

/* ---- reading ---- */

static int read_whole(const char *path, struct ckpt_file *ck, struct gs_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return gs_error_set(err, "cannot open checkpoint %s: %s", path, strerror(errno));
    size_t cap = 1 << 16;
    ck->buf = gs_malloc(cap);
    ck->n = 0;
    size_t k;
    while ((k = fread(ck->buf + ck->n, 1, cap - ck->n, f)) > 0) {
        ck->n += k;
        if (ck->n == cap)
            ck->buf = gs_realloc(ck->buf, cap *= 2);
    }
    int failed = ferror(f);
    fclose(f);
    return failed ? gs_error_set(err, "cannot read checkpoint %s", path) : 0;
}

/* Magic, checksum, format version, build identity and layout, in that order. */
static int check_header(const char *path, struct ckread *r, struct gs_error *err)
{
    char magic[8];
    uint32_t format, len;
    get(r, magic, sizeof magic);
    if (r->bad || memcmp(magic, ckpt_magic, sizeof magic) != 0)
        return gs_error_set(err, "%s is not a govsim checkpoint", path);
    uint64_t sum;
    memcpy(&sum, r->a + r->n - sizeof sum, sizeof sum);
    if (r->n < 32 || digest_update(DIGEST_INIT, r->a, r->n - sizeof sum) != sum)
        return gs_error_set(err, "checkpoint %s is damaged (checksum mismatch): use an earlier "
                            "one or start the run again", path);
    r->n -= sizeof sum;
    get(r, &format, sizeof format);
    get(r, &len, sizeof len);
    if (format != CKPT_FORMAT)
        return gs_error_set(err, "checkpoint %s has format %u; this build reads format %d", path,
                            (unsigned)format, CKPT_FORMAT);
    char id[2048] = "";
    if (len >= sizeof id || len > r->n - r->pos)
        return gs_error_set(err, "checkpoint %s is damaged (identity of %u bytes)", path, (unsigned)len);
    get(r, id, len);
    if (strcmp(id, CKPT_IDENTITY) != 0 || get_u64(r) != layout_fingerprint())
        return gs_error_set(err, "checkpoint %s was written by another build of govsim (%s); this is "
                            "%s: restart it with that build, or run again (another build may round "
                            "differently)", path, id, CKPT_IDENTITY);
    return 0;
}

int ckpt_open(const char *path, struct ckpt_file *ck, struct gs_error *err)
{
    memset(ck, 0, sizeof *ck);
    if (read_whole(path, ck, err) != 0) {
        ckpt_close(ck);
        return -1;
    }
    struct ckread r = {ck->buf, ck->n, 0, 0};
    if (ck->n < sizeof ckpt_magic + sizeof(uint64_t))
        r.bad = 1;
    if (check_header(path, &r, err) != 0) {
        ckpt_close(ck);
        return -1;
    }
    ck->ps = param_set_new();
    get(&r, &ck->day, sizeof ck->day);
    get(&r, &ck->ps->p, sizeof ck->ps->p);
    get(&r, ck->ps->source, param_count * sizeof *ck->ps->source);
    get(&r, ck->ps->file, sizeof ck->ps->file);
    ck->state = r.pos;
    ck->n = r.n;
    if (r.bad || ck->day < 0 || ck->day > ck->ps->p.days) {
        ckpt_close(ck);
        return gs_error_set(err, "checkpoint %s is damaged (header)", path);
    }
    return 0;
}

void ckpt_close(struct ckpt_file *ck)
{
    free(ck->buf);
    param_set_free(ck->ps);
    memset(ck, 0, sizeof *ck);
}

/* ---- restoring ---- */

static void get_servers(struct ckread *r, struct world *w, struct unit *u)
{
    for (int k = 0; k < u->nservers; k++) {
        int32_t shift;
        get(r, &u->servers[k], sizeof u->servers[k]);
        get(r, &shift, sizeof shift);
        if (shift < 0 || shift >= 2 * N_LEVELS)
            r->bad = 1;
        u->servers[k].shift = &w->shift[0][0] + (r->bad ? 0 : shift);
    }
}

static void get_unit(struct ckread *r, struct world *w, int l, int64_t j)
{
    struct unit *u = &w->units[l][j];
    struct server *servers = u->servers;
    int nservers = u->nservers;
    srvindex_free(u);   /* derived from the servers: rebuilt on first use */
    reqheap_free(&u->queue);
    reqvec_free(&u->outbox);
    free(u->pend.a);
    get(r, u, sizeof *u);
    u->servers = servers;
    u->six = NULL;
    u->duty_shift[0] = u->duty_shift[1] = NULL;   /* pointers of the process that saved it */
    if (u->nservers != nservers) {
        r->bad = 1;
        u->nservers = nservers;
    }
    get_servers(r, w, u);
    GET_VEC(r, u->queue);
    GET_VEC(r, u->outbox);
    GET_VEC(r, u->pend);
    struct workload *k = &w->work[l][j];
    free(k->tasks);
    get(r, k, sizeof *k);
    k->tasks = get_vec(r, &k->ntasks, sizeof *k->tasks);
    k->cap = k->ntasks;
}

static void get_units(struct ckread *r, struct world *w, int l)
{
    for (int64_t j = 0; j < w->nunits[l] && !r->bad; j++)
        get_unit(r, w, l, j);
    get(r, w->wake[l], (size_t)w->nunits[l] * sizeof *w->wake[l]);
    get(r, w->passed_up[l], (size_t)w->nunits[l] * sizeof *w->passed_up[l]);
    get(r, w->task_wake[l], (size_t)w->nunits[l] * sizeof *w->task_wake[l]);
}

static void get_grid(struct ckread *r, struct grid_state *gs)
{
    free(gs->outcomes.a);
    free(gs->close_hours);
    free(gs->close_cat);
    free(gs->events.a);
    get(r, gs, sizeof *gs);
    GET_VEC(r, gs->outcomes);
    size_t n;
    gs->close_hours = get_vec(r, &gs->nclose, sizeof *gs->close_hours);
    gs->close_cat = get_vec(r, &n, sizeof *gs->close_cat);
    if (n != gs->nclose)
        r->bad = 1;
    gs->capclose = n < gs->nclose ? n : gs->nclose;
    GET_VEC(r, gs->events);
}

static void get_grids(struct ckread *r, struct world *w)
{
    for (int64_t g = 0; g < w->p->grids && !r->bad; g++)
        get_grid(r, &w->grids[g]);
    size_t ng = (size_t)w->p->grids;
    get(r, w->next_arrival, ng * sizeof *w->next_arrival);
    get(r, w->has_outcomes, ng * sizeof *w->has_outcomes);
    get(r, w->patrol_hazard, ng * sizeof *w->patrol_hazard);
}

static void get_communities(struct ckread *r, struct world *w)
{
    for (int64_t c = 0; c < w->nunits[LEVEL_COMMUNITY] && !r->bad; c++) {
        struct community_state *cs = &w->comm[c];
        free(cs->needs.a);
        free(cs->projects.a);
        get(r, cs, sizeof *cs);
        GET_VEC(r, cs->needs);
        GET_VEC(r, cs->projects);
    }
}

/* The world's record from the file, keeping the fresh world's pointers; its counts
 * must be those of the world the checkpoint's parameters build. */
static void get_world_record(struct ckread *r, struct world *w)
{
    struct world fresh = *w;
    get(r, w, sizeof *w);
    if (memcmp(w->nunits, fresh.nunits, sizeof w->nunits) != 0 || w->nhh != fresh.nhh ||
        w->ngroups != fresh.ngroups)
        r->bad = 1;
    memcpy(w->nunits, fresh.nunits, sizeof w->nunits);
    w->nhh = fresh.nhh;
    w->ngroups = fresh.ngroups;
    w->p = fresh.p;
    memcpy(w->units, fresh.units, sizeof w->units);
    memcpy(w->wake, fresh.wake, sizeof w->wake);
    memcpy(w->passed_up, fresh.passed_up, sizeof w->passed_up);
    memcpy(w->child_first, fresh.child_first, sizeof w->child_first);
    memcpy(w->work, fresh.work, sizeof w->work);
    memcpy(w->task_wake, fresh.task_wake, sizeof w->task_wake);
    w->grids = fresh.grids;
    w->comm = fresh.comm;
    w->hh = fresh.hh;
    w->groups = fresh.groups;
    w->next_arrival = fresh.next_arrival;
    w->has_outcomes = fresh.has_outcomes;
    w->patrol_hazard = fresh.patrol_hazard;
    w->category_table = fresh.category_table;
}

static void get_series(struct ckread *r, struct series *s)
{
    int64_t nrows, ncols;
    get(r, &nrows, sizeof nrows);
    get(r, &ncols, sizeof ncols);
    get(r, &s->row, sizeof s->row);
    if (nrows != s->nrows || ncols != s->ncols || s->row < 0 || s->row > nrows) {
        r->bad = 1;
        return;
    }
    size_t cells = (size_t)(s->nrows * s->ncols);
    get(r, s->day, (size_t)s->nrows * sizeof *s->day);
    for (int f = 0; f < N_SERIES; f++)
        get(r, s->data[f], cells * sizeof *s->data[f]);
    get(r, s->last, (size_t)s->ncols * N_SERIES * sizeof *s->last);
    get(r, s->street, (size_t)s->ncols * sizeof *s->street);
}

int ckpt_restore(const struct ckpt_file *ck, struct world *w, struct series *s, struct gs_error *err)
{
    struct ckread r = {ck->buf, ck->n, ck->state, 0};
    get_world_record(&r, w);
    for (int l = 0; l < N_LEVELS && !r.bad; l++)
        get_units(&r, w, l);
    if (!r.bad)
        get_grids(&r, w);
    if (!r.bad)
        get_communities(&r, w);
    get(&r, w->hh, (size_t)w->nhh * sizeof *w->hh);
    get(&r, w->groups, (size_t)w->ngroups * sizeof *w->groups);
    get_series(&r, s);
    if (r.bad || r.pos != r.n)
        return gs_error_set(err, "the checkpoint does not fit the world its parameters build "
                            "(damaged, or its community table changed)");
    return 0;
}
