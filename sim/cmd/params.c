/* params.c: `govsim params [PATTERN] [SCENARIO.yaml] [--set KEY=VALUE]... [--markdown]`:
 * the parameters with their values, units and ranges, all or those matching a pattern
 * (or the reference table in Markdown). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmdutil.h"
#include "commands.h"
#include "suggest.h"

static const char *usage_params =
    "Usage: govsim params [PATTERN] [SCENARIO.yaml] [--scenario FILE] [--set KEY=VALUE]...\n"
    "       govsim params --ranges [PATTERN] [SCENARIO.yaml] [--set KEY=VALUE]...\n"
    "       govsim params --markdown\n"
    "\n"
    "Prints the parameters: name, type, value, allowed range, unit and meaning.\n"
    "PATTERN keeps those whose name or meaning contains it, ignoring case\n"
    "('govsim params grid.work', 'govsim params patience'); when none does, near names\n"
    "are suggested and the exit status is 2. An argument ending in .yaml or .yml is a\n"
    "scenario file (any other name with --scenario FILE): with a scenario file or --set,\n"
    "the values shown are the resolved ones. PLAUSIBLE is the plausible range of an\n"
    "assumed value, or where the value comes from (report, structural). --ranges prints\n"
    "the same as a tab-separated table (name, type, origin, value, min, max,\n"
    "plausible_lo, plausible_hi, basis) for scripts. --markdown prints the reference\n"
    "table of defaults kept in docs/parameters.md.\n";

/* Nonzero when `needle` occurs in `hay`, ignoring case. */
static int contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        size_t k = 0;
        while (k < n && hay[k] && tolower((unsigned char)hay[k]) == tolower((unsigned char)needle[k]))
            k++;
        if (k == n)
            return 1;
    }
    return n == 0;
}

enum { MAX_NEAR = 5 };

/* "no parameter matches" with the parameter names nearest the pattern. */
static void no_match(const char *pattern)
{
    size_t limit = strlen(pattern) / 4 > 1 ? strlen(pattern) / 4 : 1;
    const struct param_def *near[MAX_NEAR];
    size_t dist[MAX_NEAR];
    int nn = 0;
    for (size_t i = 0; i < param_count; i++) {
        size_t d = suggest_part_distance(pattern, param_table[i].name);
        if (d > limit)
            continue;
        int at = nn;
        while (at > 0 && dist[at - 1] > d)
            at--;
        if (at >= MAX_NEAR)
            continue;
        int last = nn < MAX_NEAR ? nn++ : MAX_NEAR - 1;
        memmove(&near[at + 1], &near[at], (size_t)(last - at) * sizeof *near);
        memmove(&dist[at + 1], &dist[at], (size_t)(last - at) * sizeof *dist);
        near[at] = &param_table[i];
        dist[at] = d;
    }
    fprintf(stderr, "govsim: no parameter has '%s' in its name or meaning", pattern);
    for (int k = 0; k < nn; k++)
        fprintf(stderr, "%s%s", k == 0 ? " (did you mean " : k == nn - 1 ? " or " : ", ", near[k]->name);
    fprintf(stderr, "%s\n", nn ? "?)" : "");
    struct stat st;
    if (stat(pattern, &st) == 0 && S_ISREG(st.st_mode))
        fprintf(stderr, "govsim: to read the file '%s' as a scenario, use --scenario %s\n", pattern,
                pattern);
}

static int print_params(const struct run_opts *o)
{
    struct param_set *ps = cli_resolve_params(o->scenario, o->sets, o->nsets);
    if (!ps)
        return EXIT_BAD_INPUT;
    unsigned char *keep = NULL;
    int rc = EXIT_OK;
    if (o->pattern) {
        size_t found = 0;
        keep = gs_calloc(param_count, 1);
        for (size_t i = 0; i < param_count; i++)
            found += keep[i] = contains(param_table[i].name, o->pattern) ||
                               contains(param_table[i].meaning, o->pattern);
        if (!found) {
            no_match(o->pattern);
            rc = EXIT_BAD_INPUT;
        }
    }
    if (rc == EXIT_OK && o->ranges)
        param_print_ranges(stdout, &ps->p, keep);
    else if (rc == EXIT_OK)
        param_print_table(stdout, &ps->p, keep);
    free(keep);
    param_set_free(ps);
    return rc;
}

int cmd_params(int argc, char **argv)
{
    struct run_opts o = {.patterns = 1};
    int rc = cli_parse_run_opts(argc, argv, usage_params, &o);
    if (rc < 0) {
        if (o.markdown && o.ranges)
            rc = cli_bad_usage(usage_params, "%s", "--markdown and --ranges are two different tables; give one");
        else if (o.markdown && (o.scenario || o.nsets || o.pattern))
            rc = cli_bad_usage(usage_params, "%s",
                               "--markdown prints all the defaults; drop the pattern, scenario and --set");
        else if (o.markdown) {
            param_print_markdown(stdout);
            rc = EXIT_OK;
        } else {
            rc = print_params(&o);
        }
    }
    cli_free_run_opts(&o);
    return rc;
}
