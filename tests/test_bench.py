"""The benchmark driver still runs and writes its table (a smoke test, not a benchmark:
one-day workloads, no timing is judged).

Run with GOVSIM=build/govsim GOVSIM_SOURCE_DIR=. /usr/bin/python3 -m pytest tests/test_bench.py
"""
import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SOURCE = Path(os.environ.get("GOVSIM_SOURCE_DIR", "."))
GOVSIM = os.environ.get("GOVSIM", "govsim")
WORKLOADS = ["default", "idle", "strong-1", "strong-2"]


def test_bench_driver_writes_the_table(tmp_path):
    proc = subprocess.run([sys.executable, str(SOURCE / "bench" / "bench.py"), "--govsim", GOVSIM,
                           "--days", "1", "--repeat", "1", "--out", str(tmp_path), *WORKLOADS],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    with open(tmp_path / "bench.csv") as f:
        rows = {r["workload"]: r for r in csv.DictReader(f)}
    assert list(rows) == WORKLOADS
    for name, r in rows.items():
        assert float(r["wall_s"]) > 0 and float(r["cpu_s"]) > 0, name
        assert float(r["peak_mib"]) > 10, name            # a process with HDF5 loaded
        assert 0 < float(r["hdf5_s"]) < float(r["wall_s"]), name
        assert r["description"], name
    assert int(rows["default"]["requests"]) > 0 and int(rows["idle"]["requests"]) == 0
    assert rows["strong-1"]["threads"] == "1" and rows["strong-2"]["threads"] == "2"
    # 9 M residents: bytes per resident is peak memory over residents
    r = rows["strong-2"]
    residents = 2995 * 1113 * 2.7
    assert abs(float(r["bytes_per_resident"]) - float(r["peak_mib"]) * 1048576 / residents) < 0.1
    md = (tmp_path / "bench.md").read_text()
    assert "| workload | threads |" in md and "Strong scaling: parallel efficiency" in md


def test_bench_refuses_unknown_workload(tmp_path):
    proc = subprocess.run([sys.executable, str(SOURCE / "bench" / "bench.py"), "--govsim", GOVSIM,
                           "--out", str(tmp_path), "chnagchun"], capture_output=True, text=True)
    assert proc.returncode != 0 and "unknown workload 'chnagchun'" in proc.stderr


def run_ab(tmp_path, baseline):
    proc = subprocess.run([sys.executable, str(SOURCE / "bench" / "bench.py"), "--govsim", GOVSIM,
                           "--baseline", str(baseline), "--days", "2", "--repeat", "2", "default"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    rows = [l for l in proc.stdout.splitlines() if l.startswith("| default |")]
    assert len(rows) == 1, proc.stdout
    return [c.strip() for c in rows[0].strip("|").split("|")]


def test_bench_ab_says_whether_results_are_identical(tmp_path):
    cells = run_ab(tmp_path, GOVSIM)
    assert all(float(c) > 0 for c in cells[1:3] + cells[4:6]) and cells[-1] == "identical"
    # a "baseline" that runs another model variant must be reported as differing
    other = tmp_path / "other-govsim"
    other.write_text(f'#!/bin/sh\nexec "{os.path.abspath(GOVSIM)}" "$@" --set grid.workers=5\n')
    other.chmod(0o755)
    assert run_ab(tmp_path, other)[-1] == "differ"


def test_bench_scales_to_the_threads_the_machine_has(tmp_path):
    # as on a 4-core machine: strong-4 and weak-4 exist and enter the derived lines
    env = dict(os.environ, GOVSIM_BENCH_THREADS="4")
    names = ["strong-1", "strong-2", "strong-4", "weak-1", "weak-4"]
    proc = subprocess.run([sys.executable, str(SOURCE / "bench" / "bench.py"), "--govsim", GOVSIM,
                           "--days", "1", "--repeat", "1", "--out", str(tmp_path), *names],
                          capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr
    with open(tmp_path / "bench.csv") as f:
        rows = {r["workload"]: r for r in csv.DictReader(f)}
    assert rows["strong-4"]["threads"] == "4" and rows["weak-4"]["threads"] == "4"
    assert float(rows["weak-4"]["residents"]) == 2 * float(rows["strong-4"]["residents"])
    md = (tmp_path / "bench.md").read_text()
    assert "parallel efficiency at 4 threads" in md and "wall(weak-1) / wall(weak-4)" in md


@pytest.mark.skipif(shutil.which("valgrind") is None or os.environ.get("GOVSIM_SANITIZED") == "1",
                    reason="needs valgrind, which cannot run a sanitizer build")
def test_bench_cost_counts_a_steady_month_per_request():
    proc = subprocess.run([sys.executable, str(SOURCE / "bench" / "bench.py"), "--govsim", GOVSIM,
                           "--cost", "default"], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    rows = [[c.strip() for c in l.strip("|").split("|")] for l in proc.stdout.splitlines()
            if l.startswith("| default |")]
    assert len(rows) == 1, proc.stdout
    requests, instructions, l1, ll = (float(c.replace(",", "")) for c in rows[0][1:5])
    # about 4,400 requests a month in the default scenario; thousands of instructions
    # each, and misses of the 1 MiB cache no more than those of the L1
    assert 3000 < requests < 6000
    assert 1000 < instructions < 100000
    assert 0 < ll <= l1


def test_bench_cost_says_what_it_needs(tmp_path):
    env = dict(os.environ, PATH=str(tmp_path))   # no valgrind on this PATH
    proc = subprocess.run([sys.executable, str(SOURCE / "bench" / "bench.py"), "--govsim", GOVSIM,
                           "--cost"], capture_output=True, text=True, env=env)
    assert proc.returncode != 0 and "needs valgrind" in proc.stderr


def test_bench_records_the_hosts_speed_with_each_run(tmp_path):
    # bench/hostprobe (built beside govsim) runs before each timed run; each full-length
    # run goes to OUT/rounds.csv with the probe's two numbers, and --host-plot draws them
    build_dir = Path(GOVSIM).resolve().parent
    if not (build_dir / "hostprobe").is_file():
        pytest.skip("no hostprobe beside govsim")
    base = [sys.executable, str(SOURCE / "bench" / "bench.py"), "--govsim", GOVSIM,
            "--build-dir", str(build_dir), "--out", str(tmp_path)]
    proc = subprocess.run(base + ["--repeat", "2", "default"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    with open(tmp_path / "rounds.csv") as f:
        rows = list(csv.DictReader(f))
    assert [r["workload"] for r in rows] == ["default", "default"]
    for r in rows:
        assert r["revision"] and float(r["wall_s"]) > 0
        assert 0.1 < float(r["compute_ns"]) < 1000 and 1 < float(r["memory_ns"]) < 10000
    assert "Host during the rounds" in (tmp_path / "bench.md").read_text()
    png = tmp_path / "host.png"
    proc = subprocess.run(base + ["default", "--host-plot", str(png)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert png.stat().st_size > 1000
    proc = subprocess.run(base + ["changchun", "--host-plot", str(png)], capture_output=True, text=True)
    assert proc.returncode != 0 and "no changchun run" in proc.stderr
