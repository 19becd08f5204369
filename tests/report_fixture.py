#!/usr/bin/env python3
"""Adds to a real `govsim compare` file what the report reads from a newer govsim
(the interface of issue 19: output metadata, `--uncertainty`, `--decompose`), so the
report and its tests can be exercised on files with and without them.

    report_fixture.py IN.h5 OUT.h5 [--meta] [--uncertainty] [--decompose]

--meta         label_en, label_zh, better, negligible, headline on every /comparison/<output>
--uncertainty  root uncertainty_draws / uncertainty_source, /uncertainty, prob_better,
               /comparison interval_covers "seeds and assumed parameters", intervals widened
--decompose    /decompose for the first two scenarios: one lever per differing parameter
               group, effects that add up to the total minus a stated interaction
--one          keep the first scenario only (as `govsim compare A --uncertainty N` writes)
--strip        first remove all of the above that the file has: a file as an older govsim
               (schema 6) wrote it, for the report's fallback

THE NUMBERS ADDED ARE MADE UP (only their layout is govsim's): a test fixture, never
a result. govsim itself writes these (sim/cmd/compare.c) once it has them; the table
below is the fixture's and does not stand in for govsim's own.
"""
import argparse
import shutil
import sys

import h5py
import numpy as np

# output -> (label_en, label_zh, better, negligible); headline outputs of the interface
HEADLINE = {
    "resolution_rate_on_time": ("Requests resolved on time", "按时办结率", "higher", 0.005),
    "time_to_close_median": ("Median time to close a request", "诉求办结时间中位数", "lower", 1.0),
    "closed_within_7_days_share": ("Requests closed within 7 days", "7日内办结率", "higher", 0.005),
    "share_resolved_grid": ("Requests solved in the grid", "网格内解决率", "higher", 0.005),
    "satisfaction_mean": ("Residents' satisfaction", "居民满意度", "higher", 0.01),
    "trust_mean": ("Residents' trust", "居民信任度", "higher", 0.01),
    "cost_per_resolved": ("Cost per resolved request", "每件办结诉求成本", "lower", 5.0),
    "spending_total": ("Total spending", "总支出", "lower", 10000.0),
}
OTHER = {
    "backlog_end": ("Open requests at the end", "期末未办结诉求", "lower", 1.0),
    "abandonment_rate": ("Requests abandoned", "放弃率", "lower", 0.005),
    "time_to_resolution_mean": ("Mean time to resolution", "平均办结时间", "lower", 1.0),
}
# Lever groups of the Yuzhou reform (the `levers:` mapping a scenario file may give);
# differing keys not named here become levers of their own.
LEVERS = {
    "grid app": ["app.share_grids"],
    "more community staff": ["community.staff", "community.first_secretaries", "staff.career_path"],
    "burden cut": ["tasks.burden_cut", "tasks.quota_enabled"],
}


def _str(v):
    return v.decode() if isinstance(v, bytes) else v


META = ("label_en", "label_zh", "better", "negligible", "headline")


def strip(f):
    for key in ("uncertainty_draws", "uncertainty_source", "levers"):
        if key in f.attrs:
            del f.attrs[key]
    for key in ("interval_covers", "interval_kind"):
        if key in f["comparison"].attrs:
            del f["comparison"].attrs[key]
    for g in f["comparison"].values():
        if isinstance(g, h5py.Group):
            for key in META:
                if key in g.attrs:
                    del g.attrs[key]
            if "prob_better" in g:
                del g["prob_better"]
    for name in ("uncertainty", "decompose"):
        if name in f:
            del f[name]


def add_meta(f):
    for name, g in f["comparison"].items():
        if not isinstance(g, h5py.Group):
            continue
        en, zh, better, neg = HEADLINE.get(name) or OTHER.get(name) or (
            name.replace("_", " ").capitalize(), name, "neither", 0.0)
        g.attrs["label_en"], g.attrs["label_zh"], g.attrs["better"] = en, zh, better
        g.attrs["negligible"] = np.float64(neg)
        g.attrs["headline"] = np.int64(name in HEADLINE)


def _replicates(f, name):
    return np.array([f["scenarios"][str(k)]["summary"][name][:] for k in range(int(f.attrs["scenarios"]))])


