#!/usr/bin/python3
"""Benchmark driver for govsim (not part of the test suite).

    /usr/bin/python3 bench/bench.py                 # all workloads, 3 repeats
    /usr/bin/python3 bench/bench.py --update-docs   # ... and rewrite docs/performance.md
    /usr/bin/python3 bench/bench.py --baseline OLD/govsim changchun --repeat 5
                                                    # A/B: this build against another
    /usr/bin/python3 bench/bench.py --cost changchun changchun-tenth
                                                    # exact cost per request (cachegrind)
    /usr/bin/python3 bench/bench.py changchun --host-plot
                                                    # recorded runs against the host's speed

Runs named workloads with `govsim run --timing`, --repeat rounds of each (every
workload once per round), and keeps for every measure the minimum over the rounds
(the least disturbed run: other processes can only add time). Writes
bench/results/bench.csv and bench/results/bench.md; with --update-docs also the
table in docs/performance.md (between the bench:table markers) and the scaling
plot docs/performance-scaling.png.

Measures per workload:
  wall_s        wall-clock time of the whole process (build, simulate, write)
  cpu_s         user + system CPU time of the process (getrusage of the child)
  peak_mib      peak resident memory of the process (ru_maxrss of the child)
  requests      /summary/requests_arisen
  events        /summary/events_processed
  events_per_s  events / wall_s
  bytes_per_resident  peak memory / residents (grids x households x persons)
  hdf5_s, hdf5_share  seconds spent writing the HDF5 file (printed by --timing) and
                      its share of wall_s

Before and after every timed run, build/hostprobe (bench/hostprobe.c) measures the
host's speed: ns a Philox block, ns a dependent memory load. Each full-length run is
appended with the mean of the two to OUT/rounds.csv, so that a timing can be read
against the state of a shared host.
"""
import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import h5py

ROOT = Path(__file__).resolve().parent.parent

# Changchun: 437 communities in 2,995 grids (case report); 9 million residents at
# 2.7 persons per household is 1,113 households per grid. Streets are not in the
# report: 100 streets (about 4-5 communities each) is assumed.
CHANGCHUN_GRIDS = ["--set", "world.communities=437", "--set", "world.grids=2995",
                   "--set", "world.streets=100"]
# Street and district staff follow the sizing rule of docs/scenarios.md (the case
# files use it): one street caseworker per about 2,300 requests a year of the street's
# grids, one district caseworker per about 5,400. At 1,113 households per grid the
# city raises about 3.89 M requests a year (seed 1), so 17 caseworkers a street and
# 720 at the district (the city's departments). Until session 6 the workload kept the
# default scenario's 6 and 10, sized for one district of 26 communities: at city scale
# its district was swamped (utilisation 1.0, 205,000 of 216,000 requests abandoned
# there); that set-up is kept as the workload "overload".
CHANGCHUN_REQUESTS_YEAR = 3.89e6


def changchun_households(factor):
    """Households per grid at `factor` x Changchun, with street and district staff sized."""
    requests = CHANGCHUN_REQUESTS_YEAR * factor
    return ["--set", f"grid.households={round(1113 * factor)}",
            "--set", f"street.caseworkers={max(1, round(requests / 100 / 2300))}",
            "--set", f"district.caseworkers={max(1, round(requests / 5400))}"]


CHANGCHUN = CHANGCHUN_GRIDS + changchun_households(1)
# Yuzhou: the case scenario itself (26 communities, 113 grids, its mechanisms on).
YUZHOU = [str(ROOT / "params" / "yuzhou.yaml")]


