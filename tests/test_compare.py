"""`govsim compare`: common random numbers, the statistics, the file, bad input.

Run with GOVSIM=build/govsim GOVSIM_SOURCE_DIR=. python3 -m pytest tests/test_compare.py
"""
import os
import subprocess

import h5py
import numpy as np
import pytest
from scipy import stats

import govsim_analysis as ga

GOVSIM = os.environ.get("GOVSIM", "govsim")
REPS = 6
# Two staffing levels of a small district, 20 days: quick, and busy enough to differ.
COMMON = "time.days: 20\nworld:\n  streets: 2\n  communities: 6\n  grids: 24\n"


def govsim(*args, check=True):
    proc = subprocess.run([GOVSIM, *map(str, args)], capture_output=True, text=True, timeout=600)
    if check:
        assert proc.returncode == 0, f"govsim {args} failed ({proc.returncode}):\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory):
    d = tmp_path_factory.mktemp("compare")
    a, b = d / "two.yaml", d / "three.yaml"
    a.write_text("scenario:\n  name: two_workers\n" + COMMON + "grid.workers: 2\n")
    b.write_text("scenario:\n  name: three_workers\n" + COMMON + "grid.workers: 3\n")
    return d, a, b


@pytest.fixture(scope="module")
def paired(scenarios):
    d, a, b = scenarios
    out = d / "crn.h5"
    proc = govsim("compare", a, b, "--replicates", REPS, "-o", out)
    assert "time_to_resolution_mean" in proc.stdout
    return out


@pytest.fixture(scope="module")
def independent(scenarios):
    d, a, b = scenarios
    out = d / "indep.h5"
    govsim("compare", a, b, "--replicates", REPS, "--independent", "-q", "-o", out)
    return out


def test_crn_intervals_narrower(paired, independent):
    """The done-when item: same comparison, common random numbers give narrower
    intervals of the difference than independent seeds."""
    crn, ind = ga.load_compare(str(paired)), ga.load_compare(str(independent))
    assert crn.method == "paired" and ind.method == "welch"
    for output in ("time_to_resolution_mean", "resolution_rate_on_time", "cost_per_resolved"):
        w_crn = ga.interval_width(crn, output, "three_workers")
        w_ind = ga.interval_width(ind, output, "three_workers")
        assert w_crn < w_ind, f"{output}: CRN interval {w_crn} not narrower than {w_ind}"


def test_seeds(paired, independent):
    with h5py.File(paired) as f:
        assert list(f["scenarios/0/seed"][:]) == list(range(1, REPS + 1))
        assert list(f["scenarios/1/seed"][:]) == list(range(1, REPS + 1))
    with h5py.File(independent) as f:
        s0, s1 = set(f["scenarios/0/seed"][:]), set(f["scenarios/1/seed"][:])
        assert not s0 & s1


def _recomputed(x0, x1, paired):
    """Mean difference and its 95% interval from the formulas (scipy's t quantiles)."""
    if paired:
        d = x1 - x0
        half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
        return d.mean(), d.mean() - half, d.mean() + half
    v0, v1 = x0.var(ddof=1) / len(x0), x1.var(ddof=1) / len(x1)
    df = (v0 + v1) ** 2 / (v0 ** 2 / (len(x0) - 1) + v1 ** 2 / (len(x1) - 1))
    half = stats.t.ppf(0.975, df) * np.sqrt(v0 + v1)
    diff = x1.mean() - x0.mean()
    return diff, diff - half, diff + half


