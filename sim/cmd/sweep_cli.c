/* sweep_cli.c: `govsim sweep FILE -o OUT.h5 [--threads N] [--resume] [--quiet]`: the
 * command line. The sweep runs in this process (sweep.c) or, under an MPI launcher
 * when built with GOVSIM_MPI, over ranks (sweep_mpi.c). */
#include <getopt.h>
#include <stdio.h>

#include "cmdutil.h"
#include "commands.h"
#include "sweep.h"

static const char *usage_sweep =
    "Usage: govsim sweep SWEEP.yaml -o OUT.h5 [--threads N] [--resume] [--quiet]\n"
    "\n"
    "Runs every design point of a sweep file (docs/sweeps.md) times its replicates\n"
    "and writes one HDF5 file (layout in docs/sweeps.md). Each run is written and\n"
    "flushed as it finishes; after an interruption (even kill -9), --resume runs\n"
    "only the runs missing from OUT.h5. Results do not depend on --threads or on\n"
    "the number of MPI ranks (mpirun -np N govsim sweep ...).\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE   HDF5 file to write (required)\n"
    "      --threads N     runs at once (default: OMP_NUM_THREADS or all cores)\n"
    "      --resume        continue OUT.h5 if it exists (it must be this sweep's)\n"
    "  -q, --quiet         no progress line\n"
    "  -h, --help          this text\n";

/* Returns -1 to go on, else an exit status. */
static int parse_sweep_opts(int argc, char **argv, struct sweep_opts *o)
{
    static const struct option longopts[] = {
        {"output", required_argument, 0, 'o'}, {"threads", required_argument, 0, 't'},
        {"resume", no_argument, 0, 'r'},       {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
    int c, rc = -1;
    optind = 1;
    opterr = 0;
    while (rc < 0 && (c = getopt_long(argc, argv, ":o:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': o->output = optarg; break;
        case 'r': o->resume = 1; break;
        case 'q': o->quiet = 1; break;
        case 't': rc = cli_parse_threads(optarg, usage_sweep, &o->threads); break;
        default: return cli_other_option(c, usage_sweep, argv[optind - 1]);
        }
    }
    if (rc >= 0)
        return rc;
    if (argc - optind != 1)
        return cli_bad_usage(usage_sweep, "%s", "expected one sweep file");
    o->file = argv[optind];
    if (!o->output)
        return cli_bad_usage(usage_sweep, "%s", "-o OUT.h5 is required");
    cli_join_args(argc, argv, o->cmdline, sizeof o->cmdline);
    return -1;
}

int cmd_sweep(int argc, char **argv)
{
    struct sweep_opts o = {0};
    int rc = parse_sweep_opts(argc, argv, &o);
    if (rc >= 0)
        return rc;
#ifdef GOVSIM_HAVE_MPI
    if (sweep_mpi_launched())
        return sweep_mpi_main(&o);
#endif
    return sweep_serial(&o);
}
