"""govsim calibrate: recovery of known parameters on a synthetic problem, the
output file, and refusal of bad calibration files.

The synthetic targets are produced by the model itself: the test runs the small
scenario below at known parameter values on seeds the calibration never uses,
takes the means, and asks `govsim calibrate` to find the values again.
"""
import os
import subprocess

import h5py
import numpy as np
import pytest

GOVSIM = os.environ["GOVSIM"]

# Small world, short horizon: ~600 requests a run, a run takes a few milliseconds.
# The case life cycle is off: its heavy-tailed third-party waits make the mean time
# to resolution too noisy in 40 days to identify the report delay to 10%; this test
# is about the calibration machinery, not the model.
SMALL = """scenario.name: small
time.days: 40
world: {streets: 1, communities: 2, grids: 8}
grid.households: 300
casework.enabled: false
"""
TRUTH = {"requests.rate_urban": 1.6, "intake.report_delay_hours": 30.0}
TARGETS = ["requests_arisen", "time_to_resolution_mean"]
# Stated tolerance of recovery: each estimate within 10% of the true value.
RECOVERY_RTOL = 0.10


def run_model(tmp, seed, values):
    out = tmp / f"truth-{seed}.h5"
    sets = sum((["--set", f"{k}={v}"] for k, v in values.items()), [])
    subprocess.run([GOVSIM, "run", str(tmp / "small.yaml"), "--seed", str(seed), "-q",
                    "--threads", "1", "-o", str(out)] + sets, check=True)
    with h5py.File(out, "r") as f:
        return [float(f["summary"][t][()]) for t in TARGETS]


