"""One govsim run file: summary, levels, time series, parameters, provenance.

Loaded with load_run(path); see the package docstring for an example.
"""
from dataclasses import dataclass

import h5py
import pandas as pd
import xarray as xr

SCHEMA_VERSION = 7


@dataclass
class Run:
    """One run: summary (Series), levels (DataFrame), time series (xarray), parameters (Series)."""

    path: str
    summary: pd.Series
    levels: pd.DataFrame
    timeseries: xr.Dataset
    parameters: pd.Series
    provenance: dict


def _check_schema(f, path):
    version = f.attrs.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ValueError(f"{path}: schema_version {version}, this reader knows {SCHEMA_VERSION}")


def _scalars(group):
    out = {}
    for name, ds in group.items():
        if isinstance(ds, h5py.Dataset) and ds.shape == ():
            value = ds[()]
            out[name] = value.decode() if isinstance(value, bytes) else value
    return pd.Series(out)


def load_run(path):
    """Loads every part of a govsim run file."""
    with h5py.File(path, "r") as f:
        _check_schema(f, path)
        summary = _scalars(f["summary"])
        parameters = _scalars(f["parameters"])
        labels = f["levels/level"].attrs["labels"].split()
        levels = pd.DataFrame(
            {name: ds[()] for name, ds in f["levels"].items() if name != "level"}, index=labels
        )
        levels.index.name = "level"
        provenance = dict(f["provenance"].attrs)
    timeseries = xr.load_dataset(path, engine="h5netcdf", group="timeseries", decode_timedelta=False)
    return Run(path, summary, levels, timeseries, parameters, provenance)


# The outputs a case notebook leads with: on time, speed, where resolved, backlog,
# residents, members, micro-wishes, three lists, money.
HEADLINE = ("resolution_rate_on_time", "time_to_resolution_mean", "time_to_resolution_p90",
            "share_resolved_grid", "share_resolved_community", "share_resolved_street",
            "share_resolved_district", "abandonment_rate", "backlog_end", "satisfaction_mean",
            "trust_mean", "requests_resolved_by_members", "volunteer_hours_used",
            "wish_fulfilment_rate", "three_list_completion_rate", "cost_per_resolved")


def headline(path, names=HEADLINE):
    """Summary outputs of a run file with their units and descriptions (DataFrame by name)."""
    rows = {}
    with h5py.File(path, "r") as f:
        for name in names:
            ds = f["summary"][name]
            rows[name] = {"value": ds[()], "units": _text(ds.attrs["units"]),
                          "description": _text(ds.attrs["description"])}
    return pd.DataFrame.from_dict(rows, orient="index")


def _text(value):
    return value.decode() if isinstance(value, bytes) else value
