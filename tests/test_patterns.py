"""The pattern check (scripts/patterns.py, params/patterns.yaml) and the headline-table
regression (scripts/scenario_table.py, tests/scenario_table_expected.csv): both pass on
the shipped scenarios and both can fail."""
import os
import pathlib
import subprocess
import sys

GOVSIM = os.environ["GOVSIM"]
SRC = pathlib.Path(os.environ["GOVSIM_SOURCE_DIR"])
PY = sys.executable
PATTERNS = [PY, str(SRC / "scripts" / "patterns.py"), GOVSIM]
TABLE = [PY, str(SRC / "scripts" / "scenario_table.py"), GOVSIM]
sys.path.insert(0, str(SRC / "scripts"))


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def test_pattern_outputs_exist(tmp_path):
    """Every output a pattern names is one scripts/scenario_table.py computes."""
    import patterns
    import scenario_table
    doc = patterns.load(SRC / "params" / "patterns.yaml")
    out = tmp_path / "y.h5"
    subprocess.run([GOVSIM, "run", str(SRC / "params" / "yuzhou.yaml"), "--days", "3", "-q", "-o", str(out)],
                   check=True)
    names = scenario_table.outputs(out)
    assert [p["output"] for p in doc["patterns"] if p["output"] not in names] == []


def test_bad_pattern_file_is_exit_2(tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("patterns:\n  - {id: x, output: util_max, scenarios: all, range: [1, 0], source: s}\n")
    r = run(PATTERNS + ["--patterns", str(bad)])
    assert r.returncode == 2 and "range" in r.stderr


REQ = ["--only", "reported_requests", "--scenario", "yuzhou", "--replicates", "1", "--days", "30"]


def test_pattern_check_passes_on_the_shipped_scenario():
    r = run(PATTERNS + REQ)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "inside" in r.stdout


def test_pattern_check_fails_when_an_assumed_value_leaves_its_range():
    # request rates x10 (an assumed value far outside its plausible range): reported
    # requests per 1,000 residents leave 200-400 and the check exits 1
    x10 = ["--set", "requests.rate_urban=10", "--set", "requests.rate_resettled=13",
           "--set", "requests.rate_migrant=7"]
    r = run(PATTERNS + REQ + x10)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "OUTSIDE" in r.stdout


def test_headline_table_within_bands():
    """Quick form of the regression: the ten case files, 90 days, 2 replicates, against
    tests/scenario_table_expected.csv, plus the invariants (utilisation <= 1, upper-level
    abandonment bounds, reported requests 200-400, each reform's direction)."""
    r = run(TABLE + ["--quick", "--check", str(SRC / "tests" / "scenario_table_expected.csv")])
    assert r.returncode == 0, r.stdout + r.stderr


def test_headline_table_check_can_fail(tmp_path):
    exp = tmp_path / "e.csv"
    lines = (SRC / "tests" / "scenario_table_expected.csv").read_text().splitlines()
    keep = [lines[0]] + [l for l in lines[1:] if l.startswith("daixian,")]
    assert len(keep) > 5
    exp.write_text("\n".join(keep) + "\n")
    dai = str(SRC / "params" / "daixian.yaml")
    assert run(TABLE + [dai, "--quick", "--check", str(exp)]).returncode == 0
    moved = [l if not l.startswith("daixian,resolution_rate_on_time,") else
             "daixian,resolution_rate_on_time,{:.6g},0.1".format(float(l.split(",")[2]) + 10) for l in keep]
    exp.write_text("\n".join(moved) + "\n")
    r = run(TABLE + [dai, "--quick", "--check", str(exp)])
    assert r.returncode == 1 and "MISS daixian resolution_rate_on_time" in r.stdout
