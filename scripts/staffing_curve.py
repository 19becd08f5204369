#!/usr/bin/env python3
"""The staffing lever curve of Yuzhou before the reform (docs/scenarios.md).

    build/govsim sweep params/sweeps/yuzhou_staffing.yaml -o staffing.h5
    python3 scripts/staffing_curve.py staffing.h5 docs/staffing-curve.png

Reads the sweep file (docs/sweeps.md) and plots, against community staff per
community, one line per number of grid workers per grid: on-time resolution, and
the share of community staff hours taken by top-down tasks; points are means over
the replicates (common random numbers), bars two standard errors. Prints the table.
"""
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def load(path):
    with h5py.File(path, "r") as f:
        done = f["results/done"][()] == 1
        staff = f["design/community.staff"][()][done]
        workers = f["design/grid.workers"][()][done]
        on_time = f["results/resolution_rate_on_time"][()][done]
        median = f["results/time_to_resolution_median"][()][done]
        lv = f["results/levels"]
        tasks = lv["hours_tasks"][()][done, 1] / lv["hours_duty"][()][done, 1]
        cover = lv["visit_coverage"][()][done, 0]
    return staff, workers, on_time, median, tasks, cover


def main(path, png):
    staff, workers, on_time, median, tasks, cover = load(path)
    fig, axes = plt.subplots(1, 3, figsize=(13, 4))
    print("grid_workers community_staff on_time(mean) on_time(2se) median_h task_share visit_coverage_grid")
    for w in sorted(set(workers)):
        xs, rows = sorted(set(staff[workers == w])), []
        for s in xs:
            k = (workers == w) & (staff == s)
            n = k.sum()
            rows.append([on_time[k].mean(), 2 * on_time[k].std(ddof=1) / np.sqrt(n) if n > 1 else 0,
                         np.median(median[k]), tasks[k].mean(), cover[k].mean()])
            print(f"{w:12d} {s:15d} {rows[-1][0]:.4f} {rows[-1][1]:.4f} {rows[-1][2]:8.1f} "
                  f"{rows[-1][3]:.3f} {rows[-1][4]:.3f}")
        rows = np.array(rows)
        axes[0].errorbar(xs, rows[:, 0], yerr=rows[:, 1], marker="o", capsize=3, label=f"{w} grid worker(s)")
        axes[1].plot(xs, rows[:, 3], marker="o", label=f"{w} grid worker(s)")
        axes[2].plot(xs, rows[:, 4], marker="o", label=f"{w} grid worker(s)")
    axes[0].set_ylabel("resolved on time (share)")
    axes[1].set_ylabel("community staff hours on top-down tasks (share)")
    axes[2].set_ylabel("grid home-visit coverage (done / target)")
    for ax in axes:
        ax.set_xlabel("community staff per community")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.suptitle("Yuzhou before the reform: staffing sweep (3 replicates, common random numbers)")
    fig.tight_layout()
    fig.savefig(png, dpi=110)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
