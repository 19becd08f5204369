"""Plots of govsim results with matplotlib (each draws on a given Axes).

    fig, ax = plt.subplots()
    plot_series_bands(ax, cmp, "backlog")         # mean and 10-90% band per scenario
    plot_ttr_distribution(ax, cmp)                # time to resolution, per scenario
    plot_output_intervals(ax, cmp, "cost_per_resolved")
    plot_sobol(ax, indices)                       # from sensitivity.sobol_indices
"""
import numpy as np

from .compare import pooled_ttr_histogram


def _colours(n):
    import matplotlib.pyplot as plt

    cycle = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    return [cycle[i % len(cycle)] for i in range(n)]


def plot_bands(ax, x, samples, label=None, colour=None, quantiles=(0.1, 0.9)):
    """Mean over the rows of `samples` (replicates x points) with a quantile band."""
    samples = np.asarray(samples, dtype=float)
    lo, hi = np.nanquantile(samples, quantiles, axis=0)
    line, = ax.plot(x, np.nanmean(samples, axis=0), label=label, color=colour, lw=1.6)
    ax.fill_between(x, lo, hi, color=line.get_color(), alpha=0.2, lw=0)
    return line


def plot_series_bands(ax, cmp, name, quantiles=(0.1, 0.9), rolling=1):
    """A district series of a comparison: each scenario's mean over replicates with the
    band between the given quantiles of the replicates; `rolling` smooths over days."""
    data = cmp.series(name)
    for label, colour in zip(cmp.labels, _colours(len(cmp.labels))):
        s = data.loc[label]
        if rolling > 1:
            s = s.T.rolling(rolling, min_periods=1).mean().T
        plot_bands(ax, s.columns.values, s.values, label, colour, quantiles)
    ax.set_xlabel("day")
    ax.set_title(f"{name} ({int(quantiles[0] * 100)}-{int(quantiles[1] * 100)}% of replicates shaded)",
                 fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)


def ttr_bin_labels(bins):
    return [f"{lo:g}-{hi:g}" if np.isfinite(hi) else f"{lo:g}+"
            for lo, hi in zip(bins["lower"], bins["upper"])]


def plot_ttr_distribution(ax, cmp):
    """Share of resolved requests per time-to-resolution bin, each scenario's mean over
    replicates, side by side (bins are of unequal width: read them as categories)."""
    hist = pooled_ttr_histogram(cmp)
    n = len(hist)
    x = np.arange(hist.shape[1])
    width = 0.8 / n
    for j, (label, colour) in enumerate(zip(hist.index, _colours(n))):
        ax.bar(x + (j - (n - 1) / 2) * width, hist.loc[label].values, width, label=label, color=colour)
    ax.set_xticks(x, ttr_bin_labels(cmp.ttr_bins), rotation=45, ha="right", fontsize=8)
    ax.set_xlabel("time from arising to resolution (hours)")
    ax.set_ylabel("share of resolved requests")
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)


def plot_output_intervals(ax, cmp, output):
    """Each scenario's replicate values (dots) with the mean and its 95% interval."""
    t = cmp.table.xs(output, level="output")
    reps = cmp.replicates[output]
    for k, (label, colour) in enumerate(zip(cmp.labels, _colours(len(cmp.labels)))):
        vals = reps.loc[label].values
        jitter = (np.arange(len(vals)) / max(len(vals) - 1, 1) - 0.5) * 0.3
        ax.plot(k + jitter, vals, "o", color=colour, alpha=0.35, ms=4)
        row = t.loc[label]
        ax.errorbar(k, row["mean"], yerr=[[row["mean"] - row["ci_low"]], [row["ci_high"] - row["mean"]]],
                    fmt="s", color="black", capsize=6, ms=6)
    ax.set_xticks(range(len(cmp.labels)), cmp.labels)
    ax.set_ylabel(f"{output} ({t['units'].iloc[0]})")
    ax.grid(axis="y", alpha=0.3)


def plot_sobol(ax, indices, title=None):
    """First-order and total indices with their bootstrap intervals."""
    x = np.arange(len(indices))
    for off, key, lab in ((-0.18, "S1", "first order"), (0.18, "ST", "total")):
        v = indices[key].values
        err = [v - indices[f"{key}_low"].values, indices[f"{key}_high"].values - v]
        ax.bar(x + off, v, 0.36, yerr=err, capsize=3, label=lab)
    ax.set_xticks(x, indices.index, rotation=20, ha="right")
    ax.set_ylabel("Sobol index")
    ax.axhline(0, color="black", lw=0.5)
    if title:
        ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)


def plot_run_series(ax, run, name, label=None, rolling=1):
    """A one-run series summed (counts) or averaged (scores) over communities. With
    `rolling` > 1, the mean over that many rows (days, with output.interval_days 1),
    drawn from the first full window: rolling=7 removes the weekly cycle of days off,
    which otherwise draws a sawtooth."""
    da = run.timeseries[name]
    total = da.sum("community") if da.attrs.get("units") == "requests" else da.mean("community")
    if rolling > 1:
        total = total.astype(float).rolling(day=rolling, min_periods=rolling).mean()
    ax.plot(total["day"].values, total.values, label=label or name)
    ax.set_xlabel("day")
    ax.grid(alpha=0.3)


__all__ = ["plot_bands", "plot_series_bands", "plot_ttr_distribution", "plot_output_intervals",
           "plot_sobol", "plot_run_series", "ttr_bin_labels"]