@pytest.mark.parametrize("which", ["paired", "independent"])
def test_statistics_match_formulas(which, paired, independent):
    cmp = ga.load_compare(str(paired if which == "paired" else independent))
    for output in ("time_to_resolution_mean", "backlog_end", "utilisation_grid", "requests_arisen"):
        x0 = cmp.replicates.loc["two_workers", output].values.astype(float)
        x1 = cmp.replicates.loc["three_workers", output].values.astype(float)
        row = cmp.table.loc[(output, "three_workers")]
        mean_half = stats.t.ppf(0.975, REPS - 1) * x1.std(ddof=1) / np.sqrt(REPS)
        np.testing.assert_allclose([row["mean"], row["ci_low"], row["ci_high"]],
                                   [x1.mean(), x1.mean() - mean_half, x1.mean() + mean_half], rtol=1e-9)
        expected = _recomputed(x0, x1, which == "paired")
        if not np.isfinite(expected[1]):   # zero variance both sides: the interval is the point
            expected = (expected[0], expected[0], expected[0])
        # GSL's and scipy's t quantiles at Welch's fractional degrees of freedom agree to ~1e-9
        np.testing.assert_allclose([row["diff"], row["diff_ci_low"], row["diff_ci_high"]], expected,
                                   rtol=1e-7, atol=1e-12)


def test_replicate_is_a_run(scenarios, paired):
    """A replicate's results are those of `govsim run` of that scenario and seed."""
    d, _, b = scenarios
    run_file = d / "run.h5"
    govsim("run", b, "--seed", 3, "-q", "-o", run_file)
    run = ga.load_run(str(run_file))
    cmp = ga.load_compare(str(paired))
    rep = cmp.replicates.loc[("three_workers", 2)]
    for name, value in run.summary.items():
        np.testing.assert_allclose(rep[name], value, rtol=1e-12, equal_nan=True, err_msg=name)
    backlog = run.timeseries["backlog"].sum("community").values
    np.testing.assert_array_equal(cmp.series("backlog").loc[("three_workers", 2)].values, backlog)


def test_threads_do_not_matter(scenarios, paired):
    d, a, b = scenarios
    out = d / "one-thread.h5"
    govsim("compare", a, b, "--replicates", REPS, "--threads", 1, "-q", "-o", out)
    one, two = ga.load_compare(str(out)), ga.load_compare(str(paired))
    np.testing.assert_array_equal(one.replicates.values, two.replicates.values)


def test_file_layout(paired, scenarios):
    _, a, _ = scenarios
    with h5py.File(paired) as f:
        assert f.attrs["kind"] == "compare" and f.attrs["common_random_numbers"] == 1
        assert f["scenarios/0/scenario_file_text"].asstr()[()] == a.read_text()
        assert f["scenarios/1/parameters/grid.workers"][()] == 3
        assert f["scenarios/0/parameters/grid.workers"].attrs["source"] == "file"
        assert f["scenarios/0/timeseries/backlog"].shape == (REPS, 20)
        for attr in ("program_version", "source_revision", "command_line", "start_time"):
            assert f["provenance"].attrs[attr]
        problems = []

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                if "units" not in obj.attrs or not obj.attrs.get("description"):
                    problems.append(name)
        f.visititems(visit)
        assert not problems, f"datasets without units or description: {problems[:5]}"
        # every summary and level output is compared
        outputs = set(f["comparison"].keys()) - {"scenario", "label"}
        assert set(f["scenarios/0/summary"].keys()) - {"ttr_bin", "ttr_bin_upper",
                                                        "time_to_resolution_histogram"} <= outputs
        n_cat = len(f["scenarios/0/categories/category"])
        assert len(outputs) == (len(f["scenarios/0/summary"]) - 3 + 4 * (len(f["scenarios/0/levels"]) - 1)
                                + n_cat * (len(f["scenarios/0/categories"]) - 1))
        cmp = ga.load_compare(str(paired))
        assert set(cmp.replicates.columns) - {"seed"} == outputs


