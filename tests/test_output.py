"""Tests of the HDF5 output of `govsim run` (schema version 6, docs/output.md).

Run with
    GOVSIM=/path/to/build/govsim GOVSIM_SOURCE_DIR=/path/to/repo \
        python3 -m pytest -q tests/test_output.py
"""
import math
import os
import re
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest
import xarray as xr

DAYS = 30
DEFAULT_COMMUNITIES = 26

# Datasets whose `units` may legitimately be empty (dimensionless index scales).
UNITLESS_SCALES = {"levels/level", "categories/category", "timeseries/community", "households/group"}

PROVENANCE_ATTRS = ("program_version", "source_revision", "compiler", "c_flags",
                    "gsl_version", "hdf5_version", "seed", "threads", "start_time")


def _env_path(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"environment variable {name} is not set; run as "
                    f"GOVSIM=build/govsim GOVSIM_SOURCE_DIR=. python3 -m pytest tests/test_output.py",
                    pytrace=False)
    return Path(value)


@pytest.fixture(scope="module")
def govsim():
    exe = _env_path("GOVSIM")
    if not (exe.is_file() and os.access(exe, os.X_OK)):
        pytest.fail(f"GOVSIM={exe} is not an executable file", pytrace=False)
    return exe


@pytest.fixture(scope="module")
def source_dir():
    src = _env_path("GOVSIM_SOURCE_DIR")
    if not (src / "models" / "engine" / "io.c").is_file():
        pytest.fail(f"GOVSIM_SOURCE_DIR={src} does not look like the govsim repository",
                    pytrace=False)
    return src


