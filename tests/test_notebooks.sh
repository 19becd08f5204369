#!/usr/bin/env bash
# Executes every notebooks/*.ipynb with jupyter nbconvert, in a temporary directory
# (the repository is not touched), on the kernel of Debian's /usr/bin/python3.
#   test_notebooks.sh GOVSIM SOURCE_DIR PYTHON
set -u
GOVSIM=$1 SRC=$2 PY=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
kernel=$("$PY" -c "from jupyter_client.kernelspec import KernelSpecManager as K; print(K().get_kernel_spec('python3').argv[0])") \
    || { echo "FAIL: no python3 Jupyter kernel (python3-ipykernel, scripts/setup.sh)"; exit 1; }
case "$kernel" in
  "$PY"|python3|python) ;;
  *) echo "FAIL: the python3 kernel runs '$kernel', not $PY"; exit 1 ;;
esac
export GOVSIM GOVSIM_SOURCE_DIR=$SRC MPLBACKEND=Agg PYDEVD_DISABLE_FILE_VALIDATION=1
fail=0 n=0
for nb in "$SRC"/notebooks/*.ipynb; do
  n=$((n + 1))
  start=$(date +%s)
  if "$PY" -m jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=python3 \
        --ExecutePreprocessor.timeout=600 --output-dir "$work" "$nb" > "$work/log" 2>&1; then
    echo "ok   $(basename "$nb") ($(( $(date +%s) - start )) s)"
  else
    echo "FAIL $(basename "$nb"):"; tail -30 "$work/log"; fail=1
  fi
done
[ "$n" -gt 0 ] || { echo "FAIL: no notebooks found in $SRC/notebooks"; exit 1; }
exit $fail
