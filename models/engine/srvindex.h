/* srvindex.h: which server of a large pooled unit can start a request soonest,
 * without a scan of every server.
 *
 * earliest_start (service.c) picks, among a pool's servers, the least
 * (t, free_at, index), where t = ready if ready >= from, else the first duty hour of
 * the server's shift from `from` (the same for every server of that shift). For a
 * unit of hundreds of posts (the district at city scale: 720) a scan per job was an
 * eighth of the run. The index keeps, per shift, the servers with ready >= from in a
 * heap by (ready, free_at, index) and those with ready < from in a heap by (free_at,
 * index): for the latter t is the same, so the best of each shift is one of the two
 * heaps' tops, and the answer is the least of at most four candidates, exactly the
 * server the scan picks. `from` only grows for a unit (its queue's head entered no
 * earlier, the step no earlier); if it ever goes back the index is rebuilt. Entries are
 * dropped lazily: a server whose ready or free_at changes gets a new entry, and the old
 * one is known stale by its version when it reaches a top. The index is derived state:
 * built on first use, dropped on restart (checkpoint) and rebuilt. */
#ifndef GOVSIM_SRVINDEX_H
#define GOVSIM_SRVINDEX_H

#include "world.h"

/* Pools at least this large use the index (smaller ones are scanned: as fast). */
enum { SRVINDEX_MIN_SERVERS = 32 };

/* The server of unit u (pooled: npools == 1) that can start soonest from `from`,
 * and *start its start; NULL if the unit has no servers. */
struct server *srvindex_earliest(struct unit *u, double from, double *start);

#endif
