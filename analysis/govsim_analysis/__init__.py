"""govsim_analysis: read and analyse govsim result files (HDF5, docs/output.md).

Install with ``/usr/bin/python3 -m pip install --no-build-isolation --no-deps ./analysis``
(see analysis/README.md); it uses Debian's python3-h5py, python3-numpy, python3-pandas,
python3-xarray, python3-h5netcdf, python3-matplotlib and python3-scipy::

    import govsim_analysis as ga
    ga.govsim("run", "--days", 60, "--seed", 1, "-o", "default-s1.h5")
    run = ga.load_run("default-s1.h5")
    run.summary["resolution_rate_on_time"]
    run.timeseries["backlog"].sum("community").plot()

    cmp = ga.load_compare("compare.h5")          # from `govsim compare`
    cmp.table.loc["backlog_end"]                   # means, differences, 95% intervals

Modules: command (govsim(): runs the govsim binary), run (one run file), sweep (one
sweep file: load_sweep gives a DataFrame), compare (a comparison file), plotting
(matplotlib helpers), sensitivity (Sobol and Morris indices from plain arrays), report (the
HTML report of a comparison: python3 -m govsim_analysis.report FILE -o OUT.html).
"""
from .command import GovsimError, find_govsim, govsim
from .compare import Comparison, interval_width, load_compare, pooled_ttr_histogram
from .run import HEADLINE, SCHEMA_VERSION, Run, headline, load_run
from .sweep import load_sweep
from .sensitivity import (morris_design, morris_indices, saltelli_design, sobol_indices,
                          sobol_of_function)

__version__ = "0.1.0"

__all__ = ["govsim", "find_govsim", "GovsimError", "SCHEMA_VERSION", "Run", "load_run", "HEADLINE",
           "headline", "load_sweep", "Comparison", "load_compare", "interval_width",
           "pooled_ttr_histogram", "sobol_indices", "saltelli_design", "sobol_of_function",
           "morris_indices", "morris_design"]
