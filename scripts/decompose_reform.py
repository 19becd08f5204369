#!/usr/bin/python3
"""A reform one lever at a time: runs the "before" scenario, the "before" scenario with
each lever of the reform switched to its "after" value (one at a time), and the "after"
scenario, on the same seeds (common random numbers), and prints a Markdown table of the
headline outputs with one standard error over the seeds.

The levers are the parameters in which the two scenario files differ (from
`govsim params`), grouped with --lever NAME=KEY[,KEY...]; a differing parameter named in
no group is a lever of its own.

    /usr/bin/python3 scripts/decompose_reform.py build/govsim params/yuzhou_before.yaml \\
        params/yuzhou.yaml --replicates 5 \\
        --lever "burden cut=tasks.burden_cut,tasks.quota_enabled" \\
        --lever "career path and venues=staff.career_path,cost.venue_investment"
"""
import argparse
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

OUTPUTS = [  # (label, how to get it from an open run file)
    ("on time", lambda f: 100 * f["summary/resolution_rate_on_time"][()], "{:.1f}%"),
    ("median days to close", lambda f: f["summary/time_to_close_median"][()] / 24, "{:.2f}"),
    ("closed within 7 days", lambda f: 100 * f["summary/closed_within_7_days_share"][()], "{:.1f}%"),
    ("community hours on tasks",
     lambda f: 100 * f["levels/hours_tasks"][1] / max(f["levels/hours_duty"][1], 1e-9), "{:.0f}%"),
    ("spending, M yuan a year",
     lambda f: f["summary/spending_total"][()] / 1e6 * 365 / f["parameters/time.days"][()], "{:.1f}"),
    ("yuan per resolved request", lambda f: f["summary/cost_per_resolved"][()], "{:.0f}"),
    ("satisfaction", lambda f: f["summary/satisfaction_mean"][()], "{:.3f}"),
    ("trust", lambda f: f["summary/trust_mean"][()], "{:.3f}"),
]


def resolved_params(govsim, scenario):
    out = subprocess.run([govsim, "params", scenario], capture_output=True, text=True, check=True).stdout
    values = {}
    for line in out.splitlines():
        if line and not line.startswith(" ") and not line.startswith("NAME"):
            parts = line.split()
            if len(parts) >= 3:
                values[parts[0]] = (parts[1], " ".join(parts[2:-3]) if parts[1] == "string" else parts[2])
    return values


def run(govsim, scenario, sets, seed, days, tmp):
    out = os.path.join(tmp, "run.h5")
    cmd = [govsim, "run", scenario, "--seed", str(seed), "-q", "-o", out]
    if days:
        cmd += ["--days", str(days)]
    for k, v in sets:
        cmd += ["--set", f"{k}={v}"]
    subprocess.run(cmd, check=True, capture_output=True)
    with h5py.File(out) as f:
        return [get(f) for _, get, _ in OUTPUTS]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("govsim")
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--replicates", type=int, default=5)
    ap.add_argument("--days", type=int, default=0, help="override the scenarios' days")
    ap.add_argument("--lever", action="append", default=[], help="NAME=KEY[,KEY...]")
    a = ap.parse_args()

    b, f = resolved_params(a.govsim, a.before), resolved_params(a.govsim, a.after)
    differ = [k for k in f if k in b and b[k] != f[k] and not k.startswith("scenario.")]
    groups, named = [], set()
    for spec in a.lever:
        name, keys = spec.split("=", 1)
        keys = [k for k in keys.split(",") if k in differ]
        if keys:
            groups.append((name, keys))
            named.update(keys)
    groups += [(k, [k]) for k in differ if k not in named]

    rows = [("before", a.before, [])]
    rows += [("+ " + name, a.before, [(k, f[k][1]) for k in keys]) for name, keys in groups]
    rows += [("after (all levers)", a.after, [])]
    seeds = range(1, a.replicates + 1)
    print(f"{a.before} -> {a.after}, seeds 1..{a.replicates}, common random numbers; "
          "mean ± one standard error over seeds\n")
    print("| run | " + " | ".join(lbl for lbl, _, _ in OUTPUTS) + " |")
    print("|---|" + "---|" * len(OUTPUTS))
    with tempfile.TemporaryDirectory() as tmp:
        for label, scen, sets in rows:
            vals = np.array([run(a.govsim, scen, sets, s, a.days, tmp) for s in seeds])
            m, se = vals.mean(0), vals.std(0, ddof=1) / np.sqrt(len(seeds)) if len(seeds) > 1 else 0 * vals[0]
            cells = []
            for (lbl, _, fmt), mu, e in zip(OUTPUTS, m, np.broadcast_to(se, m.shape)):
                cells.append(fmt.format(mu) + (f" ± {fmt.format(e).rstrip('%')}" if lbl == "on time" else ""))
            print(f"| {label} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