def test_docs_mention_every_dataset(paired):
    text = open(os.path.join(os.environ["GOVSIM_SOURCE_DIR"], "docs", "output.md"), encoding="utf-8").read()
    missing = set()
    with h5py.File(paired) as f:
        def visit(name, obj):
            if name.startswith("comparison/") and name.count("/") == 2:
                name = "comparison/<output>/" + name.split("/")[2]
            elif name.startswith("scenarios/"):
                name = "scenarios/<k>/" + "/".join(name.split("/")[2:])
                if name.startswith("scenarios/<k>/parameters/"):
                    return
                if name.count("/") == 3 and not name.endswith("_histogram"):
                    name = name.rsplit("/", 1)[0] + "/<field>"
            elif name.startswith("comparison/") and isinstance(obj, h5py.Group):
                return
            if isinstance(obj, h5py.Dataset) and f"`/{name}`" not in text:
                missing.add(name)
        f.visititems(visit)
    assert not missing, f"docs/output.md does not mention {sorted(missing)}"


def test_bad_scenario_refused(scenarios):
    d, a, _ = scenarios
    bad = d / "bad.yaml"
    bad.write_text("scenario:\n  name: x\ngrid:\n  workres: 2\n")
    out = d / "never.h5"
    proc = govsim("compare", a, bad, "-o", out, check=False)
    assert proc.returncode == 2
    assert "bad.yaml:4" in proc.stderr and "grid.workres" in proc.stderr
    assert not out.exists()
    assert not list(d.glob("never.h5*"))


@pytest.mark.parametrize("args", [["ONE"], ["ONE", "ONE", "--replicates", "1"],
                                  ["ONE", "ONE", "--set", "grid.workers=-1"],
                                  ["ONE", "ONE", "--bogus"]])
def test_bad_usage(scenarios, args):
    _, a, _ = scenarios
    proc = govsim("compare", *[a if x == "ONE" else x for x in args], "-o", "/nonexistent/x.h5",
                  check=False)
    assert proc.returncode == 2, proc.stderr


# ---- issue 19: output metadata, --uncertainty, --decompose ----

HEADLINE = {"resolution_rate_on_time", "time_to_close_median", "closed_within_7_days_share",
            "share_resolved_grid", "satisfaction_mean", "trust_mean", "cost_per_resolved",
            "spending_total"}


def _outputs(f, group="comparison"):
    return [k for k in f[group].keys() if isinstance(f[group][k], h5py.Group)]


def test_output_metadata(paired):
    """Every compared output carries a human name in English and Chinese, a direction,
    a practical threshold and the headline flag (from one C table, outmeta.c)."""
    with h5py.File(paired) as f:
        headline = set()
        for name in _outputs(f):
            a = f["comparison"][name].attrs
            assert a["label_en"] and a["label_zh"], name
            assert a["label_en"] != name and "_" not in a["label_en"], \
                f"{name}: label_en is a code name (no row in models/engine/outmeta.c?)"
            assert any("\u4e00" <= ch <= "\u9fff" for ch in a["label_zh"]), f"{name}: label_zh not Chinese"
            assert not any("a" <= ch.lower() <= "z" for ch in a["label_zh"]), \
                f"{name}: label_zh {a['label_zh']} has a code name in it (no row in models/engine/outmeta.c?)"
            assert a["better"] in ("higher", "lower", "neither"), name
            assert np.isfinite(a["negligible"]) and a["negligible"] >= 0, name
            assert a["headline"] in (0, 1), name
            if a["headline"]:
                headline.add(name)
        assert headline == HEADLINE
        c = f["comparison"]
        assert c["resolution_rate_on_time"].attrs["label_zh"] == "按时办结率"
        assert c["resolution_rate_on_time"].attrs["better"] == "higher"
        assert c["resolution_rate_on_time"].attrs["negligible"] == 0.005
        assert c["cost_per_resolved"].attrs["better"] == "lower"
        assert c["share_resolved_street"].attrs["better"] == "neither"
        # seed-only file: no draws, intervals cover seeds
        assert f.attrs["uncertainty_draws"] == 0 and c.attrs["interval_covers"] == "seeds"
        pb = c["resolution_rate_on_time/prob_better"][:]
        assert np.isnan(pb[0]) and 0 <= pb[1] <= 1
        assert np.isnan(c["share_resolved_street/prob_better"][1])


