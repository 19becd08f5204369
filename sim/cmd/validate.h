/* validate.h: `govsim validate` — the simulator against queueing theory. */
#ifndef GOVSIM_VALIDATE_H
#define GOVSIM_VALIDATE_H

#include "param.h"

/* Switches every mechanism of the model off, leaving one street, one community and
 * one grid whose requests arrive as a Poisson process, are known on arrival, and
 * are served first come first served by staff on duty round the clock with
 * exponential service times; nothing is escalated and nobody abandons. Every
 * degenerate configuration of `govsim validate` starts from this. New mechanisms
 * must be switched off here too. Returns 0, or -1 with a message. */
int validate_base(struct param_set *ps, struct gs_error *err);

#endif
