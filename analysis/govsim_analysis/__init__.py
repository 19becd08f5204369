"""govsim_analysis: read and analyse govsim result files (HDF5, docs/output.md).

Use with Debian's /usr/bin/python3 (python3-h5py, python3-numpy, python3-pandas,
python3-xarray, python3-h5netcdf, python3-matplotlib, python3-scipy)::

    import sys; sys.path.insert(0, "analysis")
    import govsim_analysis as ga
    run = ga.load_run("default-s1.h5")
    run.summary["resolution_rate_on_time"]
    run.timeseries["backlog"].sum("community").plot()

Modules: run (one run file), sweep (one sweep file: load_sweep gives a DataFrame).
"""
from .run import SCHEMA_VERSION, Run, load_run
from .sweep import load_sweep

__all__ = ["SCHEMA_VERSION", "Run", "load_run", "load_sweep"]