@pytest.fixture(scope="module")
def uncertain(scenarios):
    d, a, b = scenarios
    out = d / "unc.h5"
    proc = govsim("compare", a, b, "--uncertainty", REPS, "--sample", "ranges", "--threads", 2, "-o", out)
    assert "plausible worlds" in proc.stdout
    return out


def test_uncertainty_widens_intervals(paired, uncertain):
    """Same scenarios, seeds and number of runs: with the assumed parameters drawn too, the
    intervals are wider than the seed-only ones."""
    with h5py.File(paired) as p, h5py.File(uncertain) as u:
        assert u.attrs["uncertainty_draws"] == REPS and u.attrs["replicates"] == REPS
        assert u.attrs["uncertainty_source"] == "plausible ranges of the parameter table"
        assert u["comparison"].attrs["interval_covers"] == "seeds and assumed parameters"
        assert list(u["scenarios/1/seed"][:]) == list(p["scenarios/1/seed"][:])
        for output in ("resolution_rate_on_time", "time_to_resolution_mean", "satisfaction_mean"):
            for k in (0, 1):
                w_seed = p[f"comparison/{output}/ci_high"][k] - p[f"comparison/{output}/ci_low"][k]
                w_unc = u[f"comparison/{output}/ci_high"][k] - u[f"comparison/{output}/ci_low"][k]
                assert w_unc > w_seed, f"{output}[{k}]: {w_unc} not wider than seed-only {w_seed}"
        for name in _outputs(u):
            pb = u[f"comparison/{name}/prob_better"][:]
            assert np.isnan(pb[0])
            assert np.isnan(pb[1]) or 0 <= pb[1] <= 1, name
        # the draws: one value per draw, within the parameter's allowed range, shared
        params = u["uncertainty/parameters"]
        assert len(params) > 10
        for name in params:
            v = params[name][:]
            assert v.shape == (REPS,) and np.all(np.isfinite(v)), name
            # a scenario that sets the parameter keeps its own value
            if name == "grid.workers":
                raise AssertionError("grid.workers is set by both files and must not be drawn")


def test_uncertainty_percentiles(uncertain):
    """With --uncertainty the interval is the 2.5-97.5th percentile over the draws."""
    with h5py.File(uncertain) as f:
        x = f["scenarios/1/summary/resolution_rate_on_time"][:]
        x0 = f["scenarios/0/summary/resolution_rate_on_time"][:]
        g = f["comparison/resolution_rate_on_time"]
        np.testing.assert_allclose([g["ci_low"][1], g["ci_high"][1]], np.percentile(x, [2.5, 97.5]), rtol=1e-12)
        np.testing.assert_allclose([g["diff_ci_low"][1], g["diff_ci_high"][1]],
                                   np.percentile(x - x0, [2.5, 97.5]), rtol=1e-12)
        assert g["prob_better"][1] == np.mean(x - x0 > 0)


def test_uncertainty_threads_do_not_matter(scenarios, uncertain):
    d, a, b = scenarios
    out = d / "unc1.h5"
    govsim("compare", a, b, "--uncertainty", REPS, "--sample", "ranges", "--threads", 1, "-q", "-o", out)
    proc = govsim("diff", out, uncertain)
    assert "0 outputs differ" in proc.stdout


def test_uncertainty_single_scenario(scenarios):
    d, a, _ = scenarios
    out = d / "single.h5"
    proc = govsim("compare", a, "--uncertainty", 3, "--sample", "ranges", "-o", out)
    assert "plausible worlds" in proc.stdout
    with h5py.File(out) as f:
        assert f.attrs["scenarios"] == 1 and f.attrs["uncertainty_draws"] == 3
        assert f["comparison/resolution_rate_on_time/ci_low"].shape == (1,)
    assert govsim("compare", a, "-o", out, check=False).returncode == 2