# name -> (description, threads, govsim run arguments)
WORKLOADS = {
    "default": ("built-in default scenario, one year", 2, []),
    "yuzhou": ("Yuzhou case scenario (params/yuzhou.yaml: 26 communities, 113 grids, its "
                "mechanisms on), one year", 2, YUZHOU),
    "changchun": ("Changchun scale (437 communities, 2,995 grids, 9 M residents; street and "
                  "district staff by the sizing rule), one year, hourly steps", 2, CHANGCHUN),
    "strong-1": ("Changchun scale, 1 thread (strong scaling)", 1, CHANGCHUN),
    "strong-2": ("Changchun scale, 2 threads (strong scaling)", 2, CHANGCHUN),
    "weak-1": ("Changchun grids, half the residents, 1 thread (weak scaling)", 1,
               CHANGCHUN_GRIDS + changchun_households(0.5)),
    "weak-2": ("Changchun scale, 2 threads (weak scaling: twice weak-1)", 2, CHANGCHUN),
    "size-0.25": ("Changchun grids, 1/4 of the residents, 2 threads", 2,
                  CHANGCHUN_GRIDS + changchun_households(0.25)),
    "size-0.5": ("Changchun grids, 1/2 of the residents, 2 threads", 2,
                 CHANGCHUN_GRIDS + changchun_households(0.5)),
    "size-2": ("Changchun grids, twice the residents (18 M), 2 threads", 2,
               CHANGCHUN_GRIDS + changchun_households(2)),
    "overload": ("Changchun scale with the default scenario's street and district staff (6 and 10, "
                 "sized for 26 communities): street and district saturated, the district's queue "
                 "thousands long (the changchun workload up to session 6)", 2,
                 CHANGCHUN_GRIDS + ["--set", "grid.households=1113"]),
    "changchun-tenth": ("a tenth of Changchun (44 communities, 300 grids, 10 streets, 1,113 "
                        "households a grid, street and district staff by the sizing rule): the "
                        "same work per request in a world a tenth the size", 2,
                        ["--set", "world.communities=44", "--set", "world.grids=300",
                         "--set", "world.streets=10", "--set", "grid.households=1113",
                         "--set", "street.caseworkers=17", "--set", "district.caseworkers=72"]),
    "idle": ("Changchun scale with no requests at all (residents who file nothing)", 2,
             CHANGCHUN + ["--set", "requests.rate_urban=0", "--set", "requests.rate_resettled=0",
                          "--set", "requests.rate_migrant=0"]),
}

# --mechanisms: the changchun workload with one mechanism switched off at a time
# (the setting validate_base.yaml uses for it), to see what each one costs.
MECHANISMS = {
    "casework": ("case life cycle: third-party waits, follow-ups, reopening, push-ups",
                 ["casework.enabled=false"]),
    "tasks": ("top-down tasks and quotas",
              [f"tasks.{l}.{k}=0" for l in ("grid", "community", "street")
               for k in ("per_week", "quota_per_week")] + ["tasks.quota_enabled=false"]),
    "visits": ("home visits and data collection",
               ["visits.grid_per_household_year=0", "visits.community_per_household_year=0",
                "visits.data_hours_per_household_year=0"]),
    "members": ("in-service party members", ["members.enabled=false"]),
    "microwish": ("micro-wishes", ["microwish.enabled=false"]),
    "cobuild": ("co-building units", ["cobuild.enabled=false"]),
    "meetings": ("joint meetings", ["meetings.street_interval_days=0",
                                    "meetings.district_interval_days=0"]),
    "trust": ("trust dynamics (trust frozen)", ["resident.trust_rate=0"]),
    "overdue": ("pass-up of overdue requests", ["escalation.overdue_enabled=false"]),
}


def mechanism_workloads():
    """Adds changchun-no-<mechanism> to WORKLOADS; returns their names, changchun first."""
    names = ["changchun"]
    for m, (what, sets) in MECHANISMS.items():
        args = CHANGCHUN + [x for kv in sets for x in ("--set", kv)]
        WORKLOADS[f"changchun-no-{m}"] = (f"changchun without {what}", 2, args)
        names.append(f"changchun-no-{m}")
    every = [x for _, sets in MECHANISMS.values() for kv in sets for x in ("--set", kv)]
    WORKLOADS["changchun-no-all"] = ("changchun with all of the above off", 2, CHANGCHUN + every)
    return names + ["changchun-no-all"]


def mechanism_table(rows):
    """What switching each mechanism off saves against changchun, wall and CPU."""
    base = rows[0]
    lines = ["| switched off | wall (s) | saving | CPU (s) | saving | requests |", "|" + "---|" * 6,
             f"| nothing (changchun) | {base['wall_s']:.2f} | – | {base['cpu_s']:.2f} | – | "
             f"{base['requests']:,} |"]
    for r in rows[1:]:
        lines.append(f"| {r['workload'][len('changchun-no-'):]} | {r['wall_s']:.2f} | "
                     f"{100 * (1 - r['wall_s'] / base['wall_s']):.0f}% | {r['cpu_s']:.2f} | "
                     f"{100 * (1 - r['cpu_s'] / base['cpu_s']):.0f}% | {r['requests']:,} |")
    return "\n".join(lines) + "\n"


