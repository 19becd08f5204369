#!/usr/bin/env bash
# Installs, with apt-get, whatever govsim needs to build, run and test that is not
# already installed. Does nothing when everything is there. Debian 12 packages.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libgsl-dev libhdf5-dev hdf5-tools libyaml-dev librandom123-dev
  valgrind clang libclang-rt-dev
  python3 python3-h5py python3-numpy python3-pandas python3-xarray python3-h5netcdf python3-pytest python3-yaml
  python3-matplotlib python3-scipy jupyter-nbconvert python3-ipykernel chromium
  fonts-noto-cjk
  python3-venv python3-pip python3-setuptools python3-wheel
  openmpi-bin libopenmpi-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo="sudo"; else
    echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done" >&2
