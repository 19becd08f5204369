#!/usr/bin/env python3
"""Street and district caseworkers at the Changchun scale of the benchmark
(docs/performance.md, Session 7).

    build/govsim sweep params/sweeps/changchun_upper_staff.yaml -o upper.h5
    /usr/bin/python3 scripts/upper_staff_table.py upper.h5

Reads the sweep file (docs/sweeps.md) and prints a Markdown table, one row per
(street, district) caseworkers: utilisation by level, the share of requests entering
the district that are abandoned there, on-time resolution (mean over the replicates,
common random numbers, ± standard error), median days to close, share closed within
7 days, share solved in the grid, satisfaction, trust and staff cost.
"""
import sys

import h5py
import numpy as np


def main(path):
    with h5py.File(path, "r") as f:
        done = f["results/done"][()] == 1
        street = f["design/street.caseworkers"][()][done]
        district = f["design/district.caseworkers"][()][done]
        r = {k: f["results"][k][()][done] for k in (
            "resolution_rate_on_time", "time_to_close_median", "closed_within_7_days_share",
            "share_resolved_grid", "satisfaction_mean", "trust_mean", "cost_staff_total")}
        lv = f["results/levels"]
        util = lv["utilisation"][()][done]
        abandon = lv["abandoned"][()][done, 3] / lv["entered"][()][done, 3]
    print("| street | district | utilisation grid/community/street/district | abandoned at the district "
          "(of entered) | on time % | median days to close | closed ≤ 7 d % | solved in grid % "
          "| satisfaction | trust | staff cost (M yuan) |")
    print("|" + "---|" * 11)
    for s in sorted(set(street)):
        for d in sorted(set(district)):
            m = (street == s) & (district == d)
            if not m.any():
                continue
            u = util[m].mean(0)
            on = 100 * r["resolution_rate_on_time"][m]
            se = on.std(ddof=1) / np.sqrt(m.sum()) if m.sum() > 1 else float("nan")
            print(f"| {s} | {d} | {u[0]:.2f}/{u[1]:.2f}/{u[2]:.2f}/{u[3]:.2f} "
                  f"| {100 * abandon[m].mean():.1f}% | {on.mean():.1f} ± {se:.2f} "
                  f"| {r['time_to_close_median'][m].mean() / 24:.2f} "
                  f"| {100 * r['closed_within_7_days_share'][m].mean():.1f} "
                  f"| {100 * r['share_resolved_grid'][m].mean():.1f} "
                  f"| {r['satisfaction_mean'][m].mean():.4f} | {r['trust_mean'][m].mean():.4f} "
                  f"| {r['cost_staff_total'][m].mean() / 1e6:.0f} |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
