"""A 1,000-run sweep of the default scenario (a simulated month each) finishes and
loads into pandas with one call."""
import os
import subprocess

import govsim_analysis as ga


def test_thousand_runs(tmp_path):
    src = os.environ["GOVSIM_SOURCE_DIR"]
    out = tmp_path / "month.h5"
    subprocess.run([os.environ["GOVSIM"], "sweep", "-q", os.path.join(src, "params/sweeps/default-month.yaml"),
                    "-o", str(out)], check=True)
    df = ga.load_sweep(str(out))
    assert len(df) == 1000 and df.index.tolist() == list(range(1000))
    assert df["done"].all()
    assert df.attrs["design"] == "lhs" and df.attrs["runs"] == 1000
    # common random numbers: one seed per replicate, shared by every point
    assert df.groupby("replicate")["seed"].nunique().eq(1).all()
    assert df["seed"].nunique() == 2
    assert df["point_id"].nunique() == 500
    for col in ["grid.workers", "intake.report_prob_base", "requests_arisen",
                "resolution_rate_on_time", "utilisation_grid"]:
        assert col in df.columns
    assert df["grid.workers"].between(1, 4).all()
    # every run simulated a month of requests, and the varied parameter mattered
    assert (df["requests_arisen"] > 0).all()
    by_workers = df.groupby("grid.workers")["utilisation_grid"].mean()
    assert by_workers.is_monotonic_decreasing
