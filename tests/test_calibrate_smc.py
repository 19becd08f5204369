"""govsim calibrate, method abc-smc: ABC with sequential tolerances.

A tiny synthetic problem (the model's own output at a known request rate as the
target) checks that the method runs, shrinks its tolerance from generation to
generation, writes a weighted sample whose weights sum to 1, concentrates the
posterior of the identified parameter, and gives the same file for --threads 1 and 2.
Also: the calibration file's band targets and abc_smc settings are checked, and the
shipped pattern calibration sample (params/calibration/patterns.posterior.h5) is
readable and names parameters that exist.
"""
import os
import pathlib
import subprocess

import h5py
import numpy as np
import pytest
import yaml

GOVSIM = os.environ["GOVSIM"]
SRC = pathlib.Path(__file__).resolve().parent.parent

SMALL = """scenario.name: small
time.days: 60
world: {streets: 1, communities: 2, grids: 12}
grid.households: 300
household: {share_resettled: 0, share_migrant: 0}   # all urban: arisen requests follow rate_urban
casework.enabled: false
"""
TRUE_RATE = 1.5


@pytest.fixture(scope="module")
def problem(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("smc")
    (tmp / "small.yaml").write_text(SMALL)
    vals = []
    for seed in (9001, 9002, 9003):
        out = tmp / f"truth-{seed}.h5"
        subprocess.run([GOVSIM, "run", str(tmp / "small.yaml"), "--seed", str(seed), "-q",
                        "--threads", "1", "-o", str(out), "--set",
                        f"requests.rate_urban={TRUE_RATE}"], check=True)
        with h5py.File(out, "r") as f:
            vals.append(float(f["summary/requests_arisen"][()]))
    target = float(np.mean(vals))
    text = f"""base: small.yaml
seed: 3
replicates: 2
check_replicates: 2
method: abc-smc
abc_smc: {{particles: 12, generations: 5, quantile: 0.5, max_proposals: 10}}
parameters:
  requests.rate_urban: {{min: 0.3, max: 3, scale: log}}
  service.cv: {{min: 0.5, max: 2}}
targets:
  requests_arisen: {{value: {target!r}, tolerance: {0.05 * target!r}}}
  util_community: {{range: [0, 1], pattern: utilisation_at_most_one}}
"""
    path = tmp / "smc.yaml"
    path.write_text(text)
    files = {}
    for n in ("1", "2"):
        out = tmp / f"smc-{n}.h5"
        r = subprocess.run([GOVSIM, "calibrate", str(path), "-o", str(out), "--threads", n],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        files[n] = (out, r.stdout)
    return files


def test_runs_and_shrinks_the_tolerance(problem):
    out, stdout = problem["2"]
    assert "ABC-SMC" in stdout and "generation" in stdout
    with h5py.File(out, "r") as f:
        assert f["calibration"].attrs["method"] == "abc-smc"
        tol = f["calibration/generations/tolerance"][()]
        acc = f["calibration/generations/accepted"][()]
        assert len(tol) == 5 and np.isinf(tol[0])
        assert (np.diff(tol[1:]) < 0).all() and tol[-1] > 0, tol   # sequential tolerances shrink
        assert (acc == 12).all(), acc
        assert (f["calibration/generations/proposed"][()] >= acc).all()
        # the accepted proposals of the last generation are the sample
        stage = f["calibration/candidates/stage"][()]
        accepted = f["calibration/candidates/accepted"][()]
        assert accepted[stage == 4].sum() == 12


def test_sample_is_weighted_and_concentrates(problem):
    out, _ = problem["2"]
    with h5py.File(out, "r") as f:
        w = f["posterior/weight"][()]
        assert w.dtype == np.float64 and len(w) == 12
        assert abs(w.sum() - 1) < 1e-12 and (w > 0).all()
        rate = f["posterior/parameters/requests.rate_urban"][()]
        cv = f["posterior/parameters/service.cv"][()]
        assert rate.dtype == np.float64 and len(rate) == 12 and len(cv) == 12
        d = f["posterior/distance"][()]
        assert (d <= f["calibration/generations/tolerance"][4] + 1e-12).all()
        # requests_arisen pins the request rate down: the posterior is far narrower than
        # the prior (log-uniform on [0.3, 3]: sd 0.75) and holds the true value
        m = np.sum(w * rate)
        sd = np.sqrt(np.sum(w * (rate - m) ** 2))
        assert sd < 0.2 * 0.75, sd
        assert abs(m - TRUE_RATE) < 0.1 * TRUE_RATE, (m, rate)
        est = dict(zip([n.decode() for n in f["calibration/parameter_names"][()]],
                       f["calibration/estimate"][()]))
        assert abs(est["requests.rate_urban"] - m) < 1e-9
        # band target: recorded with its pattern id and ends
        names = [n.decode() for n in f["calibration/target_names"][()]]
        i = names.index("util_community")
        assert f["calibration/target_pattern"][i].decode() == "utilisation_at_most_one"
        assert f["calibration/target_low"][i] == 0 and f["calibration/target_high"][i] == 1
        missing = []
        f.visititems(lambda n, o: missing.append(n) if isinstance(o, h5py.Dataset) and not (
            "units" in o.attrs and o.attrs["description"]) else None)
        assert missing == []


def test_results_do_not_depend_on_threads(problem):
    (a, _), (b, _) = problem["1"], problem["2"]
    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        names = []
        fa["posterior"].visititems(lambda n, o: names.append("posterior/" + n)
                                   if isinstance(o, h5py.Dataset) else None)
        names += ["calibration/candidates/parameters", "calibration/candidates/output_mean",
                  "calibration/generations/tolerance", "calibration/generations/proposed",
                  "calibration/fit_mean"]
        assert "posterior/parameters/requests.rate_urban" in names
        for name in names:
            assert np.array_equal(fa[name][()], fb[name][()], equal_nan=True), name


P = "parameters: {requests.rate_urban: {min: 0.1, max: 2}}\n"
T = "targets: {requests_arisen: {value: 1, tolerance: 1}}\n"
BAD = [
    (P + T + "method: abc-smc\nabc_smc: {quantile: 1}\n", [":4:", "quantile"]),
    (P + T + "method: abc-smc\nabc_smc: {particles: 1}\n", [":4:", "particles", "at least 2"]),
    (P + T + "method: abc-smc\nabc_smc: {particle: 10}\n", [":4:", "particle"]),
    (P + "targets:\n  util_community: {range: [1, 0]}\n", [":3:", "util_community", "low <= high"]),
    (P + "targets:\n  util_community: {range: [0.5]}\n", [":3:", "range", "[low, high]"]),
    (P + "targets:\n  util_community: {range: [0, 1], value: 0.5}\n", [":3:", "either 'value'"]),
]


@pytest.mark.parametrize("text,needles", BAD)
def test_bad_abc_smc_file_is_refused(tmp_path, text, needles):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    r = subprocess.run([GOVSIM, "calibrate", str(path), "-o", str(tmp_path / "o.h5")],
                       capture_output=True, text=True)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "bad.yaml" in r.stderr
    for n in needles:
        assert n in r.stderr, (n, r.stderr)
    assert list(tmp_path.glob("*.h5*")) == []


SHIPPED = SRC / "params" / "calibration" / "patterns.posterior.h5"
SHIPPED_FILE = SRC / "params" / "calibration" / "patterns.yaml"


def test_shipped_sample_is_readable_and_names_real_parameters():
    assert SHIPPED.exists(), "the shipped pattern calibration sample is missing"
    listed = subprocess.run([GOVSIM, "params"], capture_output=True, text=True, check=True).stdout
    known = {line.split()[0] for line in listed.splitlines() if line and not line[0].isspace()}
    fitted = list(yaml.safe_load(SHIPPED_FILE.read_text())["parameters"])
    with h5py.File(SHIPPED, "r") as f:
        assert f.attrs["kind"] == "calibration"
        assert f["calibration"].attrs["method"] == "abc-smc"
        w = f["posterior/weight"][()]
        assert w.dtype == np.float64 and abs(w.sum() - 1) < 1e-9 and (w >= 0).all()
        names = list(f["posterior/parameters"])
        assert sorted(names) == sorted(fitted)
        for n in names:
            assert n in known, n
            v = f["posterior/parameters"][n][()]
            assert v.dtype == np.float64 and v.shape == w.shape and np.isfinite(v).all()
        # the file was made from the shipped calibration file as it is now
        assert f["provenance"].attrs["calibration_file_text"] == SHIPPED_FILE.read_text()


def test_pattern_calibration_file_matches_the_pattern_set():
    """Every pattern of params/patterns.yaml but the full_only ones is a target of the
    shipped calibration, in every scenario it names, with the pattern's output and range
    (a narrower pattern on the same output and scenario stands for a wider one)."""
    pats = yaml.safe_load((SRC / "params" / "patterns.yaml").read_text())["patterns"]
    cal = yaml.safe_load(SHIPPED_FILE.read_text())
    targets = cal["targets"]
    cases = ["yuzhou", "hedong", "changchun", "jiangsu_settlement", "daixian"]
    groups = {"after": cases, "before": [c + "_before" for c in cases]}
    groups["all"] = groups["before"] + groups["after"]
    for p in pats:
        if p.get("full_only"):
            continue
        sc = groups.get(p["scenarios"], p["scenarios"]) if isinstance(p["scenarios"], str) \
            else p["scenarios"]
        for s in sc:
            assert s in cal["bases"], s
            key = f"{p['output']}@{s}-{s}_before" if p.get("reform") else f"{p['output']}@{s}"
            assert key in targets, (p["id"], key)
            lo, hi = targets[key]["range"]
            if targets[key]["pattern"] == p["id"]:
                assert [lo, hi] == p["range"], (key, p["id"])
            else:   # a narrower pattern stands in
                assert p["range"][0] <= lo <= hi <= p["range"][1], (key, p["id"])
    ids = {t["pattern"] for t in targets.values()}
    assert ids <= {p["id"] for p in pats}


def test_several_bases_and_reform_differences(tmp_path):
    (tmp_path / "a.yaml").write_text(SMALL)
    (tmp_path / "b.yaml").write_text(SMALL.replace("grid.households: 300", "grid.households: 600"))
    (tmp_path / "cal.yaml").write_text("""bases: {a: a.yaml, b: b.yaml}
set: {time: {days: 20}}
replicates: 2
check_replicates: 1
method: abc-smc
abc_smc: {particles: 4, generations: 2}
parameters:
  requests.rate_urban: {min: 0.5, max: 2}
targets:
  requests_arisen@a: {range: [0, 100000]}
  requests_arisen@b: {range: [0, 100000]}
  requests_arisen@b-a: {range: [0, 100000], pattern: bigger}
""")
    out = tmp_path / "cal.h5"
    r = subprocess.run([GOVSIM, "calibrate", str(tmp_path / "cal.yaml"), "-o", str(out), "-q",
                        "--threads", "2"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    with h5py.File(out, "r") as f:
        names = [n.decode() for n in f["calibration/target_names"][()]]
        assert names == ["requests_arisen@a", "requests_arisen@b", "requests_arisen@b-a"]
        m = f["calibration/candidates/output_mean"][()]
        assert np.allclose(m[:, 2], m[:, 1] - m[:, 0])
        assert (m[:, 1] > 1.6 * m[:, 0]).all() and (m[:, 1] < 2.4 * m[:, 0]).all()
        # every particle ran in both bases on both seeds
        assert f["calibration/runs"][()] == len(m) * 2 * 2 + 2
        assert "a=" in f["provenance"].attrs["calibration_bases"]
    bad = tmp_path / "bad.yaml"
    bad.write_text((tmp_path / "cal.yaml").read_text().replace("@b-a:", "@b-c:"))
    r = subprocess.run([GOVSIM, "calibrate", str(bad), "-o", str(tmp_path / "bad.h5")],
                       capture_output=True, text=True)
    assert r.returncode == 2 and ":12:" in r.stderr and "'b-c' is not a base scenario" in r.stderr, r.stderr