# More threads where the machine has them (its cores, or GOVSIM_BENCH_THREADS):
# strong scaling at the same size, weak scaling with residents growing with threads
# (weak-T has T/2 x the Changchun residents).
MAX_THREADS = int(os.environ.get("GOVSIM_BENCH_THREADS") or os.cpu_count() or 1)
for _t in (4, 8, 16, 32, 64):
    if _t <= MAX_THREADS:
        WORKLOADS[f"strong-{_t}"] = (f"Changchun scale, {_t} threads (strong scaling)", _t, CHANGCHUN)
        WORKLOADS[f"weak-{_t}"] = (f"Changchun grids, {_t // 2} x the residents, {_t} threads "
                                   "(weak scaling)", _t, CHANGCHUN_GRIDS + changchun_households(_t / 2))


def scaling(by, kind):
    """[(threads, row)] of the strong-T or weak-T workloads measured, by threads."""
    rows = [(int(k.split("-")[1]), r) for k, r in by.items() if k.startswith(kind + "-")]
    return sorted(rows, key=lambda tr: tr[0])


FIELDS = ["workload", "threads", "residents", "wall_s", "cpu_s", "peak_mib", "requests", "events",
          "events_per_s", "bytes_per_resident", "hdf5_s", "hdf5_share", "description"]


def build(build_dir):
    if not (build_dir / "CMakeCache.txt").exists():
        subprocess.run(["cmake", "-S", str(ROOT), "-B", str(build_dir)], check=True,
                       stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", str(build_dir), "-j2", "--target", "govsim", "hostprobe"],
                   check=True, stdout=subprocess.DEVNULL)
    return build_dir / "govsim"


# The host's speed at the moment of each round (bench/hostprobe.c): on a shared virtual
# machine the same binary's year has taken 3.2 s in one hour and 5.0 s in another, so
# every timing is recorded with the host's compute and memory speed beside it
# (bench/results/rounds.csv, one line per run, appended across invocations).
ROUNDS_FIELDS = ["utc", "revision", "workload", "threads", "wall_s", "cpu_s", "compute_ns", "memory_ns"]


def host_probe(prober):
    """{compute_ns, memory_ns} from bench/hostprobe, or {} without it."""
    if not prober or not prober.is_file():
        return {}
    out = subprocess.run([str(prober)], capture_output=True, text=True, check=True).stdout.split()
    return {"compute_ns": float(out[1]), "memory_ns": float(out[3])}


def mean_probe(before, after):
    """The host's speed over a run: the mean of the probes just before and just after
    (the host changes within seconds; one probe alone follows the run less well)."""
    return {k: (before[k] + after[k]) / 2 for k in before} if before and after else {}


def revision(govsim):
    """The source revision govsim was built from (`govsim --version`), or ''."""
    v = subprocess.run([str(govsim), "--version"], capture_output=True, text=True).stdout
    m = re.search(r"revision ([0-9a-f]+(?:-dirty)?)", v)
    return m.group(1) if m else ""


def log_round(path, govsim, r, host):
    """Appends one run with the host's speed beside it to bench/results/rounds.csv."""
    new = not path.exists()
    with open(path, "a", newline="") as f:
        w = csv.DictWriter(f, fieldnames=ROUNDS_FIELDS)
        if new:
            w.writeheader()
        w.writerow({"utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "revision": revision(govsim),
                    "workload": r["workload"], "threads": r["threads"], "wall_s": f"{r['wall_s']:.3f}",
                    "cpu_s": f"{r['cpu_s']:.3f}",
                    "compute_ns": f"{host['compute_ns']:.2f}" if host else "",
                    "memory_ns": f"{host['memory_ns']:.1f}" if host else ""})


