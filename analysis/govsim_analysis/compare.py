"""A `govsim compare` file: the comparison table, per-replicate results, series.

    cmp = load_compare("compare.h5")
    cmp.table.query("main")                      # means, intervals, differences
    cmp.replicates.loc["base", "backlog_end"]    # one value per replicate
    cmp.series("backlog")                        # DataFrame (scenario, replicate) x day
    cmp.parameter_differences()                  # parameters that differ between scenarios
    cmp.meta.query("headline")                   # human names, direction, negligible threshold
    cmp.decompose                                # per-lever effects (`--decompose`), or None

Layout of the file: docs/output.md, "Comparison files".
"""
from dataclasses import dataclass, field

import h5py
import pandas as pd

from .run import SCHEMA_VERSION

STATISTICS = ("mean", "ci_low", "ci_high", "sd", "n",
              "diff", "diff_ci_low", "diff_ci_high", "diff_sd", "diff_n")


@dataclass
class Comparison:
    """Everything in a compare file; see the module docstring."""

    path: str
    labels: list
    method: str                     # "paired" (common random numbers) or "welch"
    replicates_per_scenario: int
    table: pd.DataFrame             # index (output, scenario); STATISTICS + units, main, rank
    replicates: pd.DataFrame        # index (scenario, replicate); seed + every compared output
    parameters: pd.DataFrame        # index parameter name; one column per scenario
    scenario_texts: dict            # label -> scenario file text
    scenario_files: dict            # label -> scenario file as given
    ttr_bins: pd.DataFrame          # lower, upper edges (hours)
    ttr_histograms: pd.DataFrame    # index (scenario, replicate); one column per bin lower edge
    provenance: dict
    # Output metadata (docs/compare-interface: label_en, label_zh, better, negligible,
    # headline); index output. A file written before govsim had them gets the fallback:
    # code names, better "neither", no threshold (NaN), headline = the main outputs.
    meta: pd.DataFrame = None
    has_meta: bool = False
    interval_covers: str = "seeds"  # "seeds" | "seeds and assumed parameters"
    uncertainty_draws: int = 0      # `--uncertainty N`: N, else 0
    uncertainty_source: str = ""
    decompose: "Decomposition" = None
    _series: dict = field(repr=False, default_factory=dict)   # field -> DataFrame
    days: dict = field(repr=False, default_factory=dict)      # label -> day values

    def series(self, name):
        """District totals of a time series: rows (scenario, replicate), columns day."""
        return self._series[name]

    @property
    def series_names(self):
        return list(self._series)

    def output_table(self, main_only=False):
        """One row per (output, scenario), outputs in the order govsim prints them."""
        t = self.table.sort_values(["rank"], kind="stable")
        return t[t["main"]] if main_only else t

    def parameter_differences(self, ignore=("run.seed",)):
        """The parameters whose values are not the same in every scenario."""
        p = self.parameters.drop(index=[i for i in ignore if i in self.parameters.index])
        same = p.apply(lambda row: row.astype(str).nunique() == 1, axis=1)
        return p[~same]


@dataclass
class Decomposition:
    """`govsim compare A B --decompose`: each lever of the reform run alone on top of A."""

    levers: pd.DataFrame     # index lever name (in file order); column keys (comma-separated)
    effects: pd.DataFrame    # index (output, lever); effect, effect_ci_low, effect_ci_high
    totals: pd.DataFrame     # index output; total (B - A), interaction (total - sum of effects)
    meta: pd.DataFrame       # as Comparison.meta, for the decomposed outputs

    @property
    def outputs(self):
        return list(self.totals.index)


META_COLUMNS = ("label_en", "label_zh", "better", "negligible", "headline")


def _meta_row(name, attrs):
    """The metadata of one output group; the fallback for what a file does not have."""
    def text(key, default):
        v = attrs.get(key)
        return default if v is None else _text(v)
    neg = attrs.get("negligible")
    head = attrs.get("headline")
    return {"output": name, "label_en": text("label_en", name), "label_zh": text("label_zh", name),
            "better": text("better", "neither"),
            "negligible": float(neg) if neg is not None else float("nan"),
            "headline": bool(head) if head is not None else bool(attrs.get("main", 0)),
            "units": text("units", ""), "description": text("description", "")}


def _text(value):
    return value.decode() if isinstance(value, bytes) else value


def _scalars(group):
    return {name: _text(ds[()]) for name, ds in group.items()
            if isinstance(ds, h5py.Dataset) and ds.shape == ()}


def _check(f, path):
    if f.attrs.get("schema_version") != SCHEMA_VERSION or _text(f.attrs.get("kind")) != "compare":
        raise ValueError(f"{path}: not a govsim compare file of schema_version {SCHEMA_VERSION} "
                         f"(kind {f.attrs.get('kind')!r}, schema_version {f.attrs.get('schema_version')})")


def _table(f, labels):
    rows = []
    for name, g in f["comparison"].items():
        if not isinstance(g, h5py.Group):
            continue
        stats = {s: g[s][:] for s in STATISTICS}
        prob = g["prob_better"][:] if "prob_better" in g else [float("nan")] * len(labels)
        for k, label in enumerate(labels):
            row = {"output": name, "scenario": label, "units": _text(g.attrs["units"]),
                   "main": bool(g.attrs["main"]), "rank": int(g.attrs["rank"])}
            row.update({s: stats[s][k] for s in STATISTICS})
            row["prob_better"] = float(prob[k])
            rows.append(row)
    return pd.DataFrame(rows).set_index(["output", "scenario"]).sort_values("rank", kind="stable")


