"""Analysis-ready files (issue 20): every kind of govsim file (run, sweep, compare,
calibration) opens in xarray group by group with named dimensions and carries the
CF global attributes; `govsim export` writes CSV tables that pandas reads back to
exactly the values h5py reads from the HDF5 file, and one netCDF-4 file that
xarray opens; bad requests are refused with exit status 2 and write nothing.

Runs are tiny (6 days, 2 communities) so the whole file takes a few seconds.
"""
import math
import os
import re
import subprocess

import h5py
import numpy as np
import pandas as pd
import pytest
import xarray as xr

GOVSIM = os.environ["GOVSIM"]
SOURCE = os.environ["GOVSIM_SOURCE_DIR"]

SMALL = """scenario.name: small
time.days: 6
world: {streets: 2, communities: 3, grids: 6}
grid.households: 100
"""
CALIBRATION = """base: small.yaml
seed: 1
replicates: 2
check_replicates: 2
method: abc
parameters:
  requests.rate_urban: {min: 0.3, max: 3, scale: log}
  intake.report_delay_hours: {min: 2, max: 80}
targets:
  requests_arisen: {value: 50, tolerance: 10}
  time_to_resolution_mean: {value: 30, tolerance: 10}
abc: {samples: 8, accept_fraction: 0.5}
"""
KINDS = ("run", "sweep", "compare", "calibration")


def govsim(*args, check=True, cwd=None):
    return subprocess.run([GOVSIM, *map(str, args)], capture_output=True, text=True,
                          check=check, cwd=cwd, env={**os.environ, "OMP_WAIT_POLICY": "passive"})


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("export")
    (d / "small.yaml").write_text(SMALL)
    (d / "small2.yaml").write_text(SMALL.replace("small", "small2") + "grid.workers: 3\n")
    (d / "cal.yaml").write_text(CALIBRATION)
    out = {k: d / f"{k}.h5" for k in KINDS}
    govsim("run", "small.yaml", "-q", "--threads", "1", "-o", out["run"], cwd=d)
    govsim("sweep", os.path.join(SOURCE, "params", "sweeps", "tiny.yaml"), "-q", "--threads", "1",
           "-o", out["sweep"], cwd=d)
    govsim("compare", "small.yaml", "small2.yaml", "--replicates", "2", "-q", "--threads", "1",
           "-o", out["compare"], cwd=d)
    govsim("calibrate", "cal.yaml", "--threads", "1", "-o", out["calibration"], cwd=d)
    return out


def groups(path):
    found = ["/"]
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: found.append("/" + name)
                     if isinstance(obj, h5py.Group) else None)
    return found


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


# ---- xarray: named dimensions, CF attributes ------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_every_dataset_has_its_dimension_scales(files, kind):
    """The condition for named dimensions in h5netcdf: every axis of every array is
    attached to a dimension scale (or the array is one). Checked on every dataset."""
    missing, count = [], [0]

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset) and obj.ndim > 0:
            count[0] += 1
            if text(obj.attrs.get("CLASS", b"")) == "DIMENSION_SCALE":
                assert text(obj.attrs["NAME"]) == name.rsplit("/", 1)[-1]
                return
            if any(len(obj.dims[k]) == 0 for k in range(obj.ndim)):
                missing.append(name)
    with h5py.File(files[kind], "r") as f:
        f.visititems(visit)
    assert count[0] > 5
    assert not missing, f"{kind}: arrays without dimension scales: {missing}"


def xarray_groups(path):
    """Every group, except, to keep the test quick (opening a group takes 0.1-0.5 s):
    of the ~160 groups /comparison/<output> of a comparison file (one writer, one
    layout) the first 5, and of the parameter groups (~420 scalars, no dimensions;
    the dimension-scale check above covers them) only /parameters."""
    found = groups(path)
    outputs = sorted(g for g in found if re.fullmatch(r"/comparison/[^/]+", g))
    return [g for g in found if g not in outputs[5:] and
            not (g.endswith("/parameters") and g != "/parameters")]


@pytest.mark.parametrize("kind", KINDS)
def test_every_group_opens_in_xarray_without_phony_dims(files, kind):
    for group in xarray_groups(files[kind]):
        with xr.open_dataset(files[kind], engine="h5netcdf", group=group,
                             decode_timedelta=False) as ds:
            phony = [d for d in ds.dims if "phony_dim" in d]
            assert not phony, f"{kind} {group}: {phony}"
            for name, var in ds.variables.items():
                assert not any("phony_dim" in d for d in var.dims), f"{kind} {group}/{name}"