def run_child(cmd):
    """Runs cmd; returns (returncode, stdout, stderr, wall seconds, rusage of the child)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out_r, err_r = [], []
    # read both pipes fully, then reap the child ourselves to get its own rusage
    t = threading.Thread(target=lambda: err_r.append(proc.stderr.read()))
    t.start()
    out_r.append(proc.stdout.read())
    t.join()
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, out_r[0], err_r[0], wall, ru


def keep_min(best, r):
    """Each measure's minimum over two measurements of one workload (other processes can
    only add time); fields that are not numbers are taken from r."""
    return {k: min(best[k], v) if isinstance(v, (int, float)) else v for k, v in r.items()}


def measure(govsim, name, days, workdir, tag=""):
    """Runs workload `name` once and returns its measures; its file stays as
    workdir/<name><tag>.h5."""
    desc, threads, args = WORKLOADS[name]
    if days:
        args = args + ["--days", str(days)]
    out = workdir / f"{name}{tag}.h5"
    cmd = [str(govsim), "run", "-q", "--timing", "--threads", str(threads), "-o", str(out)] + args
    rc, _, stderr, wall, ru = run_child(cmd)
    if rc != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed ({rc}):\n{stderr}")
    m = re.search(r"write_hdf5 ([0-9.]+) s", stderr)
    if not m:
        sys.exit(f"bench: no timing line from {' '.join(cmd)}:\n{stderr}")
    with h5py.File(out, "r") as f:
        s, p = f["summary"], f["parameters"]
        residents = (int(p["world.grids"][()]) * int(p["grid.households"][()]) *
                     float(p["household.persons"][()]))
        r = {"wall_s": wall, "cpu_s": ru.ru_utime + ru.ru_stime, "peak_mib": ru.ru_maxrss / 1024,
             "hdf5_s": float(m.group(1)), "requests": int(s["requests_arisen"][()]),
             "events": int(s["events_processed"][()]), "residents": residents}
    print(f"  {name}{tag}: wall {r['wall_s']:.2f} s, cpu {r['cpu_s']:.2f} s, "
          f"peak {r['peak_mib']:.0f} MiB", file=sys.stderr)
    r.update(workload=name, threads=threads, description=desc)
    return r


def derive(row):
    """The measures computed from the minima: events per second, bytes per resident,
    HDF5 share."""
    row["events_per_s"] = row["events"] / row["wall_s"]
    row["bytes_per_resident"] = row["peak_mib"] * 1048576 / row["residents"] if row["residents"] else 0
    row["hdf5_share"] = row["hdf5_s"] / row["wall_s"]
    return row


def compare_builds(base, govsim, names, repeat, days, workdir):
    """A/B timing of two binaries: runs alternate (baseline, new, baseline, ...) so
    that both see the same host, and the minimum of each is kept. Also says whether
    the two give identical results (`govsim diff`, tolerance 0)."""
    lines = ["| workload | baseline wall (s) | new wall (s) | change | baseline CPU (s) | new CPU (s) "
             "| change | results |", "|" + "---|" * 8]
    for n in names:
        best = {}
        for _ in range(repeat):
            for tag, binary in (("-base", base), ("-new", govsim)):
                r = measure(binary, n, days, workdir, tag)
                best[tag] = r if tag not in best else keep_min(best[tag], r)
        diff = subprocess.run([str(govsim), "diff", str(workdir / f"{n}-base.h5"),
                               str(workdir / f"{n}-new.h5")], capture_output=True, text=True)
        same = {0: "identical", 1: "differ"}.get(diff.returncode, "diff failed")
        b, w = best["-base"], best["-new"]
        lines.append(f"| {n} | {b['wall_s']:.3f} | {w['wall_s']:.3f} | {100 * (w['wall_s'] / b['wall_s'] - 1):+.1f}% "
                     f"| {b['cpu_s']:.3f} | {w['cpu_s']:.3f} | {100 * (w['cpu_s'] / b['cpu_s'] - 1):+.1f}% | {same} |")
    return "\n".join(lines) + "\n"


# --cost: counts that do not depend on how busy the host is. cachegrind simulates a
# 1 MiB last-level cache, the size of one core's L2 here (the shared L3 behind it is
# shared with whatever else the machine runs): a miss there is a trip to L3 or memory.
COST_DAYS = (30, 60)
COST_LL = "--LL=1048576,16,64"


def cachegrind_totals(path):
    """{event: count} from the summary line of a cachegrind output file."""
    events = totals = None
    for line in Path(path).read_text().splitlines():
        if line.startswith("events:"):
            events = line.split()[1:]
        elif line.startswith("summary:"):
            totals = [int(x) for x in line.split()[1:]]
    if not events or not totals:
        sys.exit(f"bench: {path}: no cachegrind summary")
    return dict(zip(events, totals))


def steady_cost(govsim, name, workdir):
    """Instructions, L1 and L2-sized data-cache misses per request of a steady-state
    month of workload `name` at 1 thread: a run of 60 days minus one of 30 (which takes
    out building the world, the summary and the file), divided by the requests that
    arose in between. Both runs go at once, under cachegrind (about a minute each
    at Changchun scale)."""
    _, _, args = WORKLOADS[name]
    procs, runs = [], {}
    for d in COST_DAYS:
        out, cg = workdir / f"{name}-{d}.h5", workdir / f"{name}-{d}.cg"
        cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=yes", COST_LL,
               f"--cachegrind-out-file={cg}", str(govsim), "run", "-q", "--threads", "1",
               "-o", str(out)] + args + ["--set", f"time.days={d}"]
        procs.append((d, cmd, subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                                               stderr=subprocess.PIPE, text=True)))
    for d, cmd, proc in procs:
        err = proc.communicate()[1]
        if proc.returncode != 0:
            sys.exit(f"bench: {' '.join(cmd)} failed ({proc.returncode}):\n{err[-2000:]}")
        with h5py.File(workdir / f"{name}-{d}.h5", "r") as f:
            requests = int(f["summary"]["requests_arisen"][()])
        runs[d] = (cachegrind_totals(workdir / f"{name}-{d}.cg"), requests)
    (a, ra), (b, rb) = runs[COST_DAYS[0]], runs[COST_DAYS[1]]
    n = rb - ra
    per = {k: (b[k] - a[k]) / n for k in ("Ir", "D1mr", "D1mw", "DLmr", "DLmw")}
    print(f"  {name}: {per['Ir']:,.0f} instructions a request", file=sys.stderr)
    return dict(workload=name, requests=n, **per)


def cost_table(rows):
    lines = ["| workload | requests (steady month) | instructions / request | L1 data misses / request "
             "| 1 MiB cache misses / request |", "|" + "---|" * 5]
    for r in rows:
        lines.append(f"| {r['workload']} | {r['requests']:,} | {r['Ir']:,.0f} | "
                     f"{r['D1mr'] + r['D1mw']:.1f} | {r['DLmr'] + r['DLmw']:.1f} |")
    return "\n".join(lines) + "\n"


def fmt(row, key):
    v = row[key]
    if key in ("requests", "events", "threads"):
        return f"{int(v):,}"
    if key == "residents":
        return f"{v / 1e6:.2f} M"
    if key == "events_per_s":
        return f"{v / 1e6:.2f} M"
    if key == "hdf5_share":
        return f"{100 * v:.2f}%"
    if key in ("wall_s", "cpu_s", "hdf5_s"):
        return f"{v:.3f}"
    if isinstance(v, float):
        return f"{v:.1f}"
    return str(v)


def markdown(rows):
    cols = ["workload", "threads", "residents", "wall_s", "cpu_s", "peak_mib", "bytes_per_resident",
            "requests", "events", "events_per_s", "hdf5_s", "hdf5_share"]
    heads = ["workload", "threads", "residents", "wall (s)", "CPU (s)", "peak memory (MiB)",
             "bytes / resident", "requests", "events", "events / s", "HDF5 write (s)", "HDF5 share"]
    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    for r in rows:
        lines.append("| " + " | ".join(fmt(r, c) for c in cols) + " |")
    lines.append("")
    for r in rows:
        lines.append(f"- `{r['workload']}`: {r['description']}")
    derived = derived_lines({r["workload"]: r for r in rows})
    if derived:
        lines += [""] + derived
    return "\n".join(lines) + "\n"


def derived_lines(by):
    out = []
    strong, weak = scaling(by, "strong"), scaling(by, "weak")
    if strong and strong[0][0] == 1:
        t1 = strong[0][1]["wall_s"]
        for t, r in strong[1:]:
            out.append(f"- Strong scaling: parallel efficiency at {t} threads = wall(1) / ({t} x wall({t})) "
                       f"= {t1 / (t * r['wall_s']):.2f}")
    if weak and weak[0][0] == 1:
        t1 = weak[0][1]["wall_s"]
        for t, r in weak[1:]:
            out.append(f"- Weak scaling: efficiency = wall(weak-1) / wall(weak-{t}) = {t1 / r['wall_s']:.2f}")
    sizes = [k for k in ("size-0.25", "size-0.5", "changchun", "size-2") if k in by]
    if len(sizes) > 1:
        per = ", ".join(f"{k} {1e6 * by[k]['cpu_s'] / max(by[k]['requests'], 1):.2f}" for k in sizes)
        out.append(f"- CPU microseconds per request: {per}")
    return out


def plot(rows, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    by = {r["workload"]: r for r in rows}
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
    sizes = [k for k in ("idle", "size-0.25", "size-0.5", "changchun", "size-2") if k in by]
    if sizes:
        x = [by[k]["requests"] / 1e6 for k in sizes]
        a.plot(x, [by[k]["wall_s"] for k in sizes], "o-", label="wall, 2 threads")
        a.plot(x, [by[k]["cpu_s"] for k in sizes], "s--", label="CPU, 2 threads")
        for k, xi in zip(sizes, x):
            a.annotate(f"{by[k]['residents'] / 1e6:.1f} M res.", (xi, by[k]["wall_s"]), fontsize=7,
                       textcoords="offset points", xytext=(3, 5))
        a.set_xlabel("requests in the year (millions)")
        a.set_ylabel("seconds")
        a.set_title("Run time against requests (Changchun grids)")
        a.legend()
    strong = scaling(by, "strong")
    if len(strong) > 1 and strong[0][0] == 1:
        t1 = strong[0][1]["wall_s"]
        th = [t for t, _ in strong]
        b.plot(th, [t1 / r["wall_s"] for _, r in strong], "o-", label="measured speed-up")
        b.plot(th, th, "k:", label="ideal")
        b.set_xticks(th)
        b.set_xlabel("threads")
        b.set_ylabel("speed-up over 1 thread")
        b.set_title("Strong scaling, Changchun year")
        b.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def host_line(hosts):
    """The host's speed over the rounds, for bench.md."""
    if not hosts:
        return ""
    c = [h["compute_ns"] for h in hosts]
    m = [h["memory_ns"] for h in hosts]
    return (f"- Host during the rounds (bench/hostprobe): Philox {min(c):.1f}-{max(c):.1f} ns a block, "
            f"memory {min(m):.0f}-{max(m):.0f} ns a dependent load\n")


