/* main.c: the govsim executable is a thin main over the engine library. */
#include "cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
