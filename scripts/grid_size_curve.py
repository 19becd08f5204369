#!/usr/bin/env python3
"""Households per grid with the population fixed (docs/scenarios.md).

    python3 scripts/grid_size_curve.py build/govsim docs/grid-size-curve.png

Runs Yuzhou before the reform (params/yuzhou_before.yaml) with 150-1500 households
per grid and as many grids as keep the 45,200 households of 113 grids x 400, 3
seeds each (common random numbers), and plots total spending, on-time resolution
and grid home-visit coverage against households per grid. Prints the table.
"""
import os
import subprocess
import sys
import tempfile

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

HOUSEHOLDS = 113 * 400
SIZES = [150, 200, 300, 400, 600, 800, 1000, 1500]
SEEDS = [1, 2, 3]
SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(govsim, size, seed, tmp):
    grids = max(26, round(HOUSEHOLDS / size))
    out = os.path.join(tmp, f"h{size}-s{seed}.h5")
    subprocess.run([govsim, "run", os.path.join(SRC, "params", "yuzhou_before.yaml"), "-q", "-o", out,
                    "--seed", str(seed), "--set", f"world.grids={grids}", "--set", f"grid.households={size}"],
                   check=True)
    with h5py.File(out, "r") as f:
        return (grids, f["summary/spending_total"][()] / 1e6, f["summary/resolution_rate_on_time"][()],
                f["levels/visit_coverage"][()][0], f["levels/utilisation"][()][0])


def main(govsim, png):
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in SIZES:
            r = np.array([run(govsim, size, s, tmp) for s in SEEDS])
            rows.append([size, *r.mean(axis=0)])
    rows = np.array(rows)
    print("households_per_grid grids spending_million on_time visit_coverage grid_utilisation")
    for r in rows:
        print(f"{r[0]:19.0f} {r[1]:5.0f} {r[2]:16.2f} {r[3]:.4f} {r[4]:.3f} {r[5]:.3f}")
    fig, axes = plt.subplots(1, 3, figsize=(13, 4))
    for ax, col, label in zip(axes, (2, 3, 4), ("spending a year (million yuan)", "resolved on time (share)",
                                                 "grid home-visit coverage (done / target)")):
        ax.plot(rows[:, 0], rows[:, col], marker="o")
        ax.set_xlabel("households per grid (population fixed)")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    fig.suptitle("Yuzhou before the reform: grid size with the population fixed (3 seeds)")
    fig.tight_layout()
    fig.savefig(png, dpi=110)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
