/* shift.h: when staff are on duty. A shift runs from start_hour for `hours` on
 * the first `work_days` days of each week (day 0 of a run is a Monday). */
#ifndef GOVSIM_SHIFT_H
#define GOVSIM_SHIFT_H

struct shift {
    double start;  /* hour of day */
    double len;    /* hours on duty each working day */
    int days;      /* working days per week from Monday */
};

/* Earliest time >= t at which staff are on duty; INFINITY if never. */
double shift_next_on_duty(const struct shift *s, double t);
/* Hours on duty within [t0, t1). */
double shift_duty_hours(const struct shift *s, double t0, double t1);

#endif
