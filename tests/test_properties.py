"""Property test: random in-range parameter sets, short runs, invariants of the output.

A seeded generator draws parameter sets from the parameter table's own ranges (read
from `govsim params`), in a small world and a short run, and checks every output file:

- no NaN except where the dataset's description says NaN can occur;
- no negative value (counts, times, money...; units "... difference" may be), and values whose units are a
  fraction or a score in [0, 1] (/levels/utilisation included: work pauses off duty);
- conservation at every level (entered = resolved + abandoned + closed unsolved + passed up + open;
  what a level passes up enters the next) and overall (arisen = resolved +
  abandoned + open + not yet known).

Each set varies K parameters drawn at random among the numeric ones (besides the
world's size and the run's length, which are drawn small); log-uniform over wide
positive ranges. Sets that break a relation between parameters are refused by govsim
(exit 2) and redrawn; a refusal with another message, a crash or a broken invariant
fails the test and prints the command that reproduces it.

Quick form (ctest `properties_quick`, < 30 s):
    python3 tests/test_properties.py build/govsim --sets 12 --seed 1
Longer form (a few hundred sets, some minutes):
    python3 tests/test_properties.py build/govsim --sets 300 --seed 2 --days 120
"""
import argparse
import math
import os
import random
import re
import subprocess
import sys
import tempfile

import h5py
import numpy as np

# Set separately (small world, short run) or not a model input.
FIXED = {"run.seed", "time.days", "time.step_hours", "output.interval_days",
         "output.warmup_days", "world.streets", "world.communities", "world.grids",
         "grid.households", "output.event_log", "output.wait_threshold_hours"}


def parameters(govsim):
    """(name, type, lo, hi) of every numeric or boolean parameter."""
    out = subprocess.run([govsim, "params"], check=True, capture_output=True, text=True).stdout
    table = []
    for line in out.splitlines():
        m = re.match(r"^(\S+)\s+(int|real)\s+\S+\s+\[(\S+), (\S+)\]", line)
        if m:
            table.append((m[1], m[2], float(m[3]), float(m[4])))
        m = re.match(r"^(\S+)\s+bool\s+", line)
        if m:
            table.append((m[1], "bool", 0, 1))
    return table


def draw(rng, kind, lo, hi):
    if kind == "bool":
        return rng.choice(["true", "false"])
    if lo > 0 and hi / lo > 100:
        x = math.exp(rng.uniform(math.log(lo), math.log(hi)))
    elif lo == 0 and hi > 100:   # wide range from 0: mostly small values, sometimes 0
        x = 0.0 if rng.random() < 0.1 else math.exp(rng.uniform(math.log(1e-3), math.log(hi)))
    else:
        x = rng.uniform(lo, hi)
    if kind == "int":
        return str(int(min(hi, max(lo, round(x)))))
    return repr(min(hi, max(lo, x)))


