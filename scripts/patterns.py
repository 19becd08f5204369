#!/usr/bin/python3
"""Pattern check: run the case scenarios and test the model against the empirical patterns.

Usage:
  scripts/patterns.py GOVSIM [--patterns params/patterns.yaml] [--quick] [--replicates N]
                      [--days D] [--only ID]... [--scenario NAME]... [--set K=V]... [--params-dir DIR]

Reads the pattern list (params/patterns.yaml: MODEL.md section 10 with sources and ranges),
runs every scenario a pattern names with seeds 1..N, and prints each pattern with the
simulated value (mean over replicates), its Student-t 95% interval and whether the mean is
inside the pattern's range. Reform patterns use after minus before of each case pair on the
same seeds (common random numbers). Exit status 0 when every checked pattern holds, 1 on a
miss, 2 on a bad pattern file. --quick: the settings' quick days and replicates, and the
patterns marked full_only skipped. --set is applied to every run (to probe a pattern, e.g.
requests x10); --params-dir reads the scenario files from another directory.

This is the script form of `govsim validate --patterns` (issue 18): the C command's runs
would be the same govsim runs; the statistics live here beside scripts/scenario_table.py.
"""
import argparse
import math
import pathlib
import sys

import yaml

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import scenario_table as st  # noqa: E402

AFTER = st.CASES
BEFORE = [f"{c}_before" for c in st.CASES]
GROUPS = {"after": AFTER, "before": BEFORE, "all": BEFORE + AFTER}
FIELDS = {"id", "description", "source", "output", "scenarios", "range", "reform", "full_only"}


def die(path, msg):
    print(f"{path}: {msg}", file=sys.stderr)
    sys.exit(2)


def load(path):
    try:
        doc = yaml.safe_load(pathlib.Path(path).read_text())
    except (OSError, yaml.YAMLError) as e:
        die(path, str(e))
    if not isinstance(doc, dict) or not isinstance(doc.get("patterns"), list):
        die(path, "needs a `patterns:` list")
    seen = set()
    for i, p in enumerate(doc["patterns"]):
        where = f"pattern {i + 1} ({p.get('id', '?') if isinstance(p, dict) else '?'})"
        if not isinstance(p, dict):
            die(path, f"{where}: not a mapping")
        unknown = set(p) - FIELDS
        if unknown:
            die(path, f"{where}: unknown field(s) {sorted(unknown)}")
        for k in ("id", "output", "scenarios", "range", "source"):
            if k not in p:
                die(path, f"{where}: missing `{k}`")
        if p["id"] in seen:
            die(path, f"{where}: id given twice")
        seen.add(p["id"])
        r = p["range"]
        if not (isinstance(r, list) and len(r) == 2 and all(isinstance(x, (int, float)) for x in r) and r[0] <= r[1]):
            die(path, f"{where}: range must be [low, high] with low <= high")
        sc = p["scenarios"]
        p["scenarios"] = GROUPS[sc] if isinstance(sc, str) and sc in GROUPS else sc
        if not isinstance(p["scenarios"], list) or not p["scenarios"]:
            die(path, f"{where}: scenarios must be a list or one of {sorted(GROUPS)}")
        if p.get("reform"):
            bad = [s for s in p["scenarios"] if s not in AFTER]
            if bad:
                die(path, f"{where}: a reform pattern names after files of the five cases, not {bad}")
    return doc


def needed(p):
    if p.get("reform"):
        return [s for c in p["scenarios"] for s in (f"{c}_before", c)]
    return list(p["scenarios"])


def evaluate(p, res):
    """(values per replicate pooled over the pattern's scenarios, per-scenario means)."""
    per = {}
    for sc in p["scenarios"]:
        if p.get("reform"):
            xs = [a[p["output"]] - b[p["output"]] for a, b in zip(res[sc], res[f"{sc}_before"])]
        else:
            xs = [r[p["output"]] for r in res[sc]]
        per[sc] = xs
    return per


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("govsim")
    ap.add_argument("--patterns", default=str(st.SRC / "params" / "patterns.yaml"))
    ap.add_argument("--params-dir", default=str(st.SRC / "params"))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--replicates", type=int)
    ap.add_argument("--days", type=int)
    ap.add_argument("--only", action="append", default=[], metavar="ID")
    ap.add_argument("--scenario", action="append", default=[], metavar="NAME",
                    help="check only these scenarios (after files; a reform pattern runs its pair)")
    ap.add_argument("--set", action="append", default=[], dest="sets")
    a = ap.parse_args()
    doc = load(a.patterns)
    s = doc.get("settings", {}) or {}
    q = s.get("quick", {}) if a.quick else {}
    days = a.days or q.get("days") or s.get("days", 365)
    reps = a.replicates or q.get("replicates") or s.get("replicates", 5)
    pats = [p for p in doc["patterns"] if (not a.only or p["id"] in a.only) and not (a.quick and p.get("full_only"))]
    if a.scenario:
        for p in pats:
            p["scenarios"] = [s for s in p["scenarios"] if s in a.scenario]
        pats = [p for p in pats if p["scenarios"]]
    unknown = set(a.only) - {p["id"] for p in doc["patterns"]}
    if unknown:
        die(a.patterns, f"no pattern {sorted(unknown)}")
    scen = []
    for p in pats:
        for sc in needed(p):
            if sc not in scen:
                scen.append(sc)
    files = [str(pathlib.Path(a.params_dir) / f"{sc}.yaml") for sc in scen]
    res = st.replicate(a.govsim, files, reps, days, a.sets)
    misses = 0
    print(f"Pattern check: {len(pats)} patterns, {len(scen)} scenarios, {days} days, {reps} replicates"
          + (f", --set {' '.join(a.sets)}" if a.sets else ""))
    for p in pats:
        lo, hi = p["range"]
        per = evaluate(p, res)
        rows = []
        for sc, xs in per.items():
            m, h, _ = st.interval(xs)
            ok = not math.isnan(m) and lo <= m <= hi
            misses += not ok
            ci = "" if math.isnan(h) else f" [{m - h:.4g}, {m + h:.4g}]"
            rows.append(f"    {sc:28s} {m:10.4g}{ci:24s} {'inside' if ok else 'OUTSIDE'}")
        kind = "after - before" if p.get("reform") else "mean"
        print(f"{p['id']}: {p.get('description', '')} ({p['output']}, {kind}); range [{lo}, {hi}]")
        print(f"    source: {p['source']}")
        print("\n".join(rows))
    print(f"{misses} outside" if misses else "all inside")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
