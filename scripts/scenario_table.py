#!/usr/bin/python3
"""Headline outputs of scenarios with 95% confidence intervals over replicate runs.

Usage: scripts/scenario_table.py GOVSIM [--replicates N] [--days D] [--set K=V]... FILE.yaml...

Runs each scenario N times (seeds 1..N) for D days and prints a Markdown table of the
mean and Student-t 95% confidence interval of each headline output. docs/scenarios.md
quotes its output and names the command that produced it.
"""
import argparse
import pathlib
import subprocess
import sys
import tempfile

import h5py
import numpy as np
from scipy import stats

HEADLINE = [
    ("resolution_rate_on_time", 100, "% resolved on time"),
    ("time_to_resolution_mean", 1, "mean hours to resolution"),
    ("share_resolved_grid", 100, "% resolved in the grid"),
    ("abandonment_rate", 100, "% abandoned"),
    ("satisfaction_mean", 1, "satisfaction"),
    ("trust_mean", 1, "trust"),
    ("cost_per_resolved", 1, "yuan per resolved request"),
]


def run(govsim, scenario, seed, days, sets, tmp):
    out = pathlib.Path(tmp) / f"{pathlib.Path(scenario).stem}-{seed}.h5"
    extra = sum((["--set", s] for s in sets), [])
    subprocess.run([govsim, "run", scenario, "--seed", str(seed), "--days", str(days), "-q",
                    "-o", str(out)] + extra, check=True)
    with h5py.File(out, "r") as f:
        values = {k: float(f["summary"][k][()]) for k, _, _ in HEADLINE}
    out.unlink()
    return values


def interval(xs):
    xs = np.asarray(xs, dtype=float)
    m = xs.mean()
    h = stats.t.ppf(0.975, len(xs) - 1) * xs.std(ddof=1) / np.sqrt(len(xs)) if len(xs) > 1 else np.nan
    return m, h


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("govsim")
    ap.add_argument("scenarios", nargs="+")
    ap.add_argument("--replicates", type=int, default=10)
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--set", action="append", default=[], dest="sets")
    a = ap.parse_args()
    print("| scenario | " + " | ".join(label for _, _, label in HEADLINE) + " |")
    print("|---" * (len(HEADLINE) + 1) + "|")
    with tempfile.TemporaryDirectory() as tmp:
        for sc in a.scenarios:
            runs = [run(a.govsim, sc, s, a.days, a.sets, tmp) for s in range(1, a.replicates + 1)]
            cells = []
            for key, scale, _ in HEADLINE:
                m, h = interval([r[key] * scale for r in runs])
                cells.append(f"{m:.3g} ± {h:.2g}")
            print(f"| {pathlib.Path(sc).stem} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
