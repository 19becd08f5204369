"""Variance-based (Sobol) and elementary-effects (Morris) sensitivity indices.

The estimators take plain arrays, so they work on any design whose outputs are
at hand (a `govsim sweep` file, or a function evaluated in Python):

Sobol, with two independent sample matrices A and B (N rows, k factors) and the
k matrices A_B^i (A with column i taken from B):

    S = sobol_indices(yA, yB, yAB, names=[...])   # yAB has shape (N, k)

First-order indices use the estimator of Saltelli et al. (2010, Table 2 (b)),
S_i = mean((yB - m) * (yAB_i - yA)) / V with yB centred on the pooled mean m of yA
and yB (same expectation, much smaller variance for outputs whose mean is large
against their spread, such as rates near 1); total indices Jansen's (1999),
ST_i = mean((yA - yAB_i)^2) / 2 / V; V is the variance of yA and yB pooled.
Intervals come from a bootstrap over the N rows (rows resampled jointly for
yA, yB and yAB, so the correlation between them is kept).

Morris, with r trajectories of k+1 points each moving one factor at a time:

    M = morris_indices(X, y, k, bounds=[(lo, hi), ...], names=[...])

gives mu, mu* (mean absolute elementary effect; Campolongo et al. 2007) and sigma
per factor; elementary effects are scaled to the unit interval when bounds are given.

saltelli_design and morris_design build such designs for tests and notebooks;
sobol_from_sweep and morris_from_sweep take a `govsim sweep` file loaded with
load_sweep (designs `sobol` and `morris`, docs/sweeps.md).
"""
import numpy as np
import pandas as pd


# ---- Sobol ------------------------------------------------------------------------

def _first_total(yA, yB, yAB):
    pooled = np.concatenate([yA, yB])
    var = np.var(pooled, ddof=1)
    # yB centred: the same expectation (E yAB_i = E yA), far less noise when the
    # output's mean is large against its spread
    first = np.mean((yB - pooled.mean())[:, None] * (yAB - yA[:, None]), axis=0) / var
    total = 0.5 * np.mean((yA[:, None] - yAB) ** 2, axis=0) / var
    return first, total


def sobol_indices(yA, yB, yAB, names=None, n_boot=1000, confidence=0.95, seed=0):
    """First-order (S1) and total (ST) Sobol indices with bootstrap intervals.

    yA, yB: outputs at the rows of A and B, shape (N,); yAB: outputs at A_B^i,
    shape (N, k), column i for factor i. Returns a DataFrame indexed by factor with
    S1, S1_low, S1_high, ST, ST_low, ST_high (percentile bootstrap intervals)."""
    yA, yB, yAB = (np.asarray(a, dtype=float) for a in (yA, yB, yAB))
    if yAB.ndim == 1:
        yAB = yAB[:, None]
    n, k = yAB.shape
    if yA.shape != (n,) or yB.shape != (n,):
        raise ValueError(f"yA and yB need shape ({n},) like the rows of yAB, got {yA.shape}, {yB.shape}")
    if not (np.isfinite(yA).all() and np.isfinite(yB).all() and np.isfinite(yAB).all()):
        raise ValueError("outputs contain NaN or infinity; drop those rows (of A, B and A_B together)")
    first, total = _first_total(yA, yB, yAB)
    rng = np.random.default_rng(seed)
    boot_first, boot_total = np.empty((n_boot, k)), np.empty((n_boot, k))
    for b in range(n_boot):
        i = rng.integers(0, n, n)
        boot_first[b], boot_total[b] = _first_total(yA[i], yB[i], yAB[i])
    q = [(1 - confidence) / 2, (1 + confidence) / 2]
    lo1, hi1 = np.quantile(boot_first, q, axis=0)
    loT, hiT = np.quantile(boot_total, q, axis=0)
    index = pd.Index(names if names is not None else [f"x{i + 1}" for i in range(k)], name="factor")
    return pd.DataFrame({"S1": first, "S1_low": lo1, "S1_high": hi1,
                         "ST": total, "ST_low": loT, "ST_high": hiT}, index=index)


def saltelli_design(n, bounds, seed=0):
    """Matrices A, B (n x k, uniform within bounds) and AB (k x n x k): AB[i] is A
    with column i from B. Rows from a scrambled Sobol' sequence when scipy has it."""
    bounds = np.asarray(bounds, dtype=float)
    k = len(bounds)
    try:
        from scipy.stats import qmc
        u = qmc.Sobol(d=2 * k, scramble=True, seed=seed).random(n)
    except ImportError:  # pragma: no cover - scipy is a listed dependency
        u = np.random.default_rng(seed).random((n, 2 * k))
    lo, width = bounds[:, 0], bounds[:, 1] - bounds[:, 0]
    A, B = lo + u[:, :k] * width, lo + u[:, k:] * width
    AB = np.repeat(A[None], k, axis=0)
    for i in range(k):
        AB[i, :, i] = B[:, i]
    return A, B, AB


def sobol_of_function(f, n, bounds, names=None, **kwargs):
    """Sobol indices of f (vectorised over rows) on the box `bounds`."""
    A, B, AB = saltelli_design(n, bounds, seed=kwargs.pop("design_seed", 0))
    yAB = np.column_stack([f(AB[i]) for i in range(len(AB))])
    return sobol_indices(f(A), f(B), yAB, names=names, **kwargs)


# ---- Morris -----------------------------------------------------------------------

