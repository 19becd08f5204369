"""Sobol and Morris estimators against known answers computed from formulas."""
import os

import numpy as np
import pytest

from govsim_analysis import sensitivity as sa

A_ISH, B_ISH = 7.0, 0.1
BOUNDS = [(-np.pi, np.pi)] * 3


def ishigami(X):
    return np.sin(X[:, 0]) + A_ISH * np.sin(X[:, 1]) ** 2 + B_ISH * X[:, 2] ** 4 * np.sin(X[:, 0])


def ishigami_indices(a, b):
    """Analytic first-order and total indices (Ishigami and Homma 1990; Sobol' 1999)."""
    v1 = 0.5 * (1 + b * np.pi ** 4 / 5) ** 2
    v2 = a ** 2 / 8
    v13 = b ** 2 * np.pi ** 8 * (1 / 18 - 1 / 50)
    v = a ** 2 / 8 + b * np.pi ** 4 / 5 + b ** 2 * np.pi ** 8 / 18 + 0.5
    assert abs(v - (v1 + v2 + v13)) < 1e-9 * v       # the decomposition adds up
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v


def test_ishigami_within_bootstrap_interval():
    first, total = ishigami_indices(A_ISH, B_ISH)
    S = sa.sobol_of_function(ishigami, 4096, BOUNDS, names=["x1", "x2", "x3"], n_boot=400)
    for i, name in enumerate(S.index):
        row = S.loc[name]
        assert row.S1_low <= first[i] <= row.S1_high, f"S1 {name}: {first[i]} not in {row.S1_low, row.S1_high}"
        assert row.ST_low <= total[i] <= row.ST_high, f"ST {name}: {total[i]} not in {row.ST_low, row.ST_high}"
        # the intervals are tight enough to tell the factors apart
        assert row.S1_high - row.S1_low < 0.12 and row.ST_high - row.ST_low < 0.12


def test_sobol_additive_linear_model():
    """y = sum c_i x_i with independent uniform x: S1 = ST = c_i^2 / sum c^2."""
    c = np.array([1.0, 2.0, 3.0])
    S = sa.sobol_of_function(lambda X: X @ c, 2048, [(0, 1)] * 3, n_boot=200)
    expected = c ** 2 / np.sum(c ** 2)
    np.testing.assert_allclose(S.S1, expected, atol=0.03)
    np.testing.assert_allclose(S.ST, expected, atol=0.03)


def test_sobol_rejects_bad_shapes_and_nan():
    with pytest.raises(ValueError):
        sa.sobol_indices(np.zeros(5), np.zeros(4), np.zeros((5, 2)))
    with pytest.raises(ValueError, match="NaN"):
        sa.sobol_indices(np.array([1.0, np.nan]), np.ones(2), np.ones((2, 1)))


def test_saltelli_design_structure():
    A, B, AB = sa.saltelli_design(64, [(0, 1), (10, 20)])
    assert A.shape == B.shape == (64, 2) and AB.shape == (2, 64, 2)
    assert (A[:, 1] >= 10).all() and (A[:, 1] <= 20).all()
    np.testing.assert_array_equal(AB[0][:, 0], B[:, 0])
    np.testing.assert_array_equal(AB[0][:, 1], A[:, 1])


def test_morris_linear_and_interaction():
    bounds = [(0, 1), (0, 10), (-1, 1)]
    X = sa.morris_design(20, bounds, levels=4, seed=3)
    assert X.shape == (20 * 4, 3)
    c = np.array([2.0, -0.5, 0.0])
    M = sa.morris_indices(X, X @ c, 3, bounds=bounds)
    # effect per unit of the scaled factor: c_i times the factor's range; no spread
    np.testing.assert_allclose(M.mu, c * np.array([1, 10, 2]), atol=1e-12)
    np.testing.assert_allclose(M.mu_star, np.abs(c * np.array([1, 10, 2])), atol=1e-12)
    np.testing.assert_allclose(M.sigma, 0, atol=1e-12)
    # y = x1 * x2: the effect of x1 is x2 (scaled by x1's range 1): spread > 0,
    # and the mean effect is the mean of x2 at the points where x1 moved
    y = X[:, 0] * X[:, 1]
    M2 = sa.morris_indices(X, y, 3, bounds=bounds)
    assert M2.sigma["x1"] > 0 and M2.mu_star["x3"] == 0
    ee = sa.elementary_effects(X, y, 3, bounds=bounds)
    assert np.all(ee[:, 0] >= 0) and np.all(ee[:, 0] <= 10)


def test_morris_refuses_non_trajectories():
    X = np.array([[0, 0], [1, 1], [1, 0.0]])
    with pytest.raises(ValueError, match="moved"):
        sa.elementary_effects(X, np.zeros(3), 2)


# ---- from a govsim sweep ------------------------------------------------------------

SWEEP = """scenario: {src}/params/example.yaml
set:
  time.days: 10
  world.streets: 1
  world.communities: 2
  world.grids: 6
vary:
  grid.workers: {{range: [1, 3]}}
  household.persons: {{range: [2, 4]}}
  intake.report_prob_base: {{range: [0.3, 0.9]}}
design: {design}
samples: {samples}
replicates: 1
seed: 5
outputs: summary
"""


def _sweep(tmp_path, design, samples):
    import subprocess

    import govsim_analysis as ga
    src = os.path.abspath(os.environ.get("GOVSIM_SOURCE_DIR", "."))
    spec, out = tmp_path / f"{design}.yaml", tmp_path / f"{design}.h5"
    spec.write_text(SWEEP.format(src=src, design=design, samples=samples))
    subprocess.run([os.environ["GOVSIM"], "sweep", str(spec), "-o", str(out), "-q"], check=True, timeout=600)
    return ga.load_sweep(str(out))


def test_sobol_and_morris_from_sweep(tmp_path):
    """household.persons feeds no output the model computes (only per-resident figures),
    so with the same seeds its A_B rows equal the A rows: its indices are exactly 0,
    while the staff and the reporting propensity matter."""
    out = "time_to_resolution_mean"
    df = _sweep(tmp_path, "sobol", 16)
    S = sa.sobol_from_sweep(df, out, n_boot=100)
    assert list(S.index) == ["grid.workers", "household.persons", "intake.report_prob_base"]
    assert (S.loc["household.persons", ["S1", "ST", "ST_low", "ST_high"]] == 0).all()
    assert S.loc["grid.workers", "ST_low"] > 0 and S.loc["intake.report_prob_base", "ST_low"] > 0
    # the same numbers from the design layout by hand: step 0 = A, 1..k = A_B^i, k+1 = B
    y = df.pivot(index="group", columns="step", values=out)
    manual = sa.sobol_indices(y[0], y[4], y[[1, 2, 3]], n_boot=100)
    np.testing.assert_allclose(S[["S1", "ST"]].values, manual[["S1", "ST"]].values)
    with pytest.raises(ValueError, match="design"):
        sa.morris_from_sweep(df, out)

    M = sa.morris_from_sweep(_sweep(tmp_path, "morris", 5), out)
    assert M.loc["household.persons", "mu_star"] == 0 and (M["r"] == 5).all()
    assert M.loc["grid.workers", "mu_star"] > 0 and M.loc["intake.report_prob_base", "mu_star"] > 0
