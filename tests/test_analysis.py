"""The analysis loader reads what govsim writes."""
import os
import subprocess

import pytest

import govsim_analysis as ga


@pytest.fixture(scope="module")
def run_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("analysis") / "run.h5"
    subprocess.run([os.environ["GOVSIM"], "run", "-q", "--days", "14", "-o", str(path)], check=True)
    return str(path)


def test_load_run(run_file):
    run = ga.load_run(run_file)
    assert run.summary["requests_arisen"] == run.levels.loc["grid", "entered"]
    assert list(run.levels.index) == ["grid", "community", "street", "district"]
    assert run.timeseries["arisen"].dims == ("day", "community")
    assert int(run.timeseries["arisen"].sum()) == run.summary["requests_arisen"]
    assert run.parameters["grid.households"] == 400
    assert run.provenance["seed"] == 1


def test_refuses_other_schema(tmp_path):
    import h5py

    bad = tmp_path / "other.h5"
    with h5py.File(bad, "w") as f:
        f.attrs["schema_version"] = 99
    with pytest.raises(ValueError, match="schema_version"):
        ga.load_run(str(bad))


def test_plot_run_series_weekly_mean(run_file):
    """rolling=7 draws the 7-day mean (from the first full week), without the sawtooth of days off."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from govsim_analysis import plotting

    run = ga.load_run(run_file)
    daily = run.timeseries["resolved"].sum("community").values.astype(float)
    fig, ax = plt.subplots()
    plotting.plot_run_series(ax, run, "resolved")
    plotting.plot_run_series(ax, run, "resolved", rolling=7)
    raw, smooth = (line.get_ydata() for line in ax.get_lines())
    plt.close(fig)
    assert np.array_equal(raw, daily)
    want = np.convolve(daily, np.ones(7) / 7, mode="valid")
    assert np.isnan(smooth[:6]).all() and np.allclose(smooth[6:], want)
    assert np.std(np.diff(smooth[6:])) < np.std(np.diff(daily))   # smoother than the days
