"""The five case scenarios in params/, each a before/after pair: every value that differs
from the built-in default answers "where does this number come from?" (a report and a key
of docs/case-figures.csv, or an `assumed` mark with its reasoning); every per-city count is
set explicitly in every file, so no case inherits another's counts through a default; and
each file runs.
"""
import csv
import os
import pathlib
import re
import subprocess

import pytest
import yaml

GOVSIM = os.environ["GOVSIM"]
SRC = pathlib.Path(os.environ["GOVSIM_SOURCE_DIR"])
CASES = ["yuzhou", "hedong", "changchun", "jiangsu_settlement", "daixian"]
# before/after pairs of the reforms the reports describe
EXTRA = [f"{c}_before" for c in CASES]
SCENARIOS = CASES + EXTRA
# Per-city counts (MODEL.md section 11): a case file must set each of them itself, with its
# source or an `assumed` mark, even where the value equals the built-in default (the
# defaults are Yuzhou's or Hedong's figures, docs/ODD.md section 6).
REQUIRED = [
    "world.streets", "world.communities", "world.grids",
    "grid.households", "grid.workers", "grid.subsidy_per_year",
    "household.persons", "household.share_resettled", "household.share_migrant",
    "community.staff", "community.first_secretaries", "community.ab_posts",
    "street.caseworkers", "district.caseworkers",
    "members.in_service_per_community",
    "cobuild.units", "cobuild.needs_per_community_year", "cobuild.special_fund_year",
    "cobuild.project_budget_per_community",
    "microwish.cards_per_community",
    "meetings.street_interval_days", "meetings.district_interval_days",
    "intake.acceptance_24h", "app.share_grids",
    "cost.venue_investment", "cost.app_investment",
]
REF = re.compile(r"(\d{3}_[0-9a-f]{16}\.txt):([a-z0-9_]+)")


def figures():
    with open(SRC / "docs" / "case-figures.csv", newline="") as f:
        return {(r["seed_file"], r["key"]) for r in csv.DictReader(f)}


def defaults():
    out = subprocess.run([GOVSIM, "params"], capture_output=True, text=True, check=True).stdout
    table = {}
    for line in out.splitlines()[1:]:
        parts = line.split()
        if line[:1].strip() and len(parts) >= 3 and parts[1] in ("int", "real", "bool"):
            table[parts[0]] = parts[2]
    return table


def leaves(node, prefix=""):
    """(dotted key, value text, line of the key, lines of the enclosing keys) of a YAML tree."""
    for k, v in node.value:
        name = f"{prefix}.{k.value}" if prefix else k.value
        if isinstance(v, yaml.MappingNode):
            for key, text, line, outer in leaves(v, name):
                yield key, text, line, [k.start_mark.line] + outer
        else:
            yield name, v.value, k.start_mark.line, []


def comment_of(lines, i):
    """The comment on line i and the block of comment-only lines directly above it."""
    text = lines[i].split("#", 1)[1] if "#" in lines[i] else ""
    j = i - 1
    while j >= 0 and lines[j].lstrip().startswith("#"):
        text += " " + lines[j]
        j -= 1
    return text


def same(value, default):
    if default in ("true", "false"):
        return str(value).lower() in (default, "yes" if default == "true" else "no")
    try:
        return abs(float(value) - float(default)) <= 1e-12 * max(1.0, abs(float(default)))
    except ValueError:
        return False


def test_all_five_cases_have_a_file():
    for name in SCENARIOS:
        assert (SRC / "params" / f"{name}.yaml").is_file(), name


def unset_counts(text):
    """REQUIRED keys a scenario text does not set itself, or sets without a source or `assumed`."""
    lines = text.splitlines()
    known = figures()
    found = {}
    for key, value, line, outer in leaves(yaml.compose(text)):
        found[key] = " ".join(comment_of(lines, i) for i in [line] + outer)
    bad = []
    for key in REQUIRED:
        if key not in found:
            bad.append(f"{key}: not set")
        elif "assumed" not in found[key] and not any(r in known for r in REF.findall(found[key])):
            bad.append(f"{key}: no source or 'assumed'")
    return bad


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_count_set_explicitly(name):
    """No default leaks into a case: each per-city count is in the file with its source."""
    bad = unset_counts((SRC / "params" / f"{name}.yaml").read_text())
    assert not bad, f"{name}.yaml: " + "; ".join(bad)


def test_required_keys_are_parameters():
    table = defaults()
    assert all(k in table for k in REQUIRED), [k for k in REQUIRED if k not in table]


def test_count_check_can_fail():
    # drop one count (cobuild.units) from a shipped file: the check names it
    text = (SRC / "params" / "hedong.yaml").read_text()
    cut = "\n".join(l for l in text.splitlines() if not l.strip().startswith("units:"))
    assert unset_counts(text) == []
    assert unset_counts(cut) == ["cobuild.units: not set"]
    # a count set without a comment is caught too
    bare = text.replace("  caseworkers: 15\n", "  caseworkers: 15  # \n", 1)
    bare = "\n".join(l for l in bare.splitlines() if "sizing rule of docs/scenarios.md" not in l
                     and "requests a year (rates x households)" not in l and "/ 13 streets / 2,300" not in l
                     and "for its 54,000 requests" not in l)
    assert "street.caseworkers: no source or 'assumed'" in unset_counts(bare)


