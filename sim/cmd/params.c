/* params.c: `govsim params [SCENARIO.yaml] [--set KEY=VALUE]... [--markdown]`: every
 * parameter with its value, unit and range (or the reference table in Markdown). */
#include <stdio.h>

#include "cmdutil.h"
#include "commands.h"

static const char *usage_params =
    "Usage: govsim params [SCENARIO.yaml] [--set KEY=VALUE]... [--markdown]\n"
    "\n"
    "Prints every parameter: name, type, value, allowed range, unit and meaning.\n"
    "With a scenario file or --set, shows the resolved values; --markdown prints the\n"
    "reference table of defaults kept in docs/parameters.md.\n";

int cmd_params(int argc, char **argv)
{
    struct run_opts o = {0};
    int rc = cli_parse_run_opts(argc, argv, usage_params, &o);
    if (rc < 0) {
        if (o.markdown && (o.scenario || o.nsets)) {
            rc = cli_bad_usage(usage_params, "%s", "--markdown prints the defaults; drop the scenario and --set");
        } else if (o.markdown) {
            param_print_markdown(stdout);
            rc = EXIT_OK;
        } else {
            struct param_set *ps = cli_resolve_params(o.scenario, o.sets, o.nsets);
            if (ps)
                param_print_table(stdout, &ps->p);
            rc = ps ? EXIT_OK : EXIT_BAD_INPUT;
            param_set_free(ps);
        }
    }
    cli_free_run_opts(&o);
    return rc;
}
