#!/usr/bin/python3
"""Markdown tables of docs/uncertainty.md from the files scripts/sensitivity.py writes.

    /usr/bin/python3 scripts/sensitivity_tables.py build/sensitivity build/sensitivity_effect

prints, from OUTDIR/screen.csv (the screening of the levels), the appendix table: the
--top parameters that score highest on any output, normalised mu* (bold at 0.3 or more)
and the sign of the mean elementary effect where mu* is 0.1 or more; and, from
EFFECT_DIR (a `--compare` run: screen_effect.csv, screen.h5, screen_other.h5), the
reform's effect over the design points (median, 5%-95%, share of points where after >
before) and the same table of the effect's screening. Either directory may be left
out with "-".
"""
import argparse
import csv
import pathlib
import sys

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "analysis"))
sys.path.insert(0, str(ROOT / "scripts"))
from govsim_analysis.sweep import load_sweep  # noqa: E402
from sensitivity import OUTPUTS  # noqa: E402

SHORT = {"resolution_rate_on_time": "on time", "time_to_close_median": "time to close",
         "share_resolved_grid": "solved in grid", "satisfaction_mean": "satisfaction",
         "trust_mean": "trust", "cost_per_resolved": "cost per resolved"}


def read_screen(path):
    """{parameter: {output: (normalised mu*, mu)}} from a screen csv."""
    with open(path, newline="") as f:
        return {row["parameter"]: {o: (float(row[f"{o}_mu_star_norm"]), float(row[f"{o}_mu"]))
                                   for o, _, _ in OUTPUTS} for row in csv.DictReader(f)}


def cell(norm, mu):
    text = f"**{norm:.2f}**" if norm >= 0.3 else f"{norm:.2f}"
    if norm >= 0.1:
        text += " (+)" if mu > 0 else " (−)" if mu < 0 else ""
    return text


def screen_table(path, top):
    rows = read_screen(path)
    best = sorted(rows, key=lambda n: (-max(v[0] for v in rows[n].values()),
                                       -sum(v[0] for v in rows[n].values())))[:top]
    lines = ["| parameter | " + " | ".join(SHORT[o] for o, _, _ in OUTPUTS) + " |",
             "|---|" + "---|" * len(OUTPUTS)]
    for n in best:
        lines.append(f"| `{n}` | " + " | ".join(cell(*rows[n][o]) for o, _, _ in OUTPUTS) + " |")
    return "\n".join(lines) + f"\n\n({len(rows)} parameters screened)\n"


def effect_summary(effect_dir):
    base = load_sweep(effect_dir / "screen.h5").sort_values("run_id").reset_index(drop=True)
    other = load_sweep(effect_dir / "screen_other.h5").sort_values("run_id").reset_index(drop=True)
    lines = [f"{len(base)} design points\n",
             "| output | median effect | 5%-95% of the points | points where after > before |",
             "|---|---|---|---|"]
    for o, label, unit in OUTPUTS:
        d = other[o].values.astype(float) - base[o].values.astype(float)
        d = d[np.isfinite(d)]
        lo, med, hi = np.percentile(d, [5, 50, 95])
        lines.append(f"| {label} ({unit}) | {med:+.4g} | {lo:+.4g} to {hi:+.4g} | "
                     f"{100 * np.mean(d > 0):.1f}% |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir", help="scripts/sensitivity.py --outdir of the screening, or -")
    ap.add_argument("effect_dir", nargs="?", default="-", help="--outdir of a --compare run, or -")
    ap.add_argument("--top", type=int, default=30, help="rows of the levels' table (default 30)")
    ap.add_argument("--top-effect", type=int, default=20, help="rows of the effect's table (default 20)")
    a = ap.parse_args(argv)
    for d, need in ((a.outdir, ["screen.csv"]),
                    (a.effect_dir, ["screen_effect.csv", "screen.h5", "screen_other.h5"])):
        for f in need if d != "-" else []:
            if not (pathlib.Path(d) / f).is_file():
                ap.error(f"{pathlib.Path(d) / f}: no such file (run scripts/sensitivity.py first)")
    if a.outdir != "-":
        print("## Screening of the levels\n")
        print(screen_table(pathlib.Path(a.outdir) / "screen.csv", a.top))
    if a.effect_dir != "-":
        e = pathlib.Path(a.effect_dir)
        print("## The reform's effect over the design points\n")
        print(effect_summary(e))
        print("## Screening of the reform's effect\n")
        print(screen_table(e / "screen_effect.csv", a.top_effect))
    return 0


if __name__ == "__main__":
    sys.exit(main())