@pytest.mark.parametrize("kind", KINDS)
def test_cf_global_attributes(files, kind):
    with xr.open_dataset(files[kind], engine="h5netcdf") as ds:
        attrs = ds.attrs
    assert attrs["Conventions"] == "CF-1.8"
    assert attrs["title"].startswith("govsim ")
    assert re.fullmatch(r"govsim \d+\.\d+\.\d+ \(source revision \S+\)", attrs["source"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: govsim \w+ .*", attrs["history"])
    # the existing provenance is kept
    with h5py.File(files[kind], "r") as f:
        assert text(f["provenance"].attrs["program_version"]) in attrs["source"]
        assert "schema_version" in f.attrs


def test_replicates_are_cf_realizations(files):
    with xr.open_dataset(files["compare"], engine="h5netcdf", group="scenarios/0") as ds:
        assert ds["realization"].attrs["standard_name"] == "realization"
        assert ds["seed"].dims == ("realization",)
    with xr.open_dataset(files["compare"], engine="h5netcdf", group="scenarios/0/summary",
                         decode_timedelta=False) as ds:
        assert ds["backlog_end"].dims == ("realization",)
        assert ds["time_to_resolution_histogram"].dims == ("realization", "ttr_bin")
    with xr.open_dataset(files["sweep"], engine="h5netcdf", group="design") as ds:
        assert ds["replicate"].attrs["standard_name"] == "realization"
        assert ds["replicate"].dims == ("run",)


def test_sweep_and_calibration_dimensions(files):
    with xr.open_dataset(files["sweep"], engine="h5netcdf", group="results/levels",
                         decode_timedelta=False) as ds:
        assert ds["resolved"].dims == ("run", "level")
        assert list(ds["level"].values) == [0, 1, 2, 3]
    with xr.open_dataset(files["sweep"], engine="h5netcdf", group="timeseries",
                         decode_timedelta=False) as ds:
        assert ds["arisen"].dims == ("run", "row", "community")
        assert "day" in ds.coords
    with xr.open_dataset(files["calibration"], engine="h5netcdf", group="calibration/candidates") as ds:
        assert ds["parameters"].dims == ("candidate", "parameter")
        assert ds["output_mean"].dims == ("candidate", "target")
    with xr.open_dataset(files["compare"], engine="h5netcdf", group="comparison") as ds:
        assert ds["label"].dims == ("scenario",)


def test_run_timeseries_has_street_and_district_coordinates(files):
    with xr.open_dataset(files["run"], engine="h5netcdf", group="timeseries",
                         decode_timedelta=False) as ds:
        assert {"street", "district"} <= set(ds.coords)
        # 3 communities split evenly and contiguously over 2 streets: 0 | 1 2
        assert list(ds["street"].values) == [0, 1, 1]
        assert ds["district"].item() == "small"
        per_street = ds["arisen"].groupby("street").sum()
        assert int(per_street.sum()) == int(ds["arisen"].sum())


# ---- CSV export read back with pandas ---------------------------------------------

def read_csv(path):
    """A CSV of govsim export: columns `name [unit]` -> (DataFrame by name, units)."""
    df = pd.read_csv(path, float_precision="round_trip", keep_default_na=False,
                     na_values=[""])
    units = {}
    names = []
    for col in df.columns:
        m = re.fullmatch(r"(.*?) \[(.*)\]", col)
        name, unit = (m.group(1), m.group(2)) if m else (col, "")
        names.append(name)
        units[name] = unit
    df.columns = names
    return df, units


def same(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    assert a.shape == b.shape
    np.testing.assert_array_equal(np.isnan(a), np.isnan(b))
    np.testing.assert_array_equal(a[~np.isnan(a)], b[~np.isnan(b)])


@pytest.fixture(scope="module")
def csv(files, tmp_path_factory):
    out = {}
    for kind in KINDS:
        d = tmp_path_factory.mktemp(f"csv-{kind}")
        r = govsim("export", files[kind], "--format", "csv", "-o", d)
        assert r.stdout.count("wrote ") >= 2
        assert not [p for p in os.listdir(d) if ".tmp." in p]
        out[kind] = {p.name[len(kind) + 1:-4]: p for p in d.iterdir()}
    return out


def test_csv_tables_of_each_kind(csv):
    assert set(csv["run"]) == {"summary", "parameters", "levels", "categories", "timeseries"}
    assert set(csv["sweep"]) == {"runs", "timeseries"}
    assert set(csv["compare"]) == {"comparison", "replicates"}
    assert set(csv["calibration"]) == {"parameters", "targets", "candidates", "posterior"}   # abc


def test_csv_run_round_trip(files, csv):
    with h5py.File(files["run"], "r") as f:
        summary, _ = read_csv(csv["run"]["summary"])
        scalars = [k for k, ds in f["summary"].items() if ds.ndim == 0]
        assert sorted(summary["name"]) == sorted(scalars)
        for _, row in summary.iterrows():
            ds = f["summary"][row["name"]]
            same(row["value"], ds[()])
            assert row["units"] == text(ds.attrs["units"])
        levels, units = read_csv(csv["run"]["levels"])
        assert list(levels["level_name"]) == text(f["levels/level"].attrs["labels"]).split()
        for name, ds in f["levels"].items():
            if name != "level":
                same(levels[name], ds[:])
                assert units[name] == text(ds.attrs["units"])
        ts, units = read_csv(csv["run"]["timeseries"])
        nday, ncomm = f["timeseries/arisen"].shape
        assert len(ts) == nday * ncomm
        same(ts["day"].to_numpy().reshape(nday, ncomm)[:, 0], f["timeseries/day"][:])
        same(ts["street"][:ncomm], f["timeseries/street"][:])
        for name, ds in f["timeseries"].items():
            if ds.ndim == 2:
                same(ts[name].to_numpy().reshape(nday, ncomm), ds[:])
                assert units[name] == text(ds.attrs["units"])
        params, _ = read_csv(csv["run"]["parameters"])
        p = params.set_index("name")
        assert int(p.loc["world.communities", "value"]) == f["parameters/world.communities"][()] == 3
        assert p.loc["scenario.name", "value"] == "small"
        assert p.loc["world.communities", "source"] == "file"


def test_csv_sweep_round_trip(files, csv):
    runs, units = read_csv(csv["sweep"]["runs"])
    with h5py.File(files["sweep"], "r") as f:
        assert len(runs) == f.attrs["runs"] == 12
        for name in ("run_id", "point_id", "replicate", "seed", "grid.workers",
                     "intake.report_prob_base"):
            same(runs[name], f["design"][name][:])
        assert units["grid.workers"] == text(f["design/grid.workers"].attrs["units"])
        assert runs["done"].eq(1).all()
        for name, ds in f["results"].items():
            if isinstance(ds, h5py.Dataset) and ds.ndim == 1 and name not in ("run", "done"):
                same(runs[name], ds[:])
                assert units[name] == text(ds.attrs["units"])
        for group, dim in (("levels", "level"), ("categories", "category")):
            labels = text(f["results"][group].attrs["labels"]).split()
            for name, ds in f["results"][group].items():
                if name != dim:
                    for k, label in enumerate(labels):
                        same(runs[f"{name}_{label}"], ds[:, k])
        ts, _ = read_csv(csv["sweep"]["timeseries"])
        arisen = f["timeseries/arisen"][:]
        assert len(ts) == np.isfinite(arisen).sum()
        same(ts["arisen"], arisen[ts["run_id"], ts["row"], ts["community"]])


def test_csv_compare_round_trip(files, csv):
    table, units = read_csv(csv["compare"]["comparison"])
    reps, runits = read_csv(csv["compare"]["replicates"])
    with h5py.File(files["compare"], "r") as f:
        labels = [text(x) for x in f["comparison/label"][:]]
        outputs = [k for k, g in f["comparison"].items() if isinstance(g, h5py.Group)]
        assert len(table) == len(outputs) * len(labels)
        assert units["n"] == "runs"
        for output, rows in table.groupby("output", sort=False):
            g = f["comparison"][output]
            rows = rows.sort_values("scenario_index")
            assert list(rows["scenario"]) == labels
            assert set(rows["units"].fillna("")) == {text(g.attrs["units"])}
            for stat in ("mean", "ci_low", "ci_high", "sd", "n", "diff", "diff_ci_low",
                         "diff_ci_high", "diff_sd", "diff_n"):
                same(rows[stat], g[stat][:])
        ranks = [int(f["comparison"][o].attrs["rank"]) for o in table["output"][::len(labels)]]
        assert ranks == sorted(ranks)
        assert len(reps) == 2 * len(labels)
        for k, label in enumerate(labels):
            mine = reps[reps["scenario"] == label]
            sg = f["scenarios"][str(k)]
            same(mine["seed"], sg["seed"][:])
            for name in ("backlog_end", "requests_arisen", "satisfaction_mean"):
                same(mine[name], sg["summary"][name][:])
                assert runits[name] == text(sg["summary"][name].attrs["units"])
            same(mine["resolved_grid"], sg["levels/resolved"][:, 0])


def test_csv_calibration_round_trip(files, csv):
    params, _ = read_csv(csv["calibration"]["parameters"])
    targets, _ = read_csv(csv["calibration"]["targets"])
    cand, units = read_csv(csv["calibration"]["candidates"])
    with h5py.File(files["calibration"], "r") as f:
        c = f["calibration"]
        names = [text(x) for x in c["parameter_names"][:]]
        assert list(params["name"]) == names
        same(params["estimate"], c["estimate"][:])
        same(targets["fit_mean"], c["fit_mean"][:])
        same(cand["objective"], c["candidates/objective"][:])
        for k, name in enumerate(names):
            same(cand[name], c["candidates/parameters"][:, k])
            assert units[name] == text(c["parameter_units"][k])
        same(cand["requests_arisen_mean"], c["candidates/output_mean"][:, 0])


def test_csv_posterior_sample(tmp_path):
    """abc-smc files: the posterior sample and the generations as tables of their own
    (the shipped pattern calibration)."""
    src = os.path.join(SOURCE, "params", "calibration", "patterns.posterior.h5")
    govsim("export", src, "--format", "csv", "-o", tmp_path)
    post, units = read_csv(tmp_path / "patterns.posterior-posterior.csv")
    gens, _ = read_csv(tmp_path / "patterns.posterior-generations.csv")
    with h5py.File(src, "r") as f:
        p = f["posterior"]
        assert list(post["particle"]) == list(range(len(p["weight"])))
        same(post["weight"], p["weight"][:])
        same(post["distance"], p["distance"][:])
        assert abs(post["weight"].sum() - 1) < 1e-12
        for name, ds in p["parameters"].items():
            same(post[name], ds[:])
            assert units[name] == text(ds.attrs["units"])
        g = f["calibration/generations"]
        same(gens["tolerance"], g["tolerance"][:])
        same(gens["ess"], g["ess"][:])
        assert list(gens["generation"]) == list(range(len(g["tolerance"])))


# ---- netCDF export --------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_netcdf_export_opens_and_matches_csv(files, csv, kind, tmp_path):
    r = govsim("export", files[kind], "--format", "netcdf", "-o", tmp_path)
    nc = tmp_path / f"{kind}.nc"
    assert f"wrote {nc}" in r.stdout and os.listdir(tmp_path) == [nc.name]
    with xr.open_dataset(nc, engine="h5netcdf") as root:
        assert root.attrs["Conventions"] == "CF-1.8"
        assert root.attrs["history"].count(": govsim ") == 2   # the source's line, then export
    for table, path in csv[kind].items():
        df, units = read_csv(path)
        with xr.open_dataset(nc, engine="h5netcdf", group=table, decode_timedelta=False) as ds:
            assert not [d for d in ds.dims if "phony_dim" in d]
            for name in df.columns:
                values = ds[name].values
                if df[name].dtype == object or values.dtype == object:
                    assert [str(v) for v in values] == [str(v) for v in df[name].fillna("")], name
                else:
                    same(values, df[name])
                    if units[name]:
                        assert ds[name].attrs["units"] == units[name]


# ---- refusals -------------------------------------------------------------------------

def test_refusals_exit_2_and_write_nothing(files, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    plain = tmp_path / "plain.h5"
    with h5py.File(plain, "w") as f:
        f["x"] = [1, 2, 3]
    notes = tmp_path / "notes.h5"
    notes.write_text("not hdf5\n")
    cases = [
        ([files["run"], "--format", "xlsx", "-o", out], "unknown format 'xlsx'"),
        ([files["run"], "-o", out], "--format is required"),
        ([tmp_path / "missing.h5", "--format", "csv", "-o", out], "missing.h5"),
        ([plain, "--format", "csv", "-o", out], "not a govsim run, sweep, compare or calibration file"),
        ([notes, "--format", "netcdf", "-o", out], "not an HDF5 file"),
        ([files["run"], "--format", "csv", "-o", tmp_path / "nowhere"], "does not exist"),
    ]
    for args, message in cases:
        r = govsim("export", *args, check=False)
        assert r.returncode == 2, (args, r.stderr)
        assert message in r.stderr, (args, r.stderr)
    assert os.listdir(out) == []


def test_help_mentions_export():
    r = govsim("help", "export")
    assert "--format csv|netcdf" in r.stdout
    assert "govsim export" in govsim("help").stdout


def test_sweep_runs_not_done_export_empty_outputs(files, tmp_path):
    """Runs an interrupted sweep has not written have no outputs (not zeros)."""
    partial = tmp_path / "partial.h5"
    partial.write_bytes(files["sweep"].read_bytes())
    with h5py.File(partial, "r+") as f:
        f["results/done"][1] = 0
    govsim("export", partial, "--format", "csv", "-o", tmp_path)
    runs, _ = read_csv(tmp_path / "partial-runs.csv")
    assert list(runs["done"][:3]) == [1, 0, 1]
    for name in ("requests_arisen", "backlog_end", "resolved_grid", "satisfaction_mean"):
        assert math.isnan(runs[name][1]) and not math.isnan(runs[name][0]), name
    assert runs["seed"][1] > 0   # the design is known for every run