@pytest.mark.parametrize("case", CASES)
def test_before_differs_from_after(case):
    """The pair differs (by the reform), and not in the city's structure."""
    def values(n):
        return {k: v for k, v, _, _ in leaves(yaml.compose((SRC / "params" / f"{n}.yaml").read_text()))}
    after, before = values(case), values(f"{case}_before")
    diff = {k for k in set(after) | set(before) if after.get(k) != before.get(k)} - {"scenario.name", "scenario.description"}
    assert diff, case
    for k in ("world.streets", "world.communities", "world.grids", "grid.households", "household.persons",
              "household.share_resettled", "household.share_migrant", "street.caseworkers", "district.caseworkers"):
        assert after[k] == before[k], f"{case}: {k} differs between before and after"


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_non_default_value_has_a_source(name):
    path = SRC / "params" / f"{name}.yaml"
    lines = path.read_text().splitlines()
    known, table = figures(), defaults()
    for ref in REF.findall(path.read_text()):
        assert ref in known, f"{path.name}: {ref[0]}:{ref[1]} is not in docs/case-figures.csv"
    missing = []
    for key, value, line, outer in leaves(yaml.compose(path.read_text())):
        if key not in table or same(value, table[key]):
            continue  # strings (scenario.*) and values equal to the default
        text = " ".join(comment_of(lines, i) for i in [line] + outer)
        sourced = any(ref in known for ref in REF.findall(text))
        if not sourced and "assumed" not in text:
            missing.append(f"{path.name}:{line + 1}: {key}: {value}")
    assert not missing, "values without a source comment or 'assumed':\n" + "\n".join(missing)


def test_check_catches_an_unsourced_value(tmp_path):
    # the check above must be able to fail: a value without a comment is caught
    path = tmp_path / "x.yaml"
    path.write_text("grid:\n  households: 333\n")
    lines = path.read_text().splitlines()
    (key, value, line, outer), = leaves(yaml.compose(path.read_text()))
    assert not same(value, defaults()[key]) and comment_of(lines, line) == ""


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_runs(name, tmp_path):
    out = tmp_path / f"{name}.h5"
    r = subprocess.run([GOVSIM, "run", str(SRC / "params" / f"{name}.yaml"), "--days", "2",
                        "-q", "-o", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert out.is_file()


@pytest.mark.parametrize("name", SCENARIOS)
def test_utilisation_at_most_one(name, tmp_path):
    """Demand beyond capacity shows as backlog and abandonment, never as busy time above
    the duty hours of funded and filled posts (ODD 7.4): every level, every scenario."""
    import h5py
    import math
    out = tmp_path / f"{name}.h5"
    r = subprocess.run([GOVSIM, "run", str(SRC / "params" / f"{name}.yaml"), "--days", "45",
                        "-q", "-o", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    with h5py.File(out, "r") as f:
        util = f["levels/utilisation"][()]
        duty = f["levels/hours_duty"][()]
        used = sum(f[f"levels/hours_{k}"][()] for k in ("requests", "tasks", "proactive"))
    for lv, u in enumerate(util):
        assert math.isnan(u) or u <= 1 + 1e-9, f"{name}: level {lv} utilisation {u}"
        assert used[lv] <= duty[lv] * (1 + 1e-9), f"{name}: level {lv} uses {used[lv]} of {duty[lv]} h"


def test_scenarios_doc_is_generated():
    """docs/scenarios.md is what scripts/scenario_doc.py writes from the case files and
    tests/scenario_table_expected_full.csv (regenerate it after changing either)."""
    import sys
    r = subprocess.run([sys.executable, str(SRC / "scripts" / "scenario_doc.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_resident_direction_check_can_fail():
    """scripts/scenario_table.py's check that every reform raises satisfaction and trust
    beyond its paired interval (in year-long runs, tests/ scenario_table_full) misses a reform
    that lowers them or moves them within noise, and passes one that raises them clearly."""
    import sys
    sys.path.insert(0, str(SRC / "scripts"))
    import scenario_table as st

    def runs(sat, trust):
        return [{"satisfaction_mean": s, "trust_mean": t} for s, t in zip(sat, trust)]

    before = runs([0.50, 0.52, 0.51], [0.40, 0.41, 0.42])
    up = runs([0.55, 0.57, 0.56], [0.45, 0.46, 0.47])
    down = runs([0.45, 0.47, 0.46], [0.45, 0.46, 0.47])
    noise = runs([0.51, 0.51, 0.52], [0.45, 0.46, 0.47])
    assert st.resident_directions({"yuzhou_before": before, "yuzhou": up}) == []
    missed = st.resident_directions({"yuzhou_before": before, "yuzhou": down})
    assert len(missed) == 1 and "satisfaction_mean" in missed[0]
    assert len(st.resident_directions({"yuzhou_before": before, "yuzhou": noise})) == 1
    # asked only of runs of a year or more
    base = {f"{k}_{lv}": 0.5 for k in ("util", "abandon") for lv in st.LEVELS}
    base.update(reported_per_1000=300.0, resolution_rate_on_time=0.6, task_share_community=0.5)
    res = {"yuzhou_before": [dict(base, **r) for r in before],
           "yuzhou": [dict(base, **r, resolution_rate_on_time=0.7, task_share_community=0.4)
                      for r in down]}
    assert not any("satisfaction" in m for m in st.invariants(res, 90))
    assert any("satisfaction" in m for m in st.invariants(res, 365))