def add_uncertainty(f):
    n = int(f.attrs["replicates"])
    f.attrs["uncertainty_draws"] = np.int64(n)
    f.attrs["uncertainty_source"] = "plausible ranges of the parameter table"
    f["comparison"].attrs["interval_covers"] = "seeds and assumed parameters"
    u = f.create_group("uncertainty")
    u["draw"] = np.arange(n, dtype=np.int64)
    rng = np.random.default_rng(1)
    for p in ("request.rate_scale", "service.hours_scale"):
        u[f"parameters/{p}"] = rng.uniform(0.8, 1.2, n)
    for name, g in f["comparison"].items():
        if not isinstance(g, h5py.Group):
            continue
        better = _str(g.attrs.get("better", "neither"))
        reps = _replicates(f, name) if name in f["scenarios/0/summary"] else None
        prob = np.full(len(g["mean"]), np.nan)
        if better != "neither" and reps is not None and reps.ndim == 2:
            d = reps - reps[0]
            prob[1:] = np.mean(d[1:] > 0 if better == "higher" else d[1:] < 0, axis=1)
        if "prob_better" in g:
            del g["prob_better"]
        g["prob_better"] = prob
        for stat, mid in (("ci", "mean"), ("diff_ci", "diff")):   # wider: parameters too
            for side in ("low", "high"):
                ds = g[f"{stat}_{side}"]
                ds[...] = g[mid][:] + 3.0 * (ds[:] - g[mid][:])


def add_decompose(f):
    labels = [_str(x) for x in f["comparison/label"][:]]
    params = [f["scenarios"][str(k)]["parameters"] for k in (0, 1)]
    differ = sorted(k for k in params[1] if k in params[0] and k not in ("run.seed", "scenario.name",
                    "scenario.description") and params[0][k][()] != params[1][k][()])
    levers, used = [], set()
    for lever, keys in LEVERS.items():
        keys = [k for k in keys if k in differ]
        if keys:
            levers.append((lever, keys))
            used.update(keys)
    levers += [(k, [k]) for k in differ if k not in used]
    d = f.create_group("decompose")
    d["lever"] = np.arange(len(levers), dtype=np.int64)
    d["lever_name"] = np.array([n.encode() for n, _ in levers], dtype=h5py.string_dtype())
    d["lever_keys"] = np.array([",".join(k).encode() for _, k in levers], dtype=h5py.string_dtype())
    weights = np.array([0.7, 0.05, 0.2] + [0.0] * (len(levers) - 3))[:len(levers)]
    for name, g in f["comparison"].items():
        if not isinstance(g, h5py.Group) or not g.attrs.get("headline", 0):
            continue
        total = float(g["diff"][1])
        effect = total * weights
        half = 0.15 * abs(total) + 0.02 * abs(float(g["mean"][0]))
        o = d.create_group(name)
        o["effect"], o["effect_ci_low"], o["effect_ci_high"] = effect, effect - half, effect + half
        o["total"] = total
        o["interaction"] = total - effect.sum()
        for k, v in g.attrs.items():
            if k in META + ("units", "description"):
                o.attrs[k] = v
    print(f"report_fixture: {len(levers)} levers of {labels[1]} over {labels[0]}", file=sys.stderr)


def keep_first(f):
    f.attrs["scenarios"] = np.int64(1)
    for k in list(f["scenarios"]):
        if k != "0":
            del f["scenarios"][k]
    c = f["comparison"]
    for name in list(c):
        obj = c[name]
        if isinstance(obj, h5py.Dataset):
            data = obj[:1]
            del c[name]
            c.create_dataset(name, data=data)
            continue
        for ds in list(obj):
            data = obj[ds][:1]
            del obj[ds]
            obj[ds] = data


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--meta", action="store_true")
    ap.add_argument("--uncertainty", action="store_true")
    ap.add_argument("--decompose", action="store_true")
    ap.add_argument("--one", action="store_true")
    ap.add_argument("--strip", action="store_true")
    a = ap.parse_args(argv)
    shutil.copyfile(a.input, a.output)
    with h5py.File(a.output, "r+") as f:
        if a.strip:
            strip(f)
        if a.meta or a.decompose:
            add_meta(f)
        if a.uncertainty:
            add_uncertainty(f)
        if a.decompose:
            add_decompose(f)
        if a.one:
            keep_first(f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
