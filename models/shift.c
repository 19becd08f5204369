#include "shift.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>

/* The 11 statutory public holidays as fixed days of a 365-day year (0 = 1 January):
 * New Year, Spring Festival (3 days, placed in mid-February), Qingming, Labour Day,
 * Dragon Boat, Mid-Autumn, National Day (3 days). Lunar holidays move from year to
 * year; these are typical dates. */
static const int holidays[] = {0, 40, 41, 42, 93, 120, 160, 259, 273, 274, 275};

int shift_is_holiday(double day)
{
    int d = (int)fmod(day, 365.0);
    for (size_t i = 0; i < sizeof holidays / sizeof holidays[0]; i++)
        if (holidays[i] == d)
            return 1;
    return 0;
}

/* day: a whole number of days since the start (hour 0 is a Monday). */
static int works_on(const struct shift *s, double day)
{
    return (int64_t)day % 7 < s->days && !(s->off_on_holidays && shift_is_holiday(day));
}

double shift_next_on_duty(const struct shift *s, double t)
{
    if (s->days <= 0 || s->len <= 0)
        return INFINITY;
    if (s->len >= 24 && s->days >= 7 && !s->off_on_holidays)
        return t;
    double day = floor(t / 24.0);
    double h = t - 24.0 * day;
    for (int k = 0; k < 22; k++, day += 1.0, h = 0.0) {   /* 3 weeks covers any holiday run */
        if (!works_on(s, day))
            continue;
        if (h < s->start)
            return 24.0 * day + s->start;
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
        if (!works_on(s, day))
            continue;
        double a = fmax(24.0 * day + s->start, t0);
        double b = fmin(24.0 * day + s->start + s->len, t1);
        if (b > a)
            total += b - a;
    }
    return total;
}
