/* conservation.h: every request that entered a level resolved, abandoned, closed unsolved, passed up
 * or still open there; used by the C tests that run the model. Include after check.h. */
#ifndef GOVSIM_CONSERVATION_H
#define GOVSIM_CONSERVATION_H

#include "summary.h"

static void check_conservation(const char *label, const struct summary *s)
{
    for (int l = 0; l < N_LEVELS; l++) {
        double in = s->level[L_ENTERED][l];
        double out = s->level[L_RESOLVED][l] + s->level[L_ABANDONED][l] + s->level[L_UNSOLVED][l] +
                     s->level[L_ESCALATED][l] + s->level[L_OPEN][l];
        CHECK(in == out, "%s level %d: entered %g != resolved+abandoned+unsolved+escalated+open %g", label,
              l, in, out);
        if (l > 0)
            CHECK(s->level[L_ENTERED][l] == s->level[L_ESCALATED][l - 1],
                  "%s: level %d entered %g, level below passed up %g", label, l,
                  s->level[L_ENTERED][l], s->level[L_ESCALATED][l - 1]);
    }
    CHECK(s->v[S_ARISEN] == s->v[S_RESOLVED] + s->v[S_ABANDONED] + s->v[S_UNSOLVED] + s->v[S_BACKLOG] +
                                s->v[S_UNKNOWN],
          "%s: arisen != resolved + abandoned + closed unsolved + open", label);
    CHECK(s->v[S_ARISEN] > 0, "%s: nothing arose", label);
}

#endif
