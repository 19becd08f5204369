"""One govsim sweep file (govsim sweep, docs/sweeps.md) as a pandas DataFrame.

    df = load_sweep("sweep.h5")
    df.groupby("grid.workers")["resolution_rate_on_time"].mean()

One row per run, indexed by run_id: the design columns (point_id, replicate, seed,
group, step, moved, delta, and every varied parameter), every summary output,
every level output as <field>_<level> (e.g. utilisation_grid), every category
output as <field>_<category>, and `done`
(False for runs an interrupted sweep has not written yet; their outputs are NaN).
Time series are not included; read /timeseries with h5py or xarray.
"""
import h5py
import numpy as np
import pandas as pd

SWEEP_SCHEMA_VERSION = 3


def _text(value):
    return value.decode() if isinstance(value, bytes) else value


def _is_scale(ds):
    """A dimension scale (the run, level and category index coordinates)."""
    return _text(ds.attrs.get("CLASS", b"")) == "DIMENSION_SCALE"


def load_sweep(path):
    """Design and results of a sweep joined, one row per run (see the module docstring)."""
    with h5py.File(path, "r") as f:
        if _text(f.attrs.get("format")) != "govsim-sweep":
            raise ValueError(f"{path}: not a govsim sweep file")
        version = f.attrs.get("schema_version")
        if version != SWEEP_SCHEMA_VERSION:
            raise ValueError(f"{path}: sweep schema_version {version}, this reader knows "
                             f"{SWEEP_SCHEMA_VERSION}")
        cols = {name: ds[()] for name, ds in f["design"].items() if not _is_scale(ds)}
        results = f["results"]
        done = results["done"][()] == 1
        for name, ds in results.items():
            if name in ("done", "levels", "categories") or _is_scale(ds):
                continue
            cols[name] = np.where(done, ds[()], np.nan) if ds.dtype.kind == "f" else ds[()]
        for group in ("levels", "categories"):
            labels = _text(results[group].attrs["labels"]).split()
            for name, ds in results[group].items():
                if _is_scale(ds):
                    continue
                values = ds[()]
                for k, label in enumerate(labels):
                    cols[f"{name}_{label}"] = values[:, k]
        cols["done"] = done
        df = pd.DataFrame(cols).set_index("run_id")
        df.attrs.update({k: _text(v) for k, v in f.attrs.items()})
    return df