def _meta(f):
    rows = [_meta_row(name, g.attrs) for name, g in f["comparison"].items() if isinstance(g, h5py.Group)]
    rank = {name: int(g.attrs.get("rank", 0)) for name, g in f["comparison"].items() if isinstance(g, h5py.Group)}
    df = pd.DataFrame(rows).set_index("output")
    df["rank"] = [rank[o] for o in df.index]
    return df.sort_values("rank", kind="stable")


def _decompose(f):
    if "decompose" not in f:
        return None
    d = f["decompose"]
    names = [_text(x) for x in d["lever_name"][:]]
    keys = [_text(x) for x in d["lever_keys"][:]]
    levers = pd.DataFrame({"keys": keys}, index=pd.Index(names, name="lever"))
    effects, totals, meta = [], [], []
    for name, g in d.items():
        if not isinstance(g, h5py.Group):
            continue
        e = {s: g[s][:] for s in ("effect", "effect_ci_low", "effect_ci_high")}
        for j, lever in enumerate(names):
            effects.append({"output": name, "lever": lever, **{s: float(v[j]) for s, v in e.items()}})
        totals.append({"output": name, "total": float(g["total"][()]),
                       "interaction": float(g["interaction"][()])})
        meta.append(_meta_row(name, g.attrs))
    return Decomposition(
        levers=levers,
        effects=pd.DataFrame(effects).set_index(["output", "lever"]),
        totals=pd.DataFrame(totals).set_index("output"),
        meta=pd.DataFrame(meta).set_index("output"))


def _replicates(sg, label):
    cols = {"seed": sg["seed"][:]}
    for name, ds in sg["summary"].items():
        if ds.ndim == 1 and name not in ("ttr_bin", "ttr_bin_upper"):
            cols[name] = ds[:]
    for group, dim in (("levels", "level"), ("categories", "category")):
        if group not in sg:
            continue
        names = _text_list(sg[group][dim].attrs["labels"])
        for name, ds in sg[group].items():
            if name != dim:
                for j, what in enumerate(names):
                    cols[f"{name}_{what}"] = ds[:, j]
    df = pd.DataFrame(cols)
    df.index = pd.MultiIndex.from_product([[label], range(len(df))], names=["scenario", "replicate"])
    return df


def _text_list(value):
    return _text(value).split()


def load_compare(path):
    """Reads a `govsim compare` file into pandas (see Comparison)."""
    with h5py.File(path, "r") as f:
        _check(f, path)
        labels = [_text(x) for x in f["comparison/label"][:]]
        groups = [f["scenarios"][str(k)] for k in range(len(labels))]
        reps = pd.concat([_replicates(g, lab) for g, lab in zip(groups, labels)])
        params = pd.DataFrame({lab: pd.Series(_scalars(g["parameters"])) for g, lab in zip(groups, labels)})
        hists, series, days = [], {}, {}
        for g, lab in zip(groups, labels):
            h = g["summary/time_to_resolution_histogram"][:]
            idx = pd.MultiIndex.from_product([[lab], range(h.shape[0])], names=["scenario", "replicate"])
            hists.append(pd.DataFrame(h, index=idx, columns=g["summary/ttr_bin"][:]))
            days[lab] = g["timeseries/day"][:]
            for name, ds in g["timeseries"].items():
                if name != "day":
                    series.setdefault(name, []).append(pd.DataFrame(ds[:], index=idx, columns=days[lab]))
        first = groups[0]["summary"]
        has_meta = any("label_en" in g.attrs for g in f["comparison"].values() if isinstance(g, h5py.Group))
        return Comparison(
            path=path, labels=labels, method=_text(f["comparison"].attrs["method"]),
            replicates_per_scenario=int(f.attrs["replicates"]),
            table=_table(f, labels), replicates=reps, parameters=params,
            scenario_texts={lab: _text(g["scenario_file_text"][()]) for g, lab in zip(groups, labels)},
            scenario_files={lab: _text(g.attrs["scenario_file"]) for g, lab in zip(groups, labels)},
            ttr_bins=pd.DataFrame({"lower": first["ttr_bin"][:], "upper": first["ttr_bin_upper"][:]}),
            ttr_histograms=pd.concat(hists),
            provenance={k: _text(v) for k, v in f["provenance"].attrs.items()},
            meta=_meta(f), has_meta=has_meta,
            interval_covers=_text(f["comparison"].attrs.get("interval_covers", "seeds")),
            uncertainty_draws=int(f.attrs.get("uncertainty_draws", 0)),
            uncertainty_source=_text(f.attrs.get("uncertainty_source", "")),
            decompose=_decompose(f),
            _series={k: pd.concat(v) for k, v in series.items()}, days=days)


def pooled_ttr_histogram(cmp):
    """Share of resolved requests per time-to-resolution bin, averaged over replicates."""
    return cmp.ttr_histograms.groupby(level="scenario", sort=False).mean()


def interval_width(cmp, output, scenario):
    """Width of the 95% interval of the difference of `scenario` from the first."""
    row = cmp.table.loc[(output, scenario)]
    return float(row["diff_ci_high"] - row["diff_ci_low"])


__all__ = ["Comparison", "Decomposition", "load_compare", "pooled_ttr_histogram", "interval_width", "STATISTICS"]
