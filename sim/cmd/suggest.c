/* suggest.c: near names for "did you mean" messages (see suggest.h). */
#include "suggest.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "error.h"

/* One row of the edit-distance table at a time. With `part`, the pattern may start
 * anywhere in text (the first row is all zeros) and end anywhere (the least of the
 * last row): the distance from pattern to the nearest part of text. */
static size_t distance(const char *a, const char *b, int part)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t *row = gs_malloc((lb + 1) * sizeof *row);
    for (size_t j = 0; j <= lb; j++)
        row[j] = part ? 0 : j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    size_t d = row[lb];
    if (part)
        for (size_t j = 0; j <= lb; j++)
            if (row[j] < d)
                d = row[j];
    free(row);
    return d;
}

size_t suggest_distance(const char *a, const char *b)
{
    return distance(a, b, 0);
}

size_t suggest_part_distance(const char *pattern, const char *text)
{
    return distance(pattern, text, 1);
}

int suggest_is_yaml(const char *path)
{
    size_t n = strlen(path);
    return (n > 5 && !strcasecmp(path + n - 5, ".yaml")) || (n > 4 && !strcasecmp(path + n - 4, ".yml"));
}

enum { MAX_SUGGEST = 3 };

struct near {
    char path[512];
    size_t d;
};

/* Adds the scenario files of folder `dir` near `base` to the best list. */
static void scan(const char *dir, const char *shown, const char *base, size_t limit,
                 struct near *best, int *nbest)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    for (struct dirent *e; (e = readdir(d));) {
        if (!suggest_is_yaml(e->d_name))
            continue;
        size_t dist = suggest_distance(base, e->d_name);
        char path[512];
        struct stat st;
        snprintf(path, sizeof path, "%s%s", shown, e->d_name);
        if (dist > limit || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        int dup = 0;
        for (int k = 0; k < *nbest; k++)
            dup |= !strcmp(best[k].path, path);
        if (dup)
            continue;
        /* insert in order of distance, then name; keep the best MAX_SUGGEST */
        int at = *nbest;
        while (at > 0 && (best[at - 1].d > dist ||
                          (best[at - 1].d == dist && strcmp(best[at - 1].path, path) > 0)))
            at--;
        if (at >= MAX_SUGGEST)
            continue;
        int last = *nbest < MAX_SUGGEST ? (*nbest)++ : MAX_SUGGEST - 1;
        memmove(&best[at + 1], &best[at], (size_t)(last - at) * sizeof *best);
        snprintf(best[at].path, sizeof best[at].path, "%s", path);
        best[at].d = dist;
    }
    closedir(d);
}

int suggest_files(const char *path, char *buf, size_t n)
{
    char dir[512];
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path + 1) : 0, path);   /* "" or ".../" */
    size_t limit = strlen(base) / 4 > 2 ? strlen(base) / 4 : 2;
    struct near best[MAX_SUGGEST + 1];
    int nbest = 0;
    buf[0] = '\0';
    if (!*base)
        return 0;
    scan(*dir ? dir : ".", dir, base, limit, best, &nbest);
    if (strcmp(dir, "params/") != 0 && strcmp(dir, "./params/") != 0)
        scan("params", "params/", base, limit, best, &nbest);
    size_t used = 0;
    for (int k = 0; k < nbest && used < n; k++)
        used += (size_t)snprintf(buf + used, n - used, "%s%s", k ? " or " : "", best[k].path);
    return nbest;
}