@pytest.fixture(scope="module")
def problem(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("calib")
    (tmp / "small.yaml").write_text(SMALL)
    runs = np.array([run_model(tmp, 5001 + i, TRUTH) for i in range(12)])
    return tmp, runs.mean(axis=0), runs.std(axis=0, ddof=1)


def calibration_file(tmp, means, sds, method):
    # Tolerances: the replicate sd of each target, so both weigh alike.
    text = f"""base: small.yaml
seed: 1
replicates: 6
check_replicates: 10
method: {method}
parameters:
  requests.rate_urban: {{min: 0.3, max: 3, scale: log}}
  intake.report_delay_hours: {{min: 2, max: 80}}
targets:
  {TARGETS[0]}: {{value: {means[0]!r}, tolerance: {sds[0]!r}}}
  {TARGETS[1]}: {{value: {means[1]!r}, tolerance: {sds[1]!r}}}
smm: {{design_points: 8, max_iterations: 40, simplex_tolerance: 0.02}}
abc: {{samples: 64, accept_fraction: 0.1}}
"""
    path = tmp / f"cal-{method}.yaml"
    path.write_text(text)
    return path, text


def calibrate(path, out, *extra):
    return subprocess.run([GOVSIM, "calibrate", str(path), "-o", str(out), "--threads", "2"]
                          + list(extra), capture_output=True, text=True)


def test_smm_recovers_known_parameters(problem):
    tmp, means, sds = problem
    path, text = calibration_file(tmp, means, sds, "smm")
    out = tmp / "smm.h5"
    r = calibrate(path, out)
    assert r.returncode == 0, r.stderr
    assert "requests.rate_urban" in r.stdout and "fitted mean" in r.stdout
    with h5py.File(out, "r") as f:
        names = [n.decode() for n in f["calibration/parameter_names"][()]]
        est = dict(zip(names, f["calibration/estimate"][()]))
        for k, v in TRUTH.items():
            assert abs(est[k] - v) <= RECOVERY_RTOL * v, (k, est[k], v)
        # the fit on fresh seeds: each target within its tolerance (one replicate sd)
        assert f["calibration/fit_within_tolerance"][()].all()
        assert f["provenance"].attrs["calibration_file_text"] == text
        assert f["calibration/candidates/parameters"].shape[1] == 2
        assert f["calibration/converged"][()] == 1


def test_abc_posterior_covers_known_parameters(problem):
    tmp, means, sds = problem
    path, _ = calibration_file(tmp, means, sds, "abc")
    out = tmp / "abc.h5"
    r = calibrate(path, out, "--quiet")
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    with h5py.File(out, "r") as f:
        names = [n.decode() for n in f["calibration/parameter_names"][()]]
        lo = dict(zip(names, f["calibration/posterior_q025"][()]))
        hi = dict(zip(names, f["calibration/posterior_q975"][()]))
        est = dict(zip(names, f["calibration/estimate"][()]))
        assert f["calibration/candidates/accepted"][()].sum() == 6  # round(0.1 * 64)
        for k, v in TRUTH.items():
            # 64 prior samples only: the posterior is wide; ask coverage and 25%
            assert lo[k] <= v <= hi[k], (k, lo[k], hi[k], v)
            assert abs(est[k] - v) <= 0.25 * v, (k, est[k], v)


def test_every_dataset_has_units_and_description(problem):
    tmp = problem[0]
    with h5py.File(tmp / "smm.h5", "r") as f:
        missing = []
        f.visititems(lambda n, o: missing.append(n) if isinstance(o, h5py.Dataset) and not (
            "units" in o.attrs and o.attrs["description"]) else None)
        assert missing == []
        assert f.attrs["kind"] == "calibration"
        assert f["provenance"].attrs["seed"] == 1


def test_results_do_not_depend_on_threads(problem):
    tmp, means, sds = problem
    path, text = calibration_file(tmp, means, sds, "abc")
    path = tmp / "cal-threads.yaml"  # a smaller prior sample: only equality matters here
    path.write_text(text.replace("samples: 64", "samples: 16").replace("replicates: 6", "replicates: 3"))
    a, b = tmp / "t1.h5", tmp / "t2.h5"
    for out, n in ((a, "1"), (b, "2")):
        r = subprocess.run([GOVSIM, "calibrate", str(path), "-o", str(out), "-q", "--threads", n],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        for name in ("calibration/candidates/output_mean", "calibration/estimate",
                     "calibration/fit_mean"):
            assert np.array_equal(fa[name][()], fb[name][()], equal_nan=True), name


BAD = [
    # (file text, expected pieces of the message)
    ("parameters: {requests.rate_urbn: {min: 0.1, max: 2}}\n"
     "targets: {requests_arisen: {value: 1, tolerance: 1}}\n",
     [":1:", "requests.rate_urbn", "did you mean 'requests.rate_urban'"]),
    ("parameters:\n  requests.rate_urban: {min: 2, max: 1}\n"
     "targets: {requests_arisen: {value: 1, tolerance: 1}}\n",
     [":2:", "requests.rate_urban", "below max"]),
    ("parameters: {requests.rate_urban: {min: 0.1, max: 2}}\n"
     "targets:\n  requests_arisn: {value: 1, tolerance: 1}\n",
     [":3:", "requests_arisn", "unknown output"]),
    ("parameters: {requests.rate_urban: {min: 0.1, max: 2}}\n"
     "targets: {requests_arisen: {value: 1, tolerance: 0}}\n",
     [":2:", "requests_arisen", "tolerance"]),
    ("parameters: {requests.rate_urban: {min: 0.1, max: 2}}\n"
     "targets: {requests_arisen: {value: 1, tolerance: 1}}\nmethod: mcmc\n",
     [":3:", "method", "expected 'smm', 'abc' or 'abc-smc'"]),
    ("parameters: {requests.rate_urban: {min: 0.1, max: 2}}\n"
     "targets: {requests_arisen: {value: 1, tolerance: 1}}\nreplicats: 4\n",
     [":3:", "replicats"]),
    ("parameters: {requests.rate_urban: {min: 0.1, max: 2}}\n"
     "targets: {requests_arisen: {value: 1, tolerance: 1}}\nreplicates: 0\n",
     [":3:", "replicates", "at least 1"]),
    ("base: missing.yaml\nparameters: {requests.rate_urban: {min: 0.1, max: 2}}\n"
     "targets: {requests_arisen: {value: 1, tolerance: 1}}\n",
     [":1:", "base", "missing.yaml"]),
    ("set: {grid.households: 0}\nparameters: {requests.rate_urban: {min: 0.1, max: 2}}\n"
     "targets: {requests_arisen: {value: 1, tolerance: 1}}\n",
     [":1", "grid.households", "out of range"]),
    ("parameters: {scenario.name: {min: 0.1, max: 2}}\n"
     "targets: {requests_arisen: {value: 1, tolerance: 1}}\n",
     [":1:", "scenario.name", "not numeric"]),
    ("targets: {requests_arisen: {value: 1, tolerance: 1}}\n",
     [":1:", "needs 'parameters' and 'targets'"]),
]


@pytest.mark.parametrize("text,needles", BAD)
def test_bad_calibration_file_is_refused(tmp_path, text, needles):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    out = tmp_path / "out.h5"
    r = calibrate(path, out)
    assert r.returncode == 2, r.stderr
    assert "bad.yaml" in r.stderr
    for n in needles:
        assert n in r.stderr, (n, r.stderr)
    assert list(tmp_path.glob("*.h5*")) == []
