"""The calibrated Hedong scenario reproduces the report's two figures: micro-wish
fulfilment 785 of "1600余" (more than 1,600) cards, 46.2% (1,700 cards) to 49.1% (1,600),
and three-list completion 166 / 195 = 85.1%, each within 2 percentage points as the mean
over 20 replicate runs of the campaign year (the fulfilment target is the centre of the
reading, 785/1,650; params/patterns.yaml checks the band [0.40, 0.491] as well).

The runs are of the whole scenario (160 communities, about 195 three-list items and
1,600 cards a run, as in the report), a year each since projects agreed late in the
year count as not completed; about a minute of CPU. Seeds 501-520 were not used by the
calibration (seeds 2024-2083). The calibration itself ran on a quarter of the district,
where a run's completion rate is too noisy (about 36 items) for a 2-point check.
"""
import os
import pathlib
import subprocess

import h5py
import numpy as np
import pytest

GOVSIM = os.environ["GOVSIM"]
SRC = pathlib.Path(os.environ["GOVSIM_SOURCE_DIR"])
TARGETS = {"wish_fulfilment_rate": 785 / 1650, "three_list_completion_rate": 166 / 195}
REPLICATES = 20


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hedong")
    values = {k: [] for k in TARGETS}
    for seed in range(501, 501 + REPLICATES):
        out = tmp / f"h{seed}.h5"
        subprocess.run([GOVSIM, "run", str(SRC / "params" / "hedong.yaml"), "--seed", str(seed),
                        "-q", "-o", str(out)], check=True)
        with h5py.File(out, "r") as f:
            for k in TARGETS:
                values[k].append(float(f["summary"][k][()]))
        out.unlink()
    return {k: np.array(v) for k, v in values.items()}


@pytest.mark.parametrize("output", sorted(TARGETS))
def test_hedong_reproduces_report_figure(runs, output):
    mean = runs[output].mean()
    assert abs(mean - TARGETS[output]) <= 0.02, (output, mean, TARGETS[output])