def host_plot(rounds, path, workload):
    """Wall time of a workload's runs against the host's compute and memory speed
    around each (mean of the probes before and after), one point per run, by revision."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    if not rounds.exists():
        sys.exit(f"bench: {rounds}: no rounds recorded yet (run bench.py changchun first)")
    with open(rounds) as f:
        rows = [r for r in csv.DictReader(f) if r["workload"] == workload and r["memory_ns"]]
    if not rows:
        sys.exit(f"bench: {rounds}: no {workload} run with a host probe")
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
    for ax, key, label in ((axes[0], "compute_ns", "Philox4x64-10 block (ns), mean of probes before and after"),
                           (axes[1], "memory_ns", "dependent load over 128 MiB (ns), before and after")):
        for rev in dict.fromkeys(r["revision"] for r in rows):
            pts = [(float(r[key]), float(r["wall_s"])) for r in rows if r["revision"] == rev]
            ax.plot([p[0] for p in pts], [p[1] for p in pts], "o", alpha=0.7,
                    label=f"{rev or 'unknown'} ({len(pts)} runs)")
        if workload == "changchun":
            ax.axhline(3.0, color="k", ls=":", label="target 3 s")
        ax.set_xlabel(label)
        ax.legend(fontsize=7)
    axes[0].set_ylabel(f"wall time, {rows[0]['threads']} threads (s)")
    fig.suptitle(f"{workload}: the same work timed at different moments of a shared host")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    print(f"wrote {path} ({len(rows)} runs)", file=sys.stderr)


def update_docs(md, doc):
    text = doc.read_text()
    start, end = "<!-- bench:table:start -->", "<!-- bench:table:end -->"
    if start not in text or end not in text:
        sys.exit(f"bench: {doc} has no {start} ... {end} markers")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    doc.write_text(head + start + "\n" + md + end + tail)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workloads", nargs="*", help=f"names (default: all): {', '.join(WORKLOADS)}")
    ap.add_argument("--repeat", type=int, default=3, help="runs per workload; the minimum is kept")
    ap.add_argument("--days", type=int, default=0, help="override time.days (quick check of the driver)")
    ap.add_argument("--build-dir", default=str(ROOT / "build"), help="CMake build directory")
    ap.add_argument("--govsim", help="use this govsim binary as it is (no build)")
    ap.add_argument("--baseline", metavar="PATH",
                    help="A/B mode: alternate runs of this govsim binary and the one under test, "
                         "print both, the change and whether results are identical; writes nothing")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results"), help="directory for bench.csv/.md")
    ap.add_argument("--mechanisms", action="store_true",
                    help="the changchun workload with each mechanism switched off in turn (rounds, "
                         "minimum of --repeat): what each costs; prints a table, writes nothing")
    ap.add_argument("--cost", action="store_true",
                    help="steady-state cost per request from cachegrind (needs valgrind): "
                         "instructions and data-cache misses of a month (60 days minus 30) at "
                         "1 thread; exact, whatever else the host runs; prints a table, writes "
                         "nothing (default workload: changchun; with --mechanisms: each "
                         "mechanism off in turn)")
    ap.add_argument("--host-plot", nargs="?", const=str(ROOT / "docs" / "performance-host.png"),
                    metavar="PNG",
                    help="plot the runs of the first workload named (default changchun) in OUT/rounds.csv, wall time against the host's "
                         "speed around each run, as PNG (default docs/performance-host.png); "
                         "runs nothing")
    ap.add_argument("--update-docs", action="store_true",
                    help="rewrite the table in docs/performance.md and the scaling plot")
    a = ap.parse_args()
    if a.mechanisms:
        a.workloads = mechanism_workloads()
    names = a.workloads or list(WORKLOADS)
    for n in names:
        if n not in WORKLOADS:
            sys.exit(f"bench: unknown workload '{n}'; known: {', '.join(WORKLOADS)}")
    if a.baseline and not Path(a.baseline).is_file():
        sys.exit(f"bench: --baseline {a.baseline}: no such file")
    if a.host_plot:
        host_plot(Path(a.out) / "rounds.csv", Path(a.host_plot), (a.workloads or ["changchun"])[0])
        return
    if a.cost and not shutil.which("valgrind"):
        sys.exit("bench: --cost needs valgrind (apt-get install valgrind)")
    govsim = Path(a.govsim) if a.govsim else build(Path(a.build_dir))
    prober = Path(a.build_dir) / "hostprobe"
    if a.cost:
        with tempfile.TemporaryDirectory() as tmp:
            print(cost_table([steady_cost(govsim, n, Path(tmp)) for n in a.workloads or ["changchun"]]))
        return
    if a.baseline:
        with tempfile.TemporaryDirectory() as tmp:
            print(compare_builds(Path(a.baseline), govsim, a.workloads or ["changchun"], a.repeat,
                                 a.days, Path(tmp)))
        return
    # Workloads with the same threads and arguments are run once. Repeats go in rounds
    # (every workload once, then again): on a shared host the load changes from one
    # minute to the next, and rounds give every workload the same chances of a quiet
    # moment, so that ratios between workloads (scaling, cost per request) are fair.
    unique = {}
    for n in names:
        _, threads, args = WORKLOADS[n]
        unique.setdefault((threads, tuple(args)), n)
    best, hosts = {}, []
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(a.repeat):
            for key, n in unique.items():
                before = host_probe(prober)
                r = measure(govsim, n, a.days, Path(tmp))
                host = mean_probe(before, host_probe(prober))
                if host:
                    hosts.append(host)
                    print(f"    host: Philox {host['compute_ns']:.1f} ns a block, memory "
                          f"{host['memory_ns']:.0f} ns a load", file=sys.stderr)
                if not a.days and not a.mechanisms:
                    log_round(out / "rounds.csv", govsim, r, host)
                best[key] = r if key not in best else keep_min(best[key], r)
    rows = []
    for n in names:
        _, threads, args = WORKLOADS[n]
        rows.append(derive(dict(best[(threads, tuple(args))], workload=n, description=WORKLOADS[n][0])))
    if a.mechanisms:
        print(mechanism_table(rows))
        return
    with open(out / "bench.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        for r in rows:
            w.writerow({k: r[k] for k in FIELDS})
    md = markdown(rows) + host_line(hosts)
    (out / "bench.md").write_text(md)
    print(md)
    if a.update_docs:
        update_docs(md, ROOT / "docs" / "performance.md")
        plot(rows, ROOT / "docs" / "performance-scaling.png")
        print("updated docs/performance.md and docs/performance-scaling.png", file=sys.stderr)


if __name__ == "__main__":
    main()
