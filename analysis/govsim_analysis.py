"""Read govsim result files (HDF5, schema in docs/output.md) into pandas and xarray.

Use with Debian's /usr/bin/python3 (python3-h5py, python3-pandas, python3-xarray,
python3-h5netcdf). Example::

    import sys; sys.path.insert(0, "analysis")
    import govsim_analysis as ga
    run = ga.load_run("default-s1.h5")
    run.summary["resolution_rate_on_time"]
    run.timeseries["backlog"].sum("community").plot()
"""
from dataclasses import dataclass

import h5py
import pandas as pd
import xarray as xr

SCHEMA_VERSION = 1


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
