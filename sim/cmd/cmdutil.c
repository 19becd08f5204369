/* cmdutil.c: the command-line plumbing every command shares (see cmdutil.h). */
#include "cmdutil.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "sched.h"
#include "suggest.h"

int cli_bad_usage(const char *usage, const char *fmt, const char *arg)
{
    fprintf(stderr, "govsim: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n\n%s", usage);
    return EXIT_BAD_INPUT;
}

int cli_other_option(int c, const char *usage, const char *arg)
{
    if (c == 'h') {
        fputs(usage, stdout);
        return EXIT_OK;
    }
    return cli_bad_usage(usage, c == ':' ? "option '%s' needs a value" : "unknown option '%s'", arg);
}

int cli_parse_threads(const char *text, const char *usage, int *threads)
{
    char *end;
    long long n = strtoll(text, &end, 10);
    if (end == text || *end || n < 1 || n > 4096)
        return cli_bad_usage(usage, "--threads expects a whole number from 1 to 4096, got '%s'", text);
    *threads = (int)n;
    return -1;
}

static void on_signal(int sig)
{
    sim_stop_requested = sig;
}

void cli_catch_signals(void)
{
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
}

int cli_stop_status(int otherwise)
{
    return sim_stop_requested ? 128 + (int)sim_stop_requested : otherwise;
}

void cli_join_args(int argc, char **argv, char *buf, size_t n)
{
    buf[0] = '\0';
    for (int i = 0; i < argc; i++) {
        strncat(buf, argv[i], n - strlen(buf) - 1);
        if (i + 1 < argc)
            strncat(buf, " ", n - strlen(buf) - 1);
    }
}

void cli_start_time(char *buf, size_t n)
{
    time_t now = time(NULL);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
}

void cli_add_set(char ***sets, int *nsets, const char *prefix, const char *value)
{
    *sets = gs_realloc(*sets, (size_t)(*nsets + 1) * sizeof **sets);
    size_t n = strlen(prefix) + strlen(value) + 1;
    (*sets)[*nsets] = gs_malloc(n);
    snprintf((*sets)[(*nsets)++], n, "%s%s", prefix, value);
}

int cli_check_set(const char *value, const char *next, const char *usage)
{
    if (strchr(value, '='))
        return -1;
    if (next && *next && *next != '-')
        fprintf(stderr, "govsim: --set '%s': expected KEY=VALUE (did you mean --set %s=%s?)\n\n%s",
                value, value, next, usage);
    else
        fprintf(stderr, "govsim: --set '%s': expected KEY=VALUE\n\n%s", value, usage);
    return EXIT_BAD_INPUT;
}

int cli_set_option(char ***sets, int *nsets, const char *value, const char *next, const char *usage)
{
    int rc = cli_check_set(value, next, usage);
    if (rc < 0)
        cli_add_set(sets, nsets, "", value);
    return rc;
}

void cli_free_sets(char **sets, int nsets)
{
    for (int i = 0; i < nsets; i++)
        free(sets[i]);
    free(sets);
}

struct param_set *cli_resolve_params(const char *scenario, char *const *sets, int nsets)
{
    struct param_set *ps = param_set_new();
    struct gs_error err;
    int rc = 0;
    if (scenario)
        rc = param_load_yaml(ps, scenario, &err);
    for (int i = 0; rc == 0 && i < nsets; i++)
        rc = param_apply_assignment(ps, sets[i], &err);
    if (rc == 0)
        rc = param_check(ps, &err);
    if (rc != 0) {
        struct stat st;
        char near[1600];
        if (scenario && stat(scenario, &st) != 0 && errno == ENOENT && suggest_files(scenario, near, sizeof near))
            fprintf(stderr, "govsim: %s (did you mean %s?)\n", err.msg, near);
        else
            fprintf(stderr, "govsim: %s\n", err.msg);
        param_set_free(ps);
        return NULL;
    }
    return ps;
}

/* --checkpoint-every DAYS, --checkpoint FILE, --restart FILE (run only). */
static int checkpoint_option(int c, const char *value, const char *usage, struct run_opts *o)
{
    if (!o->checkpoints)
        return cli_other_option('?', usage, c == 'C' ? "--checkpoint" : c == 'R' ? "--restart"
                                                                         : "--checkpoint-every");
    if (c == 'C')
        o->checkpoint = value;
    else if (c == 'R')
        o->restart = value;
    else {
        char *end;
        errno = 0;
        o->checkpoint_every = strtoll(value, &end, 10);
        if (end == value || *end || errno || o->checkpoint_every < 1)
            return cli_bad_usage(usage, "--checkpoint-every expects a whole number of days >= 1, "
                                 "got '%s'", value);
    }
    return -1;
}

int cli_parse_run_opts(int argc, char **argv, const char *usage, struct run_opts *o)
{
    static const struct option longopts[] = {
        {"output", required_argument, 0, 'o'}, {"seed", required_argument, 0, 'S'},
        {"days", required_argument, 0, 'D'},   {"set", required_argument, 0, 's'},
        {"threads", required_argument, 0, 't'}, {"quiet", no_argument, 0, 'q'},
        {"markdown", no_argument, 0, 'm'},      {"help", no_argument, 0, 'h'},
        {"timing", no_argument, 0, 'T'},       {"json", no_argument, 0, 'J'},
        {"scenario", required_argument, 0, 'F'}, {"ranges", no_argument, 0, 'g'},
        {"checkpoint-every", required_argument, 0, 'E'}, {"checkpoint", required_argument, 0, 'C'},
        {"restart", required_argument, 0, 'R'},
        {0, 0, 0, 0}};
    int c, rc = -1;
    optind = 1;
    opterr = 0;
    while (rc < 0 && (c = getopt_long(argc, argv, ":o:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': o->output = optarg; break;
        case 'S': cli_add_set(&o->sets, &o->nsets, "run.seed=", optarg); break;
        case 'D': cli_add_set(&o->sets, &o->nsets, "time.days=", optarg); break;
        case 's': rc = cli_set_option(&o->sets, &o->nsets, optarg, argv[optind], usage); break;
        case 'F':
            if (o->scenario)
                return cli_bad_usage(usage, "one scenario file at most ('%s' is the second)", optarg);
            o->scenario = optarg;
            break;
        case 'q': o->quiet = 1; break;
        case 'J': o->json = 1; break;
        case 'm': o->markdown = 1; break;
        case 'g': o->ranges = 1; break;
        case 'T': o->timing = 1; break;
        case 't': rc = cli_parse_threads(optarg, usage, &o->threads); break;
        case 'E': case 'C': case 'R': rc = checkpoint_option(c, optarg, usage, o); break;
        default: return cli_other_option(c, usage, argv[optind - 1]);
        }
    }
    if (rc >= 0)
        return rc;
    for (; optind < argc; optind++) {
        const char *arg = argv[optind];
        if (o->patterns && !suggest_is_yaml(arg) && !o->pattern)
            o->pattern = arg;
        else if (o->scenario || (o->patterns && !suggest_is_yaml(arg)))
            return cli_bad_usage(usage, o->patterns ? "unexpected argument '%s' (one scenario file "
                                 "and one pattern at most)" : "unexpected argument '%s' (one "
                                 "scenario file at most)", arg);
        else
            o->scenario = arg;
    }
    return -1;
}

void cli_free_run_opts(struct run_opts *o)
{
    cli_free_sets(o->sets, o->nsets);
}

void cli_json_string(FILE *f, const char *t)
{
    fputc('"', f);
    for (; *t; t++) {
        unsigned char c = (unsigned char)*t;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}
