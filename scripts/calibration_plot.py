#!/usr/bin/python3
"""Marginals of a calibration's posterior sample against the prior, and the identification table.

Usage:
  scripts/calibration_plot.py CALIBRATION.h5 [--png OUT.png] [--threshold 0.6]

Reads /posterior (abc or abc-smc: parameters/<name>, weight) and the priors in /calibration,
prints a Markdown table with, per parameter, the prior range, the weighted posterior mean,
sd and 95% interval, and two ratios on the prior's own scale (the logarithm for a log prior,
where the prior is uniform): the posterior sd over the prior sd, and the 95% interval's width
over the prior range's. A parameter whose sd ratio is below --threshold is called identified
by the targets; else it stays near its prior. --png draws each marginal as the ratio of
posterior to prior density per bin (1 = the prior), ten bins over the prior range.
"""
import argparse
import math

import h5py
import numpy as np


def weighted_quantile(x, w, q):
    o = np.argsort(x)
    c = np.cumsum(w[o])
    return x[o][min(np.searchsorted(c, q), len(x) - 1)]


def table(path):
    with h5py.File(path, "r") as f:
        cal, post = f["calibration"], f["posterior"]
        names = [n.decode() for n in cal["parameter_names"][()]]
        scale = [s.decode() for s in cal["prior_scale"][()]]
        lo, hi = cal["prior_min"][()], cal["prior_max"][()]
        w = post["weight"][()]
        rows = []
        for k, n in enumerate(names):
            x = post["parameters"][n][()]
            log = scale[k] == "log"
            u = (np.log(x) - math.log(lo[k])) / (math.log(hi[k]) - math.log(lo[k])) if log \
                else (x - lo[k]) / (hi[k] - lo[k])
            mu = np.sum(w * u)
            sd_ratio = math.sqrt(np.sum(w * (u - mu) ** 2)) / math.sqrt(1 / 12)
            ci_ratio = weighted_quantile(u, w, 0.975) - weighted_quantile(u, w, 0.025)
            m = np.sum(w * x)
            rows.append(dict(name=n, lo=lo[k], hi=hi[k], log=log, mean=m,
                             sd=math.sqrt(np.sum(w * (x - m) ** 2)),
                             q025=weighted_quantile(x, w, 0.025), q975=weighted_quantile(x, w, 0.975),
                             sd_ratio=sd_ratio, ci_ratio=ci_ratio, x=x, u=u))
        ess = 1 / np.sum(w ** 2)
    return rows, w, ess


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--png")
    ap.add_argument("--threshold", type=float, default=0.6)
    a = ap.parse_args()
    rows, w, ess = table(a.file)
    print(f"{len(w)} particles, effective sample size {ess:.1f}\n")
    print("| parameter | prior | posterior mean | sd | 95% interval | sd / prior sd | 95% width / prior width | |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        verdict = "identified" if r["sd_ratio"] < a.threshold else "near prior"
        prior = f"[{r['lo']:g}, {r['hi']:g}]{' log' if r['log'] else ''}"
        print(f"| `{r['name']}` | {prior} | {r['mean']:.4g} | {r['sd']:.3g} | "
              f"[{r['q025']:.4g}, {r['q975']:.4g}] | {r['sd_ratio']:.2f} | {r['ci_ratio']:.2f} | {verdict} |")
    if a.png:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        n = len(rows)
        cols = 5 if n > 4 else n
        fig, axes = plt.subplots(math.ceil(n / cols), cols, figsize=(3.0 * cols, 2.5 * math.ceil(n / cols)),
                                 squeeze=False)
        for ax, r in zip(axes.flat, rows):
            edges = np.linspace(0, 1, 11)
            h, _ = np.histogram(np.clip(r["u"], 0, 1), bins=edges, weights=w)
            ax.bar(edges[:-1], h / 0.1, width=0.1, align="edge", color="#4878a8", edgecolor="white")
            ax.axhline(1, color="black", lw=1, ls="--")
            ticks = [0, 0.5, 1]
            vals = [math.exp(math.log(r["lo"]) + t * (math.log(r["hi"]) - math.log(r["lo"]))) if r["log"]
                    else r["lo"] + t * (r["hi"] - r["lo"]) for t in ticks]
            ax.set_xticks(ticks, [f"{v:.3g}" for v in vals])
            ax.set_title(f"{r['name']}\nsd ratio {r['sd_ratio']:.2f}", fontsize=8)
            ax.tick_params(labelsize=7)
        for ax in list(axes.flat)[n:]:
            ax.axis("off")
        axes[0][0].set_ylabel("posterior / prior density", fontsize=8)
        fig.suptitle("Pattern calibration: posterior marginals (bars) against the prior (dashed)", fontsize=10)
        fig.tight_layout()
        fig.savefig(a.png, dpi=90)


if __name__ == "__main__":
    main()
