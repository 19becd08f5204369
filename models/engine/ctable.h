/* ctable.h: a world of unlike communities read from a table (CSV), one row per
 * community, named by the parameter world.community_table.
 *
 * Columns (a header line names them, in any order; '#' starts a comment line):
 *   community        identifier (text, unique)                         required
 *   street           street number, 1..world.streets; rows in street order  required
 *   grids            grids in the community, >= 1                       required
 *   households       households in the community, >= grids              required
 *   kind             old_neighbourhood | commodity_housing | resettlement   optional
 *   share_resettled, share_migrant, share_elderly, share_party   [0,1]   optional
 * An empty cell or a missing optional column takes the world-wide default
 * (household.share_*). Every message names the file, the line and the column. */
#ifndef GOVSIM_CTABLE_H
#define GOVSIM_CTABLE_H

#include <stdint.h>

#include "error.h"
#include "param.h"

enum community_kind { KIND_UNSPECIFIED, KIND_OLD, KIND_COMMODITY, KIND_RESETTLEMENT, N_KINDS };
extern const char *const community_kind_names[N_KINDS];

/* Composition shares of a community, in this order. */
enum { SH_RESETTLED, SH_MIGRANT, SH_ELDERLY, SH_PARTY, N_SHARES };

struct community_row {
    char id[64];
    int64_t street;          /* 0-based */
    int64_t grids, households;
    double share[N_SHARES];
    uint8_t kind;            /* enum community_kind */
};

struct community_table {
    struct community_row *rows;
    int64_t n;
};

/* Reads and checks p->community_table against p (world.streets, world.communities,
 * world.grids). Returns 0, or -1 with the message in err. */
int ctable_load(const struct params *p, struct community_table *t, struct gs_error *err);
void ctable_free(struct community_table *t);

#endif
