"""pytest setup shared by tests/*.py: the analysis package.

The tests use govsim_analysis as installed (`pip install ./analysis`, analysis/README.md)
when it can be imported; otherwise they use the copy in this source tree, analysis/.
"""
import importlib.util
import sys
from pathlib import Path

if importlib.util.find_spec("govsim_analysis") is None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "analysis"))
