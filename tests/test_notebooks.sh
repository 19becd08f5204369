#!/usr/bin/env bash
# Executes every notebooks/*.ipynb against the installed analysis package: a fresh
# virtual environment (BUILD_DIR/venv-notebooks, --system-site-packages, so Debian's
# h5py, pandas, matplotlib, ... are seen) gets `pip install ./analysis` (offline), a
# Jupyter kernel of its own, and runs nbconvert --execute in a temporary directory
# (the repository is not touched). Each notebook must import govsim_analysis from
# the environment, not from the source tree.
#   test_notebooks.sh GOVSIM SOURCE_DIR PYTHON BUILD_DIR
set -u
GOVSIM=$1 SRC=$2 PY=$3 BUILD=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
venv=$BUILD/venv-notebooks
unset PYTHONPATH
export PYDEVD_DISABLE_FILE_VALIDATION=1 PIP_DISABLE_PIP_VERSION_CHECK=1
rm -rf "$venv"
"$PY" -m venv --system-site-packages "$venv" || { echo "FAIL: $PY -m venv (python3-venv, scripts/setup.sh)"; exit 1; }
# pip builds in the directory it is given: build from a copy, keep the source tree clean
cp -r "$SRC/analysis" "$work/analysis"
"$venv/bin/python" -m pip install -q --no-index --no-build-isolation --no-deps "$work/analysis" > "$work/log" 2>&1 \
    || { echo "FAIL: pip install ./analysis into $venv:"; tail -20 "$work/log"; exit 1; }
# a kernel that runs the environment's python, found through JUPYTER_PATH
"$venv/bin/python" -m ipykernel install --prefix "$venv" --name govsim-venv > "$work/log" 2>&1 \
    || { echo "FAIL: no Jupyter kernel for $venv (python3-ipykernel, scripts/setup.sh):"; tail -5 "$work/log"; exit 1; }
export JUPYTER_PATH=$venv/share/jupyter
kernel=$("$venv/bin/python" -c "from jupyter_client.kernelspec import KernelSpecManager as K; print(K().get_kernel_spec('govsim-venv').argv[0])")
[ "$kernel" = "$venv/bin/python" ] || { echo "FAIL: the govsim-venv kernel runs '$kernel', not $venv/bin/python"; exit 1; }

export GOVSIM GOVSIM_SOURCE_DIR=$SRC MPLBACKEND=Agg
fail=0 n=0
for nb in "$SRC"/notebooks/*.ipynb; do
  n=$((n + 1))
  start=$(date +%s)
  name=$(basename "$nb")
  if "$venv/bin/python" -m nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=govsim-venv \
        --ExecutePreprocessor.timeout=600 --output-dir "$work" "$nb" > "$work/log" 2>&1; then
    # the first code cell prints where govsim_analysis came from
    if grep -q "$venv/lib/python[0-9.]*/site-packages/govsim_analysis/__init__.py" "$work/$name"; then
      echo "ok   $name ($(( $(date +%s) - start )) s)"
    else
      echo "FAIL $name: govsim_analysis was not imported from $venv"; fail=1
    fi
  else
    echo "FAIL $name:"; tail -30 "$work/log"; fail=1
  fi
done
[ "$n" -gt 0 ] || { echo "FAIL: no notebooks found in $SRC/notebooks"; exit 1; }
exit $fail
