"""The five case scenarios in params/: every value that differs from the built-in
default answers "where does this number come from?" (a report and a key of
docs/case-figures.csv, or an `assumed` mark with its reasoning), and each file runs.
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
EXTRA = ["yuzhou_before", "changchun_before"]
SCENARIOS = CASES + EXTRA
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