def run_govsim(govsim, out, *extra):
    cmd = [str(govsim), "run", "--days", str(DAYS), "-q", "-o", str(out), *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"{cmd} failed ({proc.returncode}):\n{proc.stderr}"
    assert out.is_file()
    return out


@pytest.fixture(scope="module")
def run_file(govsim, tmp_path_factory):
    return run_govsim(govsim, tmp_path_factory.mktemp("default") / "run.h5")


@pytest.fixture(scope="module")
def h5(run_file):
    with h5py.File(run_file, "r") as f:
        yield f


def all_datasets(f):
    found = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            found[name] = obj

    f.visititems(visit)
    return found


def read_scalar(ds):
    value = ds[()]
    return value.decode() if isinstance(value, bytes) else value


# ---- root and provenance ----------------------------------------------------------

def test_root_attributes(h5):
    assert h5.attrs["schema_version"] == 7
    assert h5.attrs["program"] == "govsim"


def test_provenance_attributes(h5):
    prov = h5["provenance"].attrs
    missing = [a for a in PROVENANCE_ATTRS if a not in prov]
    assert not missing, f"/provenance lacks attributes {missing}"
    for a in PROVENANCE_ATTRS:
        if isinstance(prov[a], str):
            assert prov[a], f"/provenance attribute {a} is empty"
    assert prov["seed"] == 1
    assert prov["threads"] >= 1
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", prov["start_time"])


def test_no_temporary_file_left(run_file):
    assert sorted(p.name for p in run_file.parent.iterdir()) == [run_file.name]


# ---- attributes on every dataset ----------------------------------------------------

def test_every_dataset_has_units_and_description(h5):
    datasets = all_datasets(h5)
    assert len(datasets) > 100
    problems = []
    for name, ds in datasets.items():
        if "units" not in ds.attrs:
            problems.append(f"{name}: no units attribute")
        elif not ds.attrs["units"]:
            unitless_param = (name.startswith("parameters/") and
                              name.split("/", 1)[1] in {"run.seed"})
            if name not in UNITLESS_SCALES and not unitless_param:
                problems.append(f"{name}: empty units")
        if not ds.attrs.get("description"):
            problems.append(f"{name}: missing or empty description")
    assert not problems, "\n".join(problems)


# ---- parameters ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def param_defaults(govsim):
    """name -> (type, default text) from `govsim params --markdown`."""
    proc = subprocess.run([str(govsim), "params", "--markdown"], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    rows = {}
    for line in proc.stdout.splitlines():
        m = re.match(r"^\| `([^`]+)` \| (\w+) \| (.*?) \| ", line)
        if m:
            rows[m.group(1)] = (m.group(2), m.group(3))
    assert len(rows) > 50, "could not parse the parameter table"
    return rows


def expected_number(ptype, text):
    if ptype == "bool":
        return {"true": 1, "false": 0}[text]
    return float(text)


def test_parameters_complete_with_defaults(h5, param_defaults):
    params = h5["parameters"]
    assert set(params.keys()) == set(param_defaults), (
        f"missing: {sorted(set(param_defaults) - set(params.keys()))}, "
        f"extra: {sorted(set(params.keys()) - set(param_defaults))}")
    for name, (ptype, text) in param_defaults.items():
        ds = params[name]
        assert ds.shape == (), name
        if name == "time.days":
            # `--days N` is documented as the same as `--set time.days=N`.
            assert ds[()] == DAYS and ds.attrs["source"] == "--set", name
            continue
        assert ds.attrs["source"] == "default", name
        if ptype == "string":
            assert read_scalar(ds) == text, name
        else:
            want = expected_number(ptype, text)
            got = ds[()]
            assert ds.dtype == (np.float64 if ptype == "real" else np.int64), name
            assert math.isclose(got, want, rel_tol=1e-9, abs_tol=0.0), f"{name}: {got} != {want}"


def test_parameter_set_on_command_line(govsim, tmp_path):
    out = run_govsim(govsim, tmp_path / "hh.h5", "--set", "grid.households=123")
    with h5py.File(out, "r") as f:
        ds = f["parameters/grid.households"]
        assert ds[()] == 123
        assert ds.attrs["source"] == "--set"
        assert f["parameters/world.grids"].attrs["source"] == "default"


# ---- conservation -------------------------------------------------------------------

def test_level_conservation(h5):
    lv = {k: h5["levels"][k][:] for k in ("entered", "resolved", "abandoned", "closed_unsolved",
                                          "escalated", "open")}
    n = len(h5["levels/level"])
    assert n == 4
    for l in range(n):
        assert lv["entered"][l] == (lv["resolved"][l] + lv["abandoned"][l] + lv["closed_unsolved"][l] +
                                    lv["escalated"][l] + lv["open"][l]), f"level {l}"
    for l in range(n - 1):
        assert lv["entered"][l + 1] == lv["escalated"][l], f"level {l}"
    assert lv["escalated"][n - 1] == 0
    assert h5["summary/requests_arisen"][()] == lv["entered"][0]
    assert h5["summary/requests_arisen"][()] > 0
    assert h5["summary/requests_resolved"][()] == lv["resolved"].sum()
    assert h5["summary/requests_abandoned"][()] == lv["abandoned"].sum()
    assert h5["summary/escalations"][()] == lv["escalated"].sum()
    assert (h5["summary/backlog_end"][()] + h5["summary/unknown_end"][()] ==
            lv["open"].sum())


# ---- time series --------------------------------------------------------------------

@pytest.fixture(scope="module")
def series(run_file):
    with xr.open_dataset(run_file, engine="h5netcdf", group="timeseries",
                         decode_timedelta=False) as ds:
        yield ds.load()


def test_timeseries_dims_and_coords(series, h5):
    assert set(series.data_vars) == {k for k in h5["timeseries"] if k not in ("day", "community", "street", "district")}
    for name, var in series.data_vars.items():
        assert var.dims == ("day", "community"), name
    np.testing.assert_array_equal(series["day"].values, np.arange(1, DAYS + 1))
    assert series.sizes["community"] == DEFAULT_COMMUNITIES
    np.testing.assert_array_equal(series["community"].values, np.arange(DEFAULT_COMMUNITIES))


def test_timeseries_totals_match_summary(series, h5):
    s = h5["summary"]
    assert int(series["arisen"].sum()) == s["requests_arisen"][()]
    assert int(series["resolved"].sum()) == s["requests_resolved"][()]
    assert int(series["resolved_on_time"].sum()) == s["requests_resolved_on_time"][()]
    assert int(series["abandoned"].sum()) == s["requests_abandoned"][()]
    assert int(series["resolved_in_grid"].sum()) == h5["levels/resolved"][0]
    assert int(series["escalated_from_grid"].sum()) == h5["levels/escalated"][0]
    last_backlog = int(series["backlog"].isel(day=-1).sum())
    assert last_backlog == s["backlog_end"][()] + s["unknown_end"][()]


# ---- histograms ---------------------------------------------------------------------

def test_histograms(h5, run_file):
    hist = h5["summary/satisfaction_histogram"][:]
    assert abs(hist.sum() - 1.0) < 1e-9
    assert abs(h5["summary/trust_histogram"][:].sum() - 1.0) < 1e-9
    with xr.open_dataset(run_file, engine="h5netcdf", group="summary",
                         decode_timedelta=False) as s:
        assert s["satisfaction_histogram"].dims == ("score_bin",)
        assert s["trust_histogram"].dims == ("score_bin",)
        np.testing.assert_allclose(s["score_bin"].values, (np.arange(10) + 0.5) / 10)
    ttr = h5["summary/time_to_resolution_histogram"][:]
    assert abs(ttr.sum() - 1.0) < 1e-9
    lower, upper = h5["summary/ttr_bin"][:], h5["summary/ttr_bin_upper"][:]
    assert lower[0] == 0 and np.isinf(upper[-1])
    np.testing.assert_array_equal(lower[1:], upper[:-1])
    # the median lies in the bin where the cumulative share first reaches 1/2
    median = h5["summary/time_to_resolution_median"][()]
    k = int(np.searchsorted(np.cumsum(ttr), 0.5 - 1e-12))
    assert lower[k] <= median <= upper[k]
    with xr.open_dataset(run_file, engine="h5netcdf", group="levels") as lv:
        assert lv["entered"].dims == ("level",)


# ---- documentation ------------------------------------------------------------------

def test_docs_mention_every_dataset(h5, source_dir):
    doc = source_dir / "docs" / "output.md"
    assert doc.is_file(), f"{doc} is missing"
    text = doc.read_text(encoding="utf-8")
    missing = [f"/{name}" for name in sorted(all_datasets(h5))
               if not name.startswith("parameters/") and f"`/{name}`" not in text]
    assert not missing, f"docs/output.md does not mention: {missing}"
    assert "`/parameters/<name>`" in text


# ---- a run without requests ---------------------------------------------------------

def test_zero_rate_run(govsim, tmp_path):
    out = run_govsim(govsim, tmp_path / "zero.h5",
                     "--set", "requests.rate_urban=0",
                     "--set", "requests.rate_resettled=0",
                     "--set", "requests.rate_migrant=0")
    with h5py.File(out, "r") as f:
        s = f["summary"]
        assert s["requests_arisen"][()] == 0
        assert s["requests_resolved"][()] == 0
        assert math.isnan(s["time_to_resolution_mean"][()])
        assert math.isnan(s["time_to_resolution_median"][()])
        assert math.isnan(s["cost_per_resolved"][()])
        assert math.isnan(s["abandonment_rate"][()])
        assert math.isnan(s["resolution_rate_on_time"][()])
        assert abs(s["satisfaction_histogram"][:].sum() - 1.0) < 1e-9
        assert np.isnan(s["time_to_resolution_histogram"][:]).all()
        assert int(f["timeseries/arisen"][:].sum()) == 0


# ---- event log ---------------------------------------------------------------------

def test_event_log(govsim, tmp_path):
    """The optional event log agrees with the summary and tells each request's story in order."""
    out = run_govsim(govsim, tmp_path / "events.h5", "--set", "output.event_log=true")
    with h5py.File(out, "r") as f:
        ev = f["events"]
        labels = ev.attrs["kind_labels"].split()
        for name in ("time", "request", "kind", "level", "category"):
            assert ev[name].attrs["units"] and ev[name].attrs["description"]
        kind = ev["kind"][:]
        count = {k: int((kind == i).sum()) for i, k in enumerate(labels)}
        s = f["summary"]
        assert count["arose"] == s["requests_arisen"][()]
        assert count["resolved"] == s["requests_resolved"][()]
        assert count["abandoned"] == s["requests_abandoned"][()]
        assert count["passed_up"] == s["escalations"][()]
        t, req, level = ev["time"][:], ev["request"][:], ev["level"][:]
    order = np.lexsort((t, req))
    # within a request, times never go backwards and levels never go down
    same = req[order][1:] == req[order][:-1]
    assert np.all(np.diff(t[order])[same] >= 0)
    assert np.all(np.diff(level[order])[same] >= 0)


def test_no_event_log_by_default(h5):
    assert "events" not in h5
