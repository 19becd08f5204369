"""govsim_analysis: read and analyse govsim result files (HDF5, docs/output.md).

Use with Debian's /usr/bin/python3 (python3-h5py, python3-numpy, python3-pandas,
python3-xarray, python3-h5netcdf, python3-matplotlib, python3-scipy)::

    import sys; sys.path.insert(0, "analysis")
    import govsim_analysis as ga
    run = ga.load_run("default-s1.h5")
    run.summary["resolution_rate_on_time"]
    run.timeseries["backlog"].sum("community").plot()

    cmp = ga.load_compare("compare.h5")          # from `govsim compare`
    cmp.table.loc["backlog_end"]                   # means, differences, 95% intervals

Modules: run (one run file), sweep (one sweep file: load_sweep gives a DataFrame),
compare (a comparison file), plotting (matplotlib
helpers), sensitivity (Sobol and Morris indices from plain arrays), report (the
HTML report of a comparison: python3 -m govsim_analysis.report FILE -o OUT.html).
"""
from .compare import Comparison, interval_width, load_compare, pooled_ttr_histogram
from .run import HEADLINE, SCHEMA_VERSION, Run, headline, load_run
from .sweep import load_sweep
from .sensitivity import (morris_design, morris_indices, saltelli_design, sobol_indices,
                          sobol_of_function)

__all__ = ["SCHEMA_VERSION", "Run", "load_run", "HEADLINE", "headline", "load_sweep", "Comparison", "load_compare", "interval_width",
           "pooled_ttr_histogram", "sobol_indices", "saltelli_design", "sobol_of_function",
           "morris_indices", "morris_design"]
