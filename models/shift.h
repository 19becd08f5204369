/* shift.h: when staff are on duty. A shift runs from start_hour for `hours` on
 * the first `work_days` days of each week (day 0 of a run is a Monday, the first
 * of January), except on public holidays when the staff have no holiday duty. */
#ifndef GOVSIM_SHIFT_H
#define GOVSIM_SHIFT_H

struct shift {
    double start;  /* hour of day */
    double len;    /* hours on duty each working day */
    int days;      /* working days per week from Monday */
    int off_on_holidays; /* not on duty on public holidays */
};

/* 1 if day d of the run (0 = 1 January) is a statutory public holiday. */
int shift_is_holiday(double day);
/* Earliest time >= t at which staff are on duty; INFINITY if never. */
double shift_next_on_duty(const struct shift *s, double t);
/* Hours on duty within [t0, t1). A shift ends at midnight at the latest (as
 * shift_next_on_duty treats it). */
double shift_duty_hours(const struct shift *s, double t0, double t1);
/* shift_duty_hours for many servers over the same window: a unit's servers share
 * at most two shifts, so a loop over them computes each shift's hours once. Start
 * a loop with a zeroed memo. */
struct duty_memo {
    const struct shift *s[2];
    double t0[2], t1[2], h[2];
};
double shift_duty_hours_memo(struct duty_memo *m, const struct shift *s, double t0, double t1);
/* The time at which `h` hours on duty have passed from t (work pauses off duty):
 * work of h hours begun at t ends then. INFINITY if never. */
double shift_add_duty(const struct shift *s, double t, double h);

#endif
