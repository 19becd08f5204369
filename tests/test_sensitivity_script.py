"""scripts/sensitivity.py end to end on a tiny design (issue 19): the Morris screening
over every assumed parameter's plausible range, then Sobol indices of the leaders, the
plot and the Markdown tables. A tiny world for a few days, so the indices mean nothing;
the test checks the plumbing: every assumed parameter is varied within its range, the
chosen ones are the screening's leaders and the index tables are complete."""
import csv
import os
import pathlib
import subprocess
import sys

import h5py
import numpy as np

SRC = pathlib.Path(os.environ.get("GOVSIM_SOURCE_DIR", pathlib.Path(__file__).resolve().parent.parent))
GOVSIM = os.environ.get("GOVSIM", str(SRC / "build" / "govsim"))
TINY = ["world.streets=1", "world.communities=2", "world.grids=3"]


def test_screen_then_sobol(tmp_path):
    out = tmp_path / "s"
    cmd = [sys.executable, str(SRC / "scripts" / "sensitivity.py"), GOVSIM, "--days", "5",
           "--outdir", str(out), "--morris-r", "1", "--top", "3", "--per-output", "1",
           "--sobol-n", "4", "--boot", "50", "--nice", "0", "--threads", "1",
           "--plot", str(tmp_path / "p.png"), "--markdown", str(tmp_path / "t.md")]
    for s in TINY:
        cmd += ["--set", s]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    fixed = {s.split("=")[0] for s in TINY}   # fixed with --set: not varied
    ranges = [row for row in csv.DictReader(open(out / "ranges.tsv"), delimiter="\t")
              if row["origin"] == "assumed" and row["name"] not in fixed]
    assert len(ranges) >= 150
    with h5py.File(out / "screen.h5", "r") as f:
        varied = f.attrs["parameters"]
        varied = (varied.decode() if isinstance(varied, bytes) else varied).split()
        assert sorted(varied) == sorted(row["name"] for row in ranges)
        for row in ranges:
            v = f["design"][row["name"]][()]
            assert v.min() >= float(row["plausible_lo"]) - 1e-9, row["name"]
            assert v.max() <= float(row["plausible_hi"]) + 1e-9, row["name"]
    chosen = [line for line in r.stdout.splitlines() if line.startswith("chosen:")]
    assert chosen, r.stdout
    chosen = chosen[0].split(":", 1)[1].strip().split(",")
    assert len(chosen) == 3
    with h5py.File(out / "sobol.h5", "r") as f:
        assert f.attrs["design"] in ("sobol", b"sobol")
        assert f["design/run"].shape[0] == 4 * (3 + 2)
    rows = list(csv.DictReader(open(out / "sobol.csv")))
    assert len(rows) == 6 * 3
    assert {row["parameter"] for row in rows} == set(chosen)
    assert all(np.isfinite(float(row["ST"])) for row in rows)
    assert (tmp_path / "p.png").stat().st_size > 10000
    md = (tmp_path / "t.md").read_text()
    assert "on-time resolution" in md and "| parameter | S1 |" in md
    # the tables of docs/uncertainty.md from the same directory: a row per parameter asked
    # for, values in [0, 1], the signs and bold marks of the page's convention
    t = subprocess.run([sys.executable, str(SRC / "scripts" / "sensitivity_tables.py"), str(out), "-",
                        "--top", "5"], capture_output=True, text=True, timeout=60)
    assert t.returncode == 0, t.stderr
    body = [line for line in t.stdout.splitlines() if line.startswith("| `")]
    assert len(body) == 5, t.stdout
    for line in body:
        cells = [c.strip().replace("**", "").split(" ")[0] for c in line.strip("|").split("|")[1:]]
        assert len(cells) == 6 and all(0 <= float(c) <= 1 for c in cells), line
    assert max(float(c.strip().replace("**", "").split(" ")[0])
               for line in body for c in line.strip("|").split("|")[1:]) == 1.0
    bad = subprocess.run([sys.executable, str(SRC / "scripts" / "sensitivity_tables.py"), str(tmp_path / "none")],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "no such file" in bad.stderr
