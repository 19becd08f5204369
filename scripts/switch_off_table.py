#!/usr/bin/python3
"""Each party-building mechanism switched off (docs/residents.md): members, micro-wishes,
co-building, joint meetings. One `govsim compare` of the scenario with everything on against
the same scenario with one mechanism off at a time, on the same seeds (common random numbers);
prints the command it ran and a Markdown table of paired differences (off - on) with their 95%
intervals: each mechanism's own service output, on-time resolution, satisfaction, trust and
sense of gain.

    /usr/bin/python3 scripts/switch_off_table.py build/govsim --replicates 5 --days 365
    /usr/bin/python3 scripts/switch_off_table.py build/govsim --small --replicates 5   # 16 grids

Without a scenario file the built-in default district (26 communities, 113 grids) is used;
--small is the small district of tests/test_residents.c (1 street, 4 communities, 16 grids).
Exit status 1 if some mechanism moved no service output or no resident output beyond its
interval (the table marks what did with *).
"""
import argparse
import os
import subprocess
import sys
import tempfile

import h5py

MECHANISMS = [  # (label, scenario name, what is switched off, its own service output)
    ("members", "members_off", {"members": {"enabled": "false"}}, "requests_resolved_by_members"),
    ("micro-wishes", "microwish_off", {"microwish": {"enabled": "false"}}, "volunteer_hours_used"),
    ("co-building", "cobuild_off", {"cobuild": {"enabled": "false"}}, "requests_resolved_by_units"),
    ("joint meetings", "meetings_off",
     {"meetings": {"street_interval_days": "0", "district_interval_days": "0"}}, "resolved_by_meetings"),
]
SERVICE = ["resolution_rate_on_time", "time_to_resolution_mean"]
RESIDENT = ["satisfaction_mean", "trust_mean", "sense_of_gain"]
SMALL = {"world": {"streets": "1", "communities": "4", "grids": "16"}}


def write_scenario(path, name, base, sets):
    doc = {}
    for part in (base, sets):
        for section, kv in part.items():
            doc.setdefault(section, {}).update(kv)
    with open(path, "w") as f:
        f.write(f"scenario:\n  name: {name}\n")
        for section, kv in doc.items():
            f.write(f"{section}:\n")
            for k, v in kv.items():
                f.write(f"  {k}: {v}\n")


def cell(g, i, fmt):
    d, lo, hi = (float(g[k][i]) for k in ("diff", "diff_ci_low", "diff_ci_high"))
    star = "*" if lo > 0 or hi < 0 else ""
    return f"{fmt.format(d)} [{fmt.format(lo)}, {fmt.format(hi)}]{star}", bool(star)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("govsim")
    ap.add_argument("--small", action="store_true", help="the 16-grid district of tests/test_residents.c")
    ap.add_argument("--replicates", type=int, default=5)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("-o", "--output", help="keep the comparison file (HDF5) here")
    a = ap.parse_args()
    base = SMALL if a.small else {}
    with tempfile.TemporaryDirectory() as tmp:
        files = [os.path.join(tmp, "all_on.yaml")]
        write_scenario(files[0], "all_on", base, {})
        for _, name, sets, _ in MECHANISMS:
            files.append(os.path.join(tmp, name + ".yaml"))
            write_scenario(files[-1], name, base, sets)
        out = a.output or os.path.join(tmp, "switch_off.h5")
        cmd = [a.govsim, "compare", *files, "-n", str(a.replicates), "--days", str(a.days),
               "--seed", str(a.seed), "--threads", str(a.threads), "-q", "-o", out]
        print("# " + " ".join(os.path.basename(c) if c.startswith(tmp) else c for c in cmd))
        print(f"# scenarios: {'small district (1 street, 4 communities, 16 grids)' if a.small else 'built-in default district'}"
              f" with one mechanism off: " + "; ".join(
                  n + ": " + ", ".join(f"{sec}.{k}={v}" for sec, kv in sets.items() for k, v in kv.items())
                  for _, n, sets, _ in MECHANISMS))
        subprocess.run(cmd, check=True)
        ok = True
        with h5py.File(out, "r") as f:
            c = f["comparison"]
            print(f"\n| switched off | own service output | on-time resolution | mean time to resolution, h "
                  f"| satisfaction | trust | sense of gain |")
            print("|---|---|---|---|---|---|---|")
            for i, (label, _, _, own) in enumerate(MECHANISMS, start=1):
                own_s, own_b = cell(c[own], i, "{:+.0f}")
                svc = [cell(c[k], i, "{:+.4f}" if "rate" in k else "{:+.2f}") for k in SERVICE]
                res = [cell(c[k], i, "{:+.4f}") for k in RESIDENT]
                print(f"| {label} | {own}: {own_s} | " + " | ".join(s for s, _ in svc + res) + " |")
                if not (own_b or any(b for _, b in svc)) or not any(b for _, b in res):
                    ok = False
                    print(f"FAIL: {label} switched off moved no service or no resident output", file=sys.stderr)
        print(f"\nB - A (mechanism off minus all on), mean over {a.replicates} paired replicates, "
              f"{a.days} days; 95% interval; * = excludes 0")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