def draw_set(rng, table, k, days):
    streets = rng.randint(1, 2)
    communities = streets * rng.randint(1, 2)
    grids = communities * rng.randint(1, 3)
    sets = {
        "run.seed": str(rng.randint(0, 2**40)),
        "time.days": str(days),
        "time.step_hours": rng.choice(["0.5", "1", "2", "3"]),
        "output.warmup_days": str(rng.randint(0, days // 2)),
        "world.streets": str(streets), "world.communities": str(communities),
        "world.grids": str(grids), "grid.households": str(rng.randint(20, 400)),
    }
    free = [p for p in table if p[0] not in FIXED]
    for name, kind, lo, hi in rng.sample(free, k):
        sets[name] = draw(rng, kind, lo, hi)
    return sets


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def check_file(path):
    bad = []
    with h5py.File(path, "r") as f:
        for group in ("summary", "levels", "categories", "timeseries"):
            for name, d in f[group].items():
                if d.dtype.kind not in "iuf":
                    continue
                v = np.asarray(d[...], dtype=float)
                units, desc = text(d.attrs.get("units", "")), text(d.attrs.get("description", ""))
                where = f"/{group}/{name}"
                nan = np.isnan(v)
                if nan.any() and "NaN" not in desc:
                    bad.append(f"{where}: NaN, not documented: {v.ravel()[:8]}")
                w = v[~nan]
                if np.isinf(w).any() and "infinite" not in desc:
                    bad.append(f"{where}: infinite, not documented")
                if (w < 0).any() and "difference" not in units:
                    bad.append(f"{where}: negative {w[w < 0][:4]} ({units})")
                bounded = units.startswith("fraction") or units.startswith("score in [0,1]")
                if bounded and (w > 1 + 1e-12).any():
                    bad.append(f"{where}: above 1: {w[w > 1][:4]} ({units})")
        lv = {k: f["levels"][k][...] for k in ("entered", "resolved", "abandoned", "closed_unsolved",
                                                "escalated", "open")}
        for lvl in range(len(lv["entered"])):
            out = (lv["resolved"][lvl] + lv["abandoned"][lvl] + lv["closed_unsolved"][lvl] +
                   lv["escalated"][lvl] + lv["open"][lvl])
            if lv["entered"][lvl] != out:
                bad.append(f"level {lvl}: entered {lv['entered'][lvl]} != resolved + abandoned + "
                           f"closed unsolved + passed up + open {out}")
            if lvl > 0 and lv["entered"][lvl] != lv["escalated"][lvl - 1]:
                bad.append(f"level {lvl}: entered {lv['entered'][lvl]}, passed up from below "
                           f"{lv['escalated'][lvl - 1]}")
        s = {k: f["summary"][k][()] for k in ("requests_arisen", "requests_resolved",
                                              "requests_abandoned", "requests_closed_unsolved",
                                              "backlog_end", "unknown_end")}
        if s["requests_arisen"] != (s["requests_resolved"] + s["requests_abandoned"] +
                                    s["requests_closed_unsolved"] + s["backlog_end"] +
                                    s["unknown_end"]):
            bad.append(f"arisen != resolved + abandoned + closed unsolved + open + unknown: {s}")
    return bad


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("govsim")
    ap.add_argument("--sets", type=int, default=12, help="parameter sets to run")
    ap.add_argument("--seed", type=int, default=1, help="seed of the generator")
    ap.add_argument("--days", type=int, default=40, help="length of each run")
    ap.add_argument("--vary", type=int, default=8, help="parameters drawn per set")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    table = parameters(args.govsim)
    env = dict(os.environ, OMP_WAIT_POLICY="passive")
    ran = refused = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "p.h5")
        attempts = 0
        while ran < args.sets and attempts < 20 * args.sets:
            attempts += 1
            sets = draw_set(rng, table, args.vary, args.days)
            cmd = [args.govsim, "run", "-q", "--threads", "1", "-o", out]
            for k, v in sets.items():
                cmd += ["--set", f"{k}={v}"]
            shown = " ".join(cmd[:5] + [f"--set '{k}={v}'" for k, v in sets.items()])
            try:
                p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
            except subprocess.TimeoutExpired:
                print(f"FAIL: took over 120 s: {shown}")
                failed += 1
                ran += 1
                continue
            if p.returncode == 2 and "key '" in p.stderr:   # a relation between parameters
                refused += 1
                continue
            ran += 1
            if p.returncode != 0:
                print(f"FAIL: exit {p.returncode}: {p.stderr.strip()}\n  {shown}")
                failed += 1
                continue
            bad = check_file(out)
            if bad:
                failed += 1
                print("FAIL: " + "\n  ".join(bad) + f"\n  reproduce: {shown}")
    print(f"properties: {ran} sets run ({refused} refused as invalid combinations and "
          f"redrawn), {failed} failed; seed {args.seed}, {args.vary} parameters a set, "
          f"{args.days} days")
    if ran < args.sets:
        print("FAIL: too many invalid draws")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