@pytest.fixture(scope="module")
def decomposed(scenarios):
    """B differs from A in three parameters: two grouped as one lever by B's `levers:`,
    one ungrouped."""
    d, a, _ = scenarios
    b = d / "reform.yaml"
    b.write_text("scenario:\n  name: reform\n" + COMMON + "grid.workers: 3\n"
                 "grid.subsidy_per_year: 5000\ncommunity.staff: 9\n"
                 "levers:\n  grid reform: [grid.workers, grid.subsidy_per_year]\n"
                 "  unchanged: [app.share_grids]\n")
    out = d / "dec.h5"
    proc = govsim("compare", a, b, "--replicates", 3, "--decompose", "-o", out)
    assert "Effect of each lever" in proc.stdout
    return out


def test_decompose(decomposed):
    with h5py.File(decomposed) as f:
        names = list(f["decompose/lever_name"].asstr()[:])
        keys = list(f["decompose/lever_keys"].asstr()[:])
        assert names == ["grid reform", "community.staff"]   # "unchanged" differs in nothing
        assert keys == ["grid.workers,grid.subsidy_per_year", "community.staff"]
        assert f.attrs["levers"] == 2
        for name in _outputs(f, "decompose"):
            g = f["decompose"][name]
            assert g.attrs["label_en"] == f["comparison"][name].attrs["label_en"]
            effect, total = g["effect"][:], g["total"][()]
            if not (np.all(np.isfinite(effect)) and np.isfinite(total)):
                continue
            np.testing.assert_allclose(effect.sum() + g["interaction"][()], total, rtol=1e-9,
                                       atol=1e-9 * max(1, abs(total)), err_msg=name)
            np.testing.assert_allclose(total, f["comparison"][name]["diff"][1], rtol=1e-12, err_msg=name)
        # a lever that touches staff pay alone moves spending
        s = f["decompose/spending_total/effect"][:]
        assert s[1] > 0


def test_levers_mapping_checked(scenarios):
    d, a, _ = scenarios
    bad = d / "badlevers.yaml"
    bad.write_text("scenario:\n  name: x\n" + COMMON + "levers:\n  staff: [grid.wokers]\n")
    for cmd in (["run", bad, "-q", "-o", d / "never.h5"], ["compare", a, bad, "--decompose", "-o", d / "never.h5"]):
        proc = govsim(*cmd, check=False)
        assert proc.returncode == 2 and "badlevers.yaml:9" in proc.stderr and "grid.wokers" in proc.stderr, proc.stderr


@pytest.mark.parametrize("args", [["ONE", "ONE", "ONE", "--decompose"],
                                  ["ONE", "ONE", "--uncertainty", "3", "--replicates", "3"],
                                  ["ONE", "ONE", "--uncertainty", "1"],
                                  ["ONE", "ONE", "--sample", "x.h5"],
                                  ["ONE", "--uncertainty", "3", "--sample", "/nonexistent.h5"]])
def test_bad_uncertainty_usage(scenarios, args):
    _, a, _ = scenarios
    proc = govsim("compare", *[a if x == "ONE" else x for x in args], "-o", "/tmp/never-written.h5",
                  check=False)
    assert proc.returncode == 2, proc.stderr


def test_docs_mention_new_datasets(uncertain, decomposed):
    text = open(os.path.join(os.environ["GOVSIM_SOURCE_DIR"], "docs", "output.md"), encoding="utf-8").read()
    missing = set()
    for path in (uncertain, decomposed):
        with h5py.File(path) as f:
            def visit(name, obj):
                parts = name.split("/")
                if parts[0] == "uncertainty" and len(parts) == 3:
                    name = "uncertainty/parameters/<name>"
                elif parts[0] in ("decompose", "comparison") and len(parts) == 3:
                    name = f"{parts[0]}/<output>/{parts[2]}"
                elif parts[0] not in ("uncertainty", "decompose"):
                    return
                if isinstance(obj, h5py.Dataset) and f"`/{name}`" not in text:
                    missing.add(name)
            f.visititems(visit)
    assert not missing, f"docs/output.md does not mention {sorted(missing)}"
    for attr in ("uncertainty_draws", "uncertainty_source", "interval_covers", "label_en", "label_zh",
                 "`better`", "`negligible`", "`headline`"):
        assert attr in text
