#include "shift.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>

/* The 11 statutory public holidays as fixed days of a 365-day year (0 = 1 January):
 * New Year, Spring Festival (3 days, placed in mid-February), Qingming, Labour Day,
 * Dragon Boat, Mid-Autumn, National Day (3 days). Lunar holidays move from year to
 * year; these are typical dates. A table of the year's days, so the test is one load. */
static const uint8_t holiday_of_year[365] = {[0] = 1,   [40] = 1,  [41] = 1,  [42] = 1,
                                             [93] = 1,  [120] = 1, [160] = 1, [259] = 1,
                                             [273] = 1, [274] = 1, [275] = 1};

static int holiday_of_run_day(int64_t d)   /* d >= 0 */
{
    return holiday_of_year[d % 365];
}

int shift_is_holiday(double day)
{
    return day >= 0 && day < 0x1p62 && holiday_of_run_day((int64_t)day);
}

/* d: days since the start (day 0 is a Monday), d >= 0. */
static int works_on(const struct shift *s, int64_t d)
{
    return d % 7 < s->days && !(s->off_on_holidays && holiday_of_run_day(d));
}

/* Times of a run are finite and non-negative; anything else has no next duty hour
 * this code could compute, and the search below needs a whole day index. */
#define SHIFT_T_MAX 0x1p52

double shift_next_on_duty(const struct shift *s, double t)
{
    if (s->days <= 0 || s->len <= 0)
        return INFINITY;
    if (s->len >= 24 && s->days >= 7 && !s->off_on_holidays)
        return t;
    if (!(t >= 0 && t < SHIFT_T_MAX))
        return t < 0 ? shift_next_on_duty(s, 0.0) : INFINITY;
    int64_t d = (int64_t)(t / 24.0);   /* floor, as t >= 0 */
    double h = t - 24.0 * (double)d;
    for (int k = 0; k < 22; k++, d++, h = 0.0) {   /* 3 weeks covers any holiday run */
        if (!works_on(s, d))
            continue;
        if (h < s->start)
            return 24.0 * (double)d + s->start;
        if (h < s->start + s->len)
            return t;
    }
    return INFINITY;
}

double shift_duty_hours(const struct shift *s, double t0, double t1)
{
    if (s->days <= 0 || s->len <= 0 || t1 <= t0)
        return 0.0;
    double total = 0.0;
    for (double day = floor(t0 / 24.0); 24.0 * day < t1; day += 1.0) {
        if (day < 0 || day >= SHIFT_T_MAX || !works_on(s, (int64_t)day))
            continue;
        double a = fmax(24.0 * day + s->start, t0);
        double b = fmin(24.0 * day + fmin(24.0, s->start + s->len), t1);
        if (b > a)
            total += b - a;
    }
    return total;
}

double shift_duty_hours_memo(struct duty_memo *m, const struct shift *s, double t0, double t1)
{
    for (int i = 0; i < 2; i++)
        if (m->s[i] == s && m->t0[i] == t0 && m->t1[i] == t1)
            return m->h[i];
    double h = shift_duty_hours(s, t0, t1);
    int i = m->s[0] != NULL;   /* the first two kinds are kept */
    if (m->s[i] == NULL) {
        m->s[i] = s;
        m->t0[i] = t0;
        m->t1[i] = t1;
        m->h[i] = h;
    }
    return h;
}

double shift_add_duty(const struct shift *s, double t, double h)
{
    if (!(h > 0))
        return t;
    if (s->len >= 24 && s->days >= 7 && !s->off_on_holidays)
        return t + h;
    for (int k = 0; k < 100000; k++) {   /* a day's duty per pass */
        t = shift_next_on_duty(s, t);
        if (!isfinite(t))
            return INFINITY;
        double day = floor(t / 24.0);
        double end = 24.0 * day + fmin(24.0, s->start + s->len);
        if (t + h <= end)
            return t + h;
        h -= end - t;
        t = end;
    }
    return INFINITY;
}
