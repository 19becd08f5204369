/* commands.h: the govsim commands. Each takes the arguments from its own name on
 * (argv[0] is "run", "sweep", ...) and returns the exit status. main.c's command
 * table maps names to them and holds their one-line help. */
#ifndef GOVSIM_COMMANDS_H
#define GOVSIM_COMMANDS_H

int cmd_run(int argc, char **argv);        /* run.c */
int cmd_params(int argc, char **argv);     /* params.c */
int cmd_diff(int argc, char **argv);       /* diff_cli.c (the comparison itself: diff.c) */
int cmd_validate(int argc, char **argv);   /* validate.c */
int cmd_calibrate(int argc, char **argv);  /* calibrate_cli.c */
int cmd_compare(int argc, char **argv);    /* compare.c */
int cmd_sweep(int argc, char **argv);      /* sweep_cli.c */
int cmd_export(int argc, char **argv);     /* export.c */

#endif