def elementary_effects(X, y, k, bounds=None):
    """Elementary effects from trajectories: X has r*(k+1) rows, each block of k+1
    consecutive rows moves one factor per step. Returns an (r, k) array: the effect of
    factor i in trajectory t is the change of y over the change of x_i (scaled to
    the unit interval when bounds are given)."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    if X.shape[0] % (k + 1) or X.shape[1] != k or y.shape != (X.shape[0],):
        raise ValueError(f"need r*(k+1) rows of k={k} factors and one output per row; "
                         f"got X {X.shape}, y {y.shape}")
    scale = np.ones(k) if bounds is None else np.diff(np.asarray(bounds, dtype=float), axis=1)[:, 0]
    r = X.shape[0] // (k + 1)
    ee = np.full((r, k), np.nan)
    for t in range(r):
        Xt, yt = X[t * (k + 1):(t + 1) * (k + 1)] / scale, y[t * (k + 1):(t + 1) * (k + 1)]
        for s in range(k):
            step = Xt[s + 1] - Xt[s]
            moved = np.flatnonzero(step != 0)
            if len(moved) != 1:
                raise ValueError(f"trajectory {t}, step {s}: {len(moved)} factors moved, expected 1")
            i = moved[0]
            ee[t, i] = (yt[s + 1] - yt[s]) / step[i]
    return ee


def morris_indices(X, y, k, bounds=None, names=None):
    """mu, mu* and sigma of the elementary effects of each factor (DataFrame)."""
    return morris_summary(elementary_effects(X, y, k, bounds), names)


def morris_summary(ee, names=None):
    """mu, mu*, sigma and the count r of an (r, k) array of elementary effects."""
    ee = np.asarray(ee, dtype=float)
    k = ee.shape[1]
    index = pd.Index(names if names is not None else [f"x{i + 1}" for i in range(k)], name="factor")
    return pd.DataFrame({"mu": np.nanmean(ee, axis=0), "mu_star": np.nanmean(np.abs(ee), axis=0),
                         "sigma": np.nanstd(ee, axis=0, ddof=1), "r": np.sum(np.isfinite(ee), axis=0)},
                        index=index)


def morris_design(r, bounds, levels=4, seed=0):
    """r Morris trajectories on a grid of `levels` levels (Morris 1991): returns X with
    r*(k+1) rows, each trajectory moving every factor once by delta = levels/(2(levels-1))."""
    bounds = np.asarray(bounds, dtype=float)
    k = len(bounds)
    rng = np.random.default_rng(seed)
    delta = levels / (2.0 * (levels - 1))
    grid = np.arange(levels // 2) / (levels - 1)   # starts from which +delta stays in [0, 1]
    rows = []
    for _ in range(r):
        x = rng.choice(grid, size=k)
        sign = rng.choice([-1.0, 1.0], size=k)
        x = np.where(sign < 0, x + delta, x)       # so that x + sign*delta is in [0, 1]
        pts = [x.copy()]
        for i in rng.permutation(k):
            x[i] += sign[i] * delta
            pts.append(x.copy())
        rows.extend(pts)
    u = np.array(rows)
    return bounds[:, 0] + u * (bounds[:, 1] - bounds[:, 0])


# ---- from a `govsim sweep` file (load_sweep, docs/sweeps.md) -------------------------

def _sweep_points(df, output, design):
    """The output per design point (mean over replicates and finished runs), with the
    point's group and step, for a sweep made with `design`."""
    if df.attrs.get("design") != design:
        raise ValueError(f"the sweep was made with design {df.attrs.get('design')!r}, not {design!r}")
    if output not in df.columns:
        raise KeyError(f"the sweep has no output {output!r}")
    done = df[df["done"]] if "done" in df.columns else df
    names = df.attrs["parameters"].split()
    cols = ["group", "step", "moved", "delta"]
    return done.groupby(cols, as_index=False)[output].mean(), names


def sobol_from_sweep(df, output, **kwargs):
    """Sobol indices of `output` from a sweep with `design: sobol` (a load_sweep
    DataFrame). Replicates of a point are averaged; a base sample whose A, B or any
    A_B^i value is missing or NaN is dropped. Keyword arguments go to sobol_indices."""
    pts, names = _sweep_points(df, output, "sobol")
    k = len(names)
    y = pts.pivot(index="group", columns="step", values=output).reindex(columns=range(k + 2)).dropna()
    if len(y) < 2:
        raise ValueError(f"fewer than 2 complete base samples for {output!r}")
    return sobol_indices(y[0].values, y[k + 1].values, y[list(range(1, k + 1))].values,
                         names=names, **kwargs)


def morris_from_sweep(df, output):
    """Morris mu, mu*, sigma of `output` from a sweep with `design: morris`, with the
    elementary effects in the unit scale of each parameter's range (change of the
    output over the design's delta). Replicates of a point are averaged."""
    pts, names = _sweep_points(df, output, "morris")
    pts = pts.sort_values(["group", "step"])
    groups = pts["group"].unique()
    ee = np.full((len(groups), len(names)), np.nan)
    for t, (_, traj) in enumerate(pts.groupby("group", sort=True)):
        y, moved, delta = traj[output].values, traj["moved"].values, traj["delta"].values
        for m in range(1, len(traj)):
            ee[t, moved[m]] = (y[m] - y[m - 1]) / delta[m]
    return morris_summary(ee, names)


__all__ = ["sobol_indices", "saltelli_design", "sobol_of_function", "sobol_from_sweep",
           "elementary_effects", "morris_indices", "morris_summary", "morris_design",
           "morris_from_sweep"]
